/**
 * The wait of a rollout step (or of the bake after 100%): a countdown on a terminal, measuring
 * the versions' traffic every --interval (analysis gates, src/domain/analysis.ts) and watching
 * the live deployment every poll, so that a failing measurement acts at once and a deploy or
 * `rollout abort` from another shell stops the rollout within one poll.
 */
import type { Context } from '../../../cli/context.js';
import type { Backend, HealthReport, Target, VersionHealth } from '../../../backends/types.js';
import { bar } from '../../../cli/format.js';
import { failureRate, judge, percent, type AnalysisGates, type Judgement, type Sample, type Verdict } from '../../../domain/analysis.js';
import { formatDuration } from '../../duration.js';
import type { RolloutDeps } from './deps.js';

/** How often the live deployment is read during a wait: a change from another shell is seen within this. */
export const POLL_MS = 60_000;

export interface VersionMeasure {
  versionId: string;
  role: 'new' | 'stable';
  invocations: number;
  failures: number;
  rate: number;
  p99: number | null;
  cpuP99: number | null;
  sampled: boolean;
}

/** One measurement, as `steps[].analysis[]` shows it. */
export interface Measurement {
  phase: 'step' | 'bake';
  percent: number;
  window: { from: string; to: string };
  versions: VersionMeasure[];
  /** Where the stable version's figures came from when it had no traffic of its own (at 100%). */
  baseline?: 'window' | 'earlier window';
  verdict: Verdict;
  reason: string;
  gates: Judgement['gates'];
}

export interface ObserveSetup {
  ctx: Context;
  deps: RolloutDeps;
  backend: Backend;
  target: Target;
  version: { id: string; number: number };
  stable: { id: string; number: number };
  analysis?: AnalysisGates;
  /** z of a failing judgement (failZ of the planned looks). */
  failZ: number;
  intervalMs: number;
  failureLimit: number;
  signal: AbortSignal;
  /** Throws when the live deployment is no longer the rollout's (changed / aborted). */
  poll: (when: string) => Promise<void>;
  onMeasurement: (m: Measurement) => void;
}

export interface PhaseResult {
  /** The last measurement's verdict; undefined without analysis gates or when interrupted. */
  verdict?: Verdict;
  last?: Measurement;
  /** Failing measurements so far (the whole rollout's, across phases). */
  failures: number;
}

/** What a rollout keeps between phases: failing measurements and the stable version's last figures. */
export interface ObserveState {
  failures: number;
  stableBaseline?: Sample & { from: string; to: string };
}

/**
 * Wait `ms` from now, measuring the window [windowStart, now] every interval. Ends early when
 * the failing measurements exceed the failure limit (verdict fail), or on an interrupt.
 */
export async function observe(
  s: ObserveSetup,
  state: ObserveState,
  phase: { kind: 'step' | 'bake'; percent: number; label: string; windowStart: number; ms: number },
): Promise<PhaseResult> {
  const { ctx, deps } = s;
  const clock = deps.clock;
  const start = clock.now();
  const end = start + Math.max(0, phase.ms);
  const tty = ctx.io.stderrIsTTY;
  const err = ctx.io.stderr;
  const measuring = Boolean(s.analysis);
  let nextMeasure = measuring ? Math.min(end, start + s.intervalMs) : Number.POSITIVE_INFINITY;
  let nextPoll = Math.min(end, start + Math.min(POLL_MS, s.intervalMs || POLL_MS));
  let nextLine = start + 60_000;
  let last: Measurement | undefined;
  let polledAt: number | undefined;
  if (phase.ms > 0 && !tty) ctx.out.note(`waiting ${formatDuration(phase.ms)} after ${phase.label}${measuring ? `, measuring every ${formatDuration(s.intervalMs)}` : ''}`);
  const clear = () => {
    if (tty) err.write('\r\u001b[2K');
  };
  for (;;) {
    if (s.signal.aborted) {
      clear();
      return { failures: state.failures, last };
    }
    const now = clock.now();
    if (now >= nextPoll || (now >= end && !measuring)) {
      // Read the live deployment every poll and at the end of the wait, before any gate runs.
      clear();
      await s.poll(now >= end ? `at the end of the wait after ${phase.label}` : `while waiting after ${phase.label}`);
      polledAt = now;
      while (nextPoll <= now) nextPoll += POLL_MS;
    }
    if (measuring && now >= nextMeasure) {
      clear();
      if (polledAt !== now) await s.poll(`before measuring ${phase.label}`);
      last = await measure(s, state, phase, now);
      s.onMeasurement(last);
      if (last.verdict === 'fail') state.failures++;
      while (nextMeasure <= now) nextMeasure += s.intervalMs;
      nextMeasure = Math.min(nextMeasure, end);
      if (last.verdict === 'fail' && state.failures > s.failureLimit) return { verdict: 'fail', last, failures: state.failures };
      // Measured at the end: a failure within the limit earns one more interval, anything else ends the wait.
      if (now >= end) {
        if (last.verdict !== 'fail') return { verdict: last.verdict, last, failures: state.failures };
        nextMeasure = now + s.intervalMs;
        ctx.out.note(`  ${state.failures} failing measurement${state.failures === 1 ? '' : 's'} (--failure-limit ${s.failureLimit}): measuring ${phase.label} once more`);
      }
    } else if (!measuring && now >= end) {
      clear();
      return { failures: state.failures };
    }
    const until = measuring && nextMeasure > end ? nextMeasure : end;
    const left = until - now;
    if (tty) {
      const done = phase.ms > 0 ? Math.min(100, ((now - start) / (until - start || 1)) * 100) : 100;
      err.write(`\r\u001b[2K  ${bar(done, 24)} ${formatDuration(left)} left · ${phase.label}${last ? ` · last: ${last.verdict}` : ''}`);
    } else if (now >= nextLine) {
      ctx.out.note(`  ${formatDuration(left)} left · ${phase.label}`);
      while (nextLine <= now) nextLine += 60_000;
    }
    const wake = Math.min(measuring ? nextMeasure : end, nextPoll, tty ? now + 1000 : nextLine);
    await clock.sleep(Math.max(1, wake - now), s.signal, 'wait');
  }
}

