/**
 * What makes local writes safe, loaded only by commands that change the store:
 * - `writeImmutable`: temp file, fsync, then link() to its final name. link fails with EEXIST
 *   instead of replacing, so an immutable file is written once and never overwritten, and a
 *   name exists only once its content is complete and on disk. This is also the store's
 *   compare-and-set: `log/<generation>` can be created by one writer only.
 * - `writeAtomic`: temp file, fsync, rename over the target, fsync the folder (the HEAD hint).
 *   A crash at any point leaves the old file or the new one, never a mix.
 */
import { randomBytes } from 'node:crypto';
import { link, open, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

export async function writeTemp(file: string, data: string | Uint8Array, mode: number): Promise<string> {
  const tmp = join(dirname(file), `.${basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    const handle = await open(tmp, 'wx', mode);
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch (e) {
    await unlink(tmp).catch(() => undefined);
    throw e;
  }
  return tmp;
}

/** fsync a folder, so that a rename or link in it survives a power cut (not possible everywhere). */
export async function syncDir(dir: string): Promise<void> {
  const d = await open(dir, 'r').catch(() => undefined);
  if (d) await d.sync().catch(() => undefined).finally(() => d.close());
}

/**
 * Create `file` with `data`, complete and fsync'd, or not at all. Returns false when the name
 * already exists (its content is left as it is). The caller fsyncs the folder (once per batch).
 */
export async function writeImmutable(file: string, data: string | Uint8Array, mode = 0o600): Promise<boolean> {
  const tmp = await writeTemp(file, data, mode);
  try {
    await link(tmp, file);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw e;
  } finally {
    await unlink(tmp).catch(() => undefined);
  }
}

export async function writeAtomic(file: string, data: string | Uint8Array, mode = 0o600): Promise<void> {
  const tmp = await writeTemp(file, data, mode);
  let done = false;
  try {
    await rename(tmp, file);
    done = true;
    await syncDir(dirname(file));
  } finally {
    if (!done) await unlink(tmp).catch(() => undefined);
  }
}
