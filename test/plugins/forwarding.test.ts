/**
 * The plugin wrapper forwards every member of the Backend interface: optional members that are
 * not tied to a capability (changedSecrets, prepareWrite, ...) reach the plugin too.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeProject } from '../helpers/cli.js';
import { guardBackend, MEMBERS } from '../../src/backends/plugin.js';
import { guardEdge } from '../../src/backends/edge.js';
import { STORE_MEMBERS } from '../../src/backends/plugin-secrets-store.js';
import type { Backend, SecretsStoreApi, Target } from '../../src/backends/types.js';

const V1 = '11111111-1111-4111-8111-111111111111';
const V2 = '22222222-2222-4222-8222-222222222222';

/** Two versions with the same secret names; the plugin knows KEY's value differs between them. */
const PLUGIN = `
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
const bind = [{ type: 'secret_text', name: 'KEY' }];
const versions = [
  { id: '${V1}', number: 1, createdOn: '2026-01-01T00:00:00Z', bindings: bind },
  { id: '${V2}', number: 2, createdOn: '2026-01-02T00:00:00Z', bindings: bind },
];
const deployments = [
  { id: 'd-1', createdOn: '2026-01-01T00:00:01Z', versions: [{ versionId: versions[0].id, percentage: 100 }] },
  { id: 'd-2', createdOn: '2026-01-02T00:00:01Z', versions: [{ versionId: versions[1].id, percentage: 100 }] },
];
export default (ctx) => ({
  name: 'memory',
  capabilities: { secrets: true, versions: true, gradualDeployments: false, rollback: true, versionedSecrets: false },
  async listSecrets() { return [{ name: 'KEY', type: 'secret_text' }]; },
  async updateSecrets(t, patch) { return { changes: Object.keys(patch).map((name) => ({ name, action: 'set' })) }; },
  prepareWrite() { writeFileSync(join(ctx.target.projectDir, 'prepared'), 'yes'); },
  async listVersions() { return [...versions].reverse(); },
  async getVersion(_t, id) { const v = versions.find((x) => x.id === id); if (!v) throw Object.assign(new Error('no such version'), { exitCode: 3 }); return v; },
  async uploadVersion() { throw new Error('not here'); },
  async listDeployments() { return [...deployments].reverse(); },
  async changedSecrets(_t, id) { return id === '${V1}' ? ['KEY'] : []; },
  async deploy(_t, input) {
    const d = { id: 'd-' + (deployments.length + 1), createdOn: '2026-01-03T00:00:00Z', source: input.kind, versions: input.versions };
    deployments.push(d);
    return d;
  },
});
`;

