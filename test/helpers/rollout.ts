/**
 * In-process runs of `versions rollout` with injected time and signals: a virtual clock (waits
 * pass at once, gate time-outs fire only when the test says so), a fake Ctrl-C / SIGTERM
 * source, and a fixed rollout id. Errors become exit codes and output as in main().
 */
import { Writable, Readable } from 'node:stream';
import { existsSync, readFileSync } from 'node:fs';
import { Context, type GlobalOptions, type InjectedBackend } from '../../src/cli/context.js';
import type { IO } from '../../src/io/io.js';
import { isMycliError } from '../../src/errors.js';
import { run as rollout, type RolloutFlags } from '../../src/commands/versions/rollout/run.js';
import { run as status } from '../../src/commands/versions/rollout/status.js';
import type { RolloutDeps, StopSignal } from '../../src/commands/versions/rollout/deps.js';
import type { Project } from './cli.js';

class Sink extends Writable {
  text = '';
  _write(chunk: Buffer, _enc: BufferEncoding, cb: () => void) {
    this.text += chunk.toString('utf8');
    cb();
  }
}

export const ROLLOUT_ID = 'abcdef12';

export interface FakeWorld {
  deps: RolloutDeps;
  /** Every wait the rollout slept, in ms (virtual). */
  waits: number[];
  /** Virtual time now. */
  now(): number;
  /** Deliver Ctrl-C (SIGINT) or SIGTERM to the rollout. */
  emit(sig: StopSignal): void;
}

export interface WorldHooks {
  /** Called before each wait tick (index from 0); may act (deploy, emit a signal). */
  onWait?: (index: number, ms: number) => void | Promise<void>;
  /** A gate's time-out: resolve to make it fire. Default: it never fires. */
  onTimeout?: (ms: number) => Promise<void>;
}

export function fakeWorld(h: WorldHooks = {}): FakeWorld {
  let now = Date.parse('2026-06-01T00:00:00Z');
  const waits: number[] = [];
  const handlers = new Set<(s: StopSignal) => void>();
  const aborted = (signal: AbortSignal) => new Promise<void>((resolve) => (signal.aborted ? resolve() : signal.addEventListener('abort', () => resolve(), { once: true })));
  const world: FakeWorld = {
    waits,
    now: () => now,
    emit: (sig) => {
      for (const f of [...handlers]) f(sig);
    },
    deps: {
      clock: {
        now: () => now,
        async sleep(ms, signal, purpose) {
          if (signal.aborted) return;
          if (purpose === 'wait') {
            const i = waits.length;
            waits.push(ms);
            await h.onWait?.(i, ms);
            if (!signal.aborted) now += ms;
            return;
          }
          await Promise.race([h.onTimeout ? h.onTimeout(ms) : new Promise<void>(() => undefined), aborted(signal)]);
          if (!signal.aborted) now += ms;
        },
      },
      signals: {
        subscribe(f) {
          handlers.add(f);
          return () => handlers.delete(f);
        },
      },
      randomId: () => `${ROLLOUT_ID}-0000-4000-8000-000000000000`,
      fetch: (...a) => globalThis.fetch(...a),
    },
  };
  return world;
}

export interface InProcessResult {
  code: number;
  stdout: string;
  stderr: string;
  all: string;
  json<T = any>(): T;
}

/** How a rollout command runs in-process: output format, terminal, backend, target. */
export interface InProcessOptions {
  json?: boolean;
  yes?: boolean;
  tty?: boolean;
  backend?: string;
  env?: Record<string, string>;
  /** A backend given instead of the one the spec names (e.g. one with a traffic model). */
  inject?: InjectedBackend;
  debug?: boolean;
  /** `-c` / `--env` as given on the command line. */
  config?: string;
  targetEnv?: string;
}

/** A rollout command run in-process against project `p`: `run` gets a Context on sinks; a failure is printed and becomes its exit code, as in main(). */
async function inProcess(p: Project, o: InProcessOptions, run: (ctx: Context) => Promise<void>): Promise<InProcessResult> {
  const stdout = new Sink();
  const stderr = new Sink();
  const io: IO = {
    stdin: Readable.from([]),
    stdout,
    stderr,
    stdinIsTTY: Boolean(o.tty),
    stdoutIsTTY: Boolean(o.tty),
    stderrIsTTY: Boolean(o.tty),
    env: { PATH: process.env.PATH, ...p.env, ...o.env },
    cwd: p.dir,
    prompter: {
      password: () => Promise.reject(new Error('unexpected prompt')),
      confirm: () => Promise.reject(new Error('unexpected prompt')),
      select: () => Promise.reject(new Error('unexpected prompt')),
      input: () => Promise.reject(new Error('unexpected prompt')),
    },
  };
  const globals: GlobalOptions = { json: Boolean(o.json), color: false, yes: o.yes ?? true, debug: Boolean(o.debug), backend: o.backend, config: o.config, env: o.targetEnv };
  const ctx = await Context.create(io, globals, { backend: o.inject });
  let code = 0;
  try {
    await run(ctx);
  } catch (e) {
    ctx.out.error(e);
    code = isMycliError(e) ? e.exitCode : 1;
  } finally {
    const b = await ctx.backendIfLoaded();
    await b?.close?.().catch(() => undefined);
  }
  return {
    code,
    stdout: stdout.text,
    stderr: stderr.text,
    all: stdout.text + stderr.text,
    json: () => JSON.parse(stdout.text),
  };
}


/** Run `versions rollout` in-process against project `p` with the world's deps. */
export function runRollout(p: Project, flags: RolloutFlags, world: FakeWorld, o: InProcessOptions = {}): Promise<InProcessResult> {
  return inProcess(p, o, (ctx) => rollout(ctx, flags, world.deps));
}

/** Run `versions rollout status` in-process against project `p`, at the time `clock` gives. */
export function runRolloutStatus(p: Project, clock: { now(): number }, o: InProcessOptions = {}): Promise<InProcessResult> {
  return inProcess(p, o, (ctx) => status(ctx, { clock }));
}

/** Wait (bounded by attempts, not by a clock) until `file` exists. */
export async function until(cond: () => boolean, what: string, attempts = 2000): Promise<void> {
  for (let i = 0; i < attempts; i++) {
    if (cond()) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`gave up waiting for ${what}`);
}

export const fileExists = (path: string) => () => existsSync(path) && readFileSync(path, 'utf8').trim() !== '';

/** Gone, or a zombie waiting to be reaped (it runs nothing any more). */
export function processGone(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return true;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return / Z /.test(stat.slice(stat.lastIndexOf(')')));
  } catch {
    return true;
  }
}
