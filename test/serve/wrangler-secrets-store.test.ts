/**
 * The real wrangler 4.80 `secrets-store … --remote` commands against `mycli serve`: each exits 0,
 * sends the request Cloudflare documents, and changes the served folder's Secrets Store as mycli
 * sees it. Values never appear in wrangler's output, mycli's output or the request log. Offline
 * as in wrangler.test.ts (update check at a closed local port, metrics off).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACCOUNT, startServe, TOKEN, type Served } from './helpers.js';
import { launcherOf, requestsSince, runWrangler, type Ran } from './wrangler-suite.js';
import { readSecretsStore, storeSecretValue } from '../helpers/store-reader.js';

// wrangler 4.80's own launcher (node_modules/.bin/wrangler may be wrangler-4164's, see wrangler-suite.ts).
const WRANGLER = launcherOf('wrangler');
const KEY = Buffer.from('0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef', 'hex');
const VALUES = ['ss-wrangler-value-1', 'ss-wrangler-value-2'];

let s: Served;

// wrangler 4.80 sends the Secrets Store's requests with --remote; paths are shown under secrets_store/.
const wrangler = (args: string[], stdin?: string) => runWrangler(s, WRANGLER, [...args, '--remote'], stdin);
const sentSince = (mark: number) => requestsSince(s, mark, `/client/v4/accounts/${ACCOUNT}/secrets_store`);

function expectClean(r: Ran) {
  for (const v of VALUES) expect(r.stdout + r.stderr).not.toContain(v);
  expect(r.stdout + r.stderr).not.toContain(TOKEN);
}

async function mycli(args: string[]) {
  const r = await s.project.run([...args, '--json']);
  expect(r.code, r.all).toBe(0);
  for (const v of VALUES) expect(r.all).not.toContain(v);
  return r.json();
}

function storedValue(storeId: string, secretId: string): string | undefined {
  const dir = join(s.project.dir, '.mycli');
  const store = readSecretsStore(dir).find((x) => x.id === storeId);
  const secret = store?.secrets.find((x) => x.id === secretId);
  return store && secret ? storeSecretValue(dir, KEY, store.name, secret.name) : undefined;
}

describe.skipIf(!existsSync(WRANGLER))('wrangler 4.80 secrets-store --remote against mycli serve', { timeout: 120_000 }, () => {
  beforeAll(async () => {
    s = await startServe();
  });
  afterAll(async () => {
    expect(await s?.stop()).toBe(0);
    const log = readFileSync(s.logFile, 'utf8');
    for (const v of VALUES) expect(log).not.toContain(v);
  });

  let storeId = '';
  let secretId = '';
  let copyId = '';

  it('store create, then store list', async () => {
    let mark = s.requests().length;
    const c = await wrangler(['secrets-store', 'store', 'create', 'shop-keys']);
    expect(c.code, c.stdout + c.stderr).toBe(0);
    storeId = /Created store! \(Name: shop-keys, ID: ([0-9a-f]{32})\)/.exec(c.stdout)![1];
    expect(sentSince(mark)).toEqual(['POST /stores']);
    expect((await mycli(['secrets-store', 'store', 'list'])).stores).toEqual([expect.objectContaining({ id: storeId, name: 'shop-keys' })]);

    mark = s.requests().length;
    const l = await wrangler(['secrets-store', 'store', 'list']);
    expect(l.code, l.stdout + l.stderr).toBe(0);
    expect(l.stdout).toContain('shop-keys');
    expect(l.stdout).toContain(storeId);
    expect(sentSince(mark)).toEqual(['GET /stores?per_page=10&page=1']);
  });

  it('secret create (value piped), list and get', async () => {
    let mark = s.requests().length;
    const c = await wrangler(['secrets-store', 'secret', 'create', storeId, '--name', 'api-key', '--scopes', 'workers', '--comment', 'billing'], VALUES[0]);
    expect(c.code, c.stdout + c.stderr).toBe(0);
    expectClean(c);
    secretId = /Created secret! \(ID: ([0-9a-f]{32})\)/.exec(c.stdout)![1];
    expect(sentSince(mark)).toEqual([`POST /stores/${storeId}/secrets`]);
    // wrangler sends the JSON array as text/plain: logged by size only, never the value.
    expect(JSON.stringify(s.requests().at(-1)!.body)).not.toContain(VALUES[0]);
    expect(storedValue(storeId, secretId)).toBe(VALUES[0]);
    const seen = await mycli(['secrets-store', 'secret', 'get', 'api-key', '--store', 'shop-keys']);
    expect(seen.secret).toMatchObject({ id: secretId, name: 'api-key', scopes: ['workers'], comment: 'billing' });

    mark = s.requests().length;
    const l = await wrangler(['secrets-store', 'secret', 'list', storeId]);
    expect(l.code, l.stdout + l.stderr).toBe(0);
    expect(l.stdout).toContain('api-key');
    expect(l.stdout).toContain(secretId);
    expect(sentSince(mark)).toEqual([`GET /stores/${storeId}/secrets?per_page=10&page=1`]);
    expectClean(l);

    mark = s.requests().length;
    const g = await wrangler(['secrets-store', 'secret', 'get', storeId, '--secret-id', secretId]);
    expect(g.code, g.stdout + g.stderr).toBe(0);
    expect(g.stdout).toContain('api-key');
    expect(sentSince(mark)).toEqual([`GET /stores/${storeId}/secrets/${secretId}`]);
    expectClean(g);
  });

  it('secret update (a new value and comment), then duplicate', async () => {
    let mark = s.requests().length;
    // wrangler's --value flag (test only: mycli itself never takes values from argv).
    const u = await wrangler(['secrets-store', 'secret', 'update', storeId, '--secret-id', secretId, '--value', VALUES[1], '--comment', 'rotated']);
    expect(u.code, u.stdout + u.stderr).toBe(0);
    expect(sentSince(mark)).toEqual([`PATCH /stores/${storeId}/secrets/${secretId}`]);
    expect(storedValue(storeId, secretId)).toBe(VALUES[1]);
    expect((await mycli(['secrets-store', 'secret', 'get', secretId, '--store', storeId])).secret.comment).toBe('rotated');

    mark = s.requests().length;
    const d = await wrangler(['secrets-store', 'secret', 'duplicate', storeId, '--secret-id', secretId, '--name', 'api-key-copy', '--scopes', 'workers,ai_gateway']);
    expect(d.code, d.stdout + d.stderr).toBe(0);
    expect(sentSince(mark)).toEqual([`POST /stores/${storeId}/secrets/${secretId}/duplicate`]);
    const list = (await mycli(['secrets-store', 'secret', 'list', '--store', 'shop-keys'])).secrets;
    const copy = list.find((x: { name: string }) => x.name === 'api-key-copy');
    expect(copy.scopes).toEqual(['workers', 'ai_gateway']);
    copyId = copy.id;
    expect(storedValue(storeId, copyId)).toBe(VALUES[1]);
  });

  it('store delete of a store with secrets fails (409); secret delete, then store delete', async () => {
    const refused = await wrangler(['secrets-store', 'store', 'delete', storeId]);
    expect(refused.code).not.toBe(0);
    expect(refused.stdout + refused.stderr).toMatch(/still holds 2 secrets/);

    for (const id of [secretId, copyId]) {
      const mark = s.requests().length;
      const r = await wrangler(['secrets-store', 'secret', 'delete', storeId, '--secret-id', id]);
      expect(r.code, r.stdout + r.stderr).toBe(0);
      expect(sentSince(mark)).toEqual([`DELETE /stores/${storeId}/secrets/${id}`]);
    }
    expect((await mycli(['secrets-store', 'secret', 'list', '--store', storeId])).secrets).toEqual([]);
    const mark = s.requests().length;
    const r = await wrangler(['secrets-store', 'store', 'delete', storeId]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(sentSince(mark)).toEqual([`DELETE /stores/${storeId}`]);
    expect((await mycli(['secrets-store', 'store', 'list'])).stores).toEqual([]);
  });
});
