/**
 * Every byte mycli means to print reaches a pipe, a file and `$(…)`, whatever its size, before
 * the process exits — also under the crash handlers — and a reader that goes away early
 * (`| head -1`) ends mycli promptly instead of hanging it (issue 16 item 2). A pipe takes 64 KiB
 * before a write has to wait for the reader; `process.exit()` used to drop the rest.
 *
 * The history comes from a plugin backend that holds N versions in memory (only the public
 * Backend API), so the sizes are exact and no store has to be built version by version.
 */
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, makeTempProject, sleep, type TempProject } from './helpers.js';

const PLUGIN = `
const N = Number(process.env.BIG_N ?? 300);
const versions = Array.from({ length: N }, (_, i) => ({
  id: '00000000-0000-4000-8000-' + String(N - i).padStart(12, '0'), number: N - i,
  createdOn: new Date(Date.UTC(2026, 0, 1, 0, 0, N - i)).toISOString(), author: 'big@example.com', source: 'upload',
  message: 'm'.repeat(100), bindings: [{ type: 'secret_text', name: 'S' }],
}));
export default () => ({
  name: 'big',
  capabilities: { secrets: true, versions: true, gradualDeployments: false, rollback: false, versionedSecrets: false },
  async listSecrets() { return [{ name: 'S', type: 'secret_text' }]; },
  async updateSecrets() { throw new Error('read-only'); },
  async listVersions(_t, o) { return o?.limit ? versions.slice(0, o.limit) : versions; },
  async getVersion(_t, id) { return versions.find((v) => v.id === id); },
  async uploadVersion() { throw new Error('read-only'); },
  async listDeployments() { return [{ id: 'd1', createdOn: versions[0].createdOn, versions: [{ versionId: versions[0].id, percentage: 100 }] }]; },
  async deploy() { throw new Error('read-only'); },
  // BIG_CRASH: after the command printed everything, a timer of the plugin throws (the crash
  // handlers end the process) while close() never settles.
  close() {
    if (!process.env.BIG_CRASH) return Promise.resolve();
    setTimeout(() => { throw new Error('boom from a timer'); }, 0);
    return new Promise(() => {});
  },
});
`;

function project(): TempProject {
  const p = makeTempProject();
  writeFileSync(join(p.dir, 'big.mjs'), PLUGIN);
  return p;
}

interface ShellResult {
  code: number | null;
  stdout: string;
  stderr: string;
  killedByTimeout: boolean;
}

/** `sh -c script` in the project, with MYCLI pointing at the built binary. Killed after `timeoutMs` (a safety net). */
function sh(p: TempProject, script: string, env: Record<string, string> = {}, timeoutMs = 60_000): Promise<ShellResult> {
  const child = spawn('sh', ['-c', script], {
    cwd: p.dir,
    env: { ...p.env, ...env, MYCLI: `${process.execPath} ${BIN} --backend ./big.mjs` /* word-split by sh: paths without spaces */ },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (b) => (stdout += b));
  child.stderr.on('data', (b) => (stderr += b));
  let killedByTimeout = false;
  const timer = setTimeout(() => {
    killedByTimeout = true;
    process.kill(-child.pid!, 'SIGKILL');
  }, timeoutMs);
  return new Promise((resolve) =>
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, killedByTimeout });
    }),
  );
}

/** A slow reader at the end of a real pipe: it reads nothing for a second (the pipe fills at 64 KiB), then all. */
const SLOW = '(sleep 1; cat)';

describe('output reaches a pipe whole (issue 16 item 2)', () => {
  it('versions list --json at 300 versions: the same bytes to a file, through a pipe to a slow reader, through cat and in $(…)', { timeout: 180_000 }, async () => {
    const p = project();
    const file = await sh(p, '$MYCLI versions list --json > out.json; echo "exit $?"');
    expect(file.stdout.trim(), file.stderr).toBe('exit 0');
    const whole = readFileSync(join(p.dir, 'out.json'));
    expect(whole.length).toBeGreaterThan(65_536 + 30_000);
    expect(JSON.parse(whole.toString('utf8')).versions).toHaveLength(300);

    const slow = await sh(p, `{ $MYCLI versions list --json; echo $? > status.txt; } | ${SLOW}`);
    expect(readFileSync(join(p.dir, 'status.txt'), 'utf8').trim(), slow.stderr).toBe('0');
    expect(Buffer.from(slow.stdout, 'utf8').equals(whole)).toBe(true);

    const piped = await sh(p, 'set -e; $MYCLI versions list --json | cat | wc -c');
    expect(Number(piped.stdout.trim()), piped.stderr).toBe(whole.length);

    const captured = await sh(p, 'out=$($MYCLI versions list --json); printf "%s\\n" "$out" | wc -c');
    expect(Number(captured.stdout.trim()), captured.stderr).toBe(whole.length);
  });

  it('versions list | wc -l at 2,000 versions: every row', { timeout: 180_000 }, async () => {
    const p = project();
    const r = await sh(p, '$MYCLI versions list | wc -l', { BIG_N: '2000' });
    expect(Number(r.stdout.trim()), r.stderr).toBe(2_001);
  });

  it('a crash after the output (a plugin timer throwing): the whole output, then the one error line, exit 1', { timeout: 180_000 }, async () => {
    const p = project();
    const r = await sh(p, `{ $MYCLI versions list --json; echo $? > status.txt; } | ${SLOW}`, { BIG_CRASH: '1', BIG_N: '2000' });
    expect(readFileSync(join(p.dir, 'status.txt'), 'utf8').trim()).toBe('1');
    expect(r.stderr).toMatch(/unexpected failure: .*boom from a timer/);
    expect(JSON.parse(r.stdout).versions).toHaveLength(2_000);
  });

  it('a reader that goes away (| head -1) ends mycli promptly, quietly, with the command\'s exit code', { timeout: 180_000 }, async () => {
    const p = project();
    const r = await sh(p, '$MYCLI versions list | head -1; echo "pipe ${?}"; $MYCLI versions list --json 2>err.txt | head -c 10 >/dev/null; echo "json $?"; cat err.txt', { BIG_N: '2000' });
    expect(r.killedByTimeout).toBe(false);
    expect(r.stdout).toMatch(/^VERSION ID/);
    expect(r.stdout).toMatch(/pipe 0\n/);
    expect(r.stdout).toMatch(/json 0\n/);
    expect(r.stdout + r.stderr).not.toMatch(/EPIPE|unexpected failure/);
    // mycli's own status in the pipeline (PIPESTATUS is bash's; ask for it through a file).
    const status = await sh(p, '{ $MYCLI versions list; echo $? > status.txt; } | head -1 >/dev/null', { BIG_N: '2000' });
    expect(status.killedByTimeout).toBe(false);
    expect(readFileSync(join(p.dir, 'status.txt'), 'utf8').trim()).toBe('0');
  });
});
