/**
 * Capabilities narrow the Backend type (src/backends/capabilities.ts): one table says which
 * members each capability requires. A backend that declares a capability without them is refused
 * when a plugin loads, and fails clearly at use (ctx.backendWith, the conformance kit) for
 * backends that do not go through the plugin edge.
 */
import { describe, expect, it } from 'vitest';
import { CAPABILITY_MEMBERS, hasCapabilities, requireCapabilities } from '../../src/backends/capabilities.js';
import { runConformance } from '../../src/backends/conformance.js';
import { guardBackend } from '../../src/backends/plugin.js';
import type { Backend, Capabilities } from '../../src/backends/types.js';

const NONE: Capabilities = { secrets: false, versions: false, gradualDeployments: false, rollback: false, versionedSecrets: false };

/** A backend object with only secrets members, claiming `capabilities`. */
function claims(capabilities: Partial<Capabilities>): Backend {
  return {
    name: 'claims',
    capabilities: { ...NONE, ...capabilities },
    async listSecrets() {
      return [];
    },
    async updateSecrets(_t, patch) {
      return { changes: Object.keys(patch).map((name) => ({ name, action: 'set' as const })) };
    },
  };
}

const full = (): Backend => ({
  ...claims({ secrets: true, versions: true, rollback: true }),
  listVersions: async () => [],
  getVersion: async () => ({ id: 'v', number: 1, createdOn: '', bindings: [] }),
  uploadVersion: async () => ({ id: 'v', number: 1, createdOn: '', bindings: [] }),
  listDeployments: async () => [],
  deploy: async () => ({ id: 'd', createdOn: '', versions: [{ versionId: 'v', percentage: 100 }] }),
});

describe('capabilities', () => {
  it('the table names a member of Backend for every capability', () => {
    expect(Object.keys(CAPABILITY_MEMBERS).sort()).toEqual(['expectLive', 'gradualDeployments', 'health', 'rollback', 'secrets', 'secretsStore', 'versionedSecrets', 'versions']);
    expect(CAPABILITY_MEMBERS.health).toEqual(['queryHealth']);
    expect(CAPABILITY_MEMBERS.versions).toEqual(expect.arrayContaining(['listVersions', 'getVersion', 'uploadVersion', 'listDeployments', 'deploy']));
    expect(CAPABILITY_MEMBERS.rollback).toEqual(expect.arrayContaining(['listDeployments', 'deploy']));
    expect(CAPABILITY_MEMBERS.secretsStore).toEqual(['secretsStore']);
  });

  it('a backend has a capability when it declares it AND has its members', () => {
    expect(hasCapabilities(full(), 'versions', 'rollback')).toBe(true);
    expect(hasCapabilities(full(), 'gradualDeployments')).toBe(false); // not declared
    expect(hasCapabilities(claims({ versions: true }), 'versions')).toBe(false); // declared, no members
  });

  it('at use: an undeclared capability is a usage error (exit 2); a declared one without its members names them (exit 1)', () => {
    const b = full();
    expect(requireCapabilities(b, 'versions')).toBe(b);
    expect(() => requireCapabilities(claims({ secrets: true }), 'versions')).toThrow(
      expect.objectContaining({ exitCode: 2, message: 'the claims backend does not support versions' }),
    );
    let err: unknown;
    try {
      requireCapabilities(claims({ versions: true, rollback: true }), 'versions', 'rollback');
    } catch (e) {
      err = e;
    }
    expect(err).toMatchObject({ exitCode: 1, code: 'plugin' });
    const message = (err as Error).message;
    expect(message).toMatch(/^the claims backend declares capabilities without their members:/);
    for (const m of ['listVersions', 'getVersion', 'uploadVersion', 'listDeployments', 'deploy']) expect(message).toContain(`${m}: must be a function (capability versions is declared)`);
    expect(message.match(/deploy: must be a function/g)).toHaveLength(2); // versions, rollback: each named once
    expect(() => requireCapabilities(claims({ secretsStore: true }), 'secretsStore')).toThrow(/secretsStore: must be an object \(capability secretsStore is declared\)/);
  });

  it('at load: a plugin declaring rollback without deploy is refused, naming the member', () => {
    const { deploy: _d, ...noDeploy } = full();
    expect(() => guardBackend('./half.mjs', noDeploy)).toThrow(/backend plugin "\.\/half\.mjs" does not implement the Backend interface:\n {2}deploy: must be a function \(capability versions is declared\)\n {2}deploy: must be a function \(capability rollback is declared\)$/);
  });

  it('the kit fails a check whose capability is declared without its members, naming them (not "is not a function")', async () => {
    const results = await runConformance({
      backend: claims({ secrets: true, versions: true }),
      makeTarget: (id) => ({ worker: id.replace(/\W/g, '-'), projectDir: '/nowhere' }),
      only: ['versions.unknown', 'deploy.percentages', 'secrets.invalid-name'],
    });
    const by = Object.fromEntries(results.map((r) => [r.id, r]));
    expect(by['versions.unknown']).toMatchObject({ status: 'fail', reason: expect.stringContaining('listVersions: must be a function (capability versions is declared)') });
    expect(by['versions.unknown'].reason).not.toMatch(/not a function|unexpected error/);
    expect(by['deploy.percentages']).toMatchObject({ status: 'skip', reason: 'needs gradualDeployments' });
    expect(by['secrets.invalid-name'].status).not.toBe('skip');
  });
});
