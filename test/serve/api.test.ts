/**
 * `mycli serve` over real HTTP: routes, auth, Cloudflare envelopes and error codes, and the
 * domain rules (a secret change makes a version; 10215 during a gradual rollout; 10220 on a
 * rollback with changed secrets unless ?force=true). The server is the built binary.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACCOUNT, startServe, TOKEN, uploadForm, type Served } from './helpers.js';

let s: Served;
const W = 'my-worker';

beforeAll(async () => {
  s = await startServe();
});
afterAll(async () => {
  const code = await s?.stop();
  expect(code).toBe(0);
  // The token was given by env: never printed. Secret values never reach the log.
  expect(s.stderr()).not.toContain(TOKEN);
});

function expectFailure(r: { status: number; json: any }, status: number, code: number) {
  expect(r.status).toBe(status);
  expect(r.json).toMatchObject({ success: false, messages: [], result: null });
  expect(r.json.errors[0].code).toBe(code);
  expect(typeof r.json.errors[0].message).toBe('string');
}

/**
 * A secret on a Worker. Like Cloudflare, serve answers 10007 for a Worker never created; the
 * Worker is then made with the secret by a settings PATCH (version 1, deployed), the way
 * `wrangler secret bulk` makes one.
 */
async function putSecret(worker: string, name: string, text: string) {
  const r = await s.api('PUT', s.script(worker, '/secrets'), { body: { name, text, type: 'secret_text' } });
  if (r.json?.errors?.[0]?.code !== 10007) return r;
  return s.api('PATCH', s.script(worker, '/settings'), { body: { bindings: [{ type: 'secret_text', name, text }] } });
}

describe('auth', () => {
  it.each([
    ['no Authorization header', null, 401],
    ['a wrong token', 'not-the-token', 403],
  ])('%s -> %i with code 10000', async (_label, token, status) => {
    const r = await s.api('GET', '/accounts', { token });
    expectFailure(r, status, 10000);
    expect(r.text).not.toContain(TOKEN);
  });

  it('a non-bearer scheme is refused', async () => {
    const r = await s.api('GET', '/accounts', { token: null, headers: { authorization: `Basic ${TOKEN}` } });
    expectFailure(r, 403, 10000);
  });

  it('writes are refused without the token, and change nothing', async () => {
    const r = await s.api('PUT', s.script('auth-probe', '/secrets'), { token: null, body: { name: 'X', text: 'v', type: 'secret_text' } });
    expectFailure(r, 401, 10000);
    expectFailure(await s.api('GET', s.script('auth-probe', '/secrets')), 404, 10007);
  });
});

describe('routing and envelopes', () => {
  it('GET /accounts lists the one fake account', async () => {
    const r = await s.api('GET', '/accounts');
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ success: true, errors: [], messages: [], result: [{ id: ACCOUNT, type: 'standard' }] });
    expect(r.json.result_info).toMatchObject({ page: 1, count: 1, total_count: 1 });
  });

  it('tokens verify', async () => {
    for (const path of ['/user/tokens/verify', `/accounts/${ACCOUNT}/tokens/verify`]) {
      const r = await s.api('GET', path);
      expect(r.json.result.status).toBe('active');
    }
  });

  it.each([
    ['an unknown route', 'GET', `/accounts/${ACCOUNT}/workers/nothing-here`],
    ['a path outside the API', 'GET', '/../../elsewhere'],
  ])('%s -> 404 code 7003', async (_l, method, path) => {
    const r = await s.api(method, path);
    expectFailure(r, 404, 7003);
    expect(r.json.errors[0].message).toMatch(/could not route/i);
  });

  it('outside /client/v4 -> 404 code 7003', async () => {
    const res = await fetch(`http://127.0.0.1:${s.port}/elsewhere`);
    expect(res.status).toBe(404);
    expect((await res.json()).errors[0].code).toBe(7003);
  });

  it('a known path with the wrong method -> 405 code 7001', async () => {
    const r = await s.api('POST', s.script(W, '/secrets'), { body: {} });
    expectFailure(r, 405, 7001);
    expect(r.headers.get('allow')).toContain('GET');
  });

  it('an unknown Worker -> 404 code 10007 on reads', async () => {
    for (const rest of ['/secrets', '/versions', '/deployments', '/settings']) {
      expectFailure(await s.api('GET', s.script('no-such-worker', rest)), 404, 10007);
    }
  });

  it('any account id is accepted in paths (one store per served folder)', async () => {
    const r = await s.api('GET', `/accounts/0123456789abcdef0123456789abcdef/workers/scripts/no-such-worker/secrets`);
    expectFailure(r, 404, 10007);
  });
});

