/** Version references and `<ID>@<PCT>%` specs. */
import type { Backend, Deployment, Target, Version } from '../../backends/types.js';
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
  if (!(percentage > 0 && percentage <= 100)) {
    throw new UsageError(`"${spec}": the percentage must be more than 0 and at most 100`, { hint: 'for example 1a2b3c4d@10%' });
  }
  return { ref, percentage };
}

/** A full id, or a unique prefix of at least 4 characters. */
export async function resolveVersion(backend: Backend, target: Target, ref: string): Promise<Version> {
  if (UUID.test(ref)) return backend.getVersion!(target, ref.toLowerCase());
  if (!/^[0-9a-f-]{4,}$/i.test(ref)) {
    throw new UsageError(`"${ref}" is not a version id`, { hint: 'give the id (or its first characters) from `mycli versions list`' });
  }
  const versions = await backend.listVersions!(target);
  const matches = versions.filter((v) => v.id.toLowerCase().startsWith(ref.toLowerCase()));
  // Lists may carry less than a version's view (the Cloudflare list has no bindings): fetch it whole.
  if (matches.length === 1) return backend.getVersion!(target, matches[0].id);
  if (matches.length === 0) {
    throw new NotFoundError(`no version of Worker "${target.worker}" has an id starting with ${ref}`, {
      hint: 'see the versions with `mycli versions list`',
    });
  }
  throw new UsageError(`"${ref}" matches ${matches.length} versions: ${matches.map((v) => v.id).join(', ')}`, {
    hint: 'give more characters of the id',
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
