/**
 * The upgrade of a Secrets Store kept in its own format-1 file (secrets-store.json, written by the
 * mycli of 363499b: test/fixtures/secrets-store-format1) into the store's log (issue 21, item 2).
 * It runs where the backend opens the Secrets Store, once, losslessly (ids, names, scopes,
 * comments, times, every value), and crash-safe: killed just before its commit, on a full disk,
 * with the wrong key, the old file is left byte for byte and is still the store. A read-only
 * backend reads the old file as it is and writes nothing.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LocalBackend } from '../../src/backends/local/backend.js';
import { fingerprint, readHeadOf, readSecretsStore, storeSecretValue } from '../helpers/store-reader.js';
import { BIN, makeTempProject, OTHER_KEY_HEX, REPO } from './helpers.js';

const FIXTURE = join(REPO, 'test', 'fixtures', 'secrets-store-format1');
const KEY = readFileSync(join(FIXTURE, 'KEY.txt'), 'utf8').trim();
const OLD = readFileSync(join(FIXTURE, 'store', 'secrets-store.json'));
const expected = (what: string) => JSON.parse(readFileSync(join(FIXTURE, 'expected', `expected-${what}.json`), 'utf8'));
const VALUES: [string, string, string][] = [
  ['alpha', 'ONE', 'alpha-one-v4lue-rotated'],
  ['alpha', 'UNI', 'ünïcødé ✓'],
  ['alpha', 'UNI_COPY', 'ünïcødé ✓'],
  ['alpha', 'PEM', 'pem-again-v4lue'],
  ['beta', 'B1', 'beta-v4lue'],
];

function fixtureProject(key: string = KEY) {
  const p = makeTempProject({ key });
  cpSync(join(FIXTURE, 'store'), join(p.dir, '.mycli'), { recursive: true });
  return p;
}
const dir = (p: { dir: string }) => join(p.dir, '.mycli');
const file = (p: { dir: string }) => join(dir(p), 'secrets-store.json');

/** What the old binary printed, printed again; every value opens from its blob. */
async function expectWhole(p: ReturnType<typeof fixtureProject>) {
  const stores = await p.run(['--json', 'secrets-store', 'store', 'list']);
  expect(stores.code, stores.stderr).toBe(0);
  expect(stores.json()).toEqual(expected('stores'));
  for (const s of ['alpha', 'beta']) {
    const r = await p.run(['--json', 'secrets-store', 'secret', 'list', '--store', s]);
    expect(r.code, r.stderr).toBe(0);
    // (boundBy is left out: it depends on the Workers the folder has, not on the Secrets Store.)
    const { store, secrets } = r.json();
    expect({ store, secrets }).toEqual({ store: expected(s).store, secrets: expected(s).secrets });
    expect(r.all).not.toMatch(/v4lue|ünïcødé/);
  }
  const key = Buffer.from(KEY, 'hex');
  for (const [store, name, value] of VALUES) expect(storeSecretValue(dir(p), key, store, name), `${store}/${name}`).toBe(value);
}

