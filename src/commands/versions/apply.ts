/** Creating a deployment, shared by `versions deploy` and `rollback`. */
import type { Context } from '../../cli/context.js';
import type { Deployment, DeployInput, Target, Version } from '../../backends/types.js';
import type { BackendWith } from '../../backends/capabilities.js';
import { isMycliError, SecretsChangedError } from '../../errors.js';
import { pct } from '../../cli/format.js';

/**
 * Deploy in wrangler's order: always post without force first. Only when the backend refuses
 * because the secrets of an older version differ from the live ones (10220) are they named, and
 * the same deployment is sent again with force — if the user confirms or gave --yes. Otherwise
 * the refusal stands (exit 5). The API is the authority on 10220: a local preview of changed
 * secrets (`knownChanged`) is information only and never forces a deployment by itself.
 */
export async function deployConfirmingSecrets(
  ctx: Context,
  backend: BackendWith<'versions'>,
  target: Target,
  input: DeployInput,
  /** Secrets a local preview found to differ; used only to word the refusal when the backend names none. */
  knownChanged: string[] = [],
  refusalMessage?: string,
): Promise<{ deployment: Deployment; secretsChanged: string[] }> {
  try {
    return { deployment: await backend.deploy(target, { ...input, force: false }), secretsChanged: [] };
  } catch (e) {
    if (!(e instanceof SecretsChangedError) && !(isMycliError(e) && e.code === 'secrets_changed')) throw e;
    const given = (e as SecretsChangedError).secrets ?? [];
    const names = given.length ? given : knownChanged;
    const refusal = !given.length && knownChanged.length ? new SecretsChangedError(knownChanged, refusalMessage) : e;
    const list = names.length ? names.join(', ') : '(names not given by the backend)';
    ctx.out.warn(`these secrets differ from the live version and will return to the values of the target version: ${list}`);
    if (!ctx.globals.yes) {
      if (!ctx.interactive) throw refusal;
      const ok = await ctx.io.prompter.confirm({ message: `Secrets ${list} will change on ${await ctx.where()}. Deploy anyway?`, default: false });
      if (!ok) throw refusal;
    }
    return { deployment: await backend.deploy(target, { ...input, force: true }), secretsChanged: names };
  }
}

export function describeSplit(split: { versionId: string; percentage: number }[], versions: Map<string, Version>): string {
  return split
    .map((v) => {
      const n = versions.get(v.versionId)?.number;
      return `${n !== undefined ? `version ${n}` : v.versionId} (${v.versionId.slice(0, 8)}) at ${pct(v.percentage)}`;
    })
    .join(', ');
}

export function deploymentJson(d: Deployment): Record<string, unknown> {
  return {
    id: d.id,
    createdOn: d.createdOn,
    author: d.author ?? null,
    source: d.source ?? null,
    message: d.message ?? null,
    versions: d.versions.map((v) => ({ versionId: v.versionId, percentage: v.percentage })),
  };
}
