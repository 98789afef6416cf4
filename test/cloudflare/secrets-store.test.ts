/**
 * mycli secrets-store on the cloudflare backend, against a fake of the API on a real HTTP server:
 * the requests match Cloudflare's documented shapes (checked against the reference schemas), the
 * whole cycle works by name or id, and no value is ever printed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeProject, type Project } from '../helpers/cli.js';
import { ACCOUNT, startFakeSecretsStore, TOKEN, type FakeSecretsStore } from './fake-secrets-store.js';

let fake: FakeSecretsStore;
let p: Project;
const VALUES = ['cf-ss-v4lue-first', 'cf-ss-v4lue-second'];

async function run(argv: string[], stdin?: string) {
  const r = await p.run([...argv, '--backend', 'cloudflare', '--json'], {
    ...(stdin === undefined ? {} : { stdin }),
    env: { CLOUDFLARE_API_BASE_URL: fake.base, CLOUDFLARE_API_TOKEN: TOKEN, CLOUDFLARE_ACCOUNT_ID: ACCOUNT, MYCLI_HTTP_RETRY_DELAY_MS: '1' },
  });
  for (const v of VALUES) expect(r.all).not.toContain(v);
  expect(r.all).not.toContain(TOKEN);
  return r;
}
async function ok(argv: string[], stdin?: string) {
  const r = await run(argv, stdin);
  expect(r.code, r.all).toBe(0);
  return r.json();
}
const since = (mark: number) => fake.sent.slice(mark).map((s) => `${s.method} ${s.path}${s.query ? `?${s.query}` : ''}`);

describe('secrets-store on the cloudflare backend (fake API)', () => {
  beforeAll(async () => {
    fake = await startFakeSecretsStore();
    p = makeProject();
  });
  afterAll(async () => {
    await fake?.close();
  });

  it('every write and every confirmation names the store, the backend and the account', async () => {
    const env = { CLOUDFLARE_API_BASE_URL: fake.base, CLOUDFLARE_API_TOKEN: TOKEN, CLOUDFLARE_ACCOUNT_ID: ACCOUNT, MYCLI_HTTP_RETRY_DELAY_MS: '1' };
    const cf = (argv: string[], o: Parameters<Project['run']>[1] = {}) => p.run([...argv, '--backend', 'cloudflare', '--no-color'], { ...o, env: { ...env, ...o.env } });
    const place = new RegExp(`backend cloudflare \\(127\\.0\\.0\\.1:\\d+, account ${ACCOUNT}\\)`);
    const created = await cf(['secrets-store', 'store', 'create', 'named-store']);
    expect(created.code, created.stderr).toBe(0);
    expect(created.stderr).toMatch(new RegExp(`^Creating store named-store in the Secrets Store · ${place.source}$`, 'm'));
    expect(created.stderr).toMatch(new RegExp(`✓ created store named-store \\([0-9a-f]+\\) · ${place.source}`));
    const secret = await cf(['secrets-store', 'secret', 'create', 'named-key', '--store', 'named-store'], { stdin: VALUES[0] });
    expect(secret.stderr).toMatch(new RegExp(`Creating secret named-key in store named-store · ${place.source}`));
    expect(secret.stderr).toMatch(new RegExp(`✓ created secret named-key .* in store named-store · ${place.source}`));
    const del = await cf(['secrets-store', 'secret', 'delete', 'named-key', '--store', 'named-store'], { tty: true, answers: [false] });
    expect(del.code).toBe(130);
    expect(del.prompts[0]).toMatch(new RegExp(`^Delete secret named-key \\([0-9a-f]+\\) from store named-store · ${place.source}\\?$`));
    const store = await cf(['secrets-store', 'store', 'delete', 'named-store', '--force'], { tty: true, answers: [true] });
    expect(store.code, store.stderr).toBe(0);
    expect(store.prompts[0]).toMatch(new RegExp(`^Delete store named-store \\([0-9a-f]+\\) and its 1 secret · ${place.source}\\?$`));
    expect(store.stderr).toMatch(new RegExp(`✓ deleted store named-store .* · ${place.source}`));
    for (const r of [created, secret, del, store]) for (const v of [...VALUES, TOKEN]) expect(r.all).not.toContain(v);
  });

  it('the whole cycle, with the documented request shapes', async () => {
    let mark = fake.sent.length;
    const store = (await ok(['secrets-store', 'store', 'create', 'cf-keys'])).store;
    expect(since(mark)).toEqual(['GET /stores?per_page=100', 'POST /stores']);
    expect(fake.sent.at(-1)!.json).toEqual({ name: 'cf-keys' });
    expect((await run(['secrets-store', 'store', 'create', 'cf-keys'])).code).toBe(5);

    mark = fake.sent.length;
    const created = (await ok(['secrets-store', 'secret', 'create', 'api-key', '--store', 'cf-keys', '--comment', 'billing'], VALUES[0] + '\n')).secret;
    expect(since(mark)).toEqual(['GET /stores?per_page=100', `GET /stores/${store.id}/secrets?per_page=100`, `POST /stores/${store.id}/secrets`]);
    expect(fake.sent.at(-1)!.json).toEqual([{ name: 'api-key', value: VALUES[0], scopes: ['workers'], comment: 'billing' }]);
    expect(fake.values.get(created.id)).toBe(VALUES[0]);

    // Who binds it: the latest version of the config's Worker.
    fake.workerBindings.set('my-worker', [{ type: 'secrets_store_secret', name: 'API_KEY', store_id: store.id, secret_name: 'api-key' }]);
    const list = await ok(['secrets-store', 'secret', 'list', '--store', store.id]);
    expect(list.secrets).toEqual([expect.objectContaining({ id: created.id, name: 'api-key', scopes: ['workers'], comment: 'billing', boundBy: [{ worker: 'my-worker', binding: 'API_KEY' }] })]);

    mark = fake.sent.length;
    const got = (await ok(['secrets-store', 'secret', 'get', 'api-key', '--store', 'cf-keys'])).secret;
    expect(got).toMatchObject({ id: created.id, name: 'api-key' });
    expect(since(mark)).toContain(`GET /stores/${store.id}/secrets/${created.id}`);

    mark = fake.sent.length;
    await ok(['secrets-store', 'secret', 'update', created.id, '--store', 'cf-keys', '--scopes', 'workers,ai_gateway'], VALUES[1]);
    expect(fake.sent.at(-1)).toMatchObject({ method: 'PATCH', path: `/stores/${store.id}/secrets/${created.id}`, json: { value: VALUES[1], scopes: ['workers', 'ai_gateway'] } });
    expect(fake.values.get(created.id)).toBe(VALUES[1]);
    await ok(['secrets-store', 'secret', 'update', 'api-key', '--store', 'cf-keys', '--keep-value', '--comment', 'rotated']);
    expect(fake.sent.at(-1)!.json).toEqual({ comment: 'rotated' });

    const dup = (await ok(['secrets-store', 'secret', 'duplicate', 'api-key', 'api-key-2', '--store', 'cf-keys'])).secret;
    expect(fake.sent.at(-1)).toMatchObject({ method: 'POST', path: `/stores/${store.id}/secrets/${created.id}/duplicate`, json: { name: 'api-key-2', scopes: ['workers', 'ai_gateway'], comment: 'rotated' } });
    expect(fake.values.get(dup.id)).toBe(VALUES[1]);

    expect((await run(['secrets-store', 'store', 'delete', 'cf-keys', '--yes'])).code).toBe(5);
    mark = fake.sent.length;
    await ok(['secrets-store', 'secret', 'delete', 'api-key-2', '--store', 'cf-keys', '--yes']);
    expect(since(mark)).toContain(`DELETE /stores/${store.id}/secrets/${dup.id}`);
    mark = fake.sent.length;
    await ok(['secrets-store', 'store', 'delete', 'cf-keys', '--yes', '--force']);
    expect(since(mark)).toContain(`DELETE /stores/${store.id}?force=true`);
    expect((await ok(['secrets-store', 'store', 'list'])).stores).toEqual([]);
  });

  it('the value limit is checked before any request', async () => {
    const mark = fake.sent.length;
    const r = await run(['secrets-store', 'secret', 'create', 'big', '--store', 'whatever'], 'x'.repeat(65_537));
    expect(r.code).toBe(2);
    expect(r.json().error.message).toMatch(/the Secrets Store takes at most 65536 bytes/);
    expect(fake.sent.length).toBe(mark);
  });
});

describe('the fake checks bodies against the reference schemas (so the shapes above mean something)', () => {
  it('refuses an unknown scope, a missing field and an unknown field', async () => {
    const { schemaProblems } = await import('./fake-secrets-store.js');
    const { readFileSync } = await import('node:fs');
    const spec = JSON.parse(readFileSync(new URL('./fixtures/secrets-store-openapi.json', import.meta.url), 'utf8'));
    const create = spec.operations.find((o: { method: string; path: string }) => o.method === 'POST' && o.path.endsWith('/stores/{store_id}/secrets')).requestBody;
    expect(schemaProblems([{ name: 'a', value: 'v', scopes: ['workers'] }], create)).toEqual([]);
    expect(schemaProblems([{ name: 'a', value: 'v', scopes: ['nope'] }], create)).toEqual([expect.stringMatching(/scopes\[0\]: not one of/)]);
    expect(schemaProblems({ name: 'a' }, create)).toEqual(['body: must be an array']);
    const dup = spec.operations.find((o: { path: string }) => o.path.endsWith('/duplicate')).requestBody;
    expect(schemaProblems({ name: 'a' }, dup)).toEqual(['body.scopes: required']);
    expect(schemaProblems({ name: 'a', scopes: ['workers'], value: 'x' }, dup)).toEqual(['body.value: not in the schema']);
  });
});
