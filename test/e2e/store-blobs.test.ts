/**
 * Damaged blobs are named (issue 16, item 4): a write checks that every blob its new version
 * names is a regular file it can open; reads that touch a version (view, deploy, rollback, secret
 * list) name a missing blob (exit 1, the blob's path and the secret's name, never a value);
 * `mycli store verify` reads and opens every blob.
 */
import { mkdirSync, readdirSync, rmSync, symlinkSync, truncateSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { blobName } from '../../src/backends/local/crypto.js';
import { KEY_HEX, makeTempProject, readState, WORKER } from './helpers.js';

const key = Buffer.from(KEY_HEX, 'hex');
const blobFile = (dir: string, name: string, value: string) => {
  const h = blobName(key, WORKER, name, value);
  return join(dir, '.mycli', 'objects', h.slice(0, 2), h.slice(2));
};

async function twoSecrets() {
  const p = makeTempProject();
  for (const [n, v] of [['ALPHA', 'alpha-value-1'], ['BETA', 'beta-value-22']]) {
    const r = await p.run(['secret', 'put', n], { input: v });
    expect(r.code, r.stderr).toBe(0);
  }
  return p;
}

const VALUES = ['alpha-value-1', 'beta-value-22', 'gamma-value-333'];
const noValues = (out: string) => {
  for (const v of VALUES) expect(out).not.toContain(v);
};

describe('damaged blobs', () => {
  it('a dangling symlink at the blob path of a new value: the put is refused, exit 1, nothing committed', { timeout: 60_000 }, async () => {
    const p = await twoSecrets();
    const file = blobFile(p.dir, 'GAMMA', 'gamma-value-333');
    mkdirSync(dirname(file), { recursive: true });
    symlinkSync(join(p.dir, 'nowhere'), file);
    const before = readState(p).workers[WORKER].versions.length;
    const r = await p.run(['secret', 'put', 'GAMMA'], { input: 'gamma-value-333' });
    expect(r.code, r.all).toBe(1);
    expect(r.stderr).toMatch(/the local store is damaged: the blob .* of secret "GAMMA"/);
    expect(r.stderr).toContain(file);
    expect(r.stderr).toMatch(/nothing was committed/);
    noValues(r.all);
    expect(readState(p).workers[WORKER].versions.length).toBe(before);
  });

  it('objects/ removed: every read that touches a version and every put name the missing blob, exit 1', { timeout: 120_000 }, async () => {
    const p = await twoSecrets();
    const alpha = blobFile(p.dir, 'ALPHA', 'alpha-value-1');
    rmSync(join(p.dir, '.mycli', 'objects'), { recursive: true });
    const before = readState(p).workers[WORKER].versions.length;
    const runs: [string[], string?][] = [
      [['secret', 'put', 'GAMMA'], 'gamma-value-333'],
      [['versions', 'secret', 'put', 'GAMMA'], 'gamma-value-333'],
      [['versions', 'view', '2']],
      [['secret', 'list']],
      [['versions', 'deploy', '1@100%', '--yes']],
      [['rollback', '1', '--yes']],
    ];
    for (const [args, input] of runs) {
      const r = await p.run(args, { input });
      expect(r.code, `${args.join(' ')}: ${r.all}`).toBe(1);
      expect(r.stderr, args.join(' ')).toMatch(/the local store is damaged: the blob .* of secret "(ALPHA|BETA)" .* is missing/);
      noValues(r.all);
    }
    // The put names the blob of the secret it carries over, ALPHA included.
    const put = await p.run(['secret', 'put', 'BETA'], { input: 'beta-value-new' });
    expect(put.code).toBe(1);
    expect(put.stderr).toContain(alpha);
    expect(readState(p).workers[WORKER].versions.length).toBe(before);
  });

  it('putting the lost value again repairs the store (the blob is written anew)', { timeout: 60_000 }, async () => {
    const p = await twoSecrets();
    rmSync(blobFile(p.dir, 'ALPHA', 'alpha-value-1'));
    const r = await p.run(['secret', 'put', 'ALPHA'], { input: 'alpha-value-1' });
    expect(r.code, r.all).toBe(0);
    const list = await p.run(['secret', 'list']);
    expect(list.code, list.all).toBe(0);
  });

  it('mycli store verify opens every blob of every version: a truncated one is named, exit 1', { timeout: 60_000 }, async () => {
    const p = await twoSecrets();
    const ok = await p.run(['--json', 'store', 'verify']);
    expect(ok.code, ok.all).toBe(0);
    expect(ok.json()).toMatchObject({ versions: 2, blobs: 2, problems: [] });
    const human = await p.run(['store', 'verify']);
    expect(human.code, human.all).toBe(0);
    expect(human.stdout).toMatch(/2 versions, 2 deployments, 2 blobs/);

    const beta = blobFile(p.dir, 'BETA', 'beta-value-22');
    truncateSync(beta, 20);
    const bad = await p.run(['store', 'verify']);
    expect(bad.code, bad.all).toBe(1);
    expect(bad.stdout + bad.stderr).toContain(beta);
    expect(bad.stdout + bad.stderr).toMatch(/secret "BETA"/);
    noValues(bad.all);
    // The store itself is left as it was.
    expect(readdirSync(dirname(beta))).toHaveLength(1);
  });

  it('mycli store verify with another key: exit 4 saying which key to set (not a damaged store, exit 1)', { timeout: 60_000 }, async () => {
    const p = await twoSecrets();
    const r = await p.run(['store', 'verify'], { env: { MYCLI_LOCAL_KEY: 'cd'.repeat(32) } });
    expect(r.code, r.all).toBe(4);
    expect(r.stderr).toMatch(/key does not fit/);
    expect(r.stderr).toMatch(/MYCLI_LOCAL_KEY/);
    noValues(r.all);
  });
});
