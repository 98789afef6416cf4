/**
 * Cloudflare's official TypeScript SDK (`cloudflare`, pinned in devDependencies) drives
 * `mycli serve`: every method of the areas serve claims (accounts, tokens, scripts, secrets,
 * versions, deployments, settings, subdomains, the Worker object, the Secrets Store), its
 * auto-pagination (`for await`), and its error classes for 401/403/404/409. What serve answered
 * is then compiled by `tsc` against the SDK's own response types (a generated file that assigns
 * each answer to its type): a field of the wrong type or a missing required one fails the test.
 *
 * The SDK runs on Node 20 (it declares no engines and its client uses the global fetch), so this
 * suite runs on every Node of .ci/run.
 *
 * SDK bugs the real API does not share, worked around here and not in serve:
 * - v7's multipart bodies (scripts.update, versions.create, scriptAndVersionSettings.edit) flatten
 *   the JSON part into bracketed fields (`settings[tags][]`, `metadata[main_module]`) where the
 *   API reads one JSON part (cloudflare/cloudflare-typescript#2799): those requests go through
 *   the SDK's raw request (`client.put/post/patch` with a FormData body), still through the SDK;
 * - `secretsStore.stores.secrets.bulkDelete` sends no body, where the reference requires
 *   {"ids": [...]}: sent through the SDK's raw `client.delete` with that body;
 * - `scripts.deployments.list` reads `result.items`, but the API answers `result.deployments`:
 *   the list is read from the raw answer (`.asResponse()`), the shape the reference documents.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Cloudflare from 'cloudflare';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACCOUNT, ROOT, startServe, TOKEN, uploadForm, type Served } from './helpers.js';

let s: Served;
let cf: Cloudflare;
const account_id = ACCOUNT;
const W = 'sdk-worker';
const VALUES = ['sdk-secret-value-1', 'sdk-secret-value-2', 'sdk-store-value-1'];

/** Each answer with the SDK type it must fit, compiled by tsc at the end. */
const typed: { type: string; value: unknown; where: string }[] = [];
function fits<T>(type: string, value: T, where: string): T {
  typed.push({ type, value, where });
  return value;
}

/** A multipart body through the SDK's raw request (the workaround for cloudflare-typescript#2799). */
async function multipart(method: 'put' | 'post' | 'patch', path: string, form: FormData): Promise<any> {
  return cf[method](path, { body: form } as never);
}
const upload = (method: 'put' | 'post', path: string, metadata: Record<string, unknown>) => multipart(method, path, uploadForm(metadata));

