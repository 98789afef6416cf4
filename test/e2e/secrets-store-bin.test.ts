/**
 * The Secrets Store and `mycli types` through the built binary (real pipes, exit codes, the
 * bundle's lazily loaded parts: the lock and atomic write, dotenv for .dev.vars).
 */
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeTempProject } from './helpers.js';

describe('secrets-store and types through the binary', () => {
  it('a piped value is stored sealed and never printed; a missing value with nothing piped fails at once (exit 2)', async () => {
    const p = makeTempProject();
    expect((await p.run(['secrets-store', 'store', 'create', 'bin-store'])).code).toBe(0);
    const put = await p.run(['secrets-store', 'secret', 'create', 'bin-key', '--store', 'bin-store', '--json'], { input: 'b1n-piped-v4lue\n' });
    expect(put.code, put.stderr).toBe(0);
    expect(put.json().secret.name).toBe('bin-key');
    expect(put.all).not.toContain('b1n-piped-v4lue');
    const file = join(p.dir, '.mycli', 'secrets-store.json');
    expect(readFileSync(file, 'utf8')).not.toContain('b1n-piped-v4lue');
    expect(statSync(file).mode & 0o777).toBe(0o600);

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

describe('the local Secrets Store under concurrent writers', () => {
  it('8 processes creating secrets in one store at once: every secret is there, the file parses', async () => {
    const p = makeTempProject();
    const store = (await p.run(['secrets-store', 'store', 'create', 'busy', '--json'])).json().store;
    const runs = await Promise.all(
      Array.from({ length: 8 }, (_, i) => p.run(['secrets-store', 'secret', 'create', `k-${i}`, '--store', store.id], { input: `concurrent-v4lue-${i}\n`, timeoutMs: 60_000 })),
    );
    for (const r of runs) expect(r.code, r.stderr).toBe(0);
    const list = await p.run(['secrets-store', 'secret', 'list', '--store', 'busy', '--json']);
    expect(list.json().secrets.map((s: { name: string }) => s.name).sort()).toEqual(Array.from({ length: 8 }, (_, i) => `k-${i}`).sort());
    expect(readFileSync(join(p.dir, '.mycli', 'secrets-store.json'), 'utf8')).not.toContain('concurrent-v4lue');
  });
});

describe('a damaged Secrets Store file is named and never rewritten', () => {
  const damage: [string, (d: any) => void][] = [
    ['a secret entry that is null', (d) => (d.stores[0].secrets[0] = null)],
    ['a store without a name', (d) => (d.stores[0].name = null)],
    ['a secret whose scopes are null', (d) => (d.stores[0].secrets[0].scopes = null)],
    ['a secret without its sealed value', (d) => delete d.stores[0].secrets[0].sealed],
    ['a key check that is not sealed data', (d) => (d.keyCheck = 'x')],
  ];
  it.each(damage)('%s: exit 1 "damaged", the file left as it was', { timeout: 60_000 }, async (_l, edit) => {
    const p = makeTempProject();
    expect((await p.run(['secrets-store', 'store', 'create', 'hurt'])).code).toBe(0);
    const put = await p.run(['secrets-store', 'secret', 'create', 'k', '--store', 'hurt', '--scopes', 'workers'], { input: 'dmg-v4lue-1\n' });
    expect(put.code, put.stderr).toBe(0);
    const file = join(p.dir, '.mycli', 'secrets-store.json');
    const d = JSON.parse(readFileSync(file, 'utf8'));
    edit(d);
    writeFileSync(file, JSON.stringify(d));
    const before = readFileSync(file, 'utf8');
    for (const args of [['secrets-store', 'store', 'create', 'more'], ['secrets-store', 'store', 'list']]) {
      const r = await p.run([...args, '--json']);
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(1);
      expect(r.json().error.message).toMatch(/the local Secrets Store .* is damaged/);
      expect(r.all).not.toContain('dmg-v4lue');
    }
    expect(readFileSync(file, 'utf8')).toBe(before);
  });
});