describe('bad requests', () => {
  it('malformed JSON -> 400 code 6007', async () => {
    const r = await s.api('PUT', s.script(W, '/secrets'), { body: '{"name": "A", "text": ' });
    expectFailure(r, 400, 6007);
  });

  // V8's JSON.parse messages quote the body around the error ("Unexpected token 'c', "...text":c0rrupt-v4lue..."
  // is not valid JSON"); a request carrying a value must never get it back in an error that
  // wrangler prints and CI logs keep.
  it.each([
    ['a bare value', 'c0rrupt-v4lue-0123456789'],
    ['a value left unquoted', '{"name": "A", "type": "secret_text", "text": c0rrupt-v4lue-0123456789}'],
    ['a value with a raw newline', '{"name": "A", "type": "secret_text", "text": "c0rrupt-v4lue\n-0123456789"}'],
  ])('malformed JSON with %s -> 6007 without any of the body', async (_l, body) => {
    const r = await s.api('PUT', s.script(W, '/secrets'), { body });
    expectFailure(r, 400, 6007);
    expect(r.text).not.toMatch(/c0rrupt|v4lue|0123456789/);
    const form = uploadForm({});
    form.set('metadata', `{"main_module": "index.js", "bindings": [{"type": "secret_text", "name": "A", "text": c0rrupt-v4lue-0123456789}]}`);
    const up = await s.api('POST', s.script(W, '/versions'), { raw: form });
    expectFailure(up, 400, 6007);
    expect(up.text).not.toMatch(/c0rrupt|v4lue|0123456789/);
  });

  it.each([
    ['a missing text', { name: 'GOOD', type: 'secret_text' }, /text/],
    ['a missing name', { text: 'v', type: 'secret_text' }, /name/],
    ['an unsupported type', { name: 'GOOD', text: 'v', type: 'secret_key' }, /secret_key/],
    ['a name with a dash', { name: 'BAD-NAME', text: 'v', type: 'secret_text' }, /not a valid secret name/],
    ['a name starting with a digit', { name: '1BAD', text: 'v', type: 'secret_text' }, /not a valid secret name/],
    ['a body that is not an object', ['x'], /JSON object/],
  ])('%s -> 400 with a message', async (_l, body, message) => {
    const r = await s.api('PUT', s.script('bad-requests', '/secrets'), { body });
    expectFailure(r, 400, 10001);
    expect(r.json.errors[0].message).toMatch(message);
    expect(r.text).not.toContain('"v"');
  });

  it('nothing was created by refused requests', async () => {
    expectFailure(await s.api('GET', s.script('bad-requests', '/secrets')), 404, 10007);
  });

  it('bulk with one invalid name is refused as a whole', async () => {
    await putSecret('bulk-bad', 'KEEP', 'k');
    const r = await s.api('PATCH', s.script('bulk-bad', '/secrets-bulk'), {
      headers: { 'content-type': 'application/merge-patch+json' },
      body: { secrets: { NEW_ONE: { name: 'NEW_ONE', text: 'x', type: 'secret_text' }, 'no good': { text: 'y', type: 'secret_text' } } },
    });
    expectFailure(r, 400, 10001);
    const list = await s.api('GET', s.script('bulk-bad', '/secrets'));
    expect(list.json.result).toEqual([{ name: 'KEEP', type: 'secret_text' }]);
  });

  it('an invalid Worker name -> 400', async () => {
    expectFailure(await s.api('GET', s.script('constructor', '/secrets')), 400, 10001);
    expectFailure(await s.api('GET', s.script('bad.name', '/secrets')), 400, 10001);
  });

  it('a deployment whose percentages do not sum to 100 -> 400', async () => {
    await putSecret('split-bad', 'A', '1');
    const [v] = (await s.api('GET', s.script('split-bad', '/versions'))).json.result.items;
    const r = await s.api('POST', s.script('split-bad', '/deployments'), {
      body: { strategy: 'percentage', versions: [{ version_id: v.id, percentage: 60 }] },
    });
    expectFailure(r, 400, 10001);
    expect(r.json.errors[0].message).toMatch(/sum to 60%/);
  });
});

