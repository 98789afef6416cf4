/** mycli secret delete <NAME>: confirm when interactive, --yes otherwise. */
import type { RunOf } from '../../cli/define-command.js';
import type { command } from './delete.js';
import { NotFoundError } from '../../errors.js';
import { changeJson, changeSummary, changeWords, checkSecretNames, updateSecretsExplained } from './report.js';
import { confirmRequiredRemoval } from '../versions/required.js';

export const run = (deploy: boolean): RunOf<ReturnType<typeof command>> => async (ctx, [name], opts) => {
  const o = { name, ...opts, deploy };
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
};
