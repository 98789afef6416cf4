/**
 * A rollout never loses its gates: the command printed to continue a held, paused or stopped
 * rollout carries its whole plan (built with ctx.command, so --env/-c/--name/--backend come
 * along), and the step deployments record which gates the rollout started with (plan.ts
 * GatesTag), so that a continuation with fewer or other gates is noticed and must be confirmed.
 */
import { createHash } from 'node:crypto';
import { shellWord } from '../../../cli/hint.js';
import { gateNames, type GatesTag } from './plan.js';
import { formatDuration } from '../../duration.js';
import type { RolloutOptions } from './options.js';

/** The settings that protect a release, in a fixed order (what the hash covers). */
function gateSettings(o: RolloutOptions): unknown[] {
  const a = o.analysis;
  return [
    o.check ?? null,
    o.checkUrl ?? null,
    o.check || o.checkUrl ? [o.checkSamples, o.checkTimeoutMs] : null,
    a.maxErrorRate ?? null,
    a.maxErrorIncrease ?? null,
    a.maxP99 ?? null,
    a.maxP99Increase ?? null,
    hasAnalysisGates(o) ? [a.minRequests, o.intervalMs, o.failureLimit, o.inconclusive] : null,
    o.bakeMs || null,
    o.onFail,
  ];
}

function hasAnalysisGates(o: RolloutOptions): boolean {
  const a = o.analysis;
  return a.maxErrorRate !== undefined || a.maxErrorIncrease !== undefined || a.maxP99 !== undefined || a.maxP99Increase !== undefined;
}

/** The gates tag of a plan; undefined when it has no gates at all. */
export function gatesTag(o: RolloutOptions): GatesTag | undefined {
  let kinds = '';
  if (o.check) kinds += 'c';
  if (o.checkUrl) kinds += 'u';
  if (o.analysis.maxErrorRate !== undefined) kinds += 'e';
  if (o.analysis.maxErrorIncrease !== undefined) kinds += 'i';
  if (o.analysis.maxP99 !== undefined) kinds += 'p';
  if (o.analysis.maxP99Increase !== undefined) kinds += 'q';
  if (o.bakeMs > 0) kinds += 'b';
  if (!kinds) return undefined;
  const hash = createHash('sha256').update(JSON.stringify(gateSettings(o))).digest('hex').slice(0, 8);
  return { hash, kinds };
}

/** How a continuation's gates differ from those the live rollout started with, or undefined. */
export function gatesDiffer(started: GatesTag | undefined, now: GatesTag | undefined): string | undefined {
  if (!started) return undefined; // it started without gates: any gates now only add safety
  if (now && now.hash === started.hash) return undefined;
  const nowKinds = now?.kinds ?? '';
  const missing = [...started.kinds].filter((k) => !nowKinds.includes(k)).join('');
  if (missing) {
    return `the live rollout started with ${gateNames(started.kinds)}; this run has ${gateNames(nowKinds)} (without ${gateNames(missing)})`;
  }
  return `the live rollout started with ${gateNames(started.kinds)} at other settings (thresholds, samples, time-outs, interval, failure limit, bake or the policies differ)`;
}

/** `percent` as the user writes it: 10, 0.5. */
const num = (n: number) => String(+n.toFixed(3));

/**
 * What follows `mycli` to run this rollout again with the same plan: steps, wait, every gate and
 * threshold, the policies and the message. `--notify` URLs are left out on purpose (a webhook
 * URL is a secret); `notify` says whether to remind the user to add them.
 */
export function continueArgs(versionRef: string, o: RolloutOptions): string {
  const w: string[] = ['versions', 'rollout', shellWord(versionRef)];
  const add = (flag: string, value?: string) => w.push(flag, ...(value === undefined ? [] : [shellWord(value)]));
  add('--steps', o.steps.map(num).join(','));
  add('--wait', formatDuration(o.waitMs));
  if (o.check) add('--check', o.check);
  if (o.checkUrl) add('--check-url', o.checkUrl);
  if (o.check || o.checkUrl) add('--check-timeout', formatDuration(o.checkTimeoutMs));
  if (o.checkUrl) add('--check-samples', String(o.checkSamples));
  const a = o.analysis;
  if (a.maxErrorRate !== undefined) add('--max-error-rate', num(a.maxErrorRate));
  if (a.maxErrorIncrease !== undefined) add('--max-error-increase', num(a.maxErrorIncrease));
  if (a.maxP99 !== undefined) add('--max-p99', num(a.maxP99));
  if (a.maxP99Increase !== undefined) add('--max-p99-increase', num(a.maxP99Increase));
  if (hasAnalysisGates(o)) {
    add('--min-requests', String(a.minRequests));
    add('--interval', formatDuration(o.intervalMs));
    add('--failure-limit', String(o.failureLimit));
    add('--inconclusive', o.inconclusive);
  }
  if (o.bakeMs > 0) add('--bake', formatDuration(o.bakeMs));
  if (o.pauseAt.length) add('--pause-at', o.pauseAt.map(num).join(','));
  add('--on-fail', o.onFail);
  if (o.message !== undefined) add('-m', o.message);
  return w.join(' ');
}
