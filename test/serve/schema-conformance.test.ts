/**
 * Every route of `mycli serve` (src/serve/routes.ts, its route table) answers what Cloudflare's
 * API reference says: each route has a case here that sends it a real request over HTTP and
 * checks the answer's status, required fields, types, nullability and enums against the
 * operation's response schema (fixtures/cloudflare-workers-api.json, copied from the shared
 * reference extract). A route without a case fails the test, so a new route needs one.
 *
 * Routes the reference does not cover (wrangler's service-environment paths, workers.dev, KV,
 * the Workers "beta" Worker object, memberships) say so and where their shape comes from; their
 * answers are still checked against the API's success envelope.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROUTES } from '../../src/serve/routes.js';
import { check, type Schema } from '../cloudflare/schema.js';
import { ACCOUNT, startServe, uploadForm, type ApiResult, type Served } from './helpers.js';

interface RefOperation {
  method: string;
  path: string;
  parameters: { name: string; in: string; schema: Schema }[];
  responses: Record<string, { content?: Record<string, Schema> }>;
  pagination?: string;
}

const REF: { operations: RefOperation[]; envelope: { success: Schema; failure: Schema; result_info: Schema } } = JSON.parse(
  readFileSync(new URL('./fixtures/cloudflare-workers-api.json', import.meta.url), 'utf8'),
);

/** "accounts/:account/workers/scripts/:script" and "/accounts/{account_id}/…" to one shape. */
const shape = (path: string) => path.replace(/^\//, '').replace(/\{[^}]+\}/g, '*').replace(/:[a-z]+/g, '*');

function refOperation(method: string, path: string): RefOperation | undefined {
  return REF.operations.find((o) => o.method === method && shape(o.path) === shape(path));
}

const W = 'conform';
const A = `/accounts/${ACCOUNT}`;
let s: Served;
let storeId = '';
let storeSecretId = '';
const versions: string[] = [];

const script = (rest = '', worker = W) => `${A}/workers/scripts/${worker}${rest}`;
const store = (rest = '') => `${A}/secrets_store/stores/${storeId}${rest}`;
const multipartSettings = (settings: unknown) => {
  const form = new FormData();
  form.set('settings', new Blob([JSON.stringify(settings)], { type: 'application/json' }), 'blob');
  return form;
};
async function newWorker(name: string): Promise<void> {
  const r = await s.api('PUT', script('', name), { raw: uploadForm({ bindings: [{ type: 'plain_text', name: 'GREETING', text: 'hi' }] }) });
  expect(r.status, r.text).toBe(200);
}

interface Case {
  /** Why the reference has no operation for this route (and where its shape comes from). */
  notInReference?: string;
  send: () => Promise<ApiResult>;
  /** What the answer must also show (what the client sent, kept). */
  then?: (r: ApiResult) => void | Promise<void>;
}

/** One case per route of the table, keyed "METHOD path" as in routes.ts. */
const CASES: Record<string, Case> = {
  'GET accounts': {
    send: () => s.api('GET', '/accounts?page=1&per_page=5&direction=asc'),
    then: async (r) => {
      expect(r.json.result_info).toMatchObject({ page: 1, per_page: 5, count: 1, total_count: 1, total_pages: 1 });
      // A page past the last is empty (the SDK's for-await ends there).
      const p2 = await s.api('GET', '/accounts?page=2');
      expect(p2.json.result).toEqual([]);
      expect(p2.json.result_info).toMatchObject({ page: 2, count: 0, total_count: 1 });
    },
  },
  'GET memberships': {
    notInReference: 'wrangler (whoami, account choice) reads it; shape of the SDK\'s Membership',
    send: () => s.api('GET', '/memberships?page=2'),
    then: (r) => expect(r.json.result).toEqual([]),
  },
  'GET user/tokens/verify': { send: () => s.api('GET', '/user/tokens/verify') },
  'GET accounts/:account/tokens/verify': { send: () => s.api('GET', `${A}/tokens/verify`) },
  'GET accounts/:account/workers/scripts': {
    notInReference: 'the list of Workers is outside the extract; shape of the SDK\'s Script',
    send: () => s.api('GET', `${A}/workers/scripts`),
  },
  'GET accounts/:account/workers/scripts/:script': { send: () => s.api('GET', script()) },
  'PUT accounts/:account/workers/scripts/:script': {
    send: () =>
      s.api('PUT', script('', 'conform-put'), {
        raw: uploadForm({ bindings: [{ type: 'plain_text', name: 'X', text: 'y' }], annotations: { 'workers/message': 'kept' } }),
      }),
  },
  'DELETE accounts/:account/workers/scripts/:script': {
    send: async () => {
      await newWorker('conform-delete');
      return s.api('DELETE', script('', 'conform-delete'));
    },
  },
  'GET accounts/:account/workers/scripts/:script/settings': { send: () => s.api('GET', script('/settings')) },
  'PATCH accounts/:account/workers/scripts/:script/settings': {
    send: () => s.api('PATCH', script('/settings'), { raw: multipartSettings({ tags: ['team:a'], logpush: true, compatibility_date: '2025-06-01', usage_model: 'standard' }) }),
    then: async (r) => {
      expect(r.json.result).toMatchObject({ tags: ['team:a'], logpush: true, compatibility_date: '2025-06-01' });
      expect((await s.api('GET', script('/settings'))).json.result).toMatchObject({ tags: ['team:a'], logpush: true, compatibility_date: '2025-06-01' });
    },
  },
  'GET accounts/:account/workers/scripts/:script/script-settings': { send: () => s.api('GET', script('/script-settings')) },
  'PATCH accounts/:account/workers/scripts/:script/script-settings': {
    send: () => s.api('PATCH', script('/script-settings'), { body: { tags: ['env:prod', 'team:b'], tail_consumers: [{ service: 'tail' }] } }),
    then: async (r) => {
      expect(r.json.result).toMatchObject({ tags: ['env:prod', 'team:b'], tail_consumers: [{ service: 'tail' }] });
      expect((await s.api('GET', script('/script-settings'))).json.result.tags).toEqual(['env:prod', 'team:b']);
      const bad = await s.api('PATCH', script('/script-settings'), { body: { tags: 'not-a-list' } });
      expect(bad.status).toBe(400);
      expect(bad.json.errors[0].message).toMatch(/"tags" must be an array of strings/);
    },
  },
  'GET accounts/:account/workers/subdomain': {
    notInReference: 'workers.dev subdomain of the account (wrangler deploy); shape of the SDK\'s Subdomain',
    send: () => s.api('GET', `${A}/workers/subdomain`),
  },
  'GET accounts/:account/storage/kv/namespaces': {
    notInReference: 'KV is not served: an empty list (wrangler delete looks for a Workers Sites namespace)',
    send: () => s.api('GET', `${A}/storage/kv/namespaces`),
  },
  'GET accounts/:account/workers/scripts/:script/subdomain': {
    notInReference: 'a Worker\'s workers.dev setting (wrangler deploy); shape of the SDK\'s SubdomainGetResponse',
    send: () => s.api('GET', script('/subdomain')),
  },
  'POST accounts/:account/workers/scripts/:script/subdomain': {
    notInReference: 'a Worker\'s workers.dev setting (wrangler deploy); shape of the SDK\'s SubdomainCreateResponse',
    send: () => s.api('POST', script('/subdomain'), { body: { enabled: false, previews_enabled: true } }),
    then: (r) => expect(r.json.result).toEqual({ enabled: false, previews_enabled: true }),
  },
  'GET accounts/:account/workers/scripts/:script/secrets': { send: () => s.api('GET', script('/secrets')) },
  'PUT accounts/:account/workers/scripts/:script/secrets': {
    send: () => s.api('PUT', script('/secrets'), { body: { name: 'PUT_ONE', text: 'conform-value', type: 'secret_text' } }),
    then: async () => {
      const missing = await s.api('PUT', script('/secrets', 'conform-never-created'), { body: { name: 'X', text: 'v', type: 'secret_text' } });
      expectFailureEnvelope(missing, 404, 10007);
    },
  },
  'GET accounts/:account/workers/scripts/:script/secrets/:secret': { send: () => s.api('GET', script('/secrets/A')) },
  'DELETE accounts/:account/workers/scripts/:script/secrets/:secret': {
    send: async () => {
      await s.api('PUT', script('/secrets'), { body: { name: 'GONE', text: 'g', type: 'secret_text' } });
      return s.api('DELETE', script('/secrets/GONE?url_encoded=true'));
    },
  },
  'PATCH accounts/:account/workers/scripts/:script/secrets-bulk': {
    send: () =>
      s.api('PATCH', script('/secrets-bulk'), {
        headers: { 'content-type': 'application/merge-patch+json' },
        body: { secrets: { BULK_A: { type: 'secret_text', text: 'a' } } },
      }),
  },
  'GET accounts/:account/workers/scripts/:script/versions': {
    send: () => s.api('GET', script('/versions?page=1&per_page=2')),
    then: async (r) => {
      const total = r.json.result_info.total_count;
      expect(total).toBeGreaterThan(2);
      const pages = Math.ceil(total / 2);
      expect(r.json.result_info).toMatchObject({ page: 1, per_page: 2, count: 2, total_pages: pages });
      const last = await s.api('GET', script(`/versions?page=${pages + 1}&per_page=2`));
      expect(last.json.result.items).toEqual([]);
    },
  },
  'POST accounts/:account/workers/scripts/:script/versions': {
    send: () => s.api('POST', script('/versions'), { raw: uploadForm({ annotations: { 'workers/message': 'up', 'workers/tag': 'v-tag' } }) }),
    then: (r) => expect(r.json.result.annotations).toMatchObject({ 'workers/message': 'up', 'workers/tag': 'v-tag' }),
  },
  'GET accounts/:account/workers/scripts/:script/versions/:version': { send: () => s.api('GET', script(`/versions/${versions[0]}`)) },
  'GET accounts/:account/workers/scripts/:script/content/v2': {
    notInReference: 'the content of a version as wrangler 4.80 reads it back (multipart)',
    send: () => s.api('GET', script(`/content/v2?version=${versions[0]}`)),
  },
  'GET accounts/:account/workers/scripts/:script/deployments': { send: () => s.api('GET', script('/deployments')) },
  'POST accounts/:account/workers/scripts/:script/deployments': {
    send: () =>
      s.api('POST', script('/deployments?force=true'), {
        body: { strategy: 'percentage', versions: [{ version_id: versions[0], percentage: 100 }], annotations: { 'workers/message': 'conform' } },
      }),
    then: (r) => expect(r.json.result.annotations['workers/message']).toBe('conform'),
  },
  'GET accounts/:account/workers/scripts/:script/deployments/:deployment': {
    send: async () => {
      const [d] = (await s.api('GET', script('/deployments'))).json.result.deployments;
      return s.api('GET', script(`/deployments/${d.id}`));
    },
  },
  'GET accounts/:account/workers/workers/:script': {
    notInReference: 'the Worker object of the Workers API (wrangler 4.164 deploy); checked against the SDK\'s Worker type in sdk.test.ts',
    send: () => s.api('GET', `${A}/workers/workers/${W}`),
    then: (r) => expect(r.json.result).toMatchObject({ name: W, tags: ['env:prod', 'team:b'], subdomain: { enabled: false, previews_enabled: true } }),
  },
  'PATCH accounts/:account/workers/workers/:script/versions/latest': {
    notInReference: 'wrangler 4.164 `versions secret put`; the answer is a version as GET …/versions/{id}',
    send: () =>
      s.api('PATCH', `${A}/workers/workers/${W}/versions/latest`, {
        headers: { 'content-type': 'application/merge-patch+json' },
        body: { env: { LATEST: { type: 'secret_text', text: 'l' } } },
      }),
  },
  'GET accounts/:account/workers/services/:script': {
    notInReference: 'the service view wrangler reads after a deploy',
    send: () => s.api('GET', `${A}/workers/services/${W}`),
  },
  'DELETE accounts/:account/workers/services/:script': {
    notInReference: 'wrangler delete',
    send: async () => {
      await newWorker('conform-service-delete');
      return s.api('DELETE', `${A}/workers/services/conform-service-delete`);
    },
  },
  'PUT accounts/:account/workers/services/:script/environments/:env': {
    notInReference: 'service environments (wrangler --env without legacy_env); answers as the script upload',
    send: () => s.api('PUT', `${A}/workers/services/${W}/environments/staging`, { raw: uploadForm({}) }),
  },
  'GET accounts/:account/workers/services/:script/environments/:env/secrets': {
    notInReference: 'listed in the reference\'s not_in_openapi; answers as …/scripts/{name}/secrets',
    send: () => s.api('GET', `${A}/workers/services/${W}/environments/staging/secrets`),
  },
  'PUT accounts/:account/workers/services/:script/environments/:env/secrets': {
    notInReference: 'listed in the reference\'s not_in_openapi; answers as …/scripts/{name}/secrets',
    send: () => s.api('PUT', `${A}/workers/services/${W}/environments/staging/secrets`, { body: { name: 'ENV_S', text: 'e', type: 'secret_text' } }),
  },
  'DELETE accounts/:account/workers/services/:script/environments/:env/secrets/:secret': {
    notInReference: 'listed in the reference\'s not_in_openapi; answers as …/scripts/{name}/secrets/{secret_name}',
    send: () => s.api('DELETE', `${A}/workers/services/${W}/environments/staging/secrets/ENV_S`),
  },
  'GET accounts/:account/workers/services/:script/environments/:env/settings': {
    notInReference: 'listed in the reference\'s not_in_openapi; answers as …/scripts/{name}/settings',
    send: () => s.api('GET', `${A}/workers/services/${W}/environments/staging/settings`),
  },
  'PATCH accounts/:account/workers/services/:script/environments/:env/settings': {
    notInReference: 'listed in the reference\'s not_in_openapi; answers as …/scripts/{name}/settings',
    send: () => s.api('PATCH', `${A}/workers/services/${W}/environments/staging/settings`, { raw: multipartSettings({ tags: ['staging'] }) }),
    then: (r) => expect(r.json.result.tags).toEqual(['staging']),
  },
  'GET accounts/:account/secrets_store/quota': { send: () => s.api('GET', `${A}/secrets_store/quota`) },
  'GET accounts/:account/secrets_store/stores': {
    send: () => s.api('GET', `${A}/secrets_store/stores?page=1&per_page=1&order=name&direction=asc`),
    then: (r) => expect(r.json.result_info).toMatchObject({ page: 1, per_page: 1, count: 1 }),
  },
  'POST accounts/:account/secrets_store/stores': { send: () => s.api('POST', `${A}/secrets_store/stores`, { body: { name: 'conform-created' } }) },
  'GET accounts/:account/secrets_store/stores/:store': { send: () => s.api('GET', store()) },
  'DELETE accounts/:account/secrets_store/stores/:store': {
    send: async () => {
      const made = await s.api('POST', `${A}/secrets_store/stores`, { body: { name: 'conform-gone' } });
      return s.api('DELETE', `${A}/secrets_store/stores/${made.json.result.id}`);
    },
  },
  'GET accounts/:account/secrets_store/stores/:store/secrets': {
    send: () => s.api('GET', store('/secrets?page=1&per_page=1&search=k&scopes=workers&order=name&direction=asc')),
    then: (r) => expect(r.json.result_info).toMatchObject({ page: 1, per_page: 1 }),
  },
  'POST accounts/:account/secrets_store/stores/:store/secrets': {
    send: () => s.api('POST', store('/secrets'), { body: [{ name: 'k2', value: 'v2', scopes: ['workers'], comment: 'kept' }] }),
    then: (r) => expect(r.json.result[0].comment).toBe('kept'),
  },
  'DELETE accounts/:account/secrets_store/stores/:store/secrets': {
    send: async () => {
      const made = await s.api('POST', store('/secrets'), { body: [{ name: 'bulk-gone', value: 'v', scopes: ['workers'] }] });
      return s.api('DELETE', store('/secrets'), { body: { ids: [made.json.result[0].id] } });
    },
  },
  'GET accounts/:account/secrets_store/stores/:store/secrets/:secret': { send: () => s.api('GET', store(`/secrets/${storeSecretId}`)) },
  'PATCH accounts/:account/secrets_store/stores/:store/secrets/:secret': {
    send: () => s.api('PATCH', store(`/secrets/${storeSecretId}`), { body: { comment: 'patched' } }),
    then: (r) => expect(r.json.result.comment).toBe('patched'),
  },
  'DELETE accounts/:account/secrets_store/stores/:store/secrets/:secret': {
    send: async () => {
      const made = await s.api('POST', store('/secrets'), { body: [{ name: 'one-gone', value: 'v', scopes: ['workers'] }] });
      return s.api('DELETE', store(`/secrets/${made.json.result[0].id}`));
    },
  },
  'POST accounts/:account/secrets_store/stores/:store/secrets/:secret/duplicate': {
    send: () => s.api('POST', store(`/secrets/${storeSecretId}/duplicate`), { body: { name: 'k1-copy', scopes: ['workers', 'ai_gateway'], comment: 'copy' } }),
  },
};

function expectFailureEnvelope(r: ApiResult, status: number, code: number) {
  expect(r.status).toBe(status);
  expect(check(REF.envelope.failure, r.json, '$', 'response')).toEqual([]);
  expect(r.json.errors[0].code).toBe(code);
}

/** The JSON schema of an operation's answer with this status ("200", or its "4XX"). */
function responseSchema(op: RefOperation, status: number): { schema?: Schema; types: string[] } | undefined {
  const res = op.responses[String(status)] ?? op.responses[`${String(status)[0]}XX`];
  if (!res) return undefined;
  const content = res.content ?? {};
  return { schema: content['application/json'], types: Object.keys(content) };
}

describe('schema conformance: every route of serve answers as the API reference says', { timeout: 120_000 }, () => {
  beforeAll(async () => {
    s = await startServe();
    await newWorker(W);
    expect((await s.api('PUT', script('/secrets'), { body: { name: 'A', text: 'conform-a', type: 'secret_text' } })).status).toBe(200);
    expect((await s.api('PUT', script('/secrets'), { body: { name: 'B', text: 'conform-b', type: 'secret_text' } })).status).toBe(200);
    const list = await s.api('GET', script('/versions?deployable=true'));
    versions.push(...list.json.result.items.map((v: { id: string }) => v.id));
    const st = await s.api('POST', `${A}/secrets_store/stores`, { body: { name: 'conform-store' } });
    storeId = st.json.result.id;
    const sec = await s.api('POST', store('/secrets'), { body: [{ name: 'k1', value: 'conform-store-value', scopes: ['workers'], comment: 'c' }] });
    storeSecretId = sec.json.result[0].id;
  });
  afterAll(async () => {
    expect(await s?.stop()).toBe(0);
  });

  it('the reference copy is the shared extract (34 operations)', () => {
    expect(REF.operations).toHaveLength(34);
  });

  it('every case names a route of the table (no stale cases)', () => {
    const keys = new Set(ROUTES.map((r) => `${r.method} ${r.path}`));
    expect(Object.keys(CASES).filter((k) => !keys.has(k))).toEqual([]);
  });

  for (const route of ROUTES) {
    const key = `${route.method} ${route.path}`;
    it(key, async () => {
      const c = CASES[key];
      expect(c, `route ${key} has no schema case in schema-conformance.test.ts: add one`).toBeDefined();
      const op = refOperation(route.method, route.path);
      if (c.notInReference) expect(op, `${key} is in the reference now: drop notInReference`).toBeUndefined();
      else expect(op, `${key}: no operation of the reference has this method and path`).toBeDefined();
      const r = await c.send();
      expect(r.status, r.text).toBeLessThan(300);
      if (op) {
        const want = responseSchema(op, r.status);
        expect(want, `${key}: the reference has no ${r.status} answer`).toBeDefined();
        if (want!.schema) {
          expect(r.headers.get('content-type')).toMatch(/^application\/json/);
          expect(check(want!.schema, r.json, '$', 'response')).toEqual([]);
        } else {
          const type = (r.headers.get('content-type') ?? '').split(';')[0];
          expect(want!.types, `${key}: content type ${type}`).toContain(type);
        }
        if (op.pagination && !/not paginated/.test(op.pagination) && route.method === 'GET') {
          expect(check(REF.envelope.result_info, r.json.result_info, '$.result_info', 'response')).toEqual([]);
          expect(Object.keys(r.json.result_info ?? {}).sort()).toEqual(['count', 'page', 'per_page', 'total_count', 'total_pages']);
        }
      } else if ((r.headers.get('content-type') ?? '').startsWith('application/json')) {
        expect(check(REF.envelope.success, r.json, '$', 'response')).toEqual([]);
      }
      await c.then?.(r);
    });
  }

  it('failures use the API\'s failure envelope: unknown route, /user, a missing Worker, bad JSON', async () => {
    expectFailureEnvelope(await s.api('GET', '/user'), 404, 7003);
    expectFailureEnvelope(await s.api('GET', `${A}/billing/profile`), 404, 7003);
    expectFailureEnvelope(await s.api('GET', script('/settings', 'conform-missing')), 404, 10007);
    expectFailureEnvelope(await s.api('PUT', script('/secrets'), { body: '{"name":' }), 400, 6007);
  });
});
