/** mycli secrets-store secret list: names, ids, scopes and the Workers that bind each; never values. */
import type { RunOf } from '../../cli/define-command.js';
import type { command } from './secret-list.js';
import { oneLine, table } from '../../cli/format.js';
import { shellWord } from '../../cli/hint.js';
import { boundBy, resolveStore, secretJson, storeApi } from './common.js';



export const run: RunOf<typeof command> = async (ctx, _args, o) => {
  const sc = await storeApi(ctx);
  const store = await resolveStore(ctx, sc, o.store);
  const [secrets, bound] = await Promise.all([sc.api.listSecrets(sc.target, store.id), boundBy(ctx, sc, store)]);
  ctx.out.document({
    backend: sc.backend.name,
    store: { id: store.id, name: store.name },
    secrets: secrets.map((s) => secretJson(s, bound.get(s.name))),
    boundBy: bound.json(),
  });
  const caveat = bound.caveat();
  if (caveat && secrets.length) ctx.out.warn(caveat);
  if (ctx.out.json) return;
  if (!secrets.length) {
    ctx.out.note(`store ${store.name} has no secrets yet; add one with \`${ctx.command(`secrets-store secret create NAME --store ${shellWord(store.name)}`)}\``);
    return;
  }
  ctx.out.data(
    table(
      ['NAME', 'ID', 'SCOPES', 'BOUND BY', 'COMMENT'],
      secrets.map((s) => [s.name, s.id, s.scopes.join(','), bound.get(s.name).map((b) => `${b.worker} (${b.binding})`).join(', ') || '-', oneLine(s.comment || '-')]),
    ),
  );
};