describe('upgrading a format-1 Secrets Store file', () => {
  it('happens once, where the Secrets Store is opened, losslessly; the old file becomes a marker older mycli refuse', { timeout: 120_000 }, async () => {
    const p = fixtureProject();
    // A Worker command does not open the Secrets Store: the file is left as it is.
    const put = await p.run(['secret', 'put', 'W'], { input: 'worker-value' });
    expect(put.code, put.stderr).toBe(0);
    expect(readFileSync(file(p)).equals(OLD)).toBe(true);
    expect(readHeadOf(dir(p)).stores).toBeUndefined();

    await expectWhole(p);
    const marker = JSON.parse(readFileSync(file(p), 'utf8'));
    expect(marker.format).toBe(2); // the mycli of 363499b refuses this format, naming the file
    expect(marker.stores).toBeUndefined();
    expect(readFileSync(file(p), 'utf8')).not.toMatch(/sealed|v4lue/);
    const generation = readHeadOf(dir(p)).generation;
    // Once: later reads commit nothing.
    await expectWhole(p);
    expect(readHeadOf(dir(p)).generation).toBe(generation);
    // And it works on: a new secret, a duplicate of an upgraded one (its value opened from the blob).
    const dup = await p.run(['--json', 'secrets-store', 'secret', 'duplicate', 'ONE', 'ONE_COPY', '--store', 'alpha', '--scopes', 'workers']);
    expect(dup.code, dup.stderr).toBe(0);
    expect(storeSecretValue(dir(p), Buffer.from(KEY, 'hex'), 'alpha', 'ONE_COPY')).toBe('alpha-one-v4lue-rotated');
    const verify = await p.run(['store', 'verify']);
    expect(verify.code, verify.all).toBe(0);
    expect(verify.stdout).toMatch(/6 Secrets Store secrets/);
  });

  it('killed just before its commit: the old file is untouched and still the store; the next command upgrades it whole', { timeout: 120_000 }, async () => {
    const p = fixtureProject();
    const killed = await p.run(['secrets-store', 'store', 'list'], { env: { MYCLI_TEST_KILL_IN_UPGRADE: '1' } });
    expect(killed.signal).toBe('SIGKILL');
    expect(readFileSync(file(p)).equals(OLD)).toBe(true);
    expect(readHeadOf(dir(p))?.stores).toBeUndefined();
    await expectWhole(p);
  });

  it('on a full disk (ulimit -f 1): exit 1 naming the store and the cause, the old file intact; the next command upgrades it', { timeout: 120_000 }, async () => {
    const p = fixtureProject();
    const r = spawnSync('sh', ['-c', 'trap "" XFSZ; ulimit -f 1; exec "$0" "$@"', process.execPath, BIN, 'secrets-store', 'store', 'list'], { cwd: p.dir, env: p.env, encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(1);
    expect(r.stderr).toMatch(/cannot upgrade the Secrets Store of the local store .*\.mycli to format 2 \(EFBIG/);
    expect(r.stderr).toMatch(/secrets-store\.json was left as it was and is still the store/);
    expect(readFileSync(file(p)).equals(OLD)).toBe(true);
    await expectWhole(p);
  });

  it('with another key: exit 4, nothing written', { timeout: 60_000 }, async () => {
    const p = fixtureProject(OTHER_KEY_HEX);
    const before = fingerprint(dir(p));
    const r = await p.run(['secrets-store', 'store', 'list']);
    expect(r.code, r.stderr).toBe(4);
    expect(r.stderr).toMatch(/key does not fit the Secrets Store .*secrets-store\.json/);
    expect(fingerprint(dir(p))).toBe(before);
  });

  it('a read-only backend (completion) reads the old file as it is and writes nothing; its writes are refused', { timeout: 60_000 }, async () => {
    const p = fixtureProject();
    const before = fingerprint(dir(p));
    const backend = new LocalBackend({ env: p.env, readOnly: true });
    const target = { worker: 'fx-worker', projectDir: p.dir, declared: true };
    const stores = await backend.secretsStore.listStores(target);
    expect(stores.map((s) => s.name)).toEqual(['alpha', 'beta']);
    const alpha = await backend.secretsStore.listSecrets(target, stores[0].id);
    expect(alpha.map((s) => s.name)).toEqual(expected('alpha').secrets.map((s: { name: string }) => s.name));
    await expect(backend.secretsStore.createStore(target, 'more')).rejects.toThrow(/read-only: nothing was written/);
    await expect(backend.updateSecrets(target, { X: 'x-value' }, { deploy: true })).rejects.toThrow(/read-only/);
    expect(fingerprint(dir(p))).toBe(before);
    expect(readSecretsStore(dir(p))).toEqual([]);
  });
});
