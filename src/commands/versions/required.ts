/**
 * Required secrets (`[secrets] required` in the config): the one check that `versions deploy`,
 * `versions rollout`, `rollback` and `versions upload` make before a version could serve
 * traffic or be made. The rule (which names a version lacks) is src/domain/secrets.ts.
 */
import type { Context } from '../../cli/context.js';
import type { Version } from '../../backends/types.js';
import { UsageError } from '../../errors.js';
import { missingRequired, secretNamesOf } from '../../domain/secrets.js';

/** The flag every command that checks required secrets declares. */
export const FORCE_MISSING_SECRETS = ['--force-missing-secrets', 'go on even when a version lacks a secret named in [secrets] required'] as const;

export interface MissingSecrets {
  versionId: string;
  number: number;
  missing: string[];
}

/** How a user adds required secrets, as commands for this target. */
export function addSecretsHint(ctx: Context, names: readonly string[], deploy: boolean): string {
  const first = names[0] ?? 'NAME';
  return deploy
    ? `add ${names.length === 1 ? 'it' : 'them'} with \`${ctx.command(`secret put ${first}`)}\` (or \`${ctx.command('secret sync FILE')}\`)`
    : `add ${names.length === 1 ? 'it' : 'them'} to a new version with \`${ctx.command(`versions secret put ${first}`)}\` and deploy that version`;
}

/**
 * The versions (given with their bindings) that lack a required secret. Without `force`: a usage
 * error (exit 2) naming the version, the missing names, the rule's place in the config and how
 * to add them. With `force`: a warning saying so (the preview states the override), and the list.
 */
export async function checkRequiredSecrets(
  ctx: Context,
  versions: readonly Version[],
  o: { force?: boolean; doing: string; hint?: string },
): Promise<MissingSecrets[]> {
  const project = await ctx.project();
  if (!project.requiredSecrets.length) return [];
  const lacking = versions
    .map((v) => ({ versionId: v.id, number: v.number, missing: missingRequired(project.requiredSecrets, secretNamesOf(v)) }))
    .filter((m) => m.missing.length);
  if (!lacking.length) return [];
  const names = [...new Set(lacking.flatMap((m) => m.missing))];
  const what = lacking.map((m) => `version ${m.number} lacks ${m.missing.join(', ')}`).join('; ');
  if (o.force) {
    ctx.out.warn(`${what} (${project.requiredSecretsFrom}); ${o.doing} anyway (--force-missing-secrets)`);
    return lacking;
  }
  throw new UsageError(`refusing ${o.doing}: ${what}, which ${project.requiredSecretsFrom} names`, {
    hint: `${o.hint ?? addSecretsHint(ctx, names, false)}; or pass --force-missing-secrets to go on without ${names.length === 1 ? 'it' : 'them'}`,
  });
}
