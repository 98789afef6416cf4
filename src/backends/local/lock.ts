/**
 * The store's inter-process lock: a file created whole with link() (so it never exists half
 * written) holding the holder's pid, host, process start time and a random token.
 *
 * Why not proper-lockfile: it decides a lock is stale by age (mtime not refreshed for 4 s), so a
 * holder that is merely paused (SIGSTOP, a closed laptop lid, a long synchronous step) loses its
 * lock while it still believes it holds it. Here a lock is taken over only when its holder is
 * provably gone: same host and no process with that pid (or a pid reused by a process that
 * started at another time). A live holder is waited for, up to a timeout, then the command fails
 * with exit 5 and writes nothing; a lock of another host is never taken.
 *
 * The lock keeps writers from racing; it is not what makes a commit safe. Commits are fenced by
 * the store's compare-and-set on the generation (store.ts), so even a wrongly taken lock cannot
 * make a writer overwrite another's commit.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync, readlinkSync } from 'node:fs';
import { link, readFile, unlink } from 'node:fs/promises';
import { hostname } from 'node:os';
import { dirname } from 'node:path';
import { ConflictError, OperationError } from '../../errors.js';
import { writeTemp } from './durable.js';
import { writeError } from './fs-errors.js';

interface Holder {
  pid: number;
  host: string;
  start?: string;
  /** The holder's PID namespace (Linux: readlink /proc/self/ns/pid, "pid:[4026531836]"). */
  ns?: string;
  token: string;
}

let ownStart: string | undefined | null = null;
let ownNs: string | undefined | null = null;

/** This process's PID namespace, where the system shows it. */
function pidNamespace(): string | undefined {
  if (ownNs === null) {
    try {
      ownNs = readlinkSync('/proc/self/ns/pid');
    } catch {
      ownNs = undefined;
    }
  }
  return ownNs;
}

/** The start time of a process (Linux: field 22 of /proc/<pid>/stat), to tell a reused pid apart. */
function startOf(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

/**
 * Whether the holder is provably gone. Its pid means something only on this host and in this
 * PID namespace: a holder in another namespace (a container sharing the folder and the host
 * name) is never judged from here, so it is alive until it releases its lock.
 */
function holderIsGone(h: Holder): boolean {
  if (h.host !== hostname()) return false;
  if (h.ns !== undefined && h.ns !== pidNamespace()) return false;
  if (!Number.isInteger(h.pid) || h.pid <= 0) return true;
  try {
    process.kill(h.pid, 0);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ESRCH') return true;
    return false; // EPERM: it exists, as another user
  }
  if (h.start !== undefined) {
    const now = startOf(h.pid);
    if (now !== undefined && now !== h.start) return true; // the pid now belongs to another process
  }
  return false;
}

async function readHolder(file: string): Promise<Holder | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    // Not a file mycli made (a folder, a device), or one it may not read: named, never waited on
    // as "process 0" nor removed (mycli removes only lock files it can read as a dead holder's).
    throw new OperationError(
      code === 'EISDIR' ? `the lock ${file} is a folder, not a lock file: mycli never makes one` : `cannot read the lock ${file} (${code})`,
      { hint: code === 'EISDIR' ? `if no mycli is running on this store, remove it (rmdir ${file}); nothing was written` : 'check the permissions of that file; nothing was written' },
    );
  }
  try {
    const h = JSON.parse(text) as Holder;
    if (h && typeof h.token === 'string') return h;
  } catch {
    // below
  }
  // Not JSON: not written by this mycli (the lock is always created whole); treat as gone.
  return { pid: 0, host: hostname(), token: 'unreadable' };
}

function describeHolder(h: Holder | undefined): string {
  if (!h) return 'another mycli process';
  if (h.host !== hostname()) return `process ${h.pid} on ${h.host}`;
  if (h.ns !== undefined && h.ns !== pidNamespace()) return `process ${h.pid} of another PID namespace (${h.ns}: a container?)`;
  return `process ${h.pid}`;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function lockTimeoutMs(env: Record<string, string | undefined>): number {
  const s = Number(env.MYCLI_LOCK_TIMEOUT);
  return Number.isFinite(s) && s > 0 ? s * 1000 : 15_000;
}

/** Take the lock at `file`; resolves to its release. */
export async function acquireLock(file: string, timeoutMs: number): Promise<() => Promise<void>> {
  if (ownStart === null) ownStart = startOf(process.pid);
  const me: Holder = { pid: process.pid, host: hostname(), start: ownStart, ns: pidNamespace(), token: randomBytes(12).toString('hex') };
  const tmp = await writeTemp(file, JSON.stringify(me) + '\n', 0o600).catch((e) => {
    throw writeError('the lock of the local store', dirname(file), e, 'nothing was written');
  });
  const deadline = Date.now() + timeoutMs;
  let delay = 2;
  let last: Holder | undefined;
  try {
    for (;;) {
      try {
        await link(tmp, file);
        break;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw writeError('the lock of the local store', dirname(file), e, 'nothing was written');
      }
      const holder = await readHolder(file);
      if (holder && holderIsGone(holder) && (await breakLock(file, holder))) continue;
      last = holder ?? last;
      if (Date.now() >= deadline) {
        const who = describeHolder(last);
        throw new ConflictError(`the local store is busy: ${who} holds its lock; nothing was written`, {
          hint: `try again when it is done; if that process is gone for good, remove ${file} (MYCLI_LOCK_TIMEOUT sets the wait, in seconds)`,
        });
      }
      await sleep(delay + Math.random() * delay);
      delay = Math.min(delay * 2, 40);
    }
  } finally {
    await unlink(tmp).catch(() => undefined);
  }
  return async () => {
    const h = await readHolder(file).catch(() => undefined);
    if (h?.token === me.token) await unlink(file).catch(() => undefined);
  };
}

/**
 * Remove the lock of a dead holder. Breakers take turns (a guard file beside the lock, created
 * whole like the lock and held for a moment only), and under the guard the lock is removed only
 * if it still holds the dead holder's token. Only breakers ever remove a dead holder's lock, so
 * between that check and the removal no live holder's lock can have taken its place. (Moving the
 * lock aside first and putting it back when it is not the dead one's would not do: it could move
 * a live holder's fresh lock away while a third process took the free name: two holders.)
 * Returns true when the lock was removed.
 */
async function breakLock(file: string, dead: Holder): Promise<boolean> {
  const guard = `${file}.break`;
  const me: Holder = { pid: process.pid, host: hostname(), start: ownStart ?? undefined, ns: pidNamespace(), token: randomBytes(12).toString('hex') };
  const tmp = await writeTemp(guard, JSON.stringify(me) + '\n', 0o600);
  try {
    try {
      await link(tmp, guard);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') return false;
      // Another breaker is at it. One that died there leaves its guard: remove that one.
      const other = await readHolder(guard);
      if (other && holderIsGone(other)) {
        const again = await readHolder(guard);
        if (again?.token === other.token) await unlink(guard).catch(() => undefined);
      }
      return false;
    }
    try {
      const now = await readHolder(file);
      if (!now || now.token !== dead.token) return false; // released, or already someone else's
      await unlink(file);
      return true;
    } catch {
      return false;
    } finally {
      const g = await readHolder(guard);
      if (g?.token === me.token) await unlink(guard).catch(() => undefined);
    }
  } finally {
    await unlink(tmp).catch(() => undefined);
  }
}
