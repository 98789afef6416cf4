/** mycli secrets-store secret duplicate <SECRET> <NEW_NAME>: a copy with the same value. */
import type { RunOf } from '../../cli/define-command.js';
import type { command } from './secret-duplicate.js';
import { assertComment, assertStoreSecretName, parseScopes } from '../../backends/secrets-store-rules.js';
import { resolveSecret, resolveStore, secretJson, storeApi } from './common.js';



export const run: RunOf<typeof command> = async (ctx, [ref, newName], o) => {
  assertStoreSecretName(newName, 'new secret name');
  const scopes = o.scopes === undefined ? undefined : parseScopes(o.scopes);
  assertComment(o.comment);
  const sc = await storeApi(ctx);
  const store = await resolveStore(ctx, sc, o.store);
  const from = await resolveSecret(sc, store, ref);
  await ctx.announceAccount(`Duplicating secret ${ctx.out.err.bold(from.name)} as ${newName} in store ${store.name}`);
  const secret = await sc.api.duplicateSecret(sc.target, store.id, from.id, { name: newName, scopes: scopes ?? from.scopes, comment: o.comment ?? from.comment });
  ctx.out.success(`duplicated secret ${from.name} as ${secret.name} ${ctx.out.err.dim(`(${secret.id})`)} in store ${store.name} · ${await ctx.backendWhere()}`);
  ctx.out.data(secret.id);
  ctx.out.document({ backend: sc.backend.name, store: { id: store.id, name: store.name }, from: { id: from.id, name: from.name }, secret: secretJson(secret) });
};
