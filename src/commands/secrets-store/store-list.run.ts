/** mycli secrets-store store list */
import type { RunOf } from '../../cli/define-command.js';
import type { command } from './store-list.js';
import { table, when } from '../../cli/format.js';
import { storeApi, storeJson } from './common.js';



export const run: RunOf<typeof command> = async (ctx) => {
  const sc = await storeApi(ctx);
  const stores = await sc.api.listStores(sc.target);
  ctx.out.document({ backend: sc.backend.name, stores: stores.map(storeJson) });
  if (ctx.out.json) return;
  if (!stores.length) {
    ctx.out.note(`no stores yet; create one with \`${ctx.command('secrets-store store create NAME')}\``);
    return;
  }
  ctx.out.data(table(['NAME', 'ID', 'CREATED'], stores.map((s) => [s.name, s.id, when(s.created)])));
};
