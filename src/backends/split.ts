import { UsageError } from '../errors.js';
import { samePercent } from '../domain/deployments.js';

/**
 * 1 or 2 distinct versions, each 0 <= pct <= 100, summing to 100. A version at 0% is allowed
 * beside one at 100%: it gets no traffic of its own but is in the deployment, so requests that
 * carry a version override reach it (Cloudflare accepts such deployments too).
 */
export function validateSplit(versions: { versionId: string; percentage: number }[]): void {
  if (versions.length < 1 || versions.length > 2) {
    throw new UsageError(`a deployment has 1 or 2 versions, not ${versions.length}`);
  }
  if (versions.length === 2 && versions[0].versionId === versions[1].versionId) {
    throw new UsageError('the two versions of a deployment must be different');
  }
  for (const v of versions) {
    if (!Number.isFinite(v.percentage) || v.percentage < 0 || v.percentage > 100) {
      throw new UsageError(`percentage ${v.percentage} of version ${v.versionId} is out of range (0 <= percentage <= 100)`);
    }
  }
  const sum = versions.reduce((a, v) => a + v.percentage, 0);
  if (!samePercent(sum, 100)) {
    throw new UsageError(`the percentages sum to ${+sum.toFixed(3)}%, not 100%`, {
      hint: 'give percentages that add up to 100, for example a@90% b@10%',
    });
  }
}

