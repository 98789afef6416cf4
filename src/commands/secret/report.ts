/** Shared by secret put/delete/bulk and their `versions secret` twins. */
import type { Context } from '../../cli/context.js';
import type { Backend, SecretChangeResult, Target } from '../../backends/types.js';
import { GradualRolloutError, UsageError } from '../../errors.js';
import { assertBindingName } from '../../backends/names.js';
import { projectSecretsStoreBindings } from '../../config/raw.js';
import { rolloutBlock, rolloutBlockText } from '../../domain/deployments.js';
import { shellWord } from '../../cli/hint.js';

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
 * `change`: the refused command's words (`secret put API_KEY`), for the way out it names.
 */
export async function refuseDuringRollout(backend: Backend, target: Target, change?: string, apiCode?: number): Promise<void> {
  if (!backend.capabilities.versions || !backend.listVersions || !backend.listDeployments) return;
  const [versions, deployments] = await Promise.all([backend.listVersions(target), backend.listDeployments(target)]);
  const block = rolloutBlock(versions[0], deployments[0]);
  if (!block) return;
  const numberOf = new Map(versions.map((v) => [v.id, v.number]));
  const live = deployments[0]?.versions.map((v) => `version ${numberOf.get(v.versionId) ?? v.versionId} at ${v.percentage}%`).join(', ');
  const { message, hint } = rolloutBlockText(block, { worker: `Worker "${target.worker}"`, latest: versions[0], live, change });
  throw new GradualRolloutError(message, { hint, ...(apiCode !== undefined ? { apiCode } : {}) }, block);
}

/**
 * backend.updateSecrets, and when a deployed change is refused with 10215 (the API says it for a
 * rollout and for an undeployed version alike), the live state read to say which case it is and
 * give the way out that fits. Reads happen only on that refusal; if they fail, the API's error stands.
 */
export async function updateSecretsExplained(
  backend: Backend,
  target: Target,
  patch: Record<string, string | null>,
  o: { deploy: boolean; message?: string },
  change: string,
): Promise<SecretChangeResult> {
  try {
    return await backend.updateSecrets(target, patch, o);
  } catch (e) {
    if (!(e instanceof GradualRolloutError) || !o.deploy) throw e;
    try {
      await refuseDuringRollout(backend, target, change, e.apiCode);
    } catch (precise) {
      if (precise instanceof GradualRolloutError) throw precise;
    }
    throw e;
  }
}

/**
 * `secret put NAME` as a hint's words (quoted for the shell). A bulk read from stdin (no FILE, or
 * `-`) is given its input back as `< FILE`, so the command works as written instead of waiting.
 */
export function changeWords(verb: 'put' | 'delete' | 'bulk', arg?: string): string {
  if (verb === 'bulk' && (arg === undefined || arg === '-')) return 'secret bulk < FILE';
  return `secret ${verb}${arg !== undefined ? ` ${shellWord(arg)}` : ''}`;
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
