/**
 * `secrets-store secret list` "bound by" (issue 21 item 7): every Worker the backend has that
 * binds a secret, from the latest version of each (not only the Workers of the config), and a
 * warning plus `boundBy.complete: false` when the answer is partial (a Worker that could not be
 * read, the limit of Workers read). On local, on cloudflare (a fake of the API whose version list
 * carries no bindings, as Cloudflare's does not) and through a plugin.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeProject, EXAMPLE_TOML, type Project } from '../helpers/cli.js';
import { ACCOUNT, startFakeSecretsStore, TOKEN, type FakeSecretsStore } from '../cloudflare/fake-secrets-store.js';

const VALUE = 'b0und-by-v4lue';
const withBinding = (storeId: string) =>
  EXAMPLE_TOML.replace('[env.staging]', `[[secrets_store_secrets]]\nbinding = "BILLING_KEY"\nstore_id = "${storeId}"\nsecret_name = "billing-key"\n\n[env.staging]`);

async function ok(p: Project, argv: string[], o: { stdin?: string; env?: Record<string, string> } = {}) {
  const r = await p.run([...argv, '--json'], o);
  expect(r.code, r.all).toBe(0);
  expect(r.all).not.toContain(VALUE);
  return r;
}

describe('bound by, on the local backend', () => {
  it('names a Worker outside the config that binds the secret, and says when the limit cut the list', async () => {
    const p = makeProject();
    const store = (await ok(p, ['secrets-store', 'store', 'create', 'shared'])).json().store;
    await ok(p, ['secrets-store', 'secret', 'create', 'billing-key', '--store', 'shared'], { stdin: VALUE });
    p.write('wrangler.toml', withBinding(store.id));
    await ok(p, ['versions', 'upload']); // my-worker, the config's
    await ok(p, ['versions', 'upload', '--name', 'zz-other-worker']); // not in the config

    const r = await ok(p, ['secrets-store', 'secret', 'list', '--store', 'shared']);
    const list = r.json();
    expect(list.secrets[0].boundBy).toEqual([
      { worker: 'my-worker', binding: 'BILLING_KEY' },
      { worker: 'zz-other-worker', binding: 'BILLING_KEY' },
    ]);
    expect(list.boundBy).toEqual({ workers: 'backend', read: 2, complete: true });
    expect(r.stderr).not.toMatch(/may be incomplete/);

    const human = await p.run(['secrets-store', 'secret', 'list', '--store', 'shared']);
    expect(human.stdout).toContain('my-worker (BILLING_KEY), zz-other-worker (BILLING_KEY)');

    const cut = await ok(p, ['secrets-store', 'secret', 'list', '--store', 'shared'], { env: { MYCLI_BOUND_BY_MAX_WORKERS: '1' } });
    expect(cut.json().secrets[0].boundBy).toEqual([{ worker: 'my-worker', binding: 'BILLING_KEY' }]);
    expect(cut.json().boundBy).toEqual({ workers: 'backend', read: 1, complete: false, limitReached: true, limit: 1 });
    expect(cut.stderr).toMatch(/"bound by" may be incomplete: only the first 1 Workers \(by name\) were read \(set MYCLI_BOUND_BY_MAX_WORKERS to read more\)/);

    // secret get and delete use the same answer.
    const got = (await ok(p, ['secrets-store', 'secret', 'get', 'billing-key', '--store', 'shared'])).json();
    expect(got.secret.boundBy).toHaveLength(2);
    const del = await p.run(['secrets-store', 'secret', 'delete', 'billing-key', '--store', 'shared', '--yes']);
    expect(del.code, del.all).toBe(0);
    expect(del.stderr).toContain('is bound by Worker my-worker as BILLING_KEY, Worker zz-other-worker as BILLING_KEY');
  });
});

describe('bound by, on the cloudflare backend (fake API)', () => {
  let fake: FakeSecretsStore;
  let p: Project;
  beforeAll(async () => {
    fake = await startFakeSecretsStore();
    p = makeProject();
  });
  afterAll(async () => {
    await fake?.close();
  });
  const env = () => ({ CLOUDFLARE_API_BASE_URL: fake.base, CLOUDFLARE_API_TOKEN: TOKEN, CLOUDFLARE_ACCOUNT_ID: ACCOUNT, MYCLI_HTTP_RETRY_DELAY_MS: '1' });

  it('reads each Worker of the account (GET /workers/scripts), then its latest version, and names one it could not read', async () => {
    const cf = (argv: string[], stdin?: string) => ok(p, [...argv, '--backend', 'cloudflare'], { env: env(), ...(stdin === undefined ? {} : { stdin }) });
    const store = (await cf(['secrets-store', 'store', 'create', 'cf-shared'])).json().store;
    await cf(['secrets-store', 'secret', 'create', 'api-key', '--store', 'cf-shared'], VALUE);
    const binding = (name: string) => [{ type: 'secrets_store_secret', name, store_id: store.id, secret_name: 'api-key' }, { type: 'plain_text', name: 'X', text: 'x' }];
    fake.workerBindings.set('billing-api', binding('API_KEY'));
    fake.workerBindings.set('checkout', binding('PAY_KEY'));
    fake.workerBindings.set('unrelated', [{ type: 'plain_text', name: 'X', text: 'x' }]);

    const r = await cf(['secrets-store', 'secret', 'list', '--store', 'cf-shared']);
    expect(r.json().secrets[0].boundBy).toEqual([
      { worker: 'billing-api', binding: 'API_KEY' },
      { worker: 'checkout', binding: 'PAY_KEY' },
    ]);
    expect(r.json().boundBy).toEqual({ workers: 'backend', read: 3, complete: true });
    const sent = fake.sent.map((s) => s.path);
    expect(sent).toContain(`/client/v4/accounts/${ACCOUNT}/workers/scripts`);

    // A Worker the list names whose versions cannot be read: the others are still shown, and the
    // answer says it is partial (exit 0: the secrets themselves were listed).
    fake.brokenWorkers.add('broken');
    const partial = await cf(['secrets-store', 'secret', 'list', '--store', 'cf-shared']);
    expect(partial.json().secrets[0].boundBy).toHaveLength(2);
    expect(partial.json().boundBy).toMatchObject({ workers: 'backend', read: 3, complete: false, unreadable: [{ worker: 'broken', error: expect.any(String) }] });
    expect(partial.stderr).toMatch(/"bound by" may be incomplete: Worker broken could not be read \(/);
    fake.brokenWorkers.delete('broken');
  });
});

/** A plugin with versions and listWorkers, two pages of one Worker each; Worker "b" binds the secret. */
const PLUGIN = `
export default () => {
  const now = '2026-12-05T00:00:00.000Z';
  const versions = {
    a: { id: 'a1', number: 1, createdOn: now, bindings: [] },
    b: { id: 'b1', number: 1, createdOn: now, bindings: [{ type: 'secrets_store_secret', name: 'FROM_B', store_id: 's1', secret_name: 'k' }] },
  };
  return {
    name: 'paged-workers',
    capabilities: { secrets: true, versions: true, gradualDeployments: false, rollback: false, versionedSecrets: false, secretsStore: true },
    async listSecrets() { return []; },
    async updateSecrets() { return { changes: [] }; },
    async listWorkers(t, o = {}) { return o.cursor === undefined ? { workers: ['a'], cursor: 'a' } : { workers: ['b'] }; },
    async listVersions(t) { const v = versions[t.worker]; if (!v) throw Object.assign(new Error('no Worker ' + t.worker), { exitCode: 3 }); return [{ ...v, bindings: [] }]; },
    async getVersion(t, id) { return versions[t.worker]; },
    async uploadVersion() { throw new Error('no'); },
    async listDeployments() { return []; },
    async deploy() { throw new Error('no'); },
    secretsStore: {
      async listStores() { return [{ id: 's1', name: 'plug', created: now, modified: now }]; },
      async createStore() { throw new Error('no'); },
      async deleteStore() {},
      async listSecrets() { return [{ id: 'k1', storeId: 's1', name: 'k', scopes: ['workers'], comment: '', status: 'active', created: now, modified: now }]; },
      async getSecret() { throw new Error('no'); },
      async createSecret() { throw new Error('no'); },
      async updateSecret() { throw new Error('no'); },
      async deleteSecret() {},
      async duplicateSecret() { throw new Error('no'); },
    },
  };
};
`;

