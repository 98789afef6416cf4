/**
 * The conformance kit must catch broken backends, not only pass good ones: each defect below
 * makes the named check fail (and the good local backend passes it, see local.test.ts).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LocalBackend } from '../../src/backends/local/backend.js';
import { runConformance, throwawayWorkerName } from '../../src/backends/conformance.js';
import type { Backend, SecretPatch, Target } from '../../src/backends/types.js';

function local(): LocalBackend {
  return new LocalBackend({ env: { MYCLI_LOCAL_KEY: 'b'.repeat(64) } });
}

/** A Backend that forwards to LocalBackend, with some members replaced. */
function broken(overrides: (inner: LocalBackend) => Partial<Backend>): Backend {
  const inner = local();
  const o = overrides(inner);
  return {
    name: 'broken',
    capabilities: inner.capabilities,
    listSecrets: (t) => inner.listSecrets(t),
    updateSecrets: (t, p, opt) => inner.updateSecrets(t, p, opt),
    listVersions: (t) => inner.listVersions(t),
    getVersion: (t, id) => inner.getVersion(t, id),
    uploadVersion: (t, i) => inner.uploadVersion(t, i),
    listDeployments: (t) => inner.listDeployments(t),
    deploy: (t, i) => inner.deploy(t, i),
    ...o,
  };
}

async function statusOf(backend: Backend, id: string) {
  const dir = mkdtempSync(join(tmpdir(), 'mycli-kit-'));
  const [r] = await runConformance({ backend, makeTarget: () => ({ worker: throwawayWorkerName(), projectDir: dir }), only: [id] });
  return r;
}

describe('the conformance kit catches broken backends', () => {
  it('a backend whose list returns secret values fails secrets.never-returned', async () => {
    const seen = new Map<string, string>();
    const b = broken((inner) => ({
      updateSecrets: (t: Target, p: SecretPatch, opt) => {
        for (const [k, v] of Object.entries(p)) if (v !== null) seen.set(k, v);
        return inner.updateSecrets(t, p, opt);
      },
      listSecrets: async (t: Target) => (await inner.listSecrets(t)).map((s) => ({ ...s, value: seen.get(s.name) })),
    }));
    const r = await statusOf(b, 'secrets.never-returned');
    expect(r.status).toBe('fail');
    expect(r.reason).toMatch(/listSecrets returned the secret value/);
    // The failure report itself never carries the value.
    for (const v of seen.values()) expect(JSON.stringify(r)).not.toContain(v);
  });

  it('a backend that loses earlier secrets fails secrets.kept-across-calls', async () => {
    const b = broken((inner) => ({
      // Forgets everything but the names of the last patch.
      updateSecrets: async (t: Target, p: SecretPatch, opt) => {
        const current = await inner.listSecrets(t).catch(() => []);
        const drop: SecretPatch = {};
        for (const s of current) if (!(s.name in p)) drop[s.name] = null;
        if (Object.keys(drop).length) await inner.updateSecrets(t, drop, opt);
        return inner.updateSecrets(t, p, opt);
      },
    }));
    const r = await statusOf(b, 'secrets.kept-across-calls');
    expect(r.status).toBe('fail');
    expect(r.reason).toMatch(/KIT_B/);
  });

  it('a backend that accepts percentages not summing to 100 is refused at the edge, before it sees the split (deploy.percentages passes)', async () => {
    // The split is one of the edge's input checks (backends/edge.ts): every backend gets it,
    // so the kit checks the backend as mycli uses it and such a split never reaches deploy().
    const splits: number[] = [];
    const b = broken((inner) => ({
      deploy: async (t: Target, i) => {
        const sum = i.versions.reduce((a, v) => a + v.percentage, 0);
        splits.push(sum);
        if (sum !== 100) return { id: 'fake', createdOn: new Date().toISOString(), versions: i.versions };
        return inner.deploy(t, i);
      },
    }));
    const r = await statusOf(b, 'deploy.percentages');
    expect(r.status).toBe('pass');
    expect(splits.length).toBeGreaterThan(0);
    expect(splits.every((sum) => sum === 100)).toBe(true);
  });

  it('a backend that drops a 0% version from the deployment fails deploy.zero-percent', async () => {
    const b = broken((inner) => ({
      deploy: (t: Target, i) => inner.deploy(t, { ...i, versions: i.versions.filter((v) => v.percentage > 0) }),
    }));
    const r = await statusOf(b, 'deploy.zero-percent');
    expect(r.status).toBe('fail');
    expect(r.reason).toMatch(/0% version/);
  });

  it('a backend that throws untyped errors fails secrets.delete with a clear reason', async () => {
    const b = broken((inner) => ({
      updateSecrets: async (t: Target, p: SecretPatch, opt) => {
        try {
          return await inner.updateSecrets(t, p, opt);
        } catch (e) {
          throw new Error(String((e as Error).message));
        }
      },
    }));
    const r = await statusOf(b, 'secrets.delete');
    expect(r.status).toBe('fail');
    expect(r.reason).toMatch(/untyped error/);
  });

  it('a backend without versions has the version checks skipped, not failed', async () => {
    const inner = local();
    const b: Backend = {
      name: 'secrets-only',
      capabilities: { secrets: true, versions: false, gradualDeployments: false, rollback: false, versionedSecrets: false },
      listSecrets: (t) => inner.listSecrets(t),
      updateSecrets: (t, p, o) => inner.updateSecrets(t, p, o),
    };
    const dir = mkdtempSync(join(tmpdir(), 'mycli-kit-'));
    const results = await runConformance({ backend: b, makeTarget: () => ({ worker: throwawayWorkerName(), projectDir: dir }) });
    expect(results.filter((r) => r.status === 'fail')).toEqual([]);
    expect(results.find((r) => r.id === 'deploy.percentages')?.status).toBe('skip');
    expect(results.find((r) => r.id === 'secrets.put-list')?.status).toBe('pass');
  });
});
