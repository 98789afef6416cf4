/**
 * The local backend's records as the Backend interface shows them (public Version and
 * Deployment: names and types, never a blob), the errors that name them, and the 10215 check
 * over the store's head. Used by backend.ts and serve-extension.ts.
 */
import { GradualRolloutError, NotFoundError } from '../../errors.js';
import type { Deployment, Target, Version } from '../types.js';
import { envSuffix } from '../not-found.js';
import { rolloutBlock, rolloutBlockText } from '../../domain/deployments.js';
import type { DeploymentRecord, HeadWorker, VersionRecord } from './format.js';
import type { LocalStore } from './store.js';

/** Names of secrets whose presence or value differs between two versions: blob names compared, no value decrypted. */
export function secretDifferences(a: VersionRecord, b: VersionRecord): string[] {
  const blobs = (v: VersionRecord) => new Map(v.bindings.filter((s) => s.type === 'secret_text').map((s) => [s.name, s.blob]));
  const va = blobs(a);
  const vb = blobs(b);
  const names = new Set([...va.keys(), ...vb.keys()]);
  return [...names].filter((n) => va.get(n) !== vb.get(n)).sort();
}

export async function assertLatestFullyDeployed(store: LocalStore, target: Target, worker: HeadWorker, latest: VersionRecord): Promise<void> {
  const live = worker.live ? await store.namedDeployment(worker.live, `Worker "${target.worker}"`) : undefined;
  const block = rolloutBlock(latest, live);
  if (!block) return;
  const name = `Worker "${target.worker}"${envSuffix(target)}`;
  const parts: string[] = [];
  for (const lv of live?.versions ?? []) {
    const v = await store.readVersion(lv.versionId);
    parts.push(`version ${v?.number ?? lv.versionId} at ${lv.percentage}%`);
  }
  const { message, hint } = rolloutBlockText(block, { worker: name, latest, live: parts.length ? parts.join(', ') : undefined });
  throw new GradualRolloutError(message, { hint }, block);
}

export function newDeployment(
  versions: { versionId: string; percentage: number }[],
  source: string,
  message: string | undefined,
  author: string,
): { createdOn: string; author: string; source: string; message?: string; versions: { versionId: string; percentage: number }[] } {
  return { createdOn: new Date().toISOString(), author, source, message, versions };
}

// A record shown as the Backend's Version / Deployment: the one list of their fields (public.ts).
export { publicDeployment, publicVersion } from '../public.js';

// One factory for the words every backend says (backends/not-found.ts).
export { envSuffix, secretNotFound } from '../not-found.js';

export function workerNotFound(target: Target): NotFoundError {
  return new NotFoundError(`Worker "${target.worker}" does not exist in the local store`, {
    hint: 'check --name and --env; the first `mycli secret put` or `mycli versions upload` creates it',
  });
}

export function versionNotFound(target: Target, id: string): NotFoundError {
  return new NotFoundError(`version ${id} does not exist on Worker "${target.worker}"${envSuffix(target)}`, {
    hint: 'see the versions with `mycli versions list`',
  });
}
