/**
 * The compare-and-set on the live deployment (DeployInput.expectLive): the one wording of its
 * refusal, and the check by reading, for backends that cannot make it part of their commit
 * (cloudflare, plugins that do not declare `capabilities.expectLive`).
 */
import { ConflictError } from '../errors.js';
import type { Deployment, Target } from './types.js';

function describe(d: Deployment | undefined): string {
  if (!d) return 'no deployment';
  const split = d.versions.map((v) => `version ${v.versionId} at ${v.percentage}%`).join(', ');
  return `deployment ${d.id} (${split}${d.message ? `, "${d.message}"` : ''}${d.author ? `, by ${d.author}` : ''}, ${d.createdOn})`;
}

/** Exit 5: the live deployment is not the one the caller planned from; nothing was deployed. */
export function liveChanged(target: Target, expected: string | null, live: Deployment | undefined): ConflictError {
  return new ConflictError(
    `the live deployment of Worker ${target.worker} changed: expected ${expected === null ? 'no deployment' : `deployment ${expected}`}, live now is ${describe(live)}; nothing was deployed`,
    { hint: 'someone else deployed meanwhile: see `mycli deployments list`, then decide again' },
  );
}

/** Whether `live` is the deployment `expected` names (null: none). */
export function isExpectedLive(expected: string | null, live: Deployment | undefined): boolean {
  return (live?.id ?? null) === expected;
}

/** Read the live deployment and refuse (exit 5) unless it is `expected`; no-op when expected is undefined. */
export async function assertLive(
  listDeployments: (target: Target, options?: { limit?: number }) => Promise<Deployment[]>,
  target: Target,
  expected: string | null | undefined,
): Promise<void> {
  if (expected === undefined) return;
  const live = (await listDeployments(target, { limit: 1 }))[0];
  if (!isExpectedLive(expected, live)) throw liveChanged(target, expected, live);
}
