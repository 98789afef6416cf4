/**
 * Pure rollout logic (no I/O): parsing `--steps`, the deployment messages that
 * name a rollout, and reading the deployment history to find where a rollout stands.
 */
import type { Deployment } from '../../../backends/types.js';
import { UsageError } from '../../../errors.js';
import { samePercent, stableVersionOf } from '../../../domain/deployments.js';

/** `10,50,100` -> [10, 50, 100]; 0..100 with up to 3 decimals, strictly increasing; 100 added. */
export function parseSteps(text: string): number[] {
  const parts = text.split(',').map((s) => s.trim().replace(/%$/, ''));
  if (parts.length === 0 || parts.some((p) => p === '')) {
    throw new UsageError(`--steps "${text}" is not a list of percentages`, { hint: 'write percentages separated by commas, e.g. --steps 0,10,50,100' });
  }
  const steps = parts.map((p) => {
    if (!/^\d{1,3}(\.\d{1,3})?$/.test(p) || Number(p) > 100) {
      throw new UsageError(`--steps: "${p}" is not a percentage from 0 to 100`, { hint: 'e.g. --steps 0,10,50,100' });
    }
    return Number(p);
  });
  for (let i = 1; i < steps.length; i++) {
    if (steps[i] <= steps[i - 1]) {
      throw new UsageError(`--steps must increase: ${steps[i]}% comes after ${steps[i - 1]}%`, { hint: 'e.g. --steps 0,10,50,100' });
    }
  }
  if (steps[steps.length - 1] !== 100) steps.push(100);
  return steps;
}

/** The first 8 hex characters of a random id: names one rollout in its deployments' messages. */
export function newRolloutId(random: () => string): string {
  return random().replace(/-/g, '').slice(0, 8).toLowerCase();
}

/** Cloudflare keeps deployment messages short (100 characters). */
const MESSAGE_LIMIT = 100;

/**
 * The gates a rollout started with, as its step deployments record them: a hash of every gate
 * setting and one letter per kind of gate (GATE_LETTERS). The deployment message is where a
 * rollout's state lives on every backend (the Backend interface keeps messages; Cloudflare
 * keeps 100 characters), so a continuation run from another shell or machine can tell that it
 * has fewer or other gates than the live rollout started with.
 */
export interface GatesTag {
  hash: string;
  kinds: string;
}

/** One letter per kind of gate, in this order. */
export const GATE_LETTERS = {
  c: '--check',
  u: '--check-url',
  e: '--max-error-rate',
  i: '--max-error-increase',
  p: '--max-p99',
  q: '--max-p99-increase',
  b: '--bake',
} as const;

export type GateLetter = keyof typeof GATE_LETTERS;

/** "--check, --max-error-rate" for kinds "ce". */
export function gateNames(kinds: string): string {
  const names = [...kinds].map((k) => GATE_LETTERS[k as GateLetter]).filter(Boolean);
  return names.length ? names.join(', ') : 'no gates';
}

export function stepMessage(id: string, step: number, of: number, percent: number, extra?: string, gates?: GatesTag): string {
  const tag = gates ? `, gates ${gates.hash} ${gates.kinds}` : '';
  const base = `rollout ${id}: step ${step}/${of}, ${+percent.toFixed(3)}%${tag}`;
  return clip(extra ? `${base} - ${extra}` : base);
}

export function endMessage(id: string, what: 'rolled back' | 'aborted', extra?: string): string {
  const base = `rollout ${id}: ${what}`;
  return clip(extra ? `${base} - ${extra}` : base);
}

function clip(s: string): string {
  return s.length <= MESSAGE_LIMIT ? s : s.slice(0, MESSAGE_LIMIT - 1) + '…';
}

export interface StepTag {
  id: string;
  step: number;
  of: number;
  percent: number;
  /** The gates the rollout started with, when it had any. */
  gates?: GatesTag;
}

/** The rollout step a deployment message names, if any. */
export function parseStepMessage(message: string | undefined): StepTag | undefined {
  const m = /^rollout ([0-9a-f]{8}): step (\d+)\/(\d+), (\d{1,3}(?:\.\d{1,3})?)%(?:, gates ([0-9a-f]{8}) ([a-z]+))?/.exec(message ?? '');
  if (!m) return undefined;
  const tag: StepTag = { id: m[1], step: Number(m[2]), of: Number(m[3]), percent: Number(m[4]) };
  if (m[5]) tag.gates = { hash: m[5], kinds: m[6] };
  return tag;
}

