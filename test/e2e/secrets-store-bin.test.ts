/**
 * The Secrets Store and `mycli types` through the built binary (real pipes, exit codes, the
 * bundle's lazily loaded parts: the lock and atomic write, dotenv for .dev.vars).
 */
import { cpSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { filesContaining, filesUnder, makeTempProject, REPO } from './helpers.js';
import { fingerprint } from '../helpers/store-reader.js';

const FIXTURE = join(REPO, 'test', 'fixtures', 'secrets-store-format1');

describe('secrets-store and types through the binary', () => {
  it('a piped value is stored sealed and never printed; a missing value with nothing piped fails at once (exit 2)', async () => {
    const p = makeTempProject();
    expect((await p.run(['secrets-store', 'store', 'create', 'bin-store'])).code).toBe(0);
    const put = await p.run(['secrets-store', 'secret', 'create', 'bin-key', '--store', 'bin-store', '--json'], { input: 'b1n-piped-v4lue\n' });
    expect(put.code, put.stderr).toBe(0);
    expect(put.json().secret.name).toBe('bin-key');
    expect(put.all).not.toContain('b1n-piped-v4lue');
    expect(filesContaining([p.dir, p.home], 'b1n-piped-v4lue')).toEqual([]);
    for (const f of filesUnder(join(p.dir, '.mycli'))) expect(statSync(f).mode & 0o777, f).toBe(0o600);

    const none = await p.run(['secrets-store', 'secret', 'create', 'other', '--store', 'bin-store'], { stdin: 'ignore' });
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/mycli secrets-store secret create other|--from-file/);

    const del = await p.run(['secrets-store', 'secret', 'delete', 'bin-key', '--store', 'bin-store'], { stdin: 'ignore' });
    expect(del.code).toBe(2);
    expect(del.stderr).toMatch(/--yes/);
  });

  it('types writes the file and --check passes, then fails after a new .dev.vars name offline', async () => {
    const p = makeTempProject();
    writeFileSync(join(p.dir, '.dev.vars'), 'LOCAL_A=1\n');
    const w = await p.run(['types', '--offline']);
    expect(w.code, w.stderr).toBe(0);
    expect(readFileSync(join(p.dir, 'worker-configuration.d.ts'), 'utf8')).toContain('LOCAL_A: string;');
    expect((await p.run(['types', '--offline', '--check'])).code).toBe(0);
    writeFileSync(join(p.dir, '.dev.vars'), 'LOCAL_A=1\nLOCAL_B=2\n');
    const stale = await p.run(['types', '--offline', '--check']);
    expect(stale.code).toBe(1);
    expect(stale.stderr).toContain('+ LOCAL_B: string;');
  });
});

describe('a damaged format-1 Secrets Store file is named and never rewritten by its upgrade', () => {
  const damage: [string, (d: any) => void][] = [
    ['a secret entry that is null', (d) => (d.stores[0].secrets[0] = null)],
    ['a store without a name', (d) => (d.stores[0].name = null)],
    ['a secret whose scopes are null', (d) => (d.stores[0].secrets[0].scopes = null)],
    ['a secret without its sealed value', (d) => delete d.stores[0].secrets[0].sealed],
    ['a key check that is not sealed data', (d) => (d.keyCheck = 'x')],
  ];
  it.each(damage)('%s: exit 1 "damaged", the store left as it was', { timeout: 60_000 }, async (_l, edit) => {
    const p = makeTempProject({ key: readFileSync(join(FIXTURE, 'KEY.txt'), 'utf8').trim() });
    cpSync(join(FIXTURE, 'store'), join(p.dir, '.mycli'), { recursive: true });
    const file = join(p.dir, '.mycli', 'secrets-store.json');
    const d = JSON.parse(readFileSync(file, 'utf8'));
    edit(d);
    writeFileSync(file, JSON.stringify(d));
    const before = fingerprint(join(p.dir, '.mycli'));
    for (const args of [['secrets-store', 'store', 'create', 'more'], ['secrets-store', 'store', 'list']]) {
      const r = await p.run([...args, '--json']);
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(1);
      expect(r.json().error.message).toMatch(/the local Secrets Store .*secrets-store\.json is damaged/);
      expect(r.all).not.toMatch(/v4lue/);
    }
    expect(fingerprint(join(p.dir, '.mycli'))).toBe(before);
  });
});