describe('secrets: a change makes a version and deploys it', () => {
  const w = 'secrets-flow';

  it('PUT on a Worker never created -> 404 with 10007 (what wrangler reads to offer creating it); nothing is created', async () => {
    const r = await s.api('PUT', s.script(w, '/secrets'), { body: { name: 'API_KEY', text: 'top-secret-value-1', type: 'secret_text' } });
    expectFailure(r, 404, 10007);
    expect(r.text).not.toContain('top-secret-value-1');
    expectFailure(await s.api('GET', s.script(w, '/settings')), 404, 10007);
    expect((await s.project.run(['versions', 'list', '--name', w])).code).toBe(3);
  });

  it('PUT on an existing Worker answers the secret; version 1, deployed at 100%; values never come back', async () => {
    expect((await putSecret(w, 'API_KEY', 'top-secret-value-1')).status).toBe(200);
    const r = await putSecret(w, 'API_KEY', 'top-secret-value-1b');
    expect(r.status).toBe(200);
    expect(r.json).toEqual({ success: true, errors: [], messages: [], result: { name: 'API_KEY', type: 'secret_text' } });
    expect(r.text).not.toContain('top-secret-value-1');
    const versions = await s.api('GET', s.script(w, '/versions?deployable=true'));
    expect(versions.json.result.items).toHaveLength(2);
    const v = versions.json.result.items[0];
    expect(v).toMatchObject({ number: 2, annotations: { 'workers/triggered_by': 'secret' } });
    const deployments = await s.api('GET', s.script(w, '/deployments'));
    expect(deployments.json.result.deployments[0]).toMatchObject({
      strategy: 'percentage',
      versions: [{ version_id: v.id, percentage: 100 }],
    });
    const detail = await s.api('GET', s.script(w, `/versions/${v.id}`));
    expect(detail.json.result.resources.bindings).toContainEqual({ name: 'API_KEY', type: 'secret_text' });
    for (const x of [versions, deployments, detail]) expect(x.text).not.toContain('top-secret-value-1');
  });

  it('the same store as `mycli secret list` in that folder', async () => {
    const r = await s.project.run(['secret', 'list', '--name', w, '--json']);
    expect(r.code).toBe(0);
    expect(r.json().secrets.map((x: { name: string }) => x.name)).toEqual(['API_KEY']);
  });

  it('GET one secret gives its name and type only', async () => {
    const r = await s.api('GET', s.script(w, '/secrets/API_KEY'));
    expect(r.json.result).toEqual({ name: 'API_KEY', type: 'secret_text' });
    expectFailure(await s.api('GET', s.script(w, '/secrets/MISSING')), 404, 10008);
  });

  it('bulk (merge-patch) sets and deletes as one version', async () => {
    await putSecret(w, 'OLD', 'o');
    const before = (await s.api('GET', s.script(w, '/versions'))).json.result_info.total_count;
    const r = await s.api('PATCH', s.script(w, '/secrets-bulk'), {
      headers: { 'content-type': 'application/merge-patch+json' },
      body: { secrets: { B1: { name: 'B1', text: 'x', type: 'secret_text' }, B2: { type: 'secret_text', text: 'y' }, OLD: null } },
    });
    expect(r.status).toBe(200);
    expect(Object.keys(r.json.result).sort()).toEqual(['API_KEY', 'B1', 'B2']);
    const after = (await s.api('GET', s.script(w, '/versions'))).json.result_info.total_count;
    expect(after).toBe(before + 1);
  });

  it('DELETE (url-encoded name) deletes; a missing secret -> 404', async () => {
    const r = await s.api('DELETE', s.script(w, '/secrets/B2?url_encoded=true'));
    expect(r.status).toBe(200);
    expect(r.json.result).toBeNull();
    expectFailure(await s.api('DELETE', s.script(w, '/secrets/B2?url_encoded=true')), 404, 10008);
    const names = (await s.api('GET', s.script(w, '/secrets'))).json.result.map((x: { name: string }) => x.name);
    expect(names).toEqual(['API_KEY', 'B1']);
  });

  it('versions list pages with page/per_page and result_info', async () => {
    const all = (await s.api('GET', s.script(w, '/versions?deployable=true'))).json.result.items;
    expect(all.length).toBeGreaterThanOrEqual(4);
    const p2 = await s.api('GET', s.script(w, '/versions?page=2&per_page=2'));
    expect(p2.json.result.items.map((v: { id: string }) => v.id)).toEqual(all.slice(2, 4).map((v: { id: string }) => v.id));
    expect(p2.json.result_info).toMatchObject({ page: 2, per_page: 2, count: 2, total_count: all.length });
    expectFailure(await s.api('GET', s.script(w, '/versions?per_page=0')), 400, 10001);
  });
});

