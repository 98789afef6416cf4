/**
 * versions rollout on a plugin backend: a small in-memory plugin with versions and gradual
 * deployments (it keeps the messages it is given, as the Backend interface asks).
 */
import { describe, expect, it } from 'vitest';
import { makeProject } from '../helpers/cli.js';
import { fakeWorld, ROLLOUT_ID, runRollout } from '../helpers/rollout.js';
import { parseFlags } from '../../src/commands/versions/rollout/run.js';
import { gatesTag } from '../../src/commands/versions/rollout/continuation.js';

const PLUGIN = `
const versions = [
  { id: '11111111-1111-4111-8111-111111111111', number: 1, createdOn: '2026-01-01T00:00:00Z', bindings: [] },
  { id: '22222222-2222-4222-8222-222222222222', number: 2, createdOn: '2026-01-02T00:00:00Z', bindings: [] },
];
const deployments = [{ id: 'd-0', createdOn: '2026-01-01T00:00:01Z', versions: [{ versionId: versions[0].id, percentage: 100 }] }];
let n = 0;
export default () => ({
  name: 'memory',
  capabilities: { secrets: true, versions: true, gradualDeployments: true, rollback: true, versionedSecrets: false },
  async listSecrets() { return []; },
  async updateSecrets() { return { changes: [] }; },
  async listVersions() { return [...versions].reverse(); },
  async getVersion(_t, id) { const v = versions.find((x) => x.id === id); if (!v) { const e = new Error('no such version'); e.status = 404; throw e; } return v; },
  async uploadVersion() { throw new Error('not here'); },
  async listDeployments() { return [...deployments].reverse(); },
  async deploy(_t, input) {
    const sum = input.versions.reduce((a, v) => a + v.percentage, 0);
    if (Math.abs(sum - 100) > 1e-9) throw Object.assign(new Error('percentages must sum to 100'), { exitCode: 2 });
    const d = { id: 'd-' + ++n, createdOn: new Date(Date.UTC(2026, 0, 3, 0, n)).toISOString(), message: input.message, versions: input.versions };
    deployments.push(d);
    return d;
  },
});
`;

describe('versions rollout on a plugin backend', () => {
  it('runs every step through the plugin, a failed gate rolls back through it', async () => {
    const p = makeProject({ 'memory.mjs': PLUGIN });
    const v1 = '11111111-1111-4111-8111-111111111111';
    const v2 = '22222222-2222-4222-8222-222222222222';
    const failing = await runRollout(p, { version: '2222', steps: '0,50', wait: '1m', check: 'test "$MYCLI_ROLLOUT_PERCENT" -lt 50' }, fakeWorld(), { backend: './memory.mjs', json: true });
    expect(failing.code, failing.all).toBe(1);
    expect(failing.json()).toMatchObject({ backend: 'memory', outcome: 'rolled_back', version: v2, stable: v1 });

    const ok = await runRollout(p, { version: '2222', steps: '0,50', wait: '1m', check: 'true' }, fakeWorld(), { backend: './memory.mjs', json: true });
    expect(ok.code, ok.all).toBe(0);
    const list = await p.run(['deployments', 'list', '--json', '--backend', './memory.mjs']);
    expect(list.code, list.stderr).toBe(0);
    const ds = list.json().deployments as { message: string; versions: unknown[] }[];
    const { hash } = gatesTag(parseFlags({ version: '2222', steps: '0,50', wait: '1m', check: 'true' }))!;
    expect(ds.slice(0, 3).map((d) => d.message)).toEqual([`rollout ${ROLLOUT_ID}: step 3/3, 100%, gates ${hash} c`, `rollout ${ROLLOUT_ID}: step 2/3, 50%, gates ${hash} c`, `rollout ${ROLLOUT_ID}: step 1/3, 0%, gates ${hash} c`]);
    expect(ds[0].versions).toEqual([{ versionId: v2, percentage: 100 }]);
    expect(ds[3].message).toBe(`rollout ${ROLLOUT_ID}: rolled back`);
  });
});

/** The same plugin with the health capability: its own traffic model (100 rps, split by its live deployment). */
const HEALTH_PLUGIN = PLUGIN.replace(
  'versionedSecrets: false },',
  `versionedSecrets: false, health: true },
  async queryHealth(_t, q) {
    const live = deployments[deployments.length - 1];
    const rates = { [versions[0].id]: 0.001, [versions[1].id]: globalThis.MYCLI_TEST_RATE ?? 0.001 };
    return {
      versions: q.versionIds.map((id) => {
        const share = (live.versions.find((v) => v.versionId === id)?.percentage ?? 0) / 100;
        const invocations = Math.round(100 * share * (q.to - q.from) / 1000);
        return { versionId: id, invocations, failures: Math.round(invocations * rates[id]), wallTimeP99Ms: 30, cpuTimeP99Ms: null, sampled: true };
      }),
    };
  },`,
);

describe('versions rollout analysis on a plugin declaring the health capability', () => {
  it('measures through the plugin: a healthy rollout completes, a failing one rolls back', async () => {
    const p = makeProject({ 'memory.mjs': HEALTH_PLUGIN, 'failing.mjs': `globalThis.MYCLI_TEST_RATE = 0.05;\n${HEALTH_PLUGIN}` });
    const v1 = '11111111-1111-4111-8111-111111111111';
    const gates = { maxErrorIncrease: '0.5', interval: '1m' };
    const ok = await runRollout(p, { version: '2222', steps: '50', wait: '3m', ...gates }, fakeWorld(), { backend: './memory.mjs', json: true });
    expect(ok.code, ok.all).toBe(0);
    const last = ok.json().steps[0].analysis.at(-1);
    expect(last).toMatchObject({ verdict: 'pass', versions: [{ invocations: 9000, failures: 9, p99: 30, cpuP99: null, sampled: true }, { versionId: v1, invocations: 9000 }] });
    expect(ok.stderr).toContain('version 2: 9/9000 failed (0.1%), p99 30ms, sampled');

    const bad = await runRollout(p, { version: '2222', steps: '50', wait: '3m', ...gates }, fakeWorld(), { backend: './failing.mjs', json: true });
    expect(bad.code, bad.all).toBe(1);
    expect(bad.json()).toMatchObject({ backend: 'memory', outcome: 'rolled_back', failure: { kind: 'analysis' } });
  });

  it('declaring health without queryHealth is refused at load; a malformed report is a plugin error naming the field', async () => {
    const p = makeProject({
      'nohealth.mjs': PLUGIN.replace('versionedSecrets: false },', 'versionedSecrets: false, health: true },'),
      'malformed.mjs': HEALTH_PLUGIN.replace('failures: Math.round(invocations * rates[id])', 'failures: invocations + 1'),
    });
    const missing = await runRollout(p, { version: '2222', steps: '50', wait: '1m', maxErrorRate: '1' }, fakeWorld(), { backend: './nohealth.mjs', json: true });
    expect(missing.code, missing.all).toBe(1);
    expect(missing.json().error.message).toMatch(/queryHealth: must be a function \(capability health is declared\)/);
    const malformed = await runRollout(p, { version: '2222', steps: '50', wait: '1m', maxErrorRate: '1' }, fakeWorld(), { backend: './malformed.mjs', json: true });
    // A measurement that fails is inconclusive (never healthy): held, the plugin's fault named.
    expect(malformed.json().outcome).toBe('held');
    expect(malformed.json().steps[0].analysis[0].reason).toMatch(/backend plugin "\.\/malformed\.mjs" returned a malformed result: queryHealth\(\)\.versions\.0\.failures: failures must not exceed invocations/);
  });
});
