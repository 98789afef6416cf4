/**
 * Analysis gates on the cloudflare backend against the fake API on 127.0.0.1: the health
 * capability is Workers Observability's telemetry query (docs/HEALTH-SIGNALS.md), one request
 * per measurement covering both versions, answered from a traffic model by the fake's live
 * split. Observability disabled, a token without permission and no data yet are each named.
 */
import { describe, expect, it } from 'vitest';
import { ACCOUNT, TOKEN, type FakeApi, type Recorded } from './fake-api.js';
import { cf, cfProject, expectNotPrinted, useFakeApi } from './helpers.js';
import { fakeWorld, runRollout } from '../helpers/rollout.js';
import { telemetryResult, trafficModel, type TrafficModel } from '../helpers/traffic-model.js';

const api = useFakeApi();
const worker = () => api.workers.get('my-worker')!;
const OLD = 'old-secret-value-123';
const TELEMETRY = `/accounts/${ACCOUNT}/workers/observability/telemetry/query`;

const queries = (requests: Recorded[]) => requests.filter((r) => r.method === 'POST' && r.path === TELEMETRY);

/** The fake answers the telemetry query from `model`, split by its live deployment. */
function serveModel(a: FakeApi, model: TrafficModel): void {
  a.telemetry = (r) => {
    const body = r.json as { timeframe: { from: number; to: number } };
    const live = a.live(worker())!;
    const ids = worker().versions.map((v) => v.id);
    return { result: telemetryResult(model, live.versions, body, ids) };
  };
}

function twoVersions() {
  const w = worker();
  const v1 = api.latest(w)!;
  const v2 = api.addVersion(w, v1.bindings, 'upload', {});
  return { v1: v1.id, v2: v2.id };
}

const gates = { maxErrorRate: '1', maxErrorIncrease: '0.5', maxP99: '200', interval: '1m' };

describe('versions rollout analysis on the cloudflare backend', () => {
  it('a healthy rollout completes with one telemetry query per measurement, covering both versions', async () => {
    const { v1, v2 } = twoVersions();
    const model = trafficModel(200, { [v1]: { failureRate: 0.001, p99: 40 }, [v2]: { failureRate: 0.001, p99: 45 } });
    serveModel(api, model);
    const p = cfProject(api);
    const world = fakeWorld();
    const r = await runRollout(p, { version: v2, steps: '10,50', wait: '3m', ...gates }, world, { backend: 'cloudflare', json: true });
    expect(r.code, r.all).toBe(0);
    const doc = r.json();
    expect(doc.outcome).toBe('completed');
    const measurements = doc.steps.flatMap((s: { analysis: unknown[] }) => s.analysis);
    expect(measurements).toHaveLength(9);
    const sent = queries(api.requests);
    expect(sent).toHaveLength(measurements.length);
    // The request: the calculations view, a window in milliseconds, grouped by version and outcome.
    for (const q of sent) {
      const b = q.json as Record<string, any>;
      expect(q.headers.authorization).toBe(`Bearer ${TOKEN}`);
      expect(b).toMatchObject({ view: 'calculations', dry: true, queryId: expect.any(String) });
      expect(b.timeframe.from).toBeLessThan(b.timeframe.to);
      expect(b.parameters.filters).toEqual([{ key: '$workers.scriptName', operation: 'eq', type: 'string', value: 'my-worker' }]);
      expect(b.parameters.groupBys.map((g: { value: string }) => g.value)).toEqual(['$workers.scriptVersion.id', '$workers.outcome']);
      expect(b.parameters.calculations.map((c: { operator: string }) => c.operator)).toEqual(['count', 'p99', 'p99']);
    }
    const first = sent[0].json as { timeframe: { from: number; to: number } };
    expect(first.timeframe.to - first.timeframe.from).toBe(60_000);
    expect(doc.steps[0].analysis[2].versions[0]).toMatchObject({ versionId: v2, invocations: 3600, failures: 4, p99: 45, cpuP99: 4.5 });
    // No script-settings read when there is data.
    expect(api.requests.filter((x) => x.path.endsWith('/script-settings'))).toHaveLength(0);
    expectNotPrinted(r.all, TOKEN, OLD);
  });

  it('a failing new version is rolled back within two intervals', async () => {
    const { v1, v2 } = twoVersions();
    serveModel(api, trafficModel(200, { [v1]: { failureRate: 0.001, p99: 40 }, [v2]: { failureRate: 0.02, p99: 45 } }));
    const p = cfProject(api);
    const r = await runRollout(p, { version: v2, steps: '10,50', wait: '10m', ...gates }, fakeWorld(), { backend: 'cloudflare', json: true });
    expect(r.code, r.all).toBe(1);
    expect(r.json().outcome).toBe('rolled_back');
    expect(r.json().steps[0].analysis.map((m: { verdict: string }) => m.verdict)).toEqual(['fail', 'fail']);
    expect(queries(api.requests)).toHaveLength(2);
    expect(api.live(worker())!.versions).toEqual([{ version_id: v1, percentage: 100 }]);
  });

  it('observability disabled is named (what to enable) and holds; no data yet is told apart from it', async () => {
    const { v2 } = twoVersions();
    api.telemetry = () => ({ result: { calculations: [{ alias: 'invocations', aggregates: [], series: [] }] } });
    api.scriptSettings.set('my-worker', { logpush: false, observability: { enabled: false, head_sampling_rate: 1 } });
    const p = cfProject(api);
    const r = await runRollout(p, { version: v2, steps: '10', wait: '2m', ...gates }, fakeWorld(), { backend: 'cloudflare', json: true });
    expect(r.code, r.all).toBe(1);
    expect(r.json().outcome).toBe('held');
    expect(r.json().error.message).toMatch(/inconclusive: Workers Observability is not enabled on Worker "my-worker", so Cloudflare records no invocations to judge \(add `\[observability\]` with `enabled = true`/);
    expect(r.stderr).toMatch(/\? measurement at 10% \(1m window\): inconclusive/);

    api.scriptSettings.set('my-worker', { logpush: false, observability: { enabled: true, head_sampling_rate: 1 } });
    const again = await runRollout(p, { version: v2, steps: '10', wait: '2m', ...gates }, fakeWorld(), { backend: 'cloudflare', json: true });
    expect(again.json().outcome).toBe('held');
    expect(again.json().error.message).toMatch(/inconclusive: no invocations of [0-9a-f]{8}, [0-9a-f]{8} recorded between .* yet \(telemetry arrives within a minute or two/);
  });

  it('a token without the observability permission is named (which permission) and inconclusive, never healthy', async () => {
    const { v2 } = twoVersions();
    api.telemetry = () => ({ status: 403, code: 10000, message: 'Authentication error' });
    const p = cfProject(api);
    const r = await runRollout(p, { version: v2, steps: '10', wait: '1m', ...gates, inconclusive: 'rollback' }, fakeWorld(), { backend: 'cloudflare', json: true });
    expect(r.code, r.all).toBe(1);
    expect(r.json().outcome).toBe('rolled_back');
    expect(r.json().steps[0].analysis[0]).toMatchObject({ verdict: 'inconclusive', reason: expect.stringMatching(/may not read Workers Observability telemetry.*"Workers Observability: Read"/) });
    expectNotPrinted(r.all, TOKEN);
  });
});
