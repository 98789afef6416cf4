/**
 * Helpers for the store's concurrency tests: processes that stop themselves (SIGSTOP) at a point
 * of the commit (the test-only MYCLI_TEST_PAUSE_* hooks of src/backends/local/store.ts), and a
 * check that a store's history is consistent.
 */
import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import { readState, sleep, type BinResult, type TempProject } from './helpers.js';

/** The state letter of a process (R, S, T for stopped, Z...), or undefined when it is gone. */
export function procState(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
  } catch {
    return undefined;
  }
}

/** Poll until the process is stopped (bounded by count: 3000 polls of 20 ms, a safety net). */
export async function waitStopped(pid: number): Promise<void> {
  for (let i = 0; i < 3000; i++) {
    const s = procState(pid);
    if (s === 'T' || s === 't') return;
    if (s === undefined || s === 'Z') throw new Error(`process ${pid} exited before it stopped`);
    await sleep(20);
  }
  throw new Error(`process ${pid} never stopped`);
}

export interface Paused {
  pid: number;
  /** Resume it and wait for its end. */
  resume(): Promise<BinResult>;
  kill(): Promise<BinResult>;
}

/** Start `args` with the hook `hook` set; resolves once it has stopped itself there. */
export async function startPaused(p: TempProject, args: string[], hook: 'MYCLI_TEST_PAUSE_BEFORE_COMMIT' | 'MYCLI_TEST_PAUSE_IN_COMMIT', o: { input?: string; env?: Record<string, string> } = {}): Promise<Paused> {
  const child = p.spawn(args, { env: { ...o.env, [hook]: '1' } });
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  child.stdout!.on('data', (b: Buffer) => out.push(b));
  child.stderr!.on('data', (b: Buffer) => err.push(b));
  child.stdin!.on('error', () => undefined);
  child.stdin!.end(o.input ?? '');
  const done = new Promise<BinResult>((resolve) =>
    child.on('close', (code, signal) => {
      const stdout = Buffer.concat(out).toString('utf8');
      const stderr = Buffer.concat(err).toString('utf8');
      resolve({ code, signal, stdout, stderr, all: stdout + stderr, ms: 0, killedByTimeout: false, json: () => JSON.parse(stdout) });
    }),
  );
  const stopped = waitStopped(child.pid!);
  const early = done.then((r) => {
    throw new Error(`it ended before stopping (exit ${r.code}): ${r.stderr}`);
  });
  await Promise.race([stopped, early]);
  early.catch(() => undefined);
  return {
    pid: child.pid!,
    resume: async () => {
      process.kill(child.pid!, 'SIGCONT');
      return done;
    },
    kill: async () => {
      process.kill(child.pid!, 'SIGKILL');
      return done;
    },
  };
}

/**
 * The history on disk is consistent: versions numbered 1..n without gaps, each deployment names
 * versions that exist with percentages summing to 100. Returns the Worker's state.
 */
export function expectConsistent(p: TempProject, worker = 'e2e-worker') {
  const w = readState(p).workers[worker];
  expect(w, `Worker ${worker} is in the store`).toBeDefined();
  expect(w.versions.map((v) => v.number)).toEqual(w.versions.map((_, i) => i + 1));
  const ids = new Set(w.versions.map((v) => v.id));
  for (const d of w.deployments) {
    for (const dv of d.versions) expect(ids.has(dv.versionId), `deployment ${d.id} names version ${dv.versionId}`).toBe(true);
    expect(d.versions.reduce((a, v) => a + v.percentage, 0)).toBe(100);
  }
  return w;
}

export function secretNames(v: { bindings: { type: string; name: string }[] }): string[] {
  return v.bindings.filter((b) => b.type === 'secret_text').map((b) => b.name).sort();
}
