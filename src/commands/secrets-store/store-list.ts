/** mycli secrets-store store list */
import { defineCommand } from '../../cli/define-command.js';
import type { Context } from '../../cli/context.js';
import { table, when } from '../../cli/format.js';
import { storeApi, storeJson } from './common.js';

export const command = defineCommand({
  name: 'list',
  description: 'list the stores of the account',
  run: (ctx) => run(ctx),
});

export async function run(ctx: Context): Promise<void> {
  const sc = await storeApi(ctx);
  const stores = await sc.api.listStores(sc.target);
  ctx.out.document({ backend: sc.backend.name, stores: stores.map(storeJson) });
  if (ctx.out.json) return;
  if (!stores.length) {
    ctx.out.note(`no stores yet; create one with \`${ctx.command('secrets-store store create NAME')}\``);
    return;
  }
  ctx.out.data(table(['NAME', 'ID', 'CREATED'], stores.map((s) => [s.name, s.id, when(s.created)])));
}
