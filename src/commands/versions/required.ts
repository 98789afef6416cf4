/**
 * Required secrets (`[secrets] required` in the config): the one check that `versions deploy`,
 * `versions rollout`, `rollback` and `versions upload` make before a version could serve
 * traffic or be made. The rule (which names a version lacks) is src/domain/secrets.ts.
 */
import type { Context } from '../../cli/context.js';
import type { Version } from '../../backends/types.js';
import { CancelledError, UsageError } from '../../errors.js';
import { missingRequired, secretNamesOf } from '../../domain/secrets.js';


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
  o: { force?: boolean; doing: string; hint?: (names: string[]) => string },
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
    hint: `${o.hint?.(names) ?? addSecretsHint(ctx, names, false)}; or pass --force-missing-secrets to go on without ${names.length === 1 ? 'it' : 'them'}`,
  });
}

/**
 * Deleting secrets that `[secrets] required` names (`secret delete`, `secret sync --prune`): an
 * extra confirmation naming the rule. `--yes` does not answer it; a prompt on a terminal or
 * `--force-missing-secrets` does (otherwise exit 2, nothing changed).
 */
export async function confirmRequiredRemoval(ctx: Context, names: readonly string[], force: boolean | undefined): Promise<void> {
  const project = await ctx.project();
  const required = names.filter((n) => project.requiredSecrets.includes(n));
  if (!required.length) return;
  const what = `${required.join(', ')} ${required.length === 1 ? 'is' : 'are'} named in ${project.requiredSecretsFrom}`;
  const effect = 'versions without them are refused by deploy, rollout, rollback and upload';
  if (force) {
    ctx.out.warn(`${what}; deleting anyway (--force-missing-secrets): ${effect}`);
    return;
  }
  if (!ctx.interactive) {
    throw new UsageError(`refusing to delete ${required.join(', ')}: ${what}`, {
      hint: `${effect}; pass --force-missing-secrets (with --yes) to delete ${required.length === 1 ? 'it' : 'them'} anyway, or remove ${required.length === 1 ? 'it' : 'them'} from the config first`,
    });
  }
  const ok = await ctx.io.prompter.confirm({ message: `${what} (${effect}). Delete ${required.length === 1 ? 'it' : 'them'} anyway?`, default: false });
  if (!ok) throw new CancelledError('cancelled; nothing was changed');
}
