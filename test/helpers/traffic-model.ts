/**
 * A model of a Worker's traffic for rollout tests: total requests per second, and per version a
 * failure rate and a wall-time p99; the live deployment's split decides each version's share.
 * Counts are the expected values, rounded (deterministic), over the asked window.
 *
 * Three ways in: `withTraffic(backend, model)` gives any backend the health capability
 * answering from the model; `telemetryResult(...)` answers Cloudflare's telemetry query (the
 * fake API); the example plugin in test/plugins computes the same thing itself.
 */
import type { Backend, DeploymentVersion, HealthQuery, HealthReport, HealthUnavailable, VersionHealth } from '../../src/backends/types.js';

export interface VersionTraffic {
  /** Share of invocations that fail (0..1), or a function of the version's live percentage. */
  failureRate: number | ((percent: number) => number);
  /** Wall-time p99 in ms. */
  p99: number;
}

export interface TrafficModel {
  /** Requests per second to the Worker, all versions together. */
  rps: number;
  versions: Record<string, VersionTraffic>;
  /** Answer this instead of numbers (observability disabled, permission, ...). */
  unavailable?: HealthUnavailable;
  /** Every query asked, in order. */
  queries: HealthQuery[];
}

export function trafficModel(rps: number, versions: Record<string, VersionTraffic>): TrafficModel {
  return { rps, versions, queries: [] };
}

/** Each asked version's traffic in the window under `split`. */
export function healthFrom(model: TrafficModel, split: DeploymentVersion[], q: HealthQuery): VersionHealth[] {
  const seconds = Math.max(0, q.to - q.from) / 1000;
  return q.versionIds.map((id) => {
    const percent = split.find((v) => v.versionId === id)?.percentage ?? 0;
    const t = model.versions[id] ?? { failureRate: 0, p99: 10 };
    const rate = typeof t.failureRate === 'function' ? t.failureRate(percent) : t.failureRate;
    const invocations = Math.round(model.rps * (percent / 100) * seconds);
    const failures = Math.round(invocations * rate);
    return { versionId: id, invocations, failures, wallTimeP99Ms: invocations ? t.p99 : null, cpuTimeP99Ms: invocations ? t.p99 / 10 : null, sampled: false };
  });
}

/** `backend` with the health capability, answering from `model` by the backend's live split. */
export function withTraffic<B extends Backend>(backend: B, model: TrafficModel): B {
  const queryHealth = async (target: Parameters<NonNullable<Backend['queryHealth']>>[0], q: HealthQuery): Promise<HealthReport> => {
    model.queries.push(q);
    if (model.unavailable) return { versions: [], unavailable: model.unavailable };
    const live = (await backend.listDeployments!(target))[0];
    return { versions: healthFrom(model, live?.versions ?? [], q) };
  };
  return new Proxy(backend, {
    get(t, prop, receiver) {
      if (prop === 'capabilities') return { ...t.capabilities, health: true };
      if (prop === 'queryHealth') return queryHealth;
      const v = Reflect.get(t, prop, receiver);
      return typeof v === 'function' ? v.bind(t) : v;
    },
  });
}

/** Cloudflare's telemetry `result` (calculations view, grouped by version and outcome) for the model. */
export function telemetryResult(model: TrafficModel, split: { version_id: string; percentage: number }[], body: { timeframe: { from: number; to: number } }, versionIds: string[]): unknown {
  const q = { versionIds, from: body.timeframe.from, to: body.timeframe.to };
  model.queries.push(q);
  const hs = healthFrom(model, split.map((v) => ({ versionId: v.version_id, percentage: v.percentage })), q);
  const group = (id: string, outcome: string) => [
    { key: '$workers.scriptVersion.id', value: id },
    { key: '$workers.outcome', value: outcome },
  ];
  const counts = hs.flatMap((h) => [
    ...(h.invocations - h.failures > 0 ? [{ value: h.invocations - h.failures, count: h.invocations - h.failures, interval: 1, sampleInterval: 1, groups: group(h.versionId, 'ok') }] : []),
    ...(h.failures > 0 ? [{ value: h.failures, count: h.failures, interval: 1, sampleInterval: 1, groups: group(h.versionId, 'exception') }] : []),
  ]);
  const p99 = hs.filter((h) => h.invocations > h.failures).map((h) => ({ value: h.wallTimeP99Ms, count: h.invocations, interval: 1, sampleInterval: 1, groups: group(h.versionId, 'ok') }));
  const cpu = hs.filter((h) => h.invocations > h.failures).map((h) => ({ value: h.cpuTimeP99Ms, count: h.invocations, interval: 1, sampleInterval: 1, groups: group(h.versionId, 'ok') }));
  return {
    run: { id: 'run-1', status: 'COMPLETED' },
    calculations: [
      { calculation: 'count', alias: 'invocations', aggregates: counts, series: [] },
      { calculation: 'p99($workers.wallTimeMs)', alias: 'wall_p99', aggregates: p99, series: [] },
      { calculation: 'p99($workers.cpuTimeMs)', alias: 'cpu_p99', aggregates: cpu, series: [] },
    ],
    statistics: { elapsed: 0.01, rows_read: 0, bytes_read: 0 },
  };
}
