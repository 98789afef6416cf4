/**
 * Reading a config file: a regular file of at most CONFIG_MAX_BYTES, or a clear exit-2 error
 * naming the path: unbounded, `--config` on a FIFO would wait forever for a writer, and on
 * /dev/zero read ~0.5 GB before failing without a word. The file is opened without blocking (a
 * FIFO opens at once), checked on the opened handle (no race with a rename), and read up to the
 * limit only.
 */
import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import { ConfigError } from '../errors.js';

/** wrangler configs are a few KiB; 4 MiB leaves room for very large [vars]. */
export const CONFIG_MAX_BYTES = 4 * 1024 * 1024;

const HINT = 'check the path given to --config: it must name a wrangler.toml / wrangler.json(c) file';

function kindOf(st: import('node:fs').Stats): string {
  if (st.isDirectory()) return 'a directory';
  if (st.isFIFO()) return 'a FIFO';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isSocket()) return 'a socket';
  return 'not a file';
}

export async function readConfigFile(configPath: string): Promise<string> {
  let handle: import('node:fs/promises').FileHandle;
  try {
    handle = await open(configPath, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new ConfigError(code === 'ENOENT' ? `config file ${configPath} does not exist` : `cannot read config file ${configPath} (${code})`, { hint: HINT });
  }
  try {
    const st = await handle.stat();
    if (!st.isFile()) throw new ConfigError(`config file ${configPath} is not a regular file (${kindOf(st)})`, { hint: HINT });
    const limit = `config file ${configPath} is larger than ${CONFIG_MAX_BYTES / 1024 / 1024} MiB`;
    if (st.size > CONFIG_MAX_BYTES) throw new ConfigError(limit, { hint: HINT });
    // Read at most one byte more than the limit: a file that grows while read is still bounded.
    // The buffer starts at the size stat saw (not the 4 MiB limit: zero-filling that on every
    // start-up cost time and memory) and grows, up to the limit, if the file grows meanwhile.
    let buf = Buffer.allocUnsafe(Math.min(st.size, CONFIG_MAX_BYTES) + 1);
    let n = 0;
    for (;;) {
      if (n === buf.length) {
        const bigger = Buffer.allocUnsafe(Math.min(buf.length * 2, CONFIG_MAX_BYTES + 1));
        buf.copy(bigger, 0, 0, n);
        buf = bigger;
      }
      const { bytesRead } = await handle.read(buf, n, buf.length - n, null);
      if (bytesRead === 0) break;
      n += bytesRead;
      if (n > CONFIG_MAX_BYTES) throw new ConfigError(limit, { hint: HINT });
    }
    return buf.subarray(0, n).toString('utf8');
  } catch (e) {
    if (e instanceof ConfigError) throw e;
    throw new ConfigError(`cannot read config file ${configPath} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`, { hint: HINT });
  } finally {
    await handle.close().catch(() => undefined);
  }
}
