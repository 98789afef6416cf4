/**
 * The deploy picker in a REAL pseudo-terminal (python3's `pty` drives the built binary): it
 * shows the current deployment and the versions, and Ctrl-C erases the list and exits 130 with
 * nothing deployed. What is left on screen is replayed by a small terminal model (screen.ts).
 */
import { execFileSync, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { BIN, makeTempProject, type TempProject } from './helpers.js';
import { finalScreen } from './screen.js';

const DRIVER = fileURLToPath(new URL('./pty-run.py', import.meta.url));
const hasPython = (() => {
  try {
    execFileSync('python3', ['-c', 'import pty'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

type Step = { expect: string } | { send: string } | { sleep: number };

function runInPty(p: TempProject, args: string[], steps: Step[]): Promise<{ output: string; exit: number; timedOut: boolean; failedExpect: string | null }> {
  return new Promise((resolve, reject) => {
    const env: Record<string, string> = { ...p.env, TERM: 'xterm', COLUMNS: '100', PTY_EXPECT_TIMEOUT: '15', PTY_TOTAL_TIMEOUT: '30' };
    delete env.CI;
    const py = spawn('python3', [DRIVER, JSON.stringify(steps), '--', process.execPath, BIN, ...args], { cwd: p.dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    py.stdout.on('data', (b: Buffer) => out.push(b));
    py.stderr.on('data', (b: Buffer) => err.push(b));
    py.on('error', reject);
    py.on('close', (code) => {
      if (code !== 0) return reject(new Error(`pty driver failed (${code}): ${Buffer.concat(err).toString()}`));
      const r = JSON.parse(Buffer.concat(out).toString());
      resolve({ ...r, output: Buffer.from(r.output, 'base64').toString('utf8') });
    });
  });
}

// Skipped only where python3 is missing (it is the pty driver; node-pty would need a native build).
describe.skipIf(!hasPython)('the deploy picker in a real pseudo-terminal', () => {
  it('shows the live split and the versions; Ctrl-C erases the list, exits 130, deploys nothing', async () => {
    const p = makeTempProject();
    for (const m of ['first', 'second', 'third']) expect((await p.run(['versions', 'upload', '--message', m])).code).toBe(0);
    expect((await p.run(['versions', 'deploy', '2@100%', '--yes'])).code).toBe(0);
    expect((await p.run(['versions', 'deploy', '3@25%', '--yes'])).code).toBe(0);
    const before = (await p.run(['deployments', 'list', '--json'])).json().deployments.length;

    const r = await runInPty(p, ['versions', 'deploy'], [
      { expect: 'Which version do you want to deploy?' },
      { expect: 'first' },
      { sleep: 0.3 },
      { send: '\x03' },
    ]);
    expect(r.failedExpect, r.output).toBeNull();
    expect(r.timedOut).toBe(false);
    expect(r.exit).toBe(130);
    // While it was drawn, the picker showed the live shares.
    expect(r.output).toMatch(/Current deployment: version 3 \(25%\) \+ version 2 \(75%\)/);
    expect(r.output).toMatch(/● 25%/);
    const screen = finalScreen(r.output).join('\n');
    // After Ctrl-C: the list is gone, the note and the cancellation stay.
    expect(screen).not.toMatch(/Which version do you want to deploy/);
    expect(screen).not.toMatch(/first|second|third/);
    expect(screen).toMatch(/Current deployment: version 3 \(25%\)/);
    expect(screen).toMatch(/cancelled/);
    expect((await p.run(['deployments', 'list', '--json'])).json().deployments).toHaveLength(before);
  });
});
