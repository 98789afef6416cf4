/**
 * What the cloudflare backend sends, command by command, through the CLI in-process against a
 * real HTTP server: method, path, query, headers and body, each validated against the OpenAPI
 * subset in fixtures/. Every test that handles a secret checks it was never printed.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ACCOUNT, TOKEN } from './fake-api.js';
import { cf, cfProject, expectNotPrinted, expectValidRequests, lines, useFakeApi } from './helpers.js';

const api = useFakeApi();

const SECRET = 'sup3r-s3cret-v4lue';
const worker = () => api.workers.get('my-worker')!;

describe('secrets', () => {
  it('secret put: PUTs {name,text,type} (as wrangler), then reads the newest version: 2 requests', async () => {
    const p = cfProject(api);
    const r = await p.run(cf('secret', 'put', 'API_KEY', '--json', '--debug'), { stdin: SECRET + '\n' });
    expect(r.code, r.stderr).toBe(0);
    const newest = api.latest(worker())!;
    expect(lines(api.requests)).toEqual([
      'PUT /A/workers/scripts/my-worker/secrets',
      'GET /A/workers/scripts/my-worker/versions?per_page=1',
    ]);
    const put = api.requests[0];
    expect(put.headers['content-type']).toBe('application/json');
    expect(put.json).toEqual({ name: 'API_KEY', text: SECRET, type: 'secret_text' });
    expect(put.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expectValidRequests(api.requests);
    const doc = r.json();
    expect(doc).toMatchObject({ backend: 'cloudflare', secret: { name: 'API_KEY', action: 'set' }, versionId: newest.id, deployed: true });
    expect(doc.deployment.versions).toEqual([{ versionId: newest.id, percentage: 100 }]);
    expect(doc.version.number).toBe(2);
    expect(r.stderr).toContain('debug: → PUT');
    expect(r.stderr).toContain('← 200 PUT');
    expectNotPrinted(r.all, SECRET, TOKEN);
  });

  it('secret put of an existing name: "set" (added or updated is not worth a request), 2 requests', async () => {
    const r = await cfProject(api).run(cf('secret', 'put', 'OLD_SECRET', '--json'), { stdin: SECRET });
    expect(r.code, r.stderr).toBe(0);
    expect(r.json().secret.action).toBe('set');
    expect(api.requests.map((x) => x.method)).toEqual(['PUT', 'GET']);
    expect(api.secretsOf(api.latest(worker())).get('OLD_SECRET')).toBe(SECRET);
    expectNotPrinted(r.all, SECRET, TOKEN, 'old-secret-value-123');
  });

  it('secret list: GET .../secrets, names only', async () => {
    const r = await cfProject(api).run(cf('secret', 'list', '--json'));
    expect(r.code, r.stderr).toBe(0);
    expect(lines(api.requests)).toEqual(['GET /A/workers/scripts/my-worker/secrets']);
    expectValidRequests(api.requests);
    expect(r.json().secrets).toEqual([{ name: 'OLD_SECRET', type: 'secret_text' }]);
    expectNotPrinted(r.all, 'old-secret-value-123', TOKEN);
  });

  it('secret delete: DELETE .../secrets/{name}?url_encoded=true', async () => {
    const r = await cfProject(api).run(cf('secret', 'delete', 'OLD_SECRET', '--yes', '--json'));
    expect(r.code, r.stderr).toBe(0);
    expect(lines(api.requests)).toEqual([
      'DELETE /A/workers/scripts/my-worker/secrets/OLD_SECRET?url_encoded=true',
      'GET /A/workers/scripts/my-worker/versions?per_page=1',
    ]);
    expectValidRequests(api.requests);
    expect(r.json()).toMatchObject({ secret: { name: 'OLD_SECRET', action: 'deleted' }, versionId: api.latest(worker())!.id });
  });

  it('secret delete of a missing name: exit 3, nothing deleted', async () => {
    const r = await cfProject(api).run(cf('secret', 'delete', 'NOPE', '--yes'));
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/secret "NOPE" does not exist/);
    // The API is the authority: one DELETE, refused with 404.
    expect(api.requests.map((x) => x.method)).toEqual(['DELETE']);
    expect(api.latest(worker())!.number).toBe(1);
  });

  it('secret bulk: one PATCH .../secrets-bulk as merge-patch, null deletes', async () => {
    const input = JSON.stringify({ A_KEY: 'value-a-1234', B_KEY: 'value-b-5678', OLD_SECRET: null });
    const r = await cfProject(api).run(cf('secret', 'bulk', '--json', '--yes'), { stdin: input });
    expect(r.code, r.stderr).toBe(0);
    const patch = api.requests.find((x) => x.method === 'PATCH')!;
    expect(patch.path).toBe(`/accounts/${ACCOUNT}/workers/scripts/my-worker/secrets-bulk`);
    expect(patch.headers['content-type']).toBe('application/merge-patch+json');
    expect(patch.json).toEqual({
      secrets: {
        A_KEY: { name: 'A_KEY', text: 'value-a-1234', type: 'secret_text' },
        B_KEY: { name: 'B_KEY', text: 'value-b-5678', type: 'secret_text' },
        OLD_SECRET: null,
      },
    });
    expectValidRequests(api.requests);
    const doc = r.json();
    // With a delete, bulk lists the secrets first (to skip missing names): that list also tells added from updated.
    expect(doc.changes).toEqual([
      { name: 'A_KEY', action: 'added' },
      { name: 'B_KEY', action: 'added' },
      { name: 'OLD_SECRET', action: 'deleted' },
    ]);
    expect(lines(api.requests)).toEqual([
      'GET /A/workers/scripts/my-worker/secrets',
      'PATCH /A/workers/scripts/my-worker/secrets-bulk',
      'GET /A/workers/scripts/my-worker/versions?per_page=1',
    ]);
    expect(doc.versionId).toBe(api.latest(worker())!.id);
    expectNotPrinted(r.all, 'value-a-1234', 'value-b-5678', TOKEN);
  });
});

describe('versions', () => {
  it('versions list: GET .../versions?deployable=true', async () => {
    const r = await cfProject(api).run(cf('versions', 'list', '--json'));
    expect(r.code, r.stderr).toBe(0);
    expect(lines(api.requests).sort()).toEqual(['GET /A/workers/scripts/my-worker/deployments', 'GET /A/workers/scripts/my-worker/versions?deployable=true']);
    expectValidRequests(api.requests);
    expect(r.json().versions).toMatchObject([{ id: api.latest(worker())!.id, number: 1, percentage: 100, author: 'dev@example.com', source: 'upload' }]);
  });

  it('versions list follows pagination (result_info, page & per_page)', async () => {
    const w = worker();
    for (let i = 0; i < 4; i++) api.addVersion(w, [], 'upload', { 'workers/message': `m${i}` });
    api.versionsPageSize = 2;
    const r = await cfProject(api).run(cf('versions', 'list', '--json'));
    expect(r.code, r.stderr).toBe(0);
    expect(lines(api.requests).filter((l) => l.includes('/versions'))).toEqual([
      'GET /A/workers/scripts/my-worker/versions?deployable=true',
      'GET /A/workers/scripts/my-worker/versions?deployable=true&page=2&per_page=2',
      'GET /A/workers/scripts/my-worker/versions?deployable=true&page=3&per_page=2',
    ]);
    expectValidRequests(api.requests);
    expect(r.json().versions.map((v: { number: number }) => v.number)).toEqual([5, 4, 3, 2, 1]);
  });

  it('versions view: GET .../versions/{id}; an unknown id exits 3', async () => {
    const id = api.latest(worker())!.id;
    const r = await cfProject(api).run(cf('versions', 'view', id, '--json'));
    expect(r.code, r.stderr).toBe(0);
    expect(lines(api.requests)).toContain(`GET /A/workers/scripts/my-worker/versions/${id}`);
    expectValidRequests(api.requests);
    expect(r.stdout).toContain('GREETING');
    expectNotPrinted(r.all, 'old-secret-value-123');

    const missing = await cfProject(api).run(cf('versions', 'view', '00000000-0000-4000-8000-000000000000'));
    expect(missing.code).toBe(3);
    expect(missing.stderr).toMatch(/version 00000000-0000-4000-8000-000000000000 does not exist/);
  });

  it('versions upload: POST .../versions multipart (metadata + one ES module part)', async () => {
    const p = cfProject(api);
    const r = await p.run(cf('versions', 'upload', '--message', 'first try', '--tag', 'v1.2', '--json'));
    expect(r.code, r.stderr).toBe(0);
    const post = api.requests.find((x) => x.method === 'POST')!;
    expect(post.path).toBe(`/accounts/${ACCOUNT}/workers/scripts/my-worker/versions`);
    expect(String(post.headers['content-type'])).toMatch(/^multipart\/form-data; boundary=/);
    expect(post.json).toEqual({
      main_module: 'index.js',
      bindings: [
        { type: 'plain_text', name: 'GREETING', text: 'hello' },
        { type: 'json', name: 'LIMITS', json: { max: 10 } },
      ],
      keep_bindings: ['secret_text', 'secret_key'],
      annotations: { 'workers/message': 'first try', 'workers/tag': 'v1.2' },
    });
    const mod = post.parts!.find((x) => x.name === 'index.js')!;
    expect(mod).toMatchObject({ filename: 'index.js', contentType: 'application/javascript+module' });
    expect(mod.data.toString('utf8')).toBe(readFileSync(join(p.dir, 'src/index.js'), 'utf8'));
    expectValidRequests(api.requests);
    const v = api.latest(worker())!;
    expect(r.json()).toMatchObject({ versionId: v.id, version: { number: 2, message: 'first try', tag: 'v1.2' } });
    // The secret was kept by the API (keep_bindings), never sent.
    expect(v.bindings.map((b) => b.name).sort()).toEqual(['GREETING', 'LIMITS', 'OLD_SECRET']);
    expectNotPrinted(r.all, 'old-secret-value-123', TOKEN);
  });

  it('versions secret put: PATCH /workers/workers/{name}/versions/latest (merge-patch), not deployed', async () => {
    const r = await cfProject(api).run(cf('versions', 'secret', 'put', 'API_KEY', '-m', 'rotate', '--json', '--debug'), { stdin: SECRET });
    expect(r.code, r.stderr).toBe(0);
    const patch = api.requests.find((x) => x.method === 'PATCH')!;
    expect(patch.path).toBe(`/accounts/${ACCOUNT}/workers/workers/my-worker/versions/latest`);
    expect(patch.headers['content-type']).toBe('application/merge-patch+json');
    expect(patch.json).toEqual({ env: { API_KEY: { name: 'API_KEY', text: SECRET, type: 'secret_text' } }, annotations: { 'workers/message': 'rotate' } });
    expectValidRequests(api.requests);
    const v = api.latest(worker())!;
    expect(r.json()).toMatchObject({ secret: { name: 'API_KEY', action: 'set' }, versionId: v.id, version: { number: v.number }, deployed: false, deployment: null });
    // One request: the PATCH answers with the version it made.
    expect(api.requests.map((x) => x.method)).toEqual(['PATCH']);
    expect(api.live(worker())!.versions[0].version_id).not.toBe(v.id);
    expectNotPrinted(r.all, SECRET, TOKEN);
  });

  it('versions secret delete and bulk use the same endpoint', async () => {
    const del = await cfProject(api).run(cf('versions', 'secret', 'delete', 'OLD_SECRET', '--yes', '--json'));
    expect(del.code, del.stderr).toBe(0);
    expect(api.requests.find((x) => x.method === 'PATCH')!.json).toEqual({ env: { OLD_SECRET: null } });
    api.requests = [];
    const bulk = await cfProject(api).run(cf('versions', 'secret', 'bulk', '--json'), { stdin: 'X_KEY=xxxx-value\nY_KEY=yyyy-value\n' });
    expect(bulk.code, bulk.stderr).toBe(0);
    expect(api.requests.find((x) => x.method === 'PATCH')!.json).toEqual({
      env: { X_KEY: { name: 'X_KEY', text: 'xxxx-value', type: 'secret_text' }, Y_KEY: { name: 'Y_KEY', text: 'yyyy-value', type: 'secret_text' } },
    });
    expectValidRequests(api.requests);
    expectNotPrinted(del.all + bulk.all, 'xxxx-value', 'yyyy-value', 'old-secret-value-123');
  });
});

describe('deployments', () => {
  it('versions deploy A@10%: POST .../deployments {strategy, versions, annotations}', async () => {
    const w = worker();
    const v1 = api.latest(w)!;
    const v2 = api.addVersion(w, v1.bindings, 'upload', {});
    const r = await cfProject(api).run(cf('versions', 'deploy', `${v2.id}@10%`, '-m', 'canary', '--yes', '--json'));
    expect(r.code, r.stderr).toBe(0);
    const post = api.requests.find((x) => x.method === 'POST')!;
    expect(post.path).toBe(`/accounts/${ACCOUNT}/workers/scripts/my-worker/deployments`);
    expect(post.query.size).toBe(0);
    expect(post.json).toEqual({
      strategy: 'percentage',
      versions: [
        { version_id: v2.id, percentage: 10 },
        { version_id: v1.id, percentage: 90 },
      ],
      annotations: { 'workers/message': 'canary' },
    });
    expectValidRequests(api.requests);
    expect(r.json().deployment.versions).toEqual([
      { versionId: v2.id, percentage: 10 },
      { versionId: v1.id, percentage: 90 },
    ]);
  });

  it('rollback with changed secrets: 10220 names them, --yes resends with ?force=true', async () => {
    const p = cfProject(api);
    const v1 = api.latest(worker())!;
    expect((await p.run(cf('secret', 'put', 'OLD_SECRET'), { stdin: SECRET })).code).toBe(0);
    api.requests = [];
    const r = await p.run(cf('versions', 'rollback', v1.id, '--yes', '--json', '--debug'));
    expect(r.code, r.stderr).toBe(0);
    const posts = api.requests.filter((x) => x.method === 'POST');
    expect(posts.map((x) => `${x.path.split('/').pop()}${x.query.size ? `?${x.query}` : ''}`)).toEqual(['deployments', 'deployments?force=true']);
    expect(posts[1].json).toEqual(posts[0].json);
    expect(posts[0].json).toMatchObject({ strategy: 'percentage', versions: [{ version_id: v1.id, percentage: 100 }] });
    expectValidRequests(api.requests);
    expect(r.json()).toMatchObject({ versionId: v1.id, secretsChanged: ['OLD_SECRET'] });
    expect(r.stderr).toContain('OLD_SECRET');
    expectNotPrinted(r.all, SECRET, 'old-secret-value-123', TOKEN);
  });

  it('deployments list and status: GET .../deployments', async () => {
    const list = await cfProject(api).run(cf('deployments', 'list', '--json'));
    expect(list.code, list.stderr).toBe(0);
    expect(lines(api.requests)).toEqual(['GET /A/workers/scripts/my-worker/deployments']);
    const d = api.live(worker())!;
    expect(list.json().deployments).toMatchObject([{ id: d.id, author: 'dev@example.com', source: 'deployment', versions: [{ versionId: d.versions[0].version_id, percentage: 100 }] }]);
    api.requests = [];
    const status = await cfProject(api).run(cf('deployments', 'status', '--json'));
    expect(status.code, status.stderr).toBe(0);
    expect(status.json().versions).toEqual([{ id: d.versions[0].version_id, versionId: d.versions[0].version_id, number: 1, percentage: 100 }]);
    expectValidRequests(api.requests);
  });
});

describe('credentials and account', () => {
  it('no credentials: exit 4 naming the variables, no request sent', async () => {
    const r = await cfProject(api, { CLOUDFLARE_API_TOKEN: '' }).run(cf('secret', 'list'));
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/CLOUDFLARE_API_TOKEN/);
    expect(r.stderr).toMatch(/CLOUDFLARE_API_KEY/);
    expect(api.requests).toEqual([]);
  });

  it('CLOUDFLARE_API_KEY + CLOUDFLARE_EMAIL: X-Auth-Key / X-Auth-Email, no Authorization', async () => {
    const r = await cfProject(api, { CLOUDFLARE_API_TOKEN: '', CLOUDFLARE_API_KEY: 'legacy-key-abcdef', CLOUDFLARE_EMAIL: 'me@example.com' }).run(
      cf('secret', 'list', '--debug'),
    );
    expect(r.code, r.stderr).toBe(0);
    expect(api.requests[0].headers).toMatchObject({ 'x-auth-key': 'legacy-key-abcdef', 'x-auth-email': 'me@example.com' });
    expect(api.requests[0].headers.authorization).toBeUndefined();
    expectNotPrinted(r.all, 'legacy-key-abcdef');
  });

  it('account from GET /accounts when the token sees exactly one', async () => {
    const r = await cfProject(api, { CLOUDFLARE_ACCOUNT_ID: '' }).run(cf('secret', 'list'));
    expect(r.code, r.stderr).toBe(0);
    expect(lines(api.requests)).toEqual(['GET /accounts?per_page=50', 'GET /A/workers/scripts/my-worker/secrets']);
    expectValidRequests(api.requests);
  });

  it('account_id from the config is used when CLOUDFLARE_ACCOUNT_ID is not set', async () => {
    const p = cfProject(api, { CLOUDFLARE_ACCOUNT_ID: '' });
    p.write('wrangler.toml', `name = "my-worker"\nmain = "src/index.js"\naccount_id = "${ACCOUNT}"\n`);
    const r = await p.run(cf('secret', 'list'));
    expect(r.code, r.stderr).toBe(0);
    expect(lines(api.requests)).toEqual(['GET /A/workers/scripts/my-worker/secrets']);
  });

  it('several accounts: exit 2 listing them and naming CLOUDFLARE_ACCOUNT_ID; none: exit 4', async () => {
    api.accounts = [
      { id: ACCOUNT, name: 'Example Account', type: 'standard' },
      { id: 'bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb', name: 'Other Team', type: 'enterprise' },
    ];
    const several = await cfProject(api, { CLOUDFLARE_ACCOUNT_ID: '' }).run(cf('secret', 'list'));
    expect(several.code).toBe(2);
    expect(several.stderr).toContain(`Example Account (${ACCOUNT})`);
    expect(several.stderr).toContain('Other Team (bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb)');
    expect(several.stderr).toContain('CLOUDFLARE_ACCOUNT_ID');
    api.accounts = [];
    const none = await cfProject(api, { CLOUDFLARE_ACCOUNT_ID: '' }).run(cf('secret', 'list'));
    expect(none.code).toBe(4);
    api.accounts = [{ id: ACCOUNT, name: 'Example Account', type: 'standard' }];
  });

  it('an unknown Worker is not created: exit 3 with a hint, only the refused write was sent', async () => {
    const r = await cfProject(api).run(cf('secret', 'put', 'API_KEY', '--name', 'ghost-worker'), { stdin: SECRET });
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/Worker "ghost-worker" not found/);
    expect(r.stderr).toMatch(/never creates a Worker/);
    expect(r.stderr).toMatch(/10007/);
    expect(api.requests.map((x) => x.method)).toEqual(['PUT']);
    expect(api.workers.has('ghost-worker')).toBe(false);
    expectNotPrinted(r.all, SECRET, TOKEN);
  });
});
