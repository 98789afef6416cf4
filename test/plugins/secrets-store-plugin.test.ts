/**
 * The Secrets Store through a plugin backend: the optional `secretsStore` member is forwarded and
 * validated at the edge (shape, results, errors, values redacted); plugins without it keep working.
 */
import { describe, expect, it } from 'vitest';
import { makeProject } from '../helpers/cli.js';

/** A plugin that keeps its stores in ss.json next to the config (values too: a test plugin). */
const PLUGIN = `
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
export default (ctx) => {
  const file = join(ctx.target.projectDir, 'ss.json');
  const load = () => (existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : { stores: [] });
  const save = (s) => writeFileSync(file, JSON.stringify(s));
  const fail = (exitCode, message) => Object.assign(new Error(message), { exitCode });
  const now = '2026-12-05T00:00:00.000Z';
  let n = 0;
  const id = () => (Date.now().toString(16) + (n++).toString(16)).padStart(32, '0');
  const pub = (st, s) => ({ id: s.id, storeId: st.id, name: s.name, scopes: s.scopes, comment: s.comment, status: 'active', created: now, modified: now, ...(ctx.env.LEAKY === '1' ? { value: s.value } : {}) });
  const find = (state, storeId) => state.stores.find((x) => x.id === storeId) ?? (() => { throw fail(3, 'no store ' + storeId); })();
  return {
    name: 'memory-ss',
    capabilities: { secrets: true, secretsStore: true },
    async listSecrets() { return []; },
    async updateSecrets() { return { changes: [] }; },
    secretsStore: {
      maxValueLength: 16,
      async listStores() { return load().stores.map(({ id, name }) => ({ id, name, created: now, modified: now })); },
      async createStore(t, name) { const s = load(); const st = { id: id(), name, secrets: [] }; s.stores.push(st); save(s); return { id: st.id, name, created: now, modified: now }; },
      async deleteStore(t, storeId) { const s = load(); s.stores = s.stores.filter((x) => x.id !== storeId); save(s); },
      async listSecrets(t, storeId) { const st = find(load(), storeId); return st.secrets.map((x) => pub(st, x)); },
      async getSecret(t, storeId, secretId) { const st = find(load(), storeId); return pub(st, st.secrets.find((x) => x.id === secretId)); },
      async createSecret(t, storeId, input) {
        if (input.name === 'explode') throw new Error('cannot store ' + input.value);
        const s = load(); const st = find(s, storeId); const x = { id: id(), ...input, comment: input.comment ?? '' }; st.secrets.push(x); save(s); return pub(st, x);
      },
      async updateSecret(t, storeId, secretId, patch) { const s = load(); const st = find(s, storeId); const x = st.secrets.find((y) => y.id === secretId); Object.assign(x, patch); save(s); return pub(st, x); },
      async deleteSecret(t, storeId, secretId) { const s = load(); const st = find(s, storeId); st.secrets = st.secrets.filter((y) => y.id !== secretId); save(s); },
      async duplicateSecret(t, storeId, secretId, input) { const s = load(); const st = find(s, storeId); const from = st.secrets.find((y) => y.id === secretId); const x = { id: id(), value: from.value, comment: '', ...input }; st.secrets.push(x); save(s); return pub(st, x); },
    },
  };
};
`;

describe('secrets-store through a plugin backend', () => {
  it('forwards the whole cycle, with the plugin\'s own value limit', async () => {
    const p = makeProject({ 'ss.mjs': PLUGIN });
    const run = (argv: string[], stdin?: string, env: Record<string, string> = {}) => p.run([...argv, '--backend', './ss.mjs', '--json'], { ...(stdin === undefined ? {} : { stdin }), env });
    const store = (await run(['secrets-store', 'store', 'create', 'plug'])).json().store;
    expect(store.name).toBe('plug');
    const c = await run(['secrets-store', 'secret', 'create', 'k', '--store', 'plug'], 'plug-v4lue');
    expect(c.code, c.all).toBe(0);
    expect(c.all).not.toContain('plug-v4lue');
    const l = (await run(['secrets-store', 'secret', 'list', '--store', 'plug'])).json();
    expect(l.secrets).toEqual([expect.objectContaining({ name: 'k', scopes: ['workers'] })]);
    expect((await run(['secrets-store', 'secret', 'duplicate', 'k', 'k2', '--store', 'plug'])).code).toBe(0);
    expect((await run(['secrets-store', 'secret', 'delete', 'k2', '--store', 'plug', '--yes'])).code).toBe(0);

    const long = await run(['secrets-store', 'secret', 'create', 'big', '--store', 'plug'], 'seventeen-chars!!');
    expect(long.code).toBe(2);
    expect(long.json().error.message).toMatch(/at most 16/);

    // A plugin error that quotes the value: redacted.
    const boom = await run(['secrets-store', 'secret', 'create', 'explode', '--store', 'plug'], 'quoted-v4l');
    expect(boom.code).toBe(1);
    expect(boom.all).not.toContain('quoted-v4l');
    expect(boom.json().error.message).toMatch(/secretsStore\.createSecret.*\[redacted\]/);

    // A plugin that returns a value with a secret is refused, and the value is not printed.
    const leaky = await run(['secrets-store', 'secret', 'list', '--store', 'plug'], undefined, { LEAKY: '1' });
    expect(leaky.code).toBe(1);
    expect(leaky.json().error.message).toMatch(/malformed result: secretsStore\.listSecrets\(\)\.0: must not carry a value/);
    expect(leaky.all).not.toContain('plug-v4lue');
  });

  it('a plugin that declares the capability without the methods is refused; one without it says the backend cannot', async () => {
    const p = makeProject({
      'half.mjs': `export default () => ({ name: 'half', capabilities: { secrets: true, secretsStore: true }, async listSecrets() { return []; }, async updateSecrets() { return { changes: [] }; }, secretsStore: { async listStores() { return []; } } });\n`,
      'none.mjs': `export default () => ({ name: 'none', capabilities: { secrets: true }, async listSecrets() { return []; }, async updateSecrets() { return { changes: [] }; } });\n`,
    });
    const half = await p.run(['secrets-store', 'store', 'list', '--backend', './half.mjs']);
    expect(half.code).toBe(1);
    expect(half.stderr).toMatch(/secretsStore\.createStore: must be a function \(capability secretsStore is declared\)/);
    const none = await p.run(['secrets-store', 'store', 'list', '--backend', './none.mjs']);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/the none backend does not support the Secrets Store/);
    // ... and everything else of an older plugin still works.
    expect((await p.run(['secret', 'list', '--backend', './none.mjs'])).code).toBe(0);
  });
});