describe('bound by, through a plugin backend', () => {
  it('pages through listWorkers (forwarded by the plugin edge) and reads each latest version', async () => {
    const p = makeProject({ 'paged.mjs': PLUGIN });
    const r = await ok(p, ['secrets-store', 'secret', 'list', '--store', 'plug', '--backend', './paged.mjs']);
    expect(r.json().secrets[0].boundBy).toEqual([{ worker: 'b', binding: 'FROM_B' }]);
    expect(r.json().boundBy).toEqual({ workers: 'backend', read: 2, complete: true });
  });

  it('a listWorkers that gives the same cursor forever ends (bounded), with the Workers it gave', async () => {
    const p = makeProject({ 'paged.mjs': PLUGIN.replace("o.cursor === undefined ? { workers: ['a'], cursor: 'a' } : { workers: ['b'] }", "({ workers: ['b'], cursor: 'b' })") });
    const r = await ok(p, ['secrets-store', 'secret', 'list', '--store', 'plug', '--backend', './paged.mjs']);
    expect(r.json().secrets[0].boundBy).toEqual([{ worker: 'b', binding: 'FROM_B' }]);
    expect(r.json().boundBy).toEqual({ workers: 'backend', read: 1, complete: true });
  });

  it('a plugin whose listWorkers answers the wrong shape: refused at the edge, and the list says it fell back to the config', async () => {
    const p = makeProject({ 'paged.mjs': PLUGIN.replace("{ workers: ['b'] }", "{ workers: 'b' }") });
    const r = await ok(p, ['secrets-store', 'secret', 'list', '--store', 'plug', '--backend', './paged.mjs']);
    expect(r.json().boundBy).toMatchObject({ workers: 'config', complete: false, unreadable: [{ worker: '', error: expect.stringMatching(/listWorkers/) }] });
    expect(r.stderr).toMatch(/"bound by" may be incomplete: only the Workers of the config were read .*; the Worker list could not be read/);
  });
});
