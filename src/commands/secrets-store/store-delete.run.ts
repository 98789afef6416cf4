/** mycli secrets-store store delete <STORE>: confirm when interactive, --yes otherwise. */
import type { RunOf } from '../../cli/define-command.js';
import type { command } from './store-delete.js';
import { resolveStore, storeApi } from './common.js';



export const run: RunOf<typeof command> = async (ctx, [ref], o) => {
  const sc = await storeApi(ctx);
  const store = await resolveStore(ctx, sc, ref);
  const count = o.force ? (await sc.api.listSecrets(sc.target, store.id)).length : 0;
  const where = await ctx.backendWhere();
  await ctx.announceAccount(`Deleting store ${ctx.out.err.bold(store.name)} from the Secrets Store`);
  await ctx.confirm(
    `Delete store ${store.name} (${store.id})${count ? ` and its ${count} secret${count === 1 ? '' : 's'}` : ''} · ${where}?`,
    `deleting store ${store.name}`,
  );
  await sc.api.deleteStore(sc.target, store.id, { force: o.force });
  ctx.out.success(`deleted store ${store.name} ${ctx.out.err.dim(`(${store.id})`)} · ${where}`);
  ctx.out.document({ backend: sc.backend.name, store: { id: store.id, name: store.name }, deleted: true });
};
