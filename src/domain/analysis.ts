/**
 * The judgement of a rollout's analysis gates (pure, no I/O): is the new version worse than
 * allowed, better than the limit, or can the data not tell yet?
 *
 * A gate FAILS only when the data show with 95% confidence that the new version is worse than
 * allowed, and PASSES only when they show with 95% confidence that it is within the limit;
 * anything between is INCONCLUSIVE (not enough traffic yet, or too close to call).
 *
 * - Failure rates: one-sided Wilson score bounds with continuity correction for one proportion
 *   (`--max-error-rate`) and Newcombe's hybrid score interval built from them for the
 *   difference of two (`--max-error-increase`, new minus stable, in percentage points). Both
 *   behave at 0 failures and small counts, where the normal approximation says nonsense (1
 *   failure in 20 is not "5% ± 0").
 * - Repeated looks: a rollout measures many times, and a test at 95% per look would raise a
 *   false alarm far more often than 5% over a rollout. `failZ(looks)` spreads the 5% over the
 *   planned measurements (Bonferroni): the whole rollout has at most a 5% chance of a false
 *   rollback when the new version is within the allowance. Passing uses the plain 95% bound.
 * - p99 (wall time): backends report one measured value per version, not a distribution, so the
 *   judgement is a margin on it: worse than the limit by more than P99_MARGIN fails, within the
 *   limit passes, between is inconclusive. A p99 of fewer than --min-requests invocations is
 *   not judged at all.
 */
import type { VersionHealth } from '../backends/types.js';

export type Verdict = 'pass' | 'fail' | 'inconclusive';

/** The analysis gates, as given on the command line (percentages and milliseconds). */
export interface AnalysisGates {
  /** --max-error-rate: the new version's failure rate must stay below this (percent). */
  maxErrorRate?: number;
  /** --max-error-increase: new minus stable failure rate, at most this (percentage points). */
  maxErrorIncrease?: number;
  /** --max-p99: wall-time p99 of the new version, at most this (ms). */
  maxP99?: number;
  /** --max-p99-increase: new p99 at most this much above the stable version's (percent). */
  maxP99Increase?: number;
  /** --min-requests: fewer invocations of a version that a gate reads is inconclusive. */
  minRequests: number;
}

export function hasAnalysis(g: AnalysisGates): boolean {
  return g.maxErrorRate !== undefined || g.maxErrorIncrease !== undefined || g.maxP99 !== undefined || g.maxP99Increase !== undefined;
}

/** Gates that compare with the stable version (they need its traffic, or a baseline of it). */
export function needsBaseline(g: AnalysisGates): boolean {
  return g.maxErrorIncrease !== undefined || g.maxP99Increase !== undefined;
}

/** A measured p99 must exceed its limit by more than this share to fail (10%). */
export const P99_MARGIN = 0.1;

/** The one-sided confidence of every judgement. */
export const CONFIDENCE = 0.95;