describe('the official Cloudflare SDK against mycli serve', { timeout: 180_000 }, () => {
  beforeAll(async () => {
    s = await startServe();
    cf = new Cloudflare({ apiToken: TOKEN, baseURL: s.base, maxRetries: 0 });
  });
  afterAll(async () => {
    expect(await s?.stop()).toBe(0);
    const { readFileSync } = await import('node:fs');
    const log = readFileSync(s.logFile, 'utf8');
    for (const v of VALUES) expect(log).not.toContain(v);
  });

  it('accounts.list: for-await walks the pages and ends', async () => {
    const seen = [];
    for await (const a of cf.accounts.list({ per_page: 5 })) {
      seen.push(fits('Cloudflare.Accounts.Account', a, 'accounts.list'));
      expect(seen.length).toBeLessThan(10); // a loop that never ends stops here
    }
    expect(seen.map((a) => a.id)).toEqual([ACCOUNT]);
    const page = await cf.accounts.list();
    expect(page.result).toHaveLength(1);
    expect(page.hasNextPage()).toBe(true); // the SDK asks for the next page until one is empty
    expect((await page.getNextPage()).result).toEqual([]);
  });

  it('memberships.list and the token checks', async () => {
    const members = [];
    for await (const m of cf.memberships.list()) members.push(fits('Cloudflare.Memberships.Membership', m, 'memberships.list'));
    expect(members).toHaveLength(1);
    expect(fits('Cloudflare.User.Tokens.TokenVerifyResponse', await cf.user.tokens.verify(), 'user.tokens.verify').status).toBe('active');
    expect(fits('Cloudflare.Accounts.Tokens.TokenVerifyResponse', await cf.accounts.tokens.verify({ account_id }), 'accounts.tokens.verify').status).toBe('active');
  });

  it('error classes: 401, 403, 404, 409', async () => {
    const anonymous = new Cloudflare({ apiToken: 'x', baseURL: s.base, maxRetries: 0, defaultHeaders: { authorization: null } } as never);
    await expect(anonymous.accounts.list()).rejects.toBeInstanceOf(Cloudflare.AuthenticationError);
    const wrong = new Cloudflare({ apiToken: 'not-the-token', baseURL: s.base, maxRetries: 0 });
    await expect(wrong.accounts.list()).rejects.toBeInstanceOf(Cloudflare.PermissionDeniedError);
    const missing = cf.workers.scripts.secrets.list('never-created', { account_id });
    await expect(missing).rejects.toBeInstanceOf(Cloudflare.NotFoundError);
    await expect(missing).rejects.toMatchObject({ status: 404, errors: [{ code: 10007 }] });
    await cf.secretsStore.stores.create({ account_id, name: 'sdk-taken' });
    await expect(cf.secretsStore.stores.create({ account_id, name: 'sdk-taken' })).rejects.toBeInstanceOf(Cloudflare.ConflictError);
  });

  it('secrets.update on a Worker never created: NotFoundError with 10007, as Cloudflare', async () => {
    const r = cf.workers.scripts.secrets.update(W, { account_id, name: 'API_KEY', text: VALUES[0], type: 'secret_text' });
    await expect(r).rejects.toBeInstanceOf(Cloudflare.NotFoundError);
    await expect(r).rejects.toMatchObject({ errors: [{ code: 10007 }] });
  });

  it('scripts: upload (raw request), list, get, content', async () => {
    const up = await upload('put', `/accounts/${account_id}/workers/scripts/${W}`, {
      bindings: [{ type: 'plain_text', name: 'GREETING', text: 'hi' }],
      compatibility_date: '2025-06-01',
    });
    fits('Cloudflare.Workers.Scripts.ScriptUpdateResponse', up.result ?? up, 'scripts.update (raw)');
    const list = [];
    for await (const x of cf.workers.scripts.list({ account_id })) list.push(fits('Cloudflare.Workers.Scripts.ScriptListResponse', x, 'scripts.list'));
    expect(list.map((x) => x.id)).toContain(W);
    const module = await cf.workers.scripts.get(W, { account_id });
    expect(module).toContain('export default');
    const content = await cf.workers.scripts.content.get(W, { account_id });
    expect(content.status).toBe(200);
  });

  it('secrets: update, list, get, delete', async () => {
    const put = await cf.workers.scripts.secrets.update(W, { account_id, name: 'API_KEY', text: VALUES[0], type: 'secret_text' });
    expect(fits('Cloudflare.Workers.Scripts.SecretUpdateResponse', put, 'secrets.update')).toEqual({ name: 'API_KEY', type: 'secret_text' });
    await cf.workers.scripts.secrets.update(W, { account_id, name: 'OTHER', text: VALUES[1], type: 'secret_text' });
    const names = [];
    for await (const x of cf.workers.scripts.secrets.list(W, { account_id })) names.push(fits('Cloudflare.Workers.Scripts.SecretListResponse', x, 'secrets.list').name);
    expect(names.sort()).toEqual(['API_KEY', 'OTHER']);
    const one = fits('Cloudflare.Workers.Scripts.SecretGetResponse', await cf.workers.scripts.secrets.get('API_KEY', { account_id, script_name: W }), 'secrets.get');
    expect(one).toEqual({ name: 'API_KEY', type: 'secret_text' });
    await cf.workers.scripts.secrets.delete('OTHER', { account_id, script_name: W });
    await expect(cf.workers.scripts.secrets.get('OTHER', { account_id, script_name: W })).rejects.toBeInstanceOf(Cloudflare.NotFoundError);
  });

  it('versions: create (raw request), list with auto-pagination, get', async () => {
    const made = await upload('post', `/accounts/${account_id}/workers/scripts/${W}/versions`, {
      annotations: { 'workers/message': 'from the sdk', 'workers/tag': 'sdk' },
      keep_bindings: ['secret_text', 'plain_text'],
    });
    const created = fits('Cloudflare.Workers.Scripts.VersionCreateResponse', made.result, 'versions.create (raw)');
    expect(created.annotations).toMatchObject({ 'workers/message': 'from the sdk', 'workers/tag': 'sdk' });
    const ids = [];
    for await (const v of cf.workers.scripts.versions.list(W, { account_id, per_page: 2 })) {
      ids.push(fits('Cloudflare.Workers.Scripts.VersionListResponse', v, 'versions.list').id);
      expect(ids.length).toBeLessThan(50);
    }
    expect(ids.length).toBeGreaterThanOrEqual(4); // upload, two secret puts, a delete, the new version
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids[0]).toBe(created.id);
    const got = fits('Cloudflare.Workers.Scripts.VersionGetResponse', await cf.workers.scripts.versions.get(created.id!, { account_id, script_name: W }), 'versions.get');
    expect(got.resources?.bindings?.map((b) => b.name).sort()).toEqual(['API_KEY', 'GREETING']);
  });

  it('deployments: create, list (raw answer: the SDK reads items), get', async () => {
    const [latest] = (await cf.workers.scripts.versions.list(W, { account_id })).getPaginatedItems();
    const d = await cf.workers.scripts.deployments.create(W, {
      account_id,
      strategy: 'percentage',
      versions: [{ version_id: latest.id!, percentage: 100 }],
      annotations: { 'workers/message': 'sdk deploy' },
    });
    fits('Cloudflare.Workers.Scripts.Deployment', d, 'deployments.create');
    expect(d.annotations?.['workers/message']).toBe('sdk deploy');
    // The SDK's list reads result.items; the API (and serve) answer result.deployments.
    const raw = await (await cf.workers.scripts.deployments.list(W, { account_id }).asResponse()).json();
    const deployments = raw.result.deployments.map((x: unknown) => fits('Cloudflare.Workers.Scripts.Deployment', x, 'deployments.list (raw)'));
    expect(deployments[0].id).toBe(d.id);
    const one = fits('Cloudflare.Workers.Scripts.Deployment', await cf.workers.scripts.deployments.get(d.id, { account_id, script_name: W }), 'deployments.get');
    expect(one.versions).toEqual([{ version_id: latest.id, percentage: 100 }]);
  });

  it('script settings and settings: what is sent comes back', async () => {
    const edited = await cf.workers.scripts.settings.edit(W, { account_id, tags: ['team:sdk'], logpush: true, tail_consumers: [{ service: 'tail' }] });
    expect(fits('Cloudflare.Workers.Scripts.ScriptSetting', edited, 'settings.edit')).toMatchObject({ tags: ['team:sdk'], logpush: true });
    const got = fits('Cloudflare.Workers.Scripts.ScriptSetting', await cf.workers.scripts.settings.get(W, { account_id }), 'settings.get');
    expect(got).toMatchObject({ tags: ['team:sdk'], logpush: true, tail_consumers: [{ service: 'tail' }] });
    // scriptAndVersionSettings.edit flattens the "settings" part (#2799): the same PATCH, raw.
    const form = new FormData();
    form.set('settings', new Blob([JSON.stringify({ compatibility_date: '2025-07-01', tags: ['both'] })], { type: 'application/json' }), 'settings.json');
    const both = (await multipart('patch', `/accounts/${account_id}/workers/scripts/${W}/settings`, form)).result;
    expect(fits('Cloudflare.Workers.Scripts.ScriptAndVersionSettingEditResponse', both, 'scriptAndVersionSettings.edit (raw)')).toMatchObject({ compatibility_date: '2025-07-01', tags: ['both'] });
    const read = fits('Cloudflare.Workers.Scripts.ScriptAndVersionSettingGetResponse', await cf.workers.scripts.scriptAndVersionSettings.get(W, { account_id }), 'scriptAndVersionSettings.get');
    expect(read.bindings?.map((b) => b.name).sort()).toEqual(['API_KEY', 'GREETING']);
  });

  it('subdomains: the account\'s and the Worker\'s; the Worker object', async () => {
    fits('Cloudflare.Workers.SubdomainGetResponse', await cf.workers.subdomains.get({ account_id }), 'workers.subdomains.get');
    const set = await cf.workers.scripts.subdomain.create(W, { account_id, enabled: true, previews_enabled: true });
    expect(fits('Cloudflare.Workers.Scripts.SubdomainCreateResponse', set, 'scripts.subdomain.create')).toEqual({ enabled: true, previews_enabled: true });
    fits('Cloudflare.Workers.Scripts.SubdomainGetResponse', await cf.workers.scripts.subdomain.get(W, { account_id }), 'scripts.subdomain.get');
    const worker = fits('Cloudflare.Workers.Beta.Worker', await cf.workers.beta.workers.get(W, { account_id }), 'beta.workers.get');
    expect(worker).toMatchObject({ name: W, tags: ['both'], subdomain: { enabled: true, previews_enabled: true } });
  });

  it('Secrets Store: stores and secrets, every method, paged lists', async () => {
    const store = fits('Cloudflare.SecretsStore.StoreCreateResponse', await cf.secretsStore.stores.create({ account_id, name: 'sdk-store' }), 'stores.create');
    fits('Cloudflare.SecretsStore.StoreGetResponse', await cf.secretsStore.stores.get(store.id, { account_id }), 'stores.get');
    const stores = [];
    for await (const x of cf.secretsStore.stores.list({ account_id, per_page: 1, order: 'name', direction: 'asc' })) stores.push(fits('Cloudflare.SecretsStore.StoreListResponse', x, 'stores.list').name);
    expect(stores).toEqual(['sdk-store', 'sdk-taken']);
    const byNameDesc = [];
    for await (const x of cf.secretsStore.stores.list({ account_id, per_page: 1, order: 'name', direction: 'desc' })) byNameDesc.push(x.name);
    expect(byNameDesc).toEqual(['sdk-taken', 'sdk-store']);
    const created = [];
    for await (const x of cf.secretsStore.stores.secrets.create(store.id, { account_id, body: [{ name: 'k1', value: VALUES[2], scopes: ['workers'], comment: 'c1' }, { name: 'k2', value: VALUES[2], scopes: ['workers'] }] })) {
      created.push(fits('Cloudflare.SecretsStore.Stores.SecretCreateResponse', x, 'secrets.create'));
    }
    expect(created.map((x) => x.name)).toEqual(['k1', 'k2']);
    const listed = [];
    for await (const x of cf.secretsStore.stores.secrets.list(store.id, { account_id, per_page: 1 })) listed.push(fits('Cloudflare.SecretsStore.Stores.SecretListResponse', x, 'secrets.list').name);
    expect(listed.sort()).toEqual(['k1', 'k2']);
    const filtered = [];
    for await (const x of cf.secretsStore.stores.secrets.list(store.id, { account_id, search: 'k2', per_page: 1 })) filtered.push(x.name);
    expect(filtered).toEqual(['k2']);
    const k1 = created[0];
    fits('Cloudflare.SecretsStore.Stores.SecretGetResponse', await cf.secretsStore.stores.secrets.get(k1.id, { account_id, store_id: store.id }), 'secrets.get');
    const edited = await cf.secretsStore.stores.secrets.edit(k1.id, { account_id, store_id: store.id, comment: 'edited' });
    expect(fits('Cloudflare.SecretsStore.Stores.SecretEditResponse', edited, 'secrets.edit').comment).toBe('edited');
    const copy = await cf.secretsStore.stores.secrets.duplicate(k1.id, { account_id, store_id: store.id, name: 'k1-copy', scopes: ['workers'] });
    fits('Cloudflare.SecretsStore.Stores.SecretDuplicateResponse', copy, 'secrets.duplicate');
    await cf.secretsStore.stores.secrets.delete(copy.id, { account_id, store_id: store.id });
    // bulkDelete sends no body; the API (and serve) read {"ids": [...]}: the same DELETE, raw.
    await cf.delete(`/accounts/${account_id}/secrets_store/stores/${store.id}/secrets`, { body: { ids: [created[1].id] } });
    const quota = fits('Cloudflare.SecretsStore.QuotaGetResponse', await cf.secretsStore.quota.get({ account_id }), 'quota.get');
    expect(quota.secrets?.usage).toBe(1);
    await expect(cf.secretsStore.stores.delete(store.id, { account_id })).rejects.toBeInstanceOf(Cloudflare.ConflictError);
    await cf.secretsStore.stores.secrets.delete(k1.id, { account_id, store_id: store.id });
    await cf.secretsStore.stores.delete(store.id, { account_id });
    await expect(cf.secretsStore.stores.get(store.id, { account_id })).rejects.toBeInstanceOf(Cloudflare.NotFoundError);
  });

  it('scripts.delete removes the Worker', async () => {
    await cf.workers.scripts.delete(W, { account_id });
    await expect(cf.workers.scripts.secrets.list(W, { account_id })).rejects.toBeInstanceOf(Cloudflare.NotFoundError);
  });

  it('what serve answered fits the SDK\'s response types (tsc)', async () => {
    expect(typed.length).toBeGreaterThan(25);
    const dir = join(ROOT, 'node_modules', '.cache', 'mycli-sdk-types');
    mkdirSync(dir, { recursive: true });
    const lines = [
      "import type Cloudflare from 'cloudflare';",
      '// V is inferred from the answer (its literals kept) and must be assignable to T.',
      'const fits = <T,>() => <V extends T>(v: V): V => v;',
      ...typed.map((t) => `// ${t.where}\nfits<${t.type}>()(${JSON.stringify(t.value)});`),
      '',
    ];
    const file = join(dir, 'answers.ts');
    writeFileSync(file, lines.join('\n'));
    const tsc = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
    const args = [tsc, '--noEmit', '--strict', '--skipLibCheck', '--target', 'es2022', '--module', 'nodenext', '--moduleResolution', 'nodenext', file];
    const out = await new Promise<{ code: number; text: string }>((resolve) =>
      execFile(process.execPath, args, { cwd: ROOT, timeout: 170_000, maxBuffer: 16 * 1024 * 1024 }, (e, stdout, stderr) =>
        resolve({ code: e ? (typeof e.code === 'number' ? e.code : 1) : 0, text: stdout + stderr }),
      ),
    );
    expect(out.text, out.text).toBe('');
    expect(out.code).toBe(0);
  });
});