describe('the plugin wrapper forwards the optional members', () => {
  it("versions rollback uses the plugin's changedSecrets: a value change is shown, and refused without --yes (exit 5)", async () => {
    const p = makeProject({ 'memory.mjs': PLUGIN });
    const refused = await p.run(['versions', 'rollback', V1, '--backend', './memory.mjs']);
    expect(refused.code, refused.all).toBe(5);
    expect(refused.stderr).toMatch(/secrets whose values change: KEY/);
    expect(refused.stderr).toMatch(/differ from the live version 2's: KEY/);

    const forced = await p.run(['versions', 'rollback', V1, '--yes', '--json', '--backend', './memory.mjs']);
    expect(forced.code, forced.all).toBe(0);
    expect(forced.json().preview.secretsChanged).toEqual(['KEY']);
    expect(forced.json().preview.changes[0].secretValuesChanged).toEqual(['KEY']);
  });

  it("secret put keeps to the plugin's limits (exit 2 over its value limit, nothing written)", async () => {
    const limited = PLUGIN.replace("name: 'memory',", "name: 'memory', limits: { secretValueBytes: 8 },").replace(
      'async updateSecrets(t, patch) {',
      "async updateSecrets(t, patch) { writeFileSync(join(ctx.target.projectDir, 'written'), 'yes');",
    );
    const p = makeProject({ 'memory.mjs': limited });
    const r = await p.run(['secret', 'put', 'KEY', '--backend', './memory.mjs'], { stdin: 'nine-byte' });
    expect(r.code, r.all).toBe(2);
    expect(r.stderr).toMatch(/over the limit of 8 bytes per secret value \(memory backend\)/);
    expect(existsSync(join(p.dir, 'written'))).toBe(false);
    expect(r.all).not.toContain('nine-byte');
  });

  it("secret put calls the plugin's prepareWrite", async () => {
    const p = makeProject({ 'memory.mjs': PLUGIN });
    const r = await p.run(['secret', 'put', 'KEY', '--backend', './memory.mjs'], { stdin: 'value-that-stays-hidden' });
    expect(r.code, r.all).toBe(0);
    expect(existsSync(join(p.dir, 'prepared'))).toBe(true);
    expect(r.all).not.toContain('value-that-stays-hidden');
  });
});

describe('the wrapper forwards every member of the Backend interface', () => {
  const t: Target = { worker: 'w', projectDir: '/nowhere' };
  const version = { id: 'v-1', number: 1, createdOn: '2026-01-01T00:00:00Z', bindings: [{ type: 'secret_text', name: 'K' }] };
  const deployment = { id: 'd-1', createdOn: '2026-01-01T00:00:00Z', versions: [{ versionId: 'v-1', percentage: 100 }] };
  const storeInfo = { id: 's-1', name: 'main', created: '2026-01-01T00:00:00Z', modified: '2026-01-01T00:00:00Z' };
  const storeSecret = { id: 'x-1', storeId: 's-1', name: 'K', scopes: ['workers'], comment: '', status: 'active', created: storeInfo.created, modified: storeInfo.created };

  /** A plugin whose every method records that it was reached, with a valid result. */
  function recordingPlugin(calls: string[]) {
    const rec =
      <T>(name: string, result: T) =>
      (..._args: unknown[]) => {
        calls.push(name);
        return result;
      };
    const a = <T>(name: string, result: T) => {
      const f = rec(name, result);
      return async (...args: unknown[]) => f(...args);
    };
    return {
      name: 'recorder',
      apiVersion: 1,
      capabilities: { secrets: true, versions: true, gradualDeployments: true, rollback: true, versionedSecrets: true, secretsStore: true, health: true },
      limits: { secretValueBytes: 10, bindingsPerWorker: 3 },
      describe: rec('describe', 'in memory'),
      listSecrets: a('listSecrets', [{ name: 'K', type: 'secret_text' }]),
      updateSecrets: a('updateSecrets', { changes: [{ name: 'K', action: 'set' }] }),
      listVersions: a('listVersions', [version]),
      getVersion: a('getVersion', version),
      uploadVersion: a('uploadVersion', version),
      listDeployments: a('listDeployments', [deployment]),
      deploy: a('deploy', deployment),
      changedSecrets: a('changedSecrets', ['K']),
      differentSecrets: a('differentSecrets', ['K']),
      createWorker: a('createWorker', undefined),
      deleteWorker: a('deleteWorker', undefined),
      listWorkers: a('listWorkers', { workers: ['my-worker'], cursor: 'my-worker' }),
      prepareWrite: rec('prepareWrite', undefined),
      queryHealth: a('queryHealth', { versions: [{ versionId: 'v-1', invocations: 10, failures: 1, wallTimeP99Ms: 12, sampled: true, extra: 'dropped' }] }),
      secretsStore: {
        maxValueBytes: 7,
        listStores: a('secretsStore.listStores', [storeInfo]),
        createStore: a('secretsStore.createStore', storeInfo),
        deleteStore: a('secretsStore.deleteStore', undefined),
        listSecrets: a('secretsStore.listSecrets', [storeSecret]),
        getSecret: a('secretsStore.getSecret', storeSecret),
        createSecret: a('secretsStore.createSecret', storeSecret),
        updateSecret: a('secretsStore.updateSecret', storeSecret),
        deleteSecret: a('secretsStore.deleteSecret', undefined),
        duplicateSecret: a('secretsStore.duplicateSecret', storeSecret),
      },
      close: a('close', undefined),
    };
  }

  /** How each member is used through the wrapper (methods are called; values are read and compared). */
  const USE: Record<string, (b: Backend) => unknown> = {
    name: (b) => expect(b.name).toBe('recorder'),
    apiVersion: (b) => expect(b.apiVersion).toBe(1),
    capabilities: (b) => expect(b.capabilities).toMatchObject({ secrets: true, versions: true, secretsStore: true }),
    limits: (b) => expect(b.limits).toEqual({ secretValueBytes: 10, bindingsPerWorker: 3 }),
    describe: (b) => expect(b.describe?.(t)).toBe('in memory'),
    listSecrets: async (b) => expect(await b.listSecrets(t)).toEqual([{ name: 'K', type: 'secret_text' }]),
    updateSecrets: async (b) => expect((await b.updateSecrets(t, { K: 'v' }, { deploy: true })).changes).toEqual([{ name: 'K', action: 'set' }]),
    listVersions: async (b) => expect((await b.listVersions?.(t))?.[0].id).toBe('v-1'),
    getVersion: async (b) => expect((await b.getVersion?.(t, 'v-1'))?.id).toBe('v-1'),
    uploadVersion: async (b) => expect((await b.uploadVersion?.(t, { bindings: [] }))?.id).toBe('v-1'),
    listDeployments: async (b) => expect((await b.listDeployments?.(t))?.[0].id).toBe('d-1'),
    deploy: async (b) => expect((await b.deploy?.(t, { versions: [{ versionId: 'v-1', percentage: 100 }] }))?.id).toBe('d-1'),
    changedSecrets: async (b) => expect(await b.changedSecrets?.(t, 'v-1')).toEqual(['K']),
    differentSecrets: async (b) => expect(await b.differentSecrets?.(t, { K: 'v' })).toEqual(['K']),
    createWorker: (b) => b.createWorker?.(t),
    deleteWorker: (b) => b.deleteWorker?.(t),
    listWorkers: async (b) => expect(await b.listWorkers?.(t, { cursor: 'a' })).toEqual({ workers: ['my-worker'], cursor: 'my-worker' }),
    prepareWrite: (b) => b.prepareWrite?.(),
    // Rebuilt from the interface's fields: missing ones filled, unknown ones dropped.
    queryHealth: async (b) =>
      expect(await b.queryHealth?.(t, { versionIds: ['v-1'], from: 0, to: 1 })).toEqual({ versions: [{ versionId: 'v-1', invocations: 10, failures: 1, wallTimeP99Ms: 12, cpuTimeP99Ms: null, sampled: true }] }),
    secretsStore: async (b) => {
      const s = b.secretsStore;
      expect(s).toBeDefined();
      const STORE_USE: Record<string, (s: SecretsStoreApi) => unknown> = {
        maxValueBytes: (x) => expect(x.maxValueBytes).toBe(7),
        listStores: (x) => x.listStores(t),
        createStore: (x) => x.createStore(t, 'main'),
        deleteStore: (x) => x.deleteStore(t, 's-1'),
        listSecrets: (x) => x.listSecrets(t, 's-1'),
        getSecret: (x) => x.getSecret(t, 's-1', 'x-1'),
        createSecret: (x) => x.createSecret(t, 's-1', { name: 'K', value: 'v', scopes: ['workers'] }),
        updateSecret: (x) => x.updateSecret(t, 's-1', 'x-1', { comment: 'c' }),
        deleteSecret: (x) => x.deleteSecret(t, 's-1', 'x-1'),
        duplicateSecret: (x) => x.duplicateSecret(t, 's-1', 'x-1', { name: 'K2', scopes: ['workers'] }),
      };
      for (const m of Object.keys(STORE_MEMBERS)) {
        expect(STORE_USE, `this test does not use secretsStore.${m}`).toHaveProperty(m);
        await STORE_USE[m](s!);
      }
    },
    close: (b) => b.close?.(),
  };

  it('every member of the wrapper table is in the recording plugin and used by this test', () => {
    const plugin = recordingPlugin([]);
    expect(Object.keys(plugin).sort()).toEqual(Object.keys(MEMBERS).sort());
    expect(Object.keys(plugin.secretsStore).sort()).toEqual(Object.keys(STORE_MEMBERS).sort());
    expect(Object.keys(USE).sort()).toEqual(Object.keys(MEMBERS).sort());
  });

  it('each method called through the wrapper reaches the plugin', async () => {
    const calls: string[] = [];
    const plugin = recordingPlugin(calls);
    const wrapped = guardBackend('./recorder.mjs', plugin);
    for (const member of Object.keys(MEMBERS)) await USE[member](wrapped);
    const methods = [
      ...Object.entries(plugin).filter(([, v]) => typeof v === 'function').map(([k]) => k),
      ...Object.entries(plugin.secretsStore).filter(([, v]) => typeof v === 'function').map(([k]) => `secretsStore.${k}`),
    ];
    expect([...new Set(calls)].sort()).toEqual(methods.sort());
  });

  it('a member the plugin does not have stays absent (optional methods are not invented)', () => {
    const { changedSecrets: _c, prepareWrite: _p, createWorker: _cw, deleteWorker: _dw, ...rest } = recordingPlugin([]);
    const wrapped = guardBackend('./recorder.mjs', rest);
    expect(wrapped.changedSecrets).toBeUndefined();
    expect(wrapped.prepareWrite).toBeUndefined();
    expect(wrapped.createWorker).toBeUndefined();
    expect(wrapped.deleteWorker).toBeUndefined();
  });

  it("a plugin's error in changedSecrets is translated and never carries a value", async () => {
    const plugin = { ...recordingPlugin([]), changedSecrets: async () => { throw new TypeError('boom'); } };
    const wrapped = guardBackend('./recorder.mjs', plugin);
    await expect(wrapped.changedSecrets!(t, 'v-1')).rejects.toMatchObject({ exitCode: 1, message: expect.stringMatching(/backend plugin ".\/recorder.mjs" failed in changedSecrets: boom/) });
    const malformed = guardBackend('./recorder.mjs', { ...recordingPlugin([]), changedSecrets: async () => [42] });
    await expect(malformed.changedSecrets!(t, 'v-1')).rejects.toThrow(/returned a malformed result: changedSecrets\(\)\.0/);
  });

  it("differentSecrets: the values given to the plugin are redacted from its errors (at the edge, as mycli loads it)", async () => {
    const value = 'diff-s3cret-v4lue-never-shown';
    const plugin = { ...recordingPlugin([]), differentSecrets: async (_t: unknown, v: Record<string, string>) => { throw new Error(`cannot compare ${v.K}`); } };
    const wrapped = guardEdge(guardBackend('./recorder.mjs', plugin));
    const err = await wrapped.differentSecrets!(t, { K: value }).catch((e: Error) => e);
    expect((err as Error).message).toMatch(/failed in differentSecrets/);
    expect((err as Error).message).not.toContain(value);
  });
});

describe('DeployInput.expectLive through the plugin wrapper (issue 16 item 3)', () => {
  const t: Target = { worker: 'w', projectDir: '/nowhere' };
  const v = (id: string) => ({ id, number: 1, createdOn: '2026-01-01T00:00:00Z', bindings: [] });
  function plugin(declares: boolean, seen: unknown[]) {
    const deployments = [{ id: 'd-live', createdOn: '2026-01-01T00:00:00Z', versions: [{ versionId: 'v-1', percentage: 100 }] }];
    return {
      name: 'cas',
      capabilities: { secrets: true, versions: true, gradualDeployments: false, rollback: false, versionedSecrets: false, expectLive: declares },
      listSecrets: async () => [],
      updateSecrets: async () => ({ changes: [] }),
      listVersions: async () => [v('v-1')],
      getVersion: async () => v('v-1'),
      uploadVersion: async () => v('v-1'),
      listDeployments: async () => [...deployments].reverse(),
      deploy: async (_t: Target, input: { versions: { versionId: string; percentage: number }[] }) => {
        seen.push(input);
        const d = { id: `d-${deployments.length + 1}`, createdOn: '2026-01-02T00:00:00Z', versions: input.versions };
        deployments.push(d);
        return d;
      },
    };
  }

  it('a plugin that does not declare capabilities.expectLive: the wrapper reads the live deployment first and refuses a mismatch (exit 5), never calling deploy', async () => {
    const seen: unknown[] = [];
    const b = guardBackend('./cas.mjs', plugin(false, seen));
    const refused = await b.deploy!(t, { versions: [{ versionId: 'v-1', percentage: 100 }], expectLive: 'd-other' }).catch((e) => e);
    expect(refused.exitCode).toBe(5);
    expect(refused.message).toMatch(/expected deployment d-other, live now is deployment d-live/);
    expect(seen).toEqual([]);
    const ok = await b.deploy!(t, { versions: [{ versionId: 'v-1', percentage: 100 }], expectLive: 'd-live' });
    expect(ok.id).toBe('d-2');
    expect(seen).toEqual([{ versions: [{ versionId: 'v-1', percentage: 100 }] }]);
  });

  it('a plugin that declares it gets expectLive forwarded, and judges it itself', async () => {
    const seen: unknown[] = [];
    const b = guardBackend('./cas.mjs', plugin(true, seen));
    expect(b.capabilities.expectLive).toBe(true);
    await b.deploy!(t, { versions: [{ versionId: 'v-1', percentage: 100 }], expectLive: 'd-other' });
    expect(seen).toEqual([{ versions: [{ versionId: 'v-1', percentage: 100 }], expectLive: 'd-other' }]);
  });
});
