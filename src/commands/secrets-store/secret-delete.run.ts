/** mycli secrets-store secret delete <SECRET>: confirm when interactive, --yes otherwise. */
import type { RunOf } from '../../cli/define-command.js';
import type { command } from './secret-delete.js';
import { boundBy, resolveSecret, resolveStore, storeApi } from './common.js';



export const run: RunOf<typeof command> = async (ctx, [ref], o) => {
  const sc = await storeApi(ctx);
  const store = await resolveStore(ctx, sc, o.store);
  const secret = await resolveSecret(sc, store, ref);
  const report = await boundBy(ctx, sc, store);
  const by = report.get(secret.name);
  const caveat = report.caveat();
  if (caveat) ctx.out.warn(caveat);
  const bound = by.length ? `; it is bound by ${by.map((b) => `${b.worker} (${b.binding})`).join(', ')}, whose get() will fail` : '';
  if (by.length) ctx.out.warn(`secret ${secret.name} is bound by ${by.map((b) => `Worker ${b.worker} as ${b.binding}`).join(', ')}`);
  const where = await ctx.backendWhere();
  await ctx.announceAccount(`Deleting secret ${ctx.out.err.bold(secret.name)} from store ${store.name}`);
  await ctx.confirm(`Delete secret ${secret.name} (${secret.id}) from store ${store.name} · ${where}${bound}?`, `deleting secret ${secret.name}`);
  await sc.api.deleteSecret(sc.target, store.id, secret.id);
  ctx.out.success(`deleted secret ${secret.name} ${ctx.out.err.dim(`(${secret.id})`)} from store ${store.name} · ${where}`);
  ctx.out.document({ backend: sc.backend.name, store: { id: store.id, name: store.name }, secret: { id: secret.id, name: secret.name }, deleted: true });
};
