/** mycli secrets-store secret create <NAME>: value from a hidden prompt, stdin or --from-file. */
import type { RunOf } from '../../cli/define-command.js';
import type { command } from './secret-create.js';
import { readSecretValue } from '../../io/secret-value.js';
import { shellWord } from '../../cli/hint.js';
import { assertComment, assertStoreSecretName, assertValueLength, parseScopes, valueTooLong } from '../../backends/secrets-store-rules.js';
import { resolveStore, secretJson, storeApi } from './common.js';



export const run: RunOf<typeof command> = async (ctx, [name], o) => {
  assertStoreSecretName(name);
  const scopes = parseScopes(o.scopes);
  assertComment(o.comment);
  const sc = await storeApi(ctx);
  // The value and its limit are checked before any request.
  const limit = sc.api.maxValueBytes;
  const read = await readSecretValue(ctx.io, {
    name,
    fromFile: o.fromFile,
    allowEmpty: o.allowEmpty,
    command: ctx.command(`secrets-store secret create ${shellWord(name)}${o.store !== undefined ? ` --store ${shellWord(o.store)}` : ''}`),
    maxBytes: limit,
  });
  if (read.overLimit) throw valueTooLong(name, limit);
  const { value, warnings } = read;
  assertValueLength(value, sc.api.maxValueBytes, name);
  for (const w of warnings) ctx.out.warn(w);
  const store = await resolveStore(ctx, sc, o.store);
  await ctx.announceAccount(`Creating secret ${ctx.out.err.bold(name)} in store ${store.name}`);
  const secret = await sc.api.createSecret(sc.target, store.id, { name, value, scopes, comment: o.comment });
  ctx.out.success(`created secret ${name} ${ctx.out.err.dim(`(${secret.id})`)} in store ${store.name} · ${await ctx.backendWhere()}`);
  ctx.out.data(secret.id);
  ctx.out.document({ backend: sc.backend.name, store: { id: store.id, name: store.name }, secret: secretJson(secret) });
};
