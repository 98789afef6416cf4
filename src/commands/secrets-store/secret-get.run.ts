/** mycli secrets-store secret get <SECRET>: metadata only, never the value. */
import type { RunOf } from '../../cli/define-command.js';
import type { command } from './secret-get.js';
import { oneLine, when } from '../../cli/format.js';
import { boundBy, resolveSecret, resolveStore, secretJson, storeApi } from './common.js';



export const run: RunOf<typeof command> = async (ctx, [ref], o) => {
  const sc = await storeApi(ctx);
  const store = await resolveStore(ctx, sc, o.store);
  const found = await resolveSecret(sc, store, ref);
  const [secret, bound] = await Promise.all([sc.api.getSecret(sc.target, store.id, found.id), boundBy(ctx, sc, store)]);
  const by = bound.get(secret.name);
  ctx.out.document({ backend: sc.backend.name, store: { id: store.id, name: store.name }, secret: secretJson(secret, by), boundBy: bound.json() });
  const caveat = bound.caveat();
  if (caveat) ctx.out.warn(caveat);
  if (ctx.out.json) return;
  const s = ctx.out.out;
  const rows: [string, string][] = [
    ['Name', secret.name],
    ['ID', secret.id],
    ['Store', `${store.name} (${store.id})`],
    ['Scopes', secret.scopes.join(', ')],
    ['Comment', oneLine(secret.comment || '-')],
    ['Status', secret.status],
    ['Created', when(secret.created)],
    ['Modified', when(secret.modified)],
    ['Bound by', by.map((b) => `${b.worker} (${b.binding})`).join(', ') || '-'],
  ];
  for (const [k, v] of rows) ctx.out.data(`${s.bold(k.padEnd(9))} ${v}`);
};
