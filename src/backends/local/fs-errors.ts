/**
 * A failed write to the local store, named: the folder, the cause in words and its code, and what
 * to do. A read-only file system, a folder this user may not write, a full
 * disk are the user's to fix, not "unexpected failures" to report. Node reports some of them
 * indirectly (a recursive mkdir on a read-only mount fails with ENOENT): the folder is probed for
 * the real cause.
 */
import { accessSync, constants, existsSync } from 'node:fs';
import { dirname } from 'node:path';
import { isMycliError, OperationError } from '../../errors.js';

const CAUSES: Record<string, string> = {
  EROFS: 'the file system is read-only',
  EACCES: 'this user may not write there',
  EPERM: 'this user may not write there',
  ENOSPC: 'the disk is full',
  EDQUOT: 'the disk quota is used up',
  EFBIG: 'a file would pass the size limit (ulimit -f)',
  ENOENT: 'a folder of it is missing',
  ENOTDIR: 'a part of its path is not a folder',
};

/** The code of why `dir` (or its nearest existing parent) cannot be written, if it cannot. */
function probe(dir: string): string | undefined {
  let d = dir;
  while (!existsSync(d) && dirname(d) !== d) d = dirname(d);
  try {
    accessSync(d, constants.W_OK);
    return undefined;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code;
  }
}

/** The code of a failed write in `dir`, probed when Node's own is indirect. */
export function writeCode(dir: string, e: unknown): string {
  const code = (e as NodeJS.ErrnoException)?.code ?? String((e as Error)?.message ?? e);
  return ['ENOENT', 'EACCES', 'EPERM', 'EROFS'].includes(code) ? (probe(dir) ?? code) : code;
}

/** `cannot write <what> <dir>: <cause> (<CODE>); <outcome>`, with a hint for that cause. mycli's own errors pass as they are. */
export function writeError(what: string, dir: string, e: unknown, outcome = 'nothing was committed'): OperationError {
  if (isMycliError(e)) return e as OperationError;
  const code = writeCode(dir, e);
  const cause = CAUSES[code] ?? 'the write failed';
  const hint =
    code === 'EROFS'
      ? `mount it read-write, or set MYCLI_STATE_DIR to a writable folder; the previous state is intact`
      : code === 'EACCES' || code === 'EPERM'
        ? `check the owner and mode of ${dir} (ls -ld ${dir}), or set MYCLI_STATE_DIR to a folder you can write; the previous state is intact`
        : code === 'ENOSPC' || code === 'EDQUOT' || code === 'EFBIG'
          ? 'free some disk space and run the command again; the previous state is intact'
          : 'the previous state is intact; check free disk space and permissions';
  return new OperationError(`cannot write ${what} ${dir}: ${cause} (${code}); ${outcome}`, { hint, cause: e });
}
