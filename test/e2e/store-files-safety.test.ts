/**
 * The files around the local store (issue 16, item 11): a key file others can read gets a
 * warning naming it and `chmod 600`; `MYCLI_STATE_DIR=.` never writes a .gitignore of "*" into a
 * repository's root (only a state folder mycli created gets one); a symlinked format-1
 * secrets-store.json is read through the link by its upgrade, its target left as it was, and a
 * dangling one is refused, named.
 */
import { chmodSync, copyFileSync, existsSync, lstatSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { keyFilePath } from '../../src/backends/local/key.js';
import { makeTempProject, REPO } from './helpers.js';

describe('the key file', () => {
  it('readable by others (0644): each write warns, naming the file and chmod 600; 0600: no warning', { timeout: 60_000 }, async () => {
    const p = makeTempProject({ key: null });
    const first = await p.run(['secret', 'put', 'A'], { input: 'a-value-1' });
    expect(first.code, first.all).toBe(0);
    const file = keyFilePath(p.env);
    expect(lstatSync(file).mode & 0o777).toBe(0o600);
    expect(first.stderr).not.toMatch(/can be read by others/);

    chmodSync(file, 0o644);
    const warned = await p.run(['secret', 'put', 'B'], { input: 'b-value-22' });
    expect(warned.code, warned.all).toBe(0);
    expect(warned.stderr).toContain(`the local store key file ${file} can be read by others (mode 0644)`);
    expect(warned.stderr).toContain(`chmod 600 ${file}`);
    expect(warned.all).not.toContain('b-value-22');

    chmodSync(file, 0o600);
    const quiet = await p.run(['secret', 'put', 'C'], { input: 'c-value-333' });
    expect(quiet.code, quiet.all).toBe(0);
    expect(quiet.stderr).not.toMatch(/can be read by others/);
  });
});

describe('the state folder', () => {
  it('MYCLI_STATE_DIR=. in a repository root: the store works, no .gitignore of "*" is written there', { timeout: 60_000 }, async () => {
    const p = makeTempProject();
    mkdirSync(join(p.dir, '.git'));
    const r = await p.run(['secret', 'put', 'A'], { input: 'a-value-1', env: { MYCLI_STATE_DIR: '.' } });
    expect(r.code, r.all).toBe(0);
    expect(existsSync(join(p.dir, 'HEAD'))).toBe(true);
    expect(existsSync(join(p.dir, '.gitignore'))).toBe(false);
    // A .gitignore of the user's is left as it was.
    writeFileSync(join(p.dir, '.gitignore'), 'node_modules\n');
    const again = await p.run(['secrets-store', 'store', 'create', 's1'], { env: { MYCLI_STATE_DIR: '.' } });
    expect(again.code, again.all).toBe(0);
    expect(readFileSync(join(p.dir, '.gitignore'), 'utf8')).toBe('node_modules\n');
  });

  it('a state folder mycli creates gets its .gitignore of "*"', { timeout: 60_000 }, async () => {
    const p = makeTempProject();
    const r = await p.run(['secret', 'put', 'A'], { input: 'a-value-1', env: { MYCLI_STATE_DIR: 'state/here' } });
    expect(r.code, r.all).toBe(0);
    expect(readFileSync(join(p.dir, 'state', 'here', '.gitignore'), 'utf8').split('\n')).toContain('*');
  });
});

describe('a symlinked format-1 secrets-store.json (the Secrets Store kept elsewhere, before it moved into the log)', () => {
  const FIXTURE = join(REPO, 'test', 'fixtures', 'secrets-store-format1');
  const KEY = readFileSync(join(FIXTURE, 'KEY.txt'), 'utf8').trim();

  it('is read through the link once, moved into the store folder; the file it pointed to is left as it was', { timeout: 60_000 }, async () => {
    const p = makeTempProject({ key: KEY });
    mkdirSync(join(p.dir, '.mycli'));
    const link = join(p.dir, '.mycli', 'secrets-store.json');
    const target = join(p.root, 'elsewhere.json');
    copyFileSync(join(FIXTURE, 'store', 'secrets-store.json'), target);
    const before = readFileSync(target);
    symlinkSync(target, link);
    const r = await p.run(['secrets-store', 'store', 'create', 'gamma']);
    expect(r.code, r.all).toBe(0);
    expect(readFileSync(target).equals(before)).toBe(true);
    expect(lstatSync(link).isSymbolicLink()).toBe(false); // the marker older mycli refuse
    expect(JSON.parse(readFileSync(link, 'utf8')).format).toBe(2);
    const list = await p.run(['--json', 'secrets-store', 'store', 'list']);
    expect(list.code, list.all).toBe(0);
    expect(list.json().stores.map((s: { name: string }) => s.name)).toEqual(['alpha', 'beta', 'gamma']);
  });

  it('a link to nothing is refused, named (exit 1), and left as it is', { timeout: 60_000 }, async () => {
    const p = makeTempProject();
    mkdirSync(join(p.dir, '.mycli'));
    const link = join(p.dir, '.mycli', 'secrets-store.json');
    symlinkSync(join(p.root, 'gone.json'), link);
    const r = await p.run(['secrets-store', 'store', 'create', 's1']);
    expect(r.code, r.all).toBe(1);
    expect(r.stderr).toMatch(/secrets-store\.json is a symbolic link to a file that cannot be reached/);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
  });
});
