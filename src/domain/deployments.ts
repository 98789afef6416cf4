/**
 * Pure rules about deployments (no I/O; types only from backends/types.ts). The one home of
 * each rule: the local and cloudflare backends, `mycli serve`, the commands and the conformance
 * kit call these instead of writing them again.
 */
import type { DeploymentVersion } from '../backends/types.js';
import { newestVersion, type Numbered } from './versions.js';

/** One version's share of a deployment. */
export type Split = Pick<DeploymentVersion, 'versionId' | 'percentage'>;

/**
 * Two percentages closer than this are the same percentage. Why 1e-6: percentages are given
 * with at most 3 decimals (`a@33.333%`, `--steps 0.5`), so two different splits differ by at
 * least 0.001, while the same split read back differs only by float noise (100 - 33.333 is
 * 66.66699999999999; an API may re-serialise 66.667 as 66.66700000000001), about 1e-13. 1e-6
 * sits far from both. Every comparison of percentages (the Cloudflare backend's reconciliation,
 * the rollout plan, the kit, deploy's preview, a split's sum) goes through samePercent.
 */
export const PERCENT_TOLERANCE = 1e-6;

/** The same percentage, within PERCENT_TOLERANCE. */
export function samePercent(a: number, b: number): boolean {
  return Math.abs(a - b) < PERCENT_TOLERANCE;
}

/** The version a deployment serves alone at 100% (a *stable* deployment), else undefined. */
export function stableVersionOf(d: { versions: readonly Split[] } | undefined): string | undefined {
  if (!d || d.versions.length !== 1) return undefined;
  const [only] = d.versions;
  return samePercent(only.percentage, 100) ? only.versionId : undefined;
}

/** Same versions at the same percentages (within PERCENT_TOLERANCE), in any order. */
export function sameSplit(a: readonly Split[], b: readonly Split[]): boolean {
  if (a.length !== b.length) return false;
  const byId = (s: readonly Split[]) => [...s].sort((x, y) => (x.versionId < y.versionId ? -1 : x.versionId > y.versionId ? 1 : 0));
  const sa = byId(a);
  const sb = byId(b);
  return sa.every((x, i) => x.versionId === sb[i].versionId && samePercent(x.percentage, sb[i].percentage));
}

/** The deployment exists and serves exactly `split` (sameSplit). */
export function deploymentServes(d: { versions: readonly Split[] } | undefined, split: readonly Split[]): boolean {
  return d !== undefined && sameSplit(d.versions, split);
}

/**
 * The share left for the other version of a split: 100 - `percent`, rounded to the 3 decimals
 * percentages are given with (100 - 33.333 is 66.667, not 66.66699999999999).
 */
export function restOf(percent: number): number {
  return +(100 - percent).toFixed(3);
}

/**
 * `target` at `percent`, `stable` at the rest. 100% is `target` alone; 0% keeps `target` in the
 * deployment at 0% (it serves only requests that carry a version override).
 */
export function splitAt(target: string, stable: string, percent: number): Split[] {
  if (percent >= 100) return [{ versionId: target, percentage: 100 }];
  return [
    { versionId: target, percentage: percent },
    { versionId: stable, percentage: restOf(percent) },
  ];
}

/**
 * Why a secret change cannot be deployed now (Cloudflare's 10215), or undefined when it can.
 * A deployed secret change makes a new version from the latest one and deploys it at 100%, so
 * the latest version must be the one the live deployment serves alone at 100%:
 * - 'gradual-rollout': the live deployment splits traffic between versions;
 * - 'latest-not-deployed': the latest version is not live at 100% (nothing is deployed, or an
 *   uploaded version waits, or an older version was rolled back to).
 * A Worker with no versions yet has nothing to check (its first change makes version 1).
 */
export type RolloutBlock = 'gradual-rollout' | 'latest-not-deployed';

export function rolloutBlock(latest: { id: string } | undefined, live: { versions: readonly Split[] } | undefined): RolloutBlock | undefined {
  if (!latest || stableVersionOf(live) === latest.id) return undefined;
  return live && live.versions.length > 1 ? 'gradual-rollout' : 'latest-not-deployed';
}

/**
 * The words of a 10215 refusal, one factory for every place that refuses (the local backend,
 * the commands, whoever reads the live state after the API refused): which of the two cases it
 * is, and both ways out as commands — make the change in a version without deploying it, or put
 * the latest version at 100% first. `worker`: `Worker "name"` as the caller names it; `live`:
 * the live split in words; `change`: the secret command refused (`secret put API_KEY`).
 */
export function rolloutBlockText(
  block: RolloutBlock,
  f: { worker: string; latest: { number: number }; live?: string; change?: string },
): { message: string; hint: string } {
  const change = f.change ?? 'secret put|delete|bulk';
  const instead = `\`mycli versions ${change}\` makes the change in a new version without deploying it`;
  const deployLatest = `\`mycli versions deploy ${f.latest.number}@100%\``;
  if (block === 'gradual-rollout') {
    return {
      message: `a gradual rollout is in progress on ${f.worker}${f.live ? ` (${f.live})` : ''}; a secret change cannot be deployed now`,
      hint: `${instead} (deploy it when the rollout ends); or end the rollout with ${deployLatest}, then run this again`,
    };
  }
  return {
    message:
      `the latest version of ${f.worker} (version ${f.latest.number}) is not the one fully deployed (${f.live ? `live: ${f.live}` : 'nothing is deployed'}); ` +
      'no rollout is in progress, but a secret change builds on the latest version, so it cannot be deployed now',
    hint: `deploy the latest version first with ${deployLatest}, then run this again; or ${instead}`,
  };
}

/**
 * The 10215 refusal when the answer does not tell the two cases apart (the Cloudflare API says
 * 10215 for both): the words of the first, hedged. The way out is GradualRolloutError's hint.
 */
export function rolloutBlockUndecidedText(worker: string): string {
  return `the latest version of ${worker} is not fully deployed (a gradual rollout may be in progress): a secret change cannot be deployed now`;
}

/**
 * The default target of `rollback`: the version of the newest earlier deployment that served
 * one version at 100%, other than the version the live deployment serves alone. Split
 * deployments are skipped. `deployments` is newest first (the first is live).
 */
export function defaultRollbackTarget(deployments: readonly { versions: readonly Split[] }[]): string | undefined {
  const [live, ...earlier] = deployments;
  if (!live) return undefined;
  const liveSingle = stableVersionOf(live);
  for (const d of earlier) {
    const single = stableVersionOf(d);
    if (single !== undefined && single !== liveSingle) return single;
  }
  return undefined;
}

/**
 * A deployment is a rollback when it serves one version alone that is older (by number) than
 * the newest version live now. Such a deployment whose secrets differ from the newest live
 * version's must be confirmed (Cloudflare's 10220). `chosen`: the versions of the new
 * deployment; `live`: the versions of the live deployment (none: nothing to roll back from).
 */
export function isRollback(chosen: readonly Numbered[], live: readonly Numbered[]): boolean {
  if (chosen.length !== 1) return false;
  const newest = newestVersion(live);
  return newest !== undefined && chosen[0].number < newest.number;
}
