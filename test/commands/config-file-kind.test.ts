/**
 * --config names a bounded regular file (issue 16 item 9): a FIFO used to hang, /dev/zero was read
 * for ~0.5 GB and then printed "(undefined)". Each is a clear exit-2 error naming the path.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeProject } from '../helpers/cli.js';
import { storeExists } from '../helpers/local-store.js';
import { makeTempProject } from '../e2e/helpers.js';

describe('--config: a bounded regular file', () => {
  it('a FIFO: exit 2, "is not a regular file", at once (nobody ever writes to it)', { timeout: 60_000 }, async () => {
    const p = makeProject();
    const fifo = join(p.dir, 'wrangler.fifo.toml');
    execFileSync('mkfifo', [fifo]);
    const r = await p.run(['secret', 'list', '--config', fifo]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`config file ${fifo} is not a regular file (a FIFO)`);
    expect(storeExists(p)).toBe(false);
  });

  it('/dev/zero and a directory: exit 2, not a regular file', async () => {
    const p = makeProject();
    for (const [path, kind] of [['/dev/zero', 'a character device'], [p.dir, 'a directory']] as const) {
      const r = await p.run(['secret', 'list', '--config', path]);
      expect(r.code, path).toBe(2);
      expect(r.stderr).toContain(`config file ${path} is not a regular file (${kind})`);
      expect(r.all).not.toContain('undefined');
    }
  });

  it('a file larger than 4 MiB: exit 2 naming the size limit', async () => {
    const p = makeProject();
    const big = join(p.dir, 'big.toml');
    writeFileSync(big, 'name = "x"\n' + '#'.repeat(4 * 1024 * 1024) + '\n');
    const r = await p.run(['secret', 'list', '--config', big]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`config file ${big} is larger than 4 MiB`);
  });

  it('the built binary on a FIFO: exit 2 promptly instead of hanging', { timeout: 120_000 }, async () => {
    const p = makeTempProject();
    const fifo = join(p.dir, 'wrangler.fifo.toml');
    execFileSync('mkfifo', [fifo]);
    const r = await p.run(['secret', 'list', '--config', fifo], { timeoutMs: 60_000 });
    expect(r.killedByTimeout).toBe(false);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/is not a regular file/);
  });
});