function toMeasure(v: VersionHealth | undefined, id: string, role: 'new' | 'stable'): VersionMeasure {
  const invocations = v?.invocations ?? 0;
  const failures = v?.failures ?? 0;
  return { versionId: id, role, invocations, failures, rate: failureRate({ invocations, failures }), p99: v?.wallTimeP99Ms ?? null, cpuP99: v?.cpuTimeP99Ms ?? null, sampled: v?.sampled ?? false };
}

async function measure(s: ObserveSetup, state: ObserveState, phase: { kind: 'step' | 'bake'; percent: number; label: string; windowStart: number }, now: number): Promise<Measurement> {
  const from = Math.min(phase.windowStart, now - 1);
  const window = { from: new Date(from).toISOString(), to: new Date(now).toISOString() };
  const ids = [s.version.id, s.stable.id];
  let report: HealthReport;
  try {
    report = await s.backend.queryHealth!(s.target, { versionIds: ids, from, to: now });
  } catch (e) {
    // A measurement that cannot be made is inconclusive, never healthy; the rollout goes on deciding.
    const message = e instanceof Error ? e.message : String(e);
    report = { versions: [], unavailable: { reason: 'unavailable', message: `the health query failed: ${message}` } };
  }
  const nv = toMeasure(report.versions.find((v) => v.versionId === s.version.id), s.version.id, 'new');
  const sv = toMeasure(report.versions.find((v) => v.versionId === s.stable.id), s.stable.id, 'stable');
  const base = { phase: phase.kind, percent: phase.percent, window, versions: [nv, sv] };
  if (report.unavailable) {
    const u = report.unavailable;
    const reason = `${u.message}${u.hint ? ` (${u.hint})` : ''}`;
    return { ...base, verdict: 'inconclusive', reason, gates: [] };
  }
  const a = s.analysis!;
  const cand: Sample = { invocations: nv.invocations, failures: nv.failures, wallTimeP99Ms: nv.p99 };
  let baseline: Sample | undefined = { invocations: sv.invocations, failures: sv.failures, wallTimeP99Ms: sv.p99 };
  let baselineFrom: Measurement['baseline'] = 'window';
  if (sv.invocations >= a.minRequests) state.stableBaseline = { ...baseline, ...window };
  else if (phase.percent >= 100 && state.stableBaseline) {
    // At 100% the stable version serves nothing: compare with its figures from the last step that had them.
    baseline = state.stableBaseline;
    baselineFrom = 'earlier window';
  }
  const j = judge(a, cand, baseline, { failZ: s.failZ, candidateName: `version ${s.version.number}`, baselineName: `version ${s.stable.number}` });
  return { ...base, baseline: baselineFrom, verdict: j.verdict, reason: j.reason, gates: j.gates };
}

/** "v7 2.1% of 3000, p99 120ms · v6 0.1% of 27000, p99 80ms" */
export function describeMeasure(m: Measurement, names: Map<string, number>): string {
  return m.versions
    .map((v) => `version ${names.get(v.versionId) ?? v.versionId.slice(0, 8)}: ${v.failures}/${v.invocations} failed (${percent(v.rate)})${v.p99 !== null ? `, p99 ${+v.p99.toFixed(1)}ms` : ''}${v.sampled ? ', sampled' : ''}`)
    .join(' · ');
}
