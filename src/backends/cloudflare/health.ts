/**
 * Per-version traffic health from Workers Observability (the `health` capability of the
 * cloudflare backend): ONE telemetry query per measurement, covering every asked version —
 * invocations grouped by `$workers.scriptVersion.id` and `$workers.outcome` (anything but `ok`
 * is a failed invocation), with the wall-time and CPU-time p99 of the successful ones.
 * docs/HEALTH-SIGNALS.md has the request and answer shapes.
 *
 * What cannot be measured is named, and answered as `unavailable` (a rollout counts it as
 * inconclusive, never as healthy): a token without the Workers Observability permission, a
 * Worker without observability enabled (told apart from "no data yet" by one read of the
 * script settings, made only when the query found no invocation at all), no data yet, or an
 * API that failed.
 */
import { AuthError, isMycliError } from '../../errors.js';
import type { HealthQuery, HealthReport, VersionHealth } from '../types.js';
import type { CloudflareClient } from './client.js';

/** The telemetry query's body for `worker` in the window (docs/HEALTH-SIGNALS.md). */
export function telemetryQuery(worker: string, q: HealthQuery): Record<string, unknown> {
  return {
    queryId: 'mycli-rollout-health',
    view: 'calculations',
    dry: true,
    timeframe: { from: q.from, to: q.to },
    parameters: {
      filters: [{ key: '$workers.scriptName', operation: 'eq', type: 'string', value: worker }],
      filterCombination: 'and',
      calculations: [
        { operator: 'count', alias: 'invocations' },
        { operator: 'p99', key: '$workers.wallTimeMs', keyType: 'number', alias: 'wall_p99' },
        { operator: 'p99', key: '$workers.cpuTimeMs', keyType: 'number', alias: 'cpu_p99' },
      ],
      groupBys: [
        { type: 'string', value: '$workers.scriptVersion.id' },
        { type: 'string', value: '$workers.outcome' },
      ],
    },
  };
}

interface Aggregate {
  value?: unknown;
  count?: unknown;
  sampleInterval?: unknown;
  groups?: { key?: unknown; value?: unknown }[];
}

function groupValue(a: Aggregate, key: string): string | undefined {
  const g = a.groups?.find((x) => x.key === key);
  return g && (typeof g.value === 'string' || typeof g.value === 'number') ? String(g.value) : undefined;
}

const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v)) ? Number(v) : undefined);

/** The answer's `result.calculations` -> one VersionHealth per asked version. */
export function parseTelemetry(result: unknown, asked: string[]): { versions: VersionHealth[]; seen: boolean } {
  const calcs = (result && typeof result === 'object' ? (result as { calculations?: unknown }).calculations : undefined) as
    | { alias?: unknown; calculation?: unknown; aggregates?: Aggregate[] }[]
    | undefined;
  const out = new Map<string, VersionHealth & { okWall?: number; anyWall?: number; okCpu?: number; anyCpu?: number }>(
    asked.map((id) => [id, { versionId: id, invocations: 0, failures: 0, wallTimeP99Ms: null, cpuTimeP99Ms: null, sampled: false }]),
  );
  let seen = false;
  for (const c of Array.isArray(calcs) ? calcs : []) {
    const alias = typeof c.alias === 'string' ? c.alias : typeof c.calculation === 'string' ? c.calculation : '';
    for (const a of Array.isArray(c.aggregates) ? c.aggregates : []) {
      const id = groupValue(a, '$workers.scriptVersion.id');
      const v = id ? out.get(id) : undefined;
      if (!v) continue;
      const outcome = groupValue(a, '$workers.outcome') ?? 'ok';
      const value = num(a.value);
      if ((num(a.sampleInterval) ?? 1) > 1) v.sampled = true;
      if (alias === 'invocations' || alias === 'count') {
        const n = Math.round(value ?? num(a.count) ?? 0);
        if (n > 0) seen = true;
        v.invocations += n;
        if (outcome !== 'ok') v.failures += n;
      } else if (alias === 'wall_p99' && value !== undefined) {
        if (outcome === 'ok') v.okWall = value;
        v.anyWall = Math.max(v.anyWall ?? 0, value);
      } else if (alias === 'cpu_p99' && value !== undefined) {
        if (outcome === 'ok') v.okCpu = value;
        v.anyCpu = Math.max(v.anyCpu ?? 0, value);
      }
    }
  }
  const versions = [...out.values()].map(({ okWall, anyWall, okCpu, anyCpu, ...v }) => ({
    ...v,
    // The latency of the successful invocations; when there were none, the slowest group's.
    wallTimeP99Ms: okWall ?? anyWall ?? null,
    cpuTimeP99Ms: okCpu ?? anyCpu ?? null,
  }));
  return { versions, seen };
}

export async function queryHealth(client: CloudflareClient, account: string, worker: string, q: HealthQuery): Promise<HealthReport> {
  const path = `/accounts/${encodeURIComponent(account)}/workers/observability/telemetry/query`;
  let result: unknown;
  try {
    const res = await client.request<unknown>({ method: 'POST', path, json: telemetryQuery(worker, q), about: { worker } });
    result = res.result;
  } catch (e) {
    if (e instanceof AuthError || (isMycliError(e) && e.exitCode === 4)) {
      return {
        versions: [],
        unavailable: {
          reason: 'permission',
          message: `the API token may not read Workers Observability telemetry of this account (${(e as Error).message})`,
          hint: 'give the token the account permission "Workers Observability: Read" (or Edit) besides Workers Scripts: Edit',
        },
      };
    }
    if (isMycliError(e)) {
      return { versions: [], unavailable: { reason: 'unavailable', message: `the telemetry query failed: ${e.message}`, hint: e.hint } };
    }
    throw e;
  }
  const { versions, seen } = parseTelemetry(result, q.versionIds);
  if (seen) return { versions };
  // Nothing at all: is observability off, or is there no traffic yet? One read tells.
  const enabled = await observabilityEnabled(client, account, worker);
  const window = `between ${new Date(q.from).toISOString()} and ${new Date(q.to).toISOString()}`;
  if (enabled === false) {
    return {
      versions,
      unavailable: {
        reason: 'observability_disabled',
        message: `Workers Observability is not enabled on Worker "${worker}", so Cloudflare records no invocations to judge`,
        hint: 'add `[observability]` with `enabled = true` to the Worker\'s wrangler config and deploy it (or turn on Workers Logs in the dashboard)',
      },
    };
  }
  return {
    versions,
    unavailable: {
      reason: 'no_data',
      message: `no invocations of ${q.versionIds.map((id) => id.slice(0, 8)).join(', ')} recorded ${window} yet`,
      hint: 'telemetry arrives within a minute or two, and only for sampled requests (head_sampling_rate); send traffic or wait longer',
    },
  };
}

/** `observability.enabled` from the script settings; undefined when the read fails. */
async function observabilityEnabled(client: CloudflareClient, account: string, worker: string): Promise<boolean | undefined> {
  try {
    const res = await client.request<unknown>({
      method: 'GET',
      path: `/accounts/${encodeURIComponent(account)}/workers/scripts/${encodeURIComponent(worker)}/script-settings`,
      about: { worker },
    });
    const o = (res.result as { observability?: { enabled?: unknown } | null } | null)?.observability;
    if (!o) return false;
    return o.enabled === true;
  } catch {
    return undefined;
  }
}
