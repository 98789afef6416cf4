/** mycli secret delete <NAME>: confirm when interactive, --yes otherwise. */
import { defineCommand } from '../../cli/define-command.js';
import type { Context } from '../../cli/context.js';
import { NotFoundError } from '../../errors.js';
import { changeJson, changeSummary, changeWords, checkSecretNames, updateSecretsExplained } from './report.js';
import { confirmRequiredRemoval, FORCE_MISSING_SECRETS } from '../versions/required.js';

export function command(deploy = true) {
  return defineCommand({
    name: 'delete',
    description: deploy ? 'delete a secret and deploy the change' : 'delete a secret in a new version, without deploying it',
    arguments: [['<NAME>', 'secret name']],
    options: [['-m, --message <text>', 'message of the new version'], FORCE_MISSING_SECRETS],
    run: (ctx, [name], opts) => run(ctx, { name, ...opts, deploy }),
  });
}

export async function run(ctx: Context, o: { name: string; message?: string; deploy: boolean; forceMissingSecrets?: boolean }): Promise<void> {
  await checkSecretNames(ctx, [o.name]);
  const backend = await ctx.backendWith('secrets', ...(o.deploy ? [] : (['versionedSecrets'] as const)));
  const target = await ctx.target();
  if (!ctx.globals.yes && ctx.interactive) {
    const names = (await backend.listSecrets(target)).map((s) => s.name);
    if (!names.includes(o.name)) {
      throw new NotFoundError(`secret "${o.name}" does not exist on Worker "${target.worker}"`, { hint: 'see the names with `mycli secret list`' });
    }
  }
  await ctx.announce(`Deleting secret ${o.name}`);
  await ctx.confirm(`Delete secret ${o.name} from ${await ctx.where()}?`, `deleting secret ${o.name}`);
  await confirmRequiredRemoval(ctx, [o.name], o.forceMissingSecrets);
  const result = await updateSecretsExplained(backend, target, { [o.name]: null }, { deploy: o.deploy, message: o.message }, changeWords('delete', o.name));
  ctx.out.success(`secret ${o.name} deleted${result.version ? `: ${changeSummary(ctx, result)}` : ''}`);
  ctx.out.document({ ...(await ctx.targetJson()), secret: { name: o.name, action: 'deleted' }, ...changeJson(result) });
}