/** The end of a rollout a deployment message names ("rollout 1a2b3c4d: aborted"), if any. */
export function parseEndMessage(message: string | undefined): { id: string; what: 'rolled back' | 'aborted' } | undefined {
  const m = /^rollout ([0-9a-f]{8}): (rolled back|aborted)\b/.exec(message ?? '');
  return m ? { id: m[1], what: m[2] as 'rolled back' | 'aborted' } : undefined;
}

/** A rollout that the live deployment is a step of, read from the history (newest first). */
export interface LiveRollout {
  id: string;
  target: string;
  /** The version the rollout started from (alone at 100%); undefined if the history lost it. */
  stable?: string;
  /** The live deployment (the rollout's latest step). */
  live: Deployment;
  liveTag: StepTag;
  /** The rollout's step deployments, oldest first, with their tags. */
  steps: { deployment: Deployment; tag: StepTag }[];
  /** The deployment the rollout started from, if still in the history. */
  start?: Deployment;
}

/**
 * Where a rollout stands: the live deployment must be one of its steps. Its steps are the
 * consecutive deployments (newest first) whose messages name the same rollout; the deployment
 * before them is the stable one it started from.
 */
export function findLiveRollout(deployments: Deployment[]): LiveRollout | undefined {
  const live = deployments[0];
  const liveTag = parseStepMessage(live?.message);
  if (!live || !liveTag) return undefined;
  const steps: { deployment: Deployment; tag: StepTag }[] = [];
  let i = 0;
  for (; i < deployments.length; i++) {
    const tag = parseStepMessage(deployments[i].message);
    if (!tag || tag.id !== liveTag.id) break;
    steps.unshift({ deployment: deployments[i], tag });
  }
  const start = deployments[i];
  let stable = stableVersionOf(start);
  // Target: the version at the live step's percentage (the first one on a tie), else the one
  // that is not the stable version.
  const liveIds = live.versions.map((v) => v.versionId);
  let target: string | undefined;
  if (live.versions.length === 1) target = liveIds[0];
  else {
    target = stable ? liveIds.find((id) => id !== stable) : undefined;
    target ??= live.versions.find((v) => samePercent(v.percentage, liveTag.percent))?.versionId ?? liveIds[0];
    stable ??= liveIds.find((id) => id !== target);
  }
  // A step at 100% alone does not name the stable version; an earlier step of the same rollout does.
  if (!stable) {
    for (const s of steps) {
      const other = s.deployment.versions.find((v) => v.versionId !== target);
      if (other) {
        stable = other.versionId;
        break;
      }
    }
  }
  if (stable === target) stable = undefined;
  return { id: liveTag.id, target: target!, stable, live, liveTag, steps, start };
}

/** A rollout whose live step is below 100% (at 100% it is complete: one version serves all). */
export function inProgress(r: LiveRollout): boolean {
  return r.liveTag.percent < 100;
}

/** What `rollout <VERSION>` does from the current history. */
export type Start =
  | { kind: 'fresh'; stable: string; from: Deployment }
  | { kind: 'resume'; rollout: LiveRollout; stable: string }
  | { kind: 'already'; live: Deployment }
  | { kind: 'refused'; reason: string; hint: string };

export function decideStart(deployments: Deployment[], target: string): Start {
  const live = deployments[0];
  if (!live) {
    return { kind: 'refused', reason: 'nothing is deployed yet, so there is no stable version to start a rollout from', hint: 'deploy a version at 100% first: `mycli versions deploy <VERSION_ID>@100% --yes`' };
  }
  const rollout = findLiveRollout(deployments);
  if (rollout && rollout.target === target && rollout.stable && inProgress(rollout)) {
    return { kind: 'resume', rollout, stable: rollout.stable };
  }
  if (rollout && rollout.target !== target && inProgress(rollout)) {
    return {
      kind: 'refused',
      reason: `rollout ${rollout.id} of version ${rollout.target} is in progress (step ${rollout.liveTag.step}/${rollout.liveTag.of}, ${rollout.liveTag.percent}%), so there is no stable deployment to start from`,
      hint: `continue it with the command it printed when it stopped (\`mycli versions rollout ${rollout.target.slice(0, 8)} --steps … <its gates>\`; \`mycli versions rollout status\` shows the gates it started with), or end it with \`mycli versions rollout abort\``,
    };
  }
  const stable = stableVersionOf(live);
  if (stable === target) return { kind: 'already', live };
  if (!stable) {
    const split = live.versions.map((v) => `${v.versionId.slice(0, 8)} at ${v.percentage}%`).join(', ');
    return {
      kind: 'refused',
      reason: `the live deployment splits traffic (${split}), so there is no stable version (one version at 100%) to start a rollout from`,
      hint: 'deploy one version at 100% first (`mycli versions deploy <VERSION_ID>@100% --yes`), then start the rollout',
    };
  }
  return { kind: 'fresh', stable, from: live };
}
