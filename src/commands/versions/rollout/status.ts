/**
 * mycli versions rollout status: the live rollout, read from the deployment history, and — on a
 * backend with the health capability — the latest measurements of its two versions over the
 * live step, with each version's failure rate per interval (a sparkline on a terminal).
 */
import type { Context } from '../../../cli/context.js';
import type { Backend, Target, Version, VersionHealth } from '../../../backends/types.js';
import { pct, when } from '../../../cli/format.js';
import { failureRate, percent } from '../../../domain/analysis.js';
import { findLiveRollout, gateNames, inProgress, type LiveRollout } from './plan.js';
import { formatDuration } from '../../duration.js';
import type { Clock } from './deps.js';

/** What `status` and `abort` start from: the backend, the target, its JSON fields and the live rollout. */
export async function readLiveRollout(ctx: Context) {
  const backend = await ctx.backendWith('versions');
  const target = await ctx.target();
  const [deployments, tj] = await Promise.all([backend.listDeployments(target), ctx.targetJson()]);
  return { backend, target, tj, r: findLiveRollout(deployments) };
}

export async function run(ctx: Context, deps: { clock: Pick<Clock, 'now'> }): Promise<void> {
  const { backend, target, tj, r } = await readLiveRollout(ctx);
  if (!r || !inProgress(r)) {
    ctx.out.data(
      r ? `no rollout in progress on Worker ${target.worker}; rollout ${r.id} completed (version ${r.target} serves 100%)` : `no rollout in progress on Worker ${target.worker}`,
    );
    ctx.out.document({ ...tj, rollout: null });
    return;
  }
  const name = async (id: string | undefined): Promise<Version | undefined> => (id ? backend.getVersion(target, id).catch(() => undefined) : undefined);
  const [tv, sv] = await Promise.all([name(r.target), name(r.stable)]);
  const label = (v: Version | undefined, id: string | undefined) => (v ? `version ${v.number} (${v.id})` : id ? id : '(unknown: no longer in the history)');
  const percentOfTarget = r.liveTag.percent;
  const next = r.liveTag.step < r.liveTag.of ? { step: r.liveTag.step + 1, of: r.liveTag.of } : { step: r.liveTag.of, of: r.liveTag.of };
  const steps = r.steps.map((x) => ({ step: x.tag.step, of: x.tag.of, percent: x.tag.percent, deploymentId: x.deployment.id, startedOn: x.deployment.createdOn }));
  ctx.out.data(`rollout ${r.id} on Worker ${target.worker}`);
  ctx.out.data(`  target:  ${label(tv, r.target)} at ${pct(percentOfTarget)}`);
  ctx.out.data(`  stable:  ${label(sv, r.stable)} at ${pct(100 - percentOfTarget)}`);
  ctx.out.data(`  steps done: ${steps.map((x) => `${x.step}/${x.of} ${pct(x.percent)} (${when(x.startedOn)})`).join(', ')}`);
  ctx.out.data(`  next: step ${next.step}/${next.of}${next.step === next.of ? ' (100%)' : ''}`);
  const started = r.steps[0]?.tag.gates;
  ctx.out.data(`  gates it started with: ${started ? gateNames(started.kinds) : 'none recorded'}`);
  const health = backend.capabilities.health && backend.queryHealth ? await measureLive(backend, target, r, deps.clock.now()) : null;
  if (health) showHealth(ctx, health, new Map([tv, sv].filter((v): v is Version => Boolean(v)).map((v) => [v.id, v.number])));
  else ctx.out.data(`  measurements: none (the ${backend.name} backend does not measure traffic: no health capability)`);
  ctx.out.note(
    `continue with the command the rollout printed when it stopped (it carries the plan: \`${ctx.command(`versions rollout ${r.target.slice(0, 8)} --steps … --wait … <gates>`)}\`), or return to the stable version with \`${ctx.command('versions rollout abort')}\``,
  );
  ctx.out.document({
    ...tj,
    rollout: {
      id: r.id,
      version: r.target,
      stable: r.stable ?? null,
      step: r.liveTag.step,
      of: r.liveTag.of,
      percent: percentOfTarget,
      deploymentId: r.live.id,
      steps,
      next,
      gates: started ? { hash: started.hash, flags: started.kinds ? gateNames(started.kinds).split(', ') : [] } : null,
      health,
    },
  });
}

const SPARKS = '▁▂▃▄▅▆▇█';
/** Intervals in a status chart, at most. */
const MAX_POINTS = 12;

interface SeriesPoint {
  from: string;
  to: string;
  invocations: number;
  failures: number;
  rate: number;
}

