/** mycli serve's Secrets Store routes, request by request (Cloudflare's shapes and codes). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACCOUNT, startServe, type Served } from './helpers.js';

let s: Served;
const SS = `/accounts/${ACCOUNT}/secrets_store`;

describe('mycli serve: /accounts/{account_id}/secrets_store', () => {
  beforeAll(async () => {
    s = await startServe();
  });
  afterAll(async () => {
    expect(await s?.stop()).toBe(0);
  });

  it('stores: create, conflict (409), get, list with result_info, unknown (404)', async () => {
    const c = await s.api('POST', `${SS}/stores`, { body: { name: 'api-store' } });
    expect(c.status).toBe(200);
    expect(c.json.result).toEqual({ id: expect.stringMatching(/^[0-9a-f]{32}$/), name: 'api-store', account_id: ACCOUNT, created: expect.any(String), modified: expect.any(String) });
    const again = await s.api('POST', `${SS}/stores`, { body: { name: 'api-store' } });
    expect(again.status).toBe(409);
    expect(again.json).toMatchObject({ success: false, errors: [{ code: 10009 }] });
    expect((await s.api('GET', `${SS}/stores/${c.json.result.id}`)).json.result.name).toBe('api-store');
    const l = await s.api('GET', `${SS}/stores?per_page=5&page=1`);
    expect(l.json.result_info).toMatchObject({ page: 1, per_page: 5, total_count: 1 });
    expect((await s.api('GET', `${SS}/stores/ffffffffffffffffffffffffffffffff`)).status).toBe(404);
  });

  it('secrets: an array created at once, never a value back; limit and scopes checked; search; bulk delete; quota', async () => {
    const store = (await s.api('POST', `${SS}/stores`, { body: { name: 'bulk-store' } })).json.result;
    const base = `${SS}/stores/${store.id}/secrets`;
    const created = await s.api('POST', base, {
      body: [
        { name: 'one', value: 'v4lue-one', scopes: ['workers'], comment: 'first' },
        { name: 'two', value: 'v4lue-two', scopes: ['workers', 'ai_gateway'] },
      ],
    });
    expect(created.status).toBe(200);
    expect(created.json.result.map((x: { name: string }) => x.name)).toEqual(['one', 'two']);
    expect(created.text).not.toContain('v4lue');
    expect(created.json.result[0]).toEqual({
      id: expect.stringMatching(/^[0-9a-f]{32}$/), store_id: store.id, name: 'one', comment: 'first', scopes: ['workers'], status: 'active', created: expect.any(String), modified: expect.any(String),
    });

    const tooLong = await s.api('POST', base, { body: [{ name: 'big', value: 'x'.repeat(65_537), scopes: ['workers'] }] });
    expect(tooLong.status).toBe(400);
    expect(tooLong.text).toMatch(/at most 65536 bytes/);
    const badScope = await s.api('POST', base, { body: [{ name: 'x', value: 'v', scopes: ['nope'] }] });
    expect(badScope.status).toBe(400);
    const dupName = await s.api('POST', base, { body: [{ name: 'one', value: 'v', scopes: ['workers'] }] });
    expect(dupName.status).toBe(409);

    const search = await s.api('GET', `${base}?search=tw`);
    expect(search.json.result.map((x: { name: string }) => x.name)).toEqual(['two']);
    const all = await s.api('GET', base);
    expect(all.text).not.toContain('v4lue');

    const patched = await s.api('PATCH', `${base}/${created.json.result[0].id}`, { body: { comment: 'changed' } });
    expect(patched.json.result.comment).toBe('changed');

    expect((await s.api('GET', `${SS}/quota`)).json.result.secrets.usage).toBeGreaterThanOrEqual(2);
    const del = await s.api('DELETE', base, { body: { ids: created.json.result.map((x: { id: string }) => x.id) } });
    expect(del.status).toBe(202);
    expect((await s.api('GET', base)).json.result).toEqual([]);
    expect((await s.api('DELETE', `${base}/ffffffffffffffffffffffffffffffff`)).status).toBe(404);
  });
});