describe('versions, content and deployments', () => {
  const w = 'versions-flow';

  it('POST a version (multipart) does not deploy it; content/v2 gives the module back', async () => {
    await putSecret(w, 'S1', 'one');
    const module = 'export default { fetch() { return new Response("hello v2"); } };';
    const r = await s.api('POST', s.script(w, '/versions'), {
      raw: uploadForm(
        {
          bindings: [{ type: 'plain_text', name: 'GREETING', text: 'hi' }],
          keep_bindings: ['secret_text'],
          annotations: { 'workers/message': 'second', 'workers/tag': 't2' },
        },
        module,
      ),
    });
    expect(r.status).toBe(200);
    const v = r.json.result;
    expect(v).toMatchObject({ number: 2, annotations: { 'workers/message': 'second', 'workers/tag': 't2' } });
    expect(v.resources.bindings).toEqual(
      expect.arrayContaining([
        { type: 'plain_text', name: 'GREETING', text: 'hi' },
        { name: 'S1', type: 'secret_text' },
      ]),
    );
    const live = (await s.api('GET', s.script(w, '/deployments'))).json.result.deployments[0];
    expect(live.versions[0].version_id).not.toBe(v.id);

    const content = await fetch(`${s.base}${s.script(w, `/content/v2?version=${v.id}`)}`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(content.headers.get('content-type')).toMatch(/^multipart\/form-data; boundary=/);
    const entry = content.headers.get('cf-entrypoint')!;
    const form = await content.formData();
    const part = form.get(entry) as File;
    expect(part.type).toBe('application/javascript+module');
    expect(await part.text()).toBe(module);
  });

  it('PATCH workers/workers/{name}/versions/latest makes a version without deploying it', async () => {
    const before = (await s.api('GET', s.script(w, '/deployments'))).json.result.deployments[0];
    const r = await s.api('PATCH', `/accounts/${ACCOUNT}/workers/workers/${w}/versions/latest`, {
      headers: { 'content-type': 'application/merge-patch+json' },
      body: { env: { S2: { type: 'secret_text', text: 'two' }, S1: null }, annotations: { 'workers/message': 'patched' } },
    });
    expect(r.status).toBe(200);
    const names = r.json.result.resources.bindings.map((b: { name: string }) => b.name).sort();
    expect(names).toEqual(['GREETING', 'S2']);
    expect(r.json.result.annotations['workers/message']).toBe('patched');
    const after = (await s.api('GET', s.script(w, '/deployments'))).json.result.deployments[0];
    expect(after.id).toBe(before.id);
  });

  it('deployments: GET one by id; unknown version -> 404', async () => {
    const list = (await s.api('GET', s.script(w, '/deployments'))).json.result.deployments;
    const one = await s.api('GET', s.script(w, `/deployments/${list[0].id}`));
    expect(one.json.result.id).toBe(list[0].id);
    const r = await s.api('POST', s.script(w, '/deployments'), {
      body: { strategy: 'percentage', versions: [{ version_id: '00000000-0000-4000-8000-000000000000', percentage: 100 }] },
    });
    expectFailure(r, 404, 10008);
  });
});

describe('domain rules over HTTP', () => {
  it('10215: a secret change during a gradual rollout is refused; versions/latest still works', async () => {
    const w = 'gradual';
    await putSecret(w, 'A', '1');
    const up = await s.api('POST', s.script(w, '/versions'), { raw: uploadForm({ keep_bindings: ['secret_text'] }) });
    const [v2, v1] = (await s.api('GET', s.script(w, '/versions'))).json.result.items;
    expect(v2.id).toBe(up.json.result.id);
    const dep = await s.api('POST', s.script(w, '/deployments'), {
      body: { strategy: 'percentage', versions: [{ version_id: v2.id, percentage: 10 }, { version_id: v1.id, percentage: 90 }], annotations: { 'workers/message': 'canary' } },
    });
    expect(dep.status).toBe(200);
    expect(dep.json.result.annotations['workers/message']).toBe('canary');

    const put = await putSecret(w, 'B', '2');
    expectFailure(put, 400, 10215);
    expect(put.json.errors[0].message).toMatch(/gradual rollout/);
    expectFailure(await s.api('DELETE', s.script(w, '/secrets/A')), 400, 10215);
    expectFailure(
      await s.api('PATCH', s.script(w, '/secrets-bulk'), { body: { secrets: { B: { type: 'secret_text', text: '2' } } } }),
      400,
      10215,
    );
    const settings = new FormData();
    settings.set('settings', JSON.stringify({ bindings: [{ type: 'secret_text', name: 'A' }, { type: 'secret_text', name: 'B', text: '2' }] }));
    expectFailure(await s.api('PATCH', s.script(w, '/settings'), { raw: settings }), 400, 10215);
    expect((await s.api('GET', s.script(w, '/secrets'))).json.result.map((x: { name: string }) => x.name)).toEqual(['A']);

    const patched = await s.api('PATCH', `/accounts/${ACCOUNT}/workers/workers/${w}/versions/latest`, {
      body: { env: { B: { type: 'secret_text', text: '2' } } },
    });
    expect(patched.status).toBe(200);
  });

  it('10220: rolling back to a version with other secret values needs ?force=true', async () => {
    const w = 'rollback';
    await putSecret(w, 'A', 'first');
    await putSecret(w, 'C', 'same');
    await putSecret(w, 'A', 'second');
    const items = (await s.api('GET', s.script(w, '/versions'))).json.result.items;
    const v2 = items.find((v: { number: number }) => v.number === 2);
    const body = { strategy: 'percentage', versions: [{ version_id: v2.id, percentage: 100 }], annotations: { 'workers/message': 'back' } };

    const refused = await s.api('POST', s.script(w, '/deployments'), { body });
    expectFailure(refused, 400, 10220);
    expect(refused.json.errors[0].message).toMatch(/The following secrets have changed: A$/);
    expect(refused.text).not.toMatch(/first|second/);
    const live = (await s.api('GET', s.script(w, '/deployments'))).json.result.deployments[0];
    expect(live.versions[0].version_id).not.toBe(v2.id);

    const forced = await s.api('POST', s.script(w, '/deployments?force=true'), { body });
    expect(forced.status).toBe(200);
    expect(forced.json.result).toMatchObject({
      versions: [{ version_id: v2.id, percentage: 100 }],
      annotations: { 'workers/message': 'back', 'workers/triggered_by': 'rollback' },
    });
    const status = await s.project.run(['deployments', 'status', '--name', w, '--json']);
    expect(status.json().versions).toMatchObject([{ id: v2.id, percentage: 100 }]);
  });

  it('a rollback to a version with the same secrets needs no force', async () => {
    const w = 'rollback-same';
    await putSecret(w, 'A', 'x');
    await s.api('POST', s.script(w, '/versions'), { raw: uploadForm({ keep_bindings: ['secret_text'] }) });
    const [v2, v1] = (await s.api('GET', s.script(w, '/versions'))).json.result.items;
    const deploy = (id: string) =>
      s.api('POST', s.script(w, '/deployments'), { body: { strategy: 'percentage', versions: [{ version_id: id, percentage: 100 }] } });
    expect((await deploy(v2.id)).status).toBe(200);
    expect((await deploy(v1.id)).status).toBe(200);
  });
});

describe('the request log', () => {
  it('records method, path and a redacted body, never a secret value', async () => {
    await putSecret('logged', 'FIRST', 'first-value'); // makes the Worker (its PUT answers 10007)
    await putSecret('logged', 'LOGGED', 'value-that-must-not-be-logged');
    const entry = s.requests().find((r) => r.method === 'PUT' && r.path.endsWith('/workers/scripts/logged/secrets') && r.status === 200);
    expect(entry).toMatchObject({ status: 200, body: { name: '[6 chars]', text: `[${'value-that-must-not-be-logged'.length} chars]`, type: 'secret_text' } });
    const { readFileSync } = await import('node:fs');
    expect(readFileSync(s.logFile, 'utf8')).not.toContain('value-that-must-not-be-logged');
  });

  it('keeps no value whatever key or place it was sent in, refused requests included; the file is 0600 and 400s echo no refused name', async () => {
    const { readFileSync, statSync } = await import('node:fs');
    await putSecret('hostile', 'FIRST', 'first-value');
    const leaks = ['bulkleak-Zq81xPw', 'secretkey-Hh27vLm', 'querytext-Kk93nRt', 'settingsleak-Pp45sQd', 'name-leak-Ww12'];
    const answers = [
      await s.api('PATCH', s.script('hostile', '/secrets-bulk'), { headers: { 'content-type': 'application/merge-patch+json' }, body: { secrets: { DB_PASSWORD: leaks[0] } } }),
      await s.api('PUT', s.script('hostile', '/secrets'), { body: { secret: leaks[1], name: 'X', type: 'secret_text' } }),
      await s.api('GET', s.script('hostile', `/secrets?text=${leaks[2]}`)),
      await s.api('PATCH', s.script('hostile', '/settings'), { body: { bindings: [{ type: 'secret_text', name: 'S', text: leaks[3] }] } }),
      await s.api('PUT', s.script('hostile', '/secrets'), { body: { name: leaks[4], text: 'v', type: 'secret_text' } }),
    ];
    expect(answers[4].status).toBe(400);
    for (const a of answers) for (const v of leaks) expect(a.text).not.toContain(v);
    const log = readFileSync(s.logFile, 'utf8');
    for (const v of leaks) expect(log).not.toContain(v);
    expect(statSync(s.logFile).mode & 0o777).toBe(0o600);
  });
});
