/** Version references and `<ID>@<PCT>%` specs. */
import type { Deployment, Target, Version } from '../../backends/types.js';
import type { BackendWith } from '../../backends/capabilities.js';
import { NotFoundError, UsageError } from '../../errors.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface DeploySpec {
  ref: string;
  /** undefined when the spec had no `@PCT%`. */
  percentage?: number;
}

/**
 * `<ID>@<PCT>%`, `<ID>@<PCT>`, or `<ID>` alone. PCT is a number from 0 (exclusive) to 100,
 * with at most three decimals.
 */
export function parseDeploySpec(spec: string): DeploySpec {
  const m = /^([^@\s]+)(?:@(\d{1,3}(?:\.\d{1,3})?)%?)?$/.exec(spec.trim());
  if (!m) {
    throw new UsageError(`"${spec}" is not a version spec`, { hint: 'write <VERSION_ID>@<PERCENT>%, for example 1a2b3c4d@10%' });
  }
  const [, ref, pctText] = m;
  if (pctText === undefined) return { ref };
  const percentage = Number(pctText);
  // 0% is allowed: the version stays in the deployment and serves only requests that carry a
  // version override (as a rollout's step 0, and as wrangler allows).
  if (!(percentage >= 0 && percentage <= 100)) {
    throw new UsageError(`"${spec}": the percentage must be from 0 to 100`, { hint: 'for example 1a2b3c4d@10%' });
  }
  return { ref, percentage };
}

const REF_HINT = 'give the version number (e.g. 5), the id, or at least 4 characters of the id, from `mycli versions list`';

/**
 * A version number (`5`), a full id, or a unique id prefix of at least 4 characters. Digits
 * only can be both a number and an id prefix: when they name two different versions, that is
 * ambiguous (exit 2, both listed) rather than a guess.
 */
export async function resolveVersion(backend: BackendWith<'versions'>, target: Target, ref: string): Promise<Version> {
  if (UUID.test(ref)) return backend.getVersion(target, ref.toLowerCase());
  const isNumber = /^[1-9]\d{0,9}$/.test(ref);
  const isPrefix = /^[0-9a-f-]{4,}$/i.test(ref);
  if (!isNumber && !isPrefix) {
    throw new UsageError(`"${ref}" is not a version number or id`, { hint: REF_HINT });
  }
  // Only the candidates (a backend with an index reads just those; others return all, filtered here).
  const versions = await backend.listVersions(target, {
    ...(isNumber ? { number: Number(ref) } : {}),
    ...(isPrefix ? { idPrefix: ref.toLowerCase() } : {}),
  });
  const byNumber = isNumber ? versions.find((v) => v.number === Number(ref)) : undefined;
  const byPrefix = isPrefix ? versions.filter((v) => v.id.toLowerCase().startsWith(ref.toLowerCase())) : [];
  const prefixOthers = byPrefix.filter((v) => v.id !== byNumber?.id);
  if (byNumber && prefixOthers.length) {
    throw new UsageError(
      `"${ref}" is ambiguous: version ${byNumber.number} (${byNumber.id}) by number, and an id starting with ${ref}: ` +
        prefixOthers.map((v) => `version ${v.number} (${v.id})`).join(', '),
      { hint: 'give the full id, or more characters of it' },
    );
  }
  // Lists may carry less than a version's view (the Cloudflare list has no bindings): fetch it whole.
  if (byNumber) return backend.getVersion(target, byNumber.id);
  if (byPrefix.length === 1) return backend.getVersion(target, byPrefix[0].id);
  if (byPrefix.length === 0) {
    throw new NotFoundError(
      isPrefix
        ? `no version of Worker "${target.worker}" has ${isNumber ? `number ${ref} or ` : ''}an id starting with ${ref}`
        : `Worker "${target.worker}" has no version ${ref}`,
      { hint: 'see the versions with `mycli versions list`' },
    );
  }
  throw new UsageError(`"${ref}" matches ${byPrefix.length} versions: ${byPrefix.map((v) => v.id).join(', ')}`, {
    hint: 'give more characters of the id, or the version number',
  });
}

export function liveDeployment(deployments: Deployment[]): Deployment | undefined {
  return deployments[0];
}

/** versionId -> percentage of the live deployment. */
export function trafficOf(deployments: Deployment[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const v of liveDeployment(deployments)?.versions ?? []) m.set(v.versionId, v.percentage);
  return m;
}
