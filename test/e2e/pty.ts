/**
 * Runs the built binary in a REAL pseudo-terminal, driven by python3's `pty` module
 * (pty-run.py): node-pty would need a native build. Shared by the prompt and picker tests.
 * The driver's safety timeouts (60 s per expect, 90 s per run) are left at its generous
 * defaults: the machine may be busy.
 */
import { execFileSync, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { BIN, type TempProject } from './helpers.js';

const DRIVER = fileURLToPath(new URL('./pty-run.py', import.meta.url));

/** python3 with its pty module (Debian's, on every machine of this project). */
export const hasPython = (() => {
  try {
    execFileSync('python3', ['-c', 'import pty'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

export type Step = { expect: string } | { send: string } | { sleep: number };

export interface PtyResult {
  output: string;
  exit: number;
  timedOut: boolean;
  failedExpect: string | null;
}

/** `mycli ...args` on a terminal, with the project's env without CI (interactive = TTY + no CI), plus `env`. */
export function runInPty(p: TempProject, args: string[], steps: Step[], env: Record<string, string> = {}): Promise<PtyResult> {
  return runCommandInPty(p, [process.execPath, BIN, ...args], steps, env);
}

/** Any command (an interactive shell, say) on a terminal, in the project's folder, with its env as runInPty. */
export function runCommandInPty(p: TempProject, command: string[], steps: Step[], env: Record<string, string> = {}): Promise<PtyResult> {
  return new Promise((resolve, reject) => {
    const childEnv: Record<string, string> = { ...p.env, TERM: 'xterm' };
    delete childEnv.CI;
    Object.assign(childEnv, env);
    const py = spawn('python3', [DRIVER, JSON.stringify(steps), '--', ...command], { cwd: p.dir, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    py.stdout.on('data', (b: Buffer) => out.push(b));
    py.stderr.on('data', (b: Buffer) => err.push(b));
    py.on('error', reject);
    py.on('close', (code) => {
      if (code !== 0) return reject(new Error(`pty driver failed (${code}): ${Buffer.concat(err).toString()}`));
      const r = JSON.parse(Buffer.concat(out).toString()) as PtyResult;
      resolve({ ...r, output: Buffer.from(r.output, 'base64').toString('utf8') });
    });
  });
}
