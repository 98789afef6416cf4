/**
 * A format-2 store that decrypts but is inconsistent is named as damaged (exit 1) and nothing is
 * written; a store whose key file went missing gets no new key (exit 4, how to restore it).
 */
import { existsSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { keyFilePath } from '../../src/backends/local/key.js';
import { fingerprint, readHeadOf, readStore } from '../helpers/store-reader.js';
import { decryptLatest, makeTempProject, type TempProject } from './helpers.js';

async function seeded(o: { key?: string | null } = {}): Promise<TempProject> {
  const p = makeTempProject(o);
  for (const [n, v] of [['A', 'a-value'], ['B', 'b-value']]) {
    const r = await p.run(['secret', 'put', n], { input: v });
    expect(r.code, r.stderr).toBe(0);
  }
  return p;
}

const dir = (p: TempProject) => join(p.dir, '.mycli');

describe('a damaged store is named, and left as it is', () => {
  it.each([
    ['a deployment naming a missing version', (p: TempProject) => rmSync(join(dir(p), 'versions', `${readHeadOf(dir(p)).workers['e2e-worker'].latest}.json`)), /names version .*, whose record is missing/],
    ['a head with a null Worker entry', (p: TempProject) => writeHead(p, (h) => ((h.workers['e2e-worker'] = null), h)), /the entry of Worker "e2e-worker" .* is incomplete/],
    ['a head with missing fields', (p: TempProject) => writeHead(p, (h) => (delete h.workers['e2e-worker'].latest, h)), /is incomplete/],
    ['a head whose Workers are an array', (p: TempProject) => writeHead(p, (h) => ((h.workers = []), h)), /has no object of Workers/],
    ['a version record with null bindings', (p: TempProject) => editLatest(p, (v) => ((v.bindings = null), v)), /version record .* is incomplete/],
  ])('%s: exit 1 "the local store is damaged: <what>", nothing written', { timeout: 60_000 }, async (_l, damage, what) => {
    const p = await seeded();
    damage(p);
    const before = fingerprint(dir(p));
    for (const args of [['secret', 'list'], ['secret', 'put', 'C'], ['versions', 'list'], ['deployments', 'status']]) {
      const r = await p.run(args, { input: 'c-value' });
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(1);
      expect(r.stderr).toMatch(/^error: the local store is damaged: /m);
      expect(r.stderr).toMatch(what);
      expect(r.all).not.toMatch(/[abc]-value/);
    }
    expect(fingerprint(dir(p))).toBe(before);
  });
});

function writeHead(p: TempProject, edit: (h: any) => any) {
  const h = readHeadOf(dir(p));
  const text = JSON.stringify(edit(h));
  writeFileSync(join(dir(p), 'HEAD'), text);
  writeFileSync(join(dir(p), 'log', `${String(h.generation).padStart(10, '0')}.json`), text);
}

function editLatest(p: TempProject, edit: (v: any) => any) {
  const file = join(dir(p), 'versions', `${readHeadOf(dir(p)).workers['e2e-worker'].latest}.json`);
  writeFileSync(file, JSON.stringify(edit(JSON.parse(readFileSync(file, 'utf8')))));
}

describe('a store without its key', () => {
  it('the key file is gone: exit 4 saying how to restore it; no new key is made, nothing written', { timeout: 60_000 }, async () => {
    const p = await seeded({ key: null }); // the key file in the config dir, made on first use
    const keyFile = keyFilePath(p.env);
    expect(existsSync(keyFile)).toBe(true);
    rmSync(keyFile);
    const before = fingerprint(dir(p));
    const r = await p.run(['secret', 'put', 'C'], { input: 'c-value' });
    expect(r.code, r.stderr).toBe(4);
    expect(r.stderr).toContain(`the key of the local store ${dir(p)} is missing`);
    expect(r.stderr).toContain(keyFile);
    expect(r.stderr).toContain('MYCLI_LOCAL_KEY');
    expect(r.all).not.toContain('c-value');
    expect(existsSync(keyFile)).toBe(false);
    expect(fingerprint(dir(p))).toBe(before);
    // Reads that need no key still work.
    const list = await p.run(['secret', 'list']);
    expect(list.code, list.stderr).toBe(0);
  });
});

describe('a Secrets Store without its key', () => {
  // The Secrets Store is sealed with the same key as the Worker store (it lives in the same log).
  // When it is all the state folder holds, a lost key file must not be replaced either:
  // neither by a Worker write (which would seal the Worker store with a key that cannot open the
  // Secrets Store) nor by a Secrets Store write (which made a key, then refused it).
  it.each([
    ['secret put', ['secret', 'put', 'C']],
    ['secrets-store secret create', ['secrets-store', 'secret', 'create', 'other', '--store', 'shared', '--scopes', 'workers']],
    ['secrets-store store create', ['secrets-store', 'store', 'create', 'more']],
  ])('%s: exit 4, no new key is made, nothing written', { timeout: 60_000 }, async (_l, args) => {
    const p = makeTempProject({ key: null });
    const made = await p.run(['secrets-store', 'store', 'create', 'shared']);
    expect(made.code, made.stderr).toBe(0);
    const sec = await p.run(['secrets-store', 'secret', 'create', 'api', '--store', 'shared', '--scopes', 'workers'], { input: 's-value-1' });
    expect(sec.code, sec.stderr).toBe(0);
    const keyFile = keyFilePath(p.env);
    expect(existsSync(keyFile)).toBe(true);
    expect(readHeadOf(dir(p)).workers).toEqual({}); // only the Secrets Store exists
    rmSync(keyFile);
    const before = fingerprint(dir(p));
    const r = await p.run(args, { input: 'c-value' });
    expect(r.code, r.stderr).toBe(4);
    expect(r.stderr).toMatch(/key .* is missing/);
    expect(r.stderr).toContain(keyFile);
    expect(r.all).not.toMatch(/[cs]-value/);
    expect(existsSync(keyFile)).toBe(false);
    expect(fingerprint(dir(p))).toBe(before);
  });
});

describe('a damaged blob', () => {
  it('putting the same value again is refused (exit 1, the blob named), never a new version naming the broken blob', { timeout: 60_000 }, async () => {
    const p = await seeded();
    const state = readStore(dir(p))!;
    const latest = state.workers['e2e-worker'].versions.at(-1)!;
    const a = latest.bindings.find((b) => b.name === 'A')!;
    const blob = join(dir(p), 'objects', a.blob!.slice(0, 2), a.blob!.slice(2));
    truncateSync(blob, 5);
    const generation = readHeadOf(dir(p)).generation;
    const r = await p.run(['secret', 'put', 'A'], { input: 'a-value' });
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toMatch(/^error: the local store is damaged: the blob .* does not open/m);
    expect(r.stderr).toContain(blob);
    expect(r.all).not.toMatch(/[ab]-value/);
    expect(readHeadOf(dir(p)).generation).toBe(generation); // nothing committed
    // Once the broken blob is removed, the same value is stored again and opens.
    rmSync(blob);
    const again = await p.run(['secret', 'put', 'A'], { input: 'a-value' });
    expect(again.code, again.stderr).toBe(0);
    expect(again.all).not.toMatch(/[ab]-value/);
    expect(decryptLatest(p, 'A')).toBe('a-value');
  });
});
