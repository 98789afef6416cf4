/**
 * Upgrade of a store written by the mycli before format 2 (test/fixtures/store-format1: made by
 * that binary, with its key and what it printed). The first command upgrades it: every Worker,
 * version, deployment and secret value survives, byte for byte; state.json is gone only once the
 * new store is verified. A damaged old store, a wrong key or a missing key upgrade nothing.
 */
import { cpSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { open, secretAad } from '../../src/backends/local/crypto.js';
import { keyFilePath } from '../../src/backends/local/key.js';
import { decryptBinding, readStore } from '../helpers/store-reader.js';
import { makeTempProject, OTHER_KEY_HEX, REPO } from './helpers.js';

const FIXTURE = join(REPO, 'test', 'fixtures', 'store-format1');
const KEY = readFileSync(join(FIXTURE, 'KEY.txt'), 'utf8').trim();
const TARGETS: [string, string[], string][] = [
  ['my-worker', [], 'x'],
  ['my-worker-staging', ['--env', 'staging'], 'x__env_staging'],
  ['second-worker', ['--name', 'second-worker'], 'x__name_second_worker'],
];

function fixtureProject(o: { key?: string | null } = {}) {
  const p = makeTempProject({ key: o.key === undefined ? KEY : o.key, toml: readFileSync(join(FIXTURE, 'project', 'wrangler.toml'), 'utf8') });
  cpSync(join(FIXTURE, 'store'), join(p.dir, '.mycli'), { recursive: true });
  return p;
}

const oldState = () => JSON.parse(readFileSync(join(FIXTURE, 'store', 'state.json'), 'utf8'));

describe('upgrading a format-1 store', () => {
  it('is automatic and lossless: lists as before, every secret value of every version intact', { timeout: 120_000 }, async () => {
    const p = fixtureProject();
    const state = oldState();
    for (const [, args, suffix] of TARGETS) {
      for (const what of ['versions', 'deployments', 'secrets']) {
        const cmd = what === 'secrets' ? ['secret', 'list'] : [what, 'list'];
        const r = await p.run(['--json', ...args, ...cmd]);
        expect(r.code, r.stderr).toBe(0);
        const expected = JSON.parse(readFileSync(join(FIXTURE, 'expected', `${what}${suffix}.json`), 'utf8'));
        expect(r.json(), `${what} of ${args.join(' ') || 'my-worker'}`).toEqual(expected);
      }
    }
    const dir = join(p.dir, '.mycli');
    expect(existsSync(join(dir, 'state.json'))).toBe(false);
    expect(existsSync(join(dir, 'HEAD'))).toBe(true);

    // Every version: same fields, same bindings, same secret values (decrypted the old way and the new).
    const key = Buffer.from(KEY, 'hex');
    const now = readStore(dir)!;
    expect(Object.keys(now.workers).sort()).toEqual(Object.keys(state.workers).sort());
    for (const [name, w] of Object.entries<any>(state.workers)) {
      const nw = now.workers[name];
      expect(nw.createdOn).toBe(w.createdOn);
      expect(nw.versions.map((v) => v.id)).toEqual(w.versions.map((v: any) => v.id));
      for (const [i, v] of w.versions.entries()) {
        const n = nw.versions[i];
        for (const f of ['number', 'createdOn', 'author', 'source', 'message', 'tag', 'scriptHash', 'mainModule']) expect((n as any)[f], `${name} v${v.number} ${f}`).toEqual(v[f]);
        expect(n.bindings.map((b) => [b.type, b.name])).toEqual(v.bindings.map((b: any) => [b.type, b.name]));
        for (const [j, b] of v.bindings.entries()) {
          if (b.type !== 'secret_text') {
            expect(n.bindings[j]).toEqual(b);
            continue;
          }
          const before = open(key, b.sealed, secretAad(name, b.name, v.id));
          expect(before).toBeDefined();
          expect(decryptBinding(dir, key, name, n.bindings[j])).toBe(before);
        }
      }
      expect(nw.deployments.map((d) => [d.id, d.createdOn, d.source, d.message, d.versions])).toEqual(
        w.deployments.map((d: any) => [d.id, d.createdOn, d.source, d.message, d.versions]),
      );
    }

    // The upgraded store keeps working (the fixture's live deployment is a rollback to version 2,
    // so a deployed `secret put` is refused by the domain rule; a staged one goes through).
    const refused = await p.run(['--json', 'secret', 'put', 'AFTER'], { input: 'after-upgrade' });
    expect(refused.code, refused.stderr).toBe(5);
    const put = await p.run(['--json', 'versions', 'secret', 'put', 'AFTER'], { input: 'after-upgrade' });
    expect(put.code, put.stderr).toBe(0);
    expect(put.json().version.number).toBe(7);
    const view = await p.run(['--json', 'versions', 'view', state.workers['my-worker'].versions[4].id]);
    expect(view.code, view.stderr).toBe(0);
  });

  it('with a wrong key: exit 4, state.json untouched, nothing written', async () => {
    const p = fixtureProject({ key: OTHER_KEY_HEX });
    const before = readFileSync(join(p.dir, '.mycli', 'state.json'));
    const r = await p.run(['secret', 'list']);
    expect(r.code, r.stderr).toBe(4);
    expect(r.stderr).toMatch(/key does not fit/);
    expect(readFileSync(join(p.dir, '.mycli', 'state.json')).equals(before)).toBe(true);
    expect(readdirSync(join(p.dir, '.mycli')).sort()).toEqual(['modules', 'state.json']);
  });

  it('with no key at all: exit 4 naming how to restore it; no new key is made', async () => {
    const p = fixtureProject({ key: null });
    for (const args of [['secret', 'list'], ['secret', 'put', 'X']]) {
      const r = await p.run(args, { input: 'x-value' });
      expect(r.code, r.stderr).toBe(4);
      expect(r.stderr).toMatch(/key .* is missing/);
      expect(r.stderr).toContain('MYCLI_LOCAL_KEY');
      expect(r.stderr).toContain(keyFilePath(p.env));
      expect(existsSync(keyFilePath(p.env))).toBe(false);
    }
    expect(existsSync(join(p.dir, '.mycli', 'state.json'))).toBe(true);
  });

  it.each([
    ['an array of Workers', (s: any) => ({ format: 1, workers: [] }), /"workers" is not an object/],
    ['null bindings', (s: any) => ((s.workers['my-worker'].versions[0].bindings = null), s), /has no list of bindings/],
    ['a deployment naming no version', (s: any) => ((s.workers['my-worker'].deployments[0].versions[0].versionId = 'no-such-version'), s), /names version no-such-version, which does not exist/],
    ['a missing number', (s: any) => (delete s.workers['second-worker'].versions[0].number, s), /has no valid number/],
    ['a null Worker', (s: any) => ((s.workers['second-worker'] = null), s), /Worker "second-worker" is not an object/],
  ])('a damaged state.json (%s): "the local store is damaged: <what>", exit 1, nothing written', async (_label, damage, what) => {
    const p = fixtureProject();
    const file = join(p.dir, '.mycli', 'state.json');
    writeFileSync(file, JSON.stringify(damage(oldState())));
    const before = readFileSync(file);
    for (const args of [['secret', 'list'], ['secret', 'put', 'X']]) {
      const r = await p.run(args, { input: 'x-value' });
      expect(r.code, r.stderr).toBe(1);
      expect(r.stderr).toMatch(/^error: the local store is damaged: /m);
      expect(r.stderr).toMatch(what);
      expect(r.all).not.toContain('x-value');
    }
    expect(readFileSync(file).equals(before)).toBe(true);
    expect(existsSync(join(p.dir, '.mycli', 'HEAD'))).toBe(false);
    expect(existsSync(join(p.dir, '.mycli', 'log'))).toBe(false);
  });
});