interface LiveHealth {
  window: { from: string; to: string };
  intervalMs: number;
  unavailable?: { reason: string; message: string; hint?: string };
  versions: { versionId: string; role: 'new' | 'stable'; invocations: number; failures: number; rate: number; p99: number | null; cpuP99: number | null; sampled: boolean; series: SeriesPoint[] }[];
}

/** The whole live step (one query), then each interval of it (one query each, at most MAX_POINTS). */
async function measureLive(backend: Backend, target: Target, r: LiveRollout, now: number): Promise<LiveHealth> {
  const since = Date.parse(r.live.createdOn);
  const from = Number.isFinite(since) && since < now ? since : now - 10 * 60_000;
  const elapsed = now - from;
  const intervalMs = Math.max(60_000, Math.ceil(elapsed / MAX_POINTS / 60_000) * 60_000);
  const ids = r.stable ? [r.target, r.stable] : [r.target];
  const ask = (a: number, b: number) => backend.queryHealth!(target, { versionIds: ids, from: a, to: b });
  const whole = await ask(from, now);
  const buckets: [number, number][] = [];
  for (let a = from; a < now && buckets.length < MAX_POINTS; a += intervalMs) buckets.push([a, Math.min(now, a + intervalMs)]);
  const parts = whole.unavailable ? [] : await Promise.all(buckets.map(([a, b]) => ask(a, b)));
  const of = (rep: { versions: VersionHealth[] }, id: string) => rep.versions.find((v) => v.versionId === id);
  return {
    window: { from: new Date(from).toISOString(), to: new Date(now).toISOString() },
    intervalMs,
    ...(whole.unavailable ? { unavailable: whole.unavailable } : {}),
    versions: ids.map((id) => {
      const v = of(whole, id);
      const invocations = v?.invocations ?? 0;
      const failures = v?.failures ?? 0;
      return {
        versionId: id,
        role: id === r.target ? ('new' as const) : ('stable' as const),
        invocations,
        failures,
        rate: failureRate({ invocations, failures }),
        p99: v?.wallTimeP99Ms ?? null,
        cpuP99: v?.cpuTimeP99Ms ?? null,
        sampled: v?.sampled ?? false,
        series: parts.map((rep, i) => {
          const x = of(rep, id);
          const n = x?.invocations ?? 0;
          const f = x?.failures ?? 0;
          return { from: new Date(buckets[i][0]).toISOString(), to: new Date(buckets[i][1]).toISOString(), invocations: n, failures: f, rate: failureRate({ invocations: n, failures: f }) };
        }),
      };
    }),
  };
}

/** One character per interval, scaled to the highest rate of both versions (· = no traffic). */
export function sparkline(series: { invocations: number; rate: number }[], max: number): string {
  return series.map((p) => (p.invocations === 0 ? '·' : SPARKS[max > 0 ? Math.min(SPARKS.length - 1, Math.round((p.rate / max) * (SPARKS.length - 1))) : 0])).join('');
}

function showHealth(ctx: Context, h: LiveHealth, numbers: Map<string, number>): void {
  const span = formatDuration(Date.parse(h.window.to) - Date.parse(h.window.from));
  if (h.unavailable) {
    ctx.out.data(`  measurements: unavailable: ${h.unavailable.message}${h.unavailable.hint ? ` (${h.unavailable.hint})` : ''}`);
    return;
  }
  const points = h.versions[0]?.series.length ?? 0;
  ctx.out.data(`  measured over the live step (${span}): ${points} interval${points === 1 ? '' : 's'} of ${formatDuration(h.intervalMs)}, failure rate per interval ${ctx.io.stdoutIsTTY ? 'charted' : 'listed'}`);
  const max = Math.max(0, ...h.versions.flatMap((v) => v.series.map((p) => (p.invocations ? p.rate : 0))));
  const labels = h.versions.map((v) => `version ${numbers.get(v.versionId) ?? v.versionId.slice(0, 8)} (${v.role})`);
  const counts = h.versions.map((v) => `${v.failures}/${v.invocations} failed (${percent(v.rate)})`);
  const w1 = Math.max(...labels.map((l) => l.length));
  const w2 = Math.max(...counts.map((c) => c.length));
  h.versions.forEach((v, i) => {
    const p99 = v.p99 !== null ? `p99 ${+v.p99.toFixed(1)}ms` : 'p99 -';
    const chart = ctx.io.stdoutIsTTY ? sparkline(v.series, max) : v.series.map((p) => (p.invocations ? percent(p.rate) : '-')).join(' ');
    ctx.out.data(`    ${labels[i].padEnd(w1)}  ${counts[i].padEnd(w2)}  ${p99.padEnd(12)}${v.sampled ? ' sampled' : ''}  ${chart}`);
  });
}