/** Inverse of the standard normal distribution function (Acklam's rational approximation, |error| < 1.2e-9). */
export function probit(p: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`probit needs 0 < p < 1, got ${p}`);
  const a = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
  const c = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const low = 0.02425;
  if (p < low) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  }
  if (p > 1 - low) return -probit(1 - p);
  const q = p - 0.5;
  const r = q * q;
  return ((((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q) / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
}

/** z of the plain one-sided 95% bound (1.645). */
export const PASS_Z = probit(CONFIDENCE);

/** z of a failing judgement when the rollout plans `looks` measurements: 5% spread over them. */
export function failZ(looks: number): number {
  return probit(1 - (1 - CONFIDENCE) / Math.max(1, looks));
}

export interface Bounds {
  lower: number;
  upper: number;
}

/** Wilson score bounds of a proportion `failures / n` at `z` (one-sided each). n = 0: [0, 1]. */
export function wilson(failures: number, n: number, z: number): Bounds {
  if (n <= 0) return { lower: 0, upper: 1 };
  const p = failures / n;
  const z2 = z * z;
  const denom = 1 + z2 / n;
  const center = (p + z2 / (2 * n)) / denom;
  const half = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / denom;
  return { lower: Math.max(0, center - half), upper: Math.min(1, center + half) };
}

/**
 * Wilson score bounds with continuity correction (Newcombe 1998, method 4). Plain Wilson bounds
 * are too narrow at few failures: for 1 failure in 20 their one-sided 95% lower bound is 1.1%,
 * yet a version failing 1% of the time fails at least once in 20 invocations 18% of the time.
 * The corrected bound (0.34%) is close to the exact one (0.26%); the judgement uses it.
 */
export function wilsonCC(failures: number, n: number, z: number): Bounds {
  if (n <= 0) return { lower: 0, upper: 1 };
  const p = failures / n;
  const q = 1 - p;
  const z2 = z * z;
  const denom = 2 * (n + z2);
  const lower = failures === 0 ? 0 : (2 * n * p + z2 - 1 - z * Math.sqrt(Math.max(0, z2 - 2 - 1 / n + 4 * p * (n * q + 1)))) / denom;
  const upper = failures === n ? 1 : (2 * n * p + z2 + 1 + z * Math.sqrt(Math.max(0, z2 + 2 - 1 / n + 4 * p * (n * q - 1)))) / denom;
  return { lower: Math.max(0, lower), upper: Math.min(1, upper) };
}

/**
 * Newcombe's hybrid score bounds of p1 - p2, from Wilson bounds at `z`: method 10, or with
 * continuity correction method 11 (what the judgement uses).
 */
export function differenceBounds(f1: number, n1: number, f2: number, n2: number, z: number, cc = true): Bounds {
  const p1 = n1 > 0 ? f1 / n1 : 0;
  const p2 = n2 > 0 ? f2 / n2 : 0;
  const bound = cc ? wilsonCC : wilson;
  const w1 = bound(f1, n1, z);
  const w2 = bound(f2, n2, z);
  const d = p1 - p2;
  return {
    lower: d - Math.sqrt((p1 - w1.lower) ** 2 + (w2.upper - p2) ** 2),
    upper: d + Math.sqrt((w1.upper - p1) ** 2 + (p2 - w2.lower) ** 2),
  };
}

/** One version's numbers in a window, as judged. */
export type Sample = Pick<VersionHealth, 'invocations' | 'failures' | 'wallTimeP99Ms'>;

export interface GateVerdict {
  gate: 'max-error-rate' | 'max-error-increase' | 'max-p99' | 'max-p99-increase';
  verdict: Verdict;
  reason: string;
}

export interface Judgement {
  verdict: Verdict;
  /** One line: the failing gates' reasons, else the inconclusive ones', else the passing ones'. */
  reason: string;
  gates: GateVerdict[];
}

export interface JudgeOptions {
  /** z of a failing judgement (failZ(looks)); default: the plain 95% bound. */
  failZ?: number;
  /** Names for the reasons ("version 7"). */
  candidateName?: string;
  baselineName?: string;
}

/** "1.23%" with up to 3 significant decimals. */
export function percent(fraction: number): string {
  const v = fraction * 100;
  return `${v >= 10 ? +v.toFixed(1) : v >= 1 ? +v.toFixed(2) : +v.toFixed(3)}%`;
}

function rate(s: Sample): string {
  return `${percent(s.invocations ? s.failures / s.invocations : 0)} (${s.failures}/${s.invocations})`;
}

/** Failure rate of a sample (0 without invocations). */
export function failureRate(s: Pick<Sample, 'invocations' | 'failures'>): number {
  return s.invocations > 0 ? s.failures / s.invocations : 0;
}

/**
 * Judge the new version (`candidate`) against the gates, with the stable version (`baseline`)
 * for the relative ones. A missing baseline makes the relative gates inconclusive.
 */
export function judge(g: AnalysisGates, candidate: Sample, baseline: Sample | undefined, o: JudgeOptions = {}): Judgement {
  const zf = o.failZ ?? PASS_Z;
  const zp = PASS_Z;
  const cn = o.candidateName ?? 'the new version';
  const bn = o.baselineName ?? 'the stable version';
  const gates: GateVerdict[] = [];
  const few = (s: Sample | undefined, name: string) =>
    !s ? `no traffic of ${name} to compare with` : s.invocations < g.minRequests ? `${s.invocations} invocation${s.invocations === 1 ? '' : 's'} of ${name} (fewer than --min-requests ${g.minRequests})` : undefined;
  const fewC = few(candidate, cn);

  if (g.maxErrorRate !== undefined) {
    const limit = g.maxErrorRate / 100;
    if (fewC) gates.push({ gate: 'max-error-rate', verdict: 'inconclusive', reason: fewC });
    else {
      const fb = wilsonCC(candidate.failures, candidate.invocations, zf);
      const pb = wilsonCC(candidate.failures, candidate.invocations, zp);
      if (fb.lower > limit) gates.push({ gate: 'max-error-rate', verdict: 'fail', reason: `failure rate of ${cn} ${rate(candidate)} is above ${percent(limit)} with 95% confidence (at least ${percent(fb.lower)})` });
      else if (pb.upper <= limit) gates.push({ gate: 'max-error-rate', verdict: 'pass', reason: `failure rate of ${cn} ${rate(candidate)} is below ${percent(limit)} (at most ${percent(pb.upper)})` });
      else gates.push({ gate: 'max-error-rate', verdict: 'inconclusive', reason: `failure rate of ${cn} ${rate(candidate)} may be above or below ${percent(limit)} (between ${percent(fb.lower)} and ${percent(pb.upper)}); more traffic will tell` });
    }
  }
  if (g.maxErrorIncrease !== undefined) {
    const limit = g.maxErrorIncrease / 100;
    const fewB = few(baseline, bn);
    if (fewC || fewB) gates.push({ gate: 'max-error-increase', verdict: 'inconclusive', reason: (fewC ?? fewB)! });
    else {
      const b = baseline!;
      const fb = differenceBounds(candidate.failures, candidate.invocations, b.failures, b.invocations, zf);
      const pb = differenceBounds(candidate.failures, candidate.invocations, b.failures, b.invocations, zp);
      const both = `${rate(candidate)} against ${rate(b)}`;
      if (fb.lower > limit) gates.push({ gate: 'max-error-increase', verdict: 'fail', reason: `failure rate ${both} is more than ${pp(limit)} above ${bn} with 95% confidence (at least ${pp(fb.lower)})` });
      else if (pb.upper <= limit) gates.push({ gate: 'max-error-increase', verdict: 'pass', reason: `failure rate ${both} is at most ${pp(limit)} above ${bn} (at most ${pp(Math.max(0, pb.upper))})` });
      else gates.push({ gate: 'max-error-increase', verdict: 'inconclusive', reason: `failure rate ${both}: the increase may be more or less than ${pp(limit)} (between ${pp(fb.lower)} and ${pp(pb.upper)}); more traffic will tell` });
    }
  }
  if (g.maxP99 !== undefined) {
    const p = candidate.wallTimeP99Ms;
    if (fewC) gates.push({ gate: 'max-p99', verdict: 'inconclusive', reason: fewC });
    else if (p === null || p === undefined) gates.push({ gate: 'max-p99', verdict: 'inconclusive', reason: `the backend did not report the wall-time p99 of ${cn}` });
    else if (p > g.maxP99 * (1 + P99_MARGIN)) gates.push({ gate: 'max-p99', verdict: 'fail', reason: `wall-time p99 of ${cn} ${ms(p)} is above ${ms(g.maxP99)} by more than ${P99_MARGIN * 100}%` });
    else if (p <= g.maxP99) gates.push({ gate: 'max-p99', verdict: 'pass', reason: `wall-time p99 of ${cn} ${ms(p)} is within ${ms(g.maxP99)}` });
    else gates.push({ gate: 'max-p99', verdict: 'inconclusive', reason: `wall-time p99 of ${cn} ${ms(p)} is above ${ms(g.maxP99)} but within the ${P99_MARGIN * 100}% margin of a measurement` });
  }
  if (g.maxP99Increase !== undefined) {
    const fewB = few(baseline, bn);
    const p = candidate.wallTimeP99Ms;
    const q = baseline?.wallTimeP99Ms;
    if (fewC || fewB) gates.push({ gate: 'max-p99-increase', verdict: 'inconclusive', reason: (fewC ?? fewB)! });
    else if (p === null || p === undefined || q === null || q === undefined) gates.push({ gate: 'max-p99-increase', verdict: 'inconclusive', reason: 'the backend did not report the wall-time p99 of both versions' });
    else {
      const allowed = q * (1 + g.maxP99Increase / 100);
      const both = `${ms(p)} against ${ms(q)}`;
      if (p > allowed * (1 + P99_MARGIN)) gates.push({ gate: 'max-p99-increase', verdict: 'fail', reason: `wall-time p99 ${both} is more than ${g.maxP99Increase}% above ${bn} (beyond the ${P99_MARGIN * 100}% margin)` });
      else if (p <= allowed) gates.push({ gate: 'max-p99-increase', verdict: 'pass', reason: `wall-time p99 ${both} is at most ${g.maxP99Increase}% above ${bn}` });
      else gates.push({ gate: 'max-p99-increase', verdict: 'inconclusive', reason: `wall-time p99 ${both} is more than ${g.maxP99Increase}% above ${bn}, within the ${P99_MARGIN * 100}% margin of a measurement` });
    }
  }
  const pick = (v: Verdict) => gates.filter((x) => x.verdict === v);
  const verdict: Verdict = pick('fail').length ? 'fail' : pick('inconclusive').length ? 'inconclusive' : 'pass';
  return { verdict, reason: pick(verdict).map((x) => x.reason).join('; '), gates };
}

function pp(fraction: number): string {
  return `${+(fraction * 100).toFixed(3)} percentage points`;
}

function ms(v: number): string {
  return `${+v.toFixed(1)}ms`;
}
