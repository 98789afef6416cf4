/**
 * Health gates of a rollout step: a shell command (`--check`) and HTTP samples with the
 * version-override header (`--check-url`). A gate never hangs the rollout: each has a time-out,
 * after which a command is killed with its whole process group, and an interrupt stops it too.
 */
import type { Clock } from './deps.js';
import { redactor, rememberCredentials, WITHHELD_FROM_CHILDREN } from '../../../redact.js';

export interface GateResult {
  kind: 'check' | 'check-url';
  ok: boolean;
  /** One short line: "exit 0", "timed out after 30s", "5/5 samples 2xx", "sample 2/5: HTTP 503". */
  detail: string;
  /** The tail of what the gate printed (for a failure report; redact before showing). */
  output?: string;
}

export interface GateContext {
  worker: string;
  version: string;
  stable: string;
  percent: number;
  clock: Clock;
  /** Aborted on Ctrl-C / SIGTERM: the gate stops at once. */
  signal: AbortSignal;
  timeoutMs: number;
  /** Credentials passed to a `--check` on purpose (`--check-env`); the others are withheld. */
  passEnv?: readonly string[];
}

/** Cloudflare's version-override header value: a structured-header dictionary `<worker>="<id>"`. */
export function overrideHeader(worker: string, versionId: string): string {
  return `${worker}="${versionId}"`;
}

const TAIL_BYTES = 2048;

/** Keep the last `max` bytes of a growing output. */
class Tail {
  private chunks: Buffer[] = [];
  private size = 0;
  push(b: Buffer): void {
    this.chunks.push(b);
    this.size += b.length;
    while (this.size - this.chunks[0].length >= TAIL_BYTES) this.size -= this.chunks.shift()!.length;
  }
  text(): string {
    const all = Buffer.concat(this.chunks);
    return all.subarray(Math.max(0, all.length - TAIL_BYTES)).toString('utf8');
  }
}

/** The environment a `--check` command sees, on top of mycli's own. */
export function checkEnv(g: Pick<GateContext, 'worker' | 'version' | 'stable' | 'percent'>): Record<string, string> {
  return {
    MYCLI_ROLLOUT_VERSION: g.version,
    MYCLI_ROLLOUT_STABLE: g.stable,
    MYCLI_ROLLOUT_PERCENT: String(g.percent),
    MYCLI_WORKER: g.worker,
    MYCLI_VERSION_OVERRIDE: overrideHeader(g.worker, g.version),
  };
}

/**
 * mycli's environment as a gate gets it: without mycli's credentials (WITHHELD_FROM_CHILDREN)
 * unless named in `pass` (`--check-env`). A gate is the user's script, but it need not hold the
 * keys of the store or the account to check health.
 */
export function gateEnv(env: Record<string, string | undefined>, pass: readonly string[] = []): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = { ...env };
  for (const name of WITHHELD_FROM_CHILDREN) if (!pass.includes(name)) delete out[name];
  return out;
}

