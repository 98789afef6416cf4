/**
 * The hidden prompt in a REAL pseudo-terminal (python3's `pty` module drives the built binary):
 * the typed value is never echoed, it is stored, and Ctrl+C cancels with exit 130.
 */
import { execFileSync, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { BIN, decryptLatest, makeTempProject, type TempProject } from './helpers.js';

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

interface PtyResult {
  output: string;
  exit: number;
  timedOut: boolean;
  failedExpect: string | null;
}

function runInPty(p: TempProject, args: string[], steps: Step[], env: Record<string, string> = {}): Promise<PtyResult> {
  return new Promise((resolve, reject) => {
    // The driver's env is the child's env: the project's, without CI (interactive = TTY + no CI).
    const childEnv: Record<string, string> = { ...p.env, TERM: 'xterm', PTY_EXPECT_TIMEOUT: '10', PTY_TOTAL_TIMEOUT: '20' };
    delete childEnv.CI;
    Object.assign(childEnv, env);
    const py = spawn('python3', [DRIVER, JSON.stringify(steps), '--', process.execPath, BIN, ...args], {
      cwd: p.dir,
      env: childEnv,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    py.stdout.on('data', (b: Buffer) => out.push(b));
    py.stderr.on('data', (b: Buffer) => err.push(b));
    py.on('error', reject);
    py.on('close', (code) => {
      if (code !== 0) return reject(new Error(`pty driver failed (${code}): ${Buffer.concat(err).toString()}`));
      const r = JSON.parse(Buffer.concat(out).toString()) as { output: string; exit: number; timedOut: boolean; failedExpect: string | null };
      resolve({ ...r, output: Buffer.from(r.output, 'base64').toString('utf8') });
    });
  });
}

// Skipped only where python3 (Debian's, on every machine of this project) is missing: it is the
// pty driver, since node-pty would need a native build.
// Generous safety timeouts (60 s per expect, 90 s per run, here 120 s per test): the machine may be busy.
describe.skipIf(!hasPython)('hidden prompt in a real pseudo-terminal', { timeout: 120_000 }, () => {
  it('the typed value is stored, never echoed, and the command exits 0', async () => {
    const p = makeTempProject();
    const value = `typed-${randomUUID()}`;
    const r = await runInPty(p, ['secret', 'put', 'PROMPTED'], [
      { expect: 'Enter the value of secret PROMPTED' },
      { sleep: 0.2 },
      { send: value },
      { sleep: 0.2 },
      { send: '\r' },
      { expect: 'secret PROMPTED added' },
    ]);
    expect(r.failedExpect, r.output).toBeNull();
    expect(r.timedOut).toBe(false);
    expect(r.exit).toBe(0);
    // Not the value, and not even a long piece of it (echoed character by character, masked or not).
    expect(r.output).not.toContain(value);
    expect(r.output).not.toContain(value.slice(6, 18));
    expect(r.output).not.toMatch(/\*{8,}/); // no mask of the same length either
    expect(decryptLatest(p, 'PROMPTED')).toBe(value);
  });

  it('Ctrl+C at the prompt: exit 130, a clear note, nothing stored', async () => {
    const p = makeTempProject();
    const partial = `partial-${randomUUID()}`;
    const r = await runInPty(p, ['secret', 'put', 'CANCELLED'], [
      { expect: 'Enter the value of secret CANCELLED' },
      { sleep: 0.2 },
      { send: partial },
      { sleep: 0.2 },
      { send: '\x03' },
    ]);
    expect(r.failedExpect, r.output).toBeNull();
    expect(r.timedOut).toBe(false);
    expect(r.exit).toBe(130);
    expect(r.output).toMatch(/cancelled/);
    expect(r.output).not.toContain(partial);
    // Nothing stored: the store was never written (or, if it exists, has no such secret).
    const list = await p.run(['secret', 'list', '--json']);
    expect(list.code).toBe(0);
    expect(list.json().secrets).toEqual([]);
  });

  it('with CI set, a terminal is not interactive: no prompt, a clear error naming the way to pipe', async () => {
    const p = makeTempProject();
    const r = await runInPty(p, ['secret', 'put', 'IN_CI'], [{ sleep: 0.1 }], { CI: 'true' });
    expect(r.timedOut).toBe(false);
    expect(r.exit).toBe(2);
    expect(r.output).not.toMatch(/Enter the value/);
    expect(r.output).toMatch(/IN_CI/);
    expect(r.output).toMatch(/--from-file/);
  });
});
