/** Shared by secret put/delete/bulk and their `versions secret` twins. */
import type { Context } from '../../cli/context.js';
import type { Backend, SecretChangeResult, Target } from '../../backends/types.js';
import { GradualRolloutError, UsageError } from '../../errors.js';
import { assertBindingName } from '../../backends/names.js';
import { projectSecretsStoreBindings } from '../../config/raw.js';
import { rolloutBlock } from '../../domain/deployments.js';

/** Names are checked before any request: valid binding names, and not a [vars] key. */
export async function checkSecretNames(ctx: Context, names: string[]): Promise<void> {
  for (const name of names) assertBindingName(name);
  const project = await ctx.project();
  const clash = names.filter((n) => Object.prototype.hasOwnProperty.call(project.vars, n));
  if (clash.length) {
    const where = project.env ? `[env.${project.env}.vars]` : '[vars]';
    throw new UsageError(`${clash.join(', ')} ${clash.length === 1 ? 'is also a' : 'are also'} ${where} ${clash.length === 1 ? 'key' : 'keys'} in ${project.configPath}`, {
      hint: `a name is either a var or a secret: remove it from ${where} first, or choose another name`,
    });
  }
  const stored = (await projectSecretsStoreBindings(project)).filter((b) => names.includes(b.binding));
  if (stored.length) {
    throw new UsageError(`${stored.map((b) => b.binding).join(', ')} ${stored.length === 1 ? 'is a' : 'are'} Secrets Store ${stored.length === 1 ? 'binding' : 'bindings'} ([[secrets_store_secrets]]) in ${project.configPath}`, {
      hint: `a name is either a Secrets Store binding or a Worker secret: change the value with \`mycli secrets-store secret update ${stored[0].secret_name}\`, or choose another name`,
    });
  }
}

/**
 * The check a backend makes when a deployed secret change arrives (10215), made early: the
 * latest version must be the one serving 100%. Backends without versions have nothing to check.
 */
export async function refuseDuringRollout(backend: Backend, target: Target): Promise<void> {
  if (!backend.capabilities.versions || !backend.listVersions || !backend.listDeployments) return;
  const [versions, deployments] = await Promise.all([backend.listVersions(target), backend.listDeployments(target)]);
  const block = rolloutBlock(versions[0], deployments[0]);
  if (!block) return;
  throw new GradualRolloutError(
    block === 'gradual-rollout'
      ? `a gradual rollout is in progress on Worker "${target.worker}"; a secret change cannot be deployed now`
      : `the latest version of Worker "${target.worker}" (version ${versions[0].number}) is not the one fully deployed; a secret change cannot be deployed now`,
  );
}

export function reportWorkerCreated(ctx: Context, target: Target, result: SecretChangeResult, backendName: string): void {
  if (result.workerCreated) ctx.out.note(`created Worker "${target.worker}" in the ${backendName} backend (its first change)`);
}

/** The version/deployment part of the JSON document. */
export function changeJson(result: SecretChangeResult): Record<string, unknown> {
  return {
    versionId: result.version?.id ?? null,
    version: result.version ? { id: result.version.id, number: result.version.number } : null,
    deployed: Boolean(result.deployment),
    deployment: result.deployment
      ? { id: result.deployment.id || null, versions: result.deployment.versions.map((v) => ({ versionId: v.versionId, percentage: v.percentage })) }
      : null,
  };
}

/** "version 4 (id), deployed at 100%" or "version 4 (id), not deployed". */
export function changeSummary(ctx: Context, result: SecretChangeResult): string {
  if (!result.version) return result.deployment ? 'deployed' : '';
  const v = `version ${result.version.number} ${ctx.out.err.dim(`(${result.version.id})`)}`;
  return result.deployment ? `${v}, deployed at 100%` : `${v}, not deployed (roll it out with \`${ctx.command(`versions deploy ${result.version.number}@100%`)}\`)`;
}