function killGroup(pid: number | undefined): void {
  if (!pid) return;
  try {
    // detached: the shell leads its own process group; the minus sign reaches all of it.
    process.kill(process.platform === 'win32' ? pid : -pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

/** Run `command` through the shell; healthy when it exits 0 before the time-out. */
export async function runCheckCommand(
  command: string,
  g: GateContext,
  env: Record<string, string | undefined>,
  cwd: string,
): Promise<GateResult> {
  const { spawn } = await import('node:child_process');
  const tail = new Tail();
  const child = spawn(command, {
    shell: true,
    cwd,
    env: { ...gateEnv(env, g.passEnv), ...checkEnv(g) },
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group, so that a time-out or an interrupt kills everything it started
    // (and a Ctrl-C at the terminal reaches mycli, which decides).
    detached: process.platform !== 'win32',
  });
  child.stdout!.on('data', (b: Buffer) => tail.push(b));
  child.stderr!.on('data', (b: Buffer) => tail.push(b));
  const stopTimer = new AbortController();
  const onAbort = () => stopTimer.abort();
  g.signal.addEventListener('abort', onAbort, { once: true });

  type End = { how: 'exit'; code: number | null; sig: NodeJS.Signals | null } | { how: 'timeout' } | { how: 'interrupted' } | { how: 'error'; error: Error };
  const exited = new Promise<End>((resolve) => {
    child.once('error', (error) => resolve({ how: 'error', error }));
    child.once('exit', (code, sig) => {
      // Let the pipes drain (output written just before exit), but never wait on a background
      // process that keeps them open.
      let done = false;
      const finish = () => {
        if (done) return;
        done = true;
        resolve({ how: 'exit', code, sig });
      };
      child.once('close', finish);
      setTimeout(finish, 200).unref();
    });
  });
  const timedOut = g.clock.sleep(g.timeoutMs, stopTimer.signal, 'timeout').then((): End => (g.signal.aborted ? { how: 'interrupted' } : stopTimer.signal.aborted ? { how: 'interrupted' } : { how: 'timeout' }));
  const end = await Promise.race([exited, timedOut]);
  stopTimer.abort();
  g.signal.removeEventListener('abort', onAbort);
  // Whatever happened, nothing the check started outlives it.
  killGroup(child.pid);
  child.stdout!.destroy();
  child.stderr!.destroy();
  const output = tail.text();
  switch (end.how) {
    case 'exit':
      if (end.code === 0) return { kind: 'check', ok: true, detail: 'exit 0', output };
      return { kind: 'check', ok: false, detail: end.code !== null ? `exit ${end.code}` : `killed by ${end.sig}`, output };
    case 'timeout':
      return { kind: 'check', ok: false, detail: `timed out after ${seconds(g.timeoutMs)}; killed`, output };
    case 'interrupted':
      return { kind: 'check', ok: false, detail: 'interrupted; killed', output };
    case 'error':
      return { kind: 'check', ok: false, detail: `could not start: ${end.error.message}`, output };
  }
}

/** `samples` GETs of `url` carrying the version override for the target; every one must be 2xx. */
export async function runCheckUrl(url: string, samples: number, g: GateContext, fetchFn: typeof fetch): Promise<GateResult> {
  const header = overrideHeader(g.worker, g.version);
  for (let i = 1; i <= samples; i++) {
    if (g.signal.aborted) return { kind: 'check-url', ok: false, detail: `interrupted at sample ${i}/${samples}` };
    const ac = new AbortController();
    const onAbort = () => ac.abort();
    g.signal.addEventListener('abort', onAbort, { once: true });
    const stopTimer = new AbortController();
    let timedOut = false;
    void g.clock.sleep(g.timeoutMs, stopTimer.signal, 'timeout').then(() => {
      if (!stopTimer.signal.aborted) {
        timedOut = true;
        ac.abort();
      }
    });
    try {
      const res = await fetchFn(url, {
        method: 'GET',
        headers: { 'Cloudflare-Workers-Version-Overrides': header, 'user-agent': 'mycli-rollout' },
        signal: ac.signal,
      });
      const body = await res.text();
      if (res.status < 200 || res.status > 299) {
        return { kind: 'check-url', ok: false, detail: `sample ${i}/${samples}: HTTP ${res.status}`, output: body.slice(-TAIL_BYTES) };
      }
    } catch (e) {
      const why = g.signal.aborted ? 'interrupted' : timedOut ? `timed out after ${seconds(g.timeoutMs)}` : describeFetchError(e);
      return { kind: 'check-url', ok: false, detail: `sample ${i}/${samples}: ${why}` };
    } finally {
      stopTimer.abort();
      g.signal.removeEventListener('abort', onAbort);
    }
  }
  return { kind: 'check-url', ok: true, detail: `${samples}/${samples} samples 2xx` };
}

function describeFetchError(e: unknown): string {
  const err = e as { message?: string; cause?: { code?: string; message?: string } };
  return err.cause?.code ?? err.cause?.message ?? err.message ?? String(e);
}

function seconds(ms: number): string {
  return `${+(ms / 1000).toFixed(3)}s`;
}

/**
 * Make gate output safe to show: every value the redactor knows (credentials, secret values)
 * becomes `[redacted]`, also when printed in pieces across lines, and control characters (terminal escapes) are dropped. The central redactor of
 * the output layer applies on top when it prints.
 */
export function cleanOutput(text: string, env: Record<string, string | undefined>): string {
  // The whole output at once, across its line breaks: a value printed in pieces shorter than
  // the redactor's 8-character window (`fold -w 7`) is still found.
  // main() has told the redactor the credentials already; this keeps the function whole on its own.
  rememberCredentials(env);
  let out = redactor.redactAcrossLines(text);
  // eslint-disable-next-line no-control-regex
  return out.replace(/\u001b\[[0-9;?]*[A-Za-z]/g, '').replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '');
}

/** The last `lines` lines of a text, trimmed. */
export function lastLines(text: string, lines = 10): string {
  const all = text.replace(/\s+$/, '').split('\n');
  return all.slice(-lines).join('\n');
}
