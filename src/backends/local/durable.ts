/**
 * What makes local writes safe, loaded only by commands that change the store:
 * - `lock`: proper-lockfile, an inter-process lock directory with stale detection (a holder
 *   refreshes its mtime; a killed holder's lock is taken over once stale);
 * - `writeAtomic`: temp file in the same folder, fsync, rename over the target, fsync the folder.
 *   A crash at any point leaves the old file or the new one, never a mix. (Written here rather
 *   than with write-file-atomic: that package does not fsync the folder, which a power cut
 *   needs, and it loads worker_threads and signal-exit at start-up.)
 */
import { randomBytes } from 'node:crypto';
import { open, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import * as lockfile from 'proper-lockfile';

// Named export under Node; only `default` when bundled (a CommonJS module in an ESM bundle).
type LockfileModule = typeof lockfile & { default?: typeof lockfile };
export const lock: typeof lockfile.lock = (lockfile as LockfileModule).lock ?? (lockfile as LockfileModule).default!.lock;

export async function writeAtomic(file: string, data: string | Uint8Array, mode = 0o600): Promise<void> {
  const dir = dirname(file);
  const tmp = join(dir, `.${basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  let done = false;
  try {
    const handle = await open(tmp, 'wx', mode);
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(tmp, file);
    done = true;
    // The rename itself must survive a power cut: fsync the folder (not possible everywhere).
    const d = await open(dir, 'r').catch(() => undefined);
    if (d) await d.sync().catch(() => undefined).finally(() => d.close());
  } finally {
    if (!done) await unlink(tmp).catch(() => undefined);
  }
}
