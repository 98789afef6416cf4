/** mycli secrets-store secret update <SECRET>: a new value (prompt / stdin / --from-file), or --keep-value. */
import type { RunOf } from '../../cli/define-command.js';
import type { command } from './secret-update.js';
import { UsageError } from '../../errors.js';
import { readSecretValue } from '../../io/secret-value.js';
import { shellWord } from '../../cli/hint.js';
import { assertComment, assertValueLength, parseScopes, valueTooLong } from '../../backends/secrets-store-rules.js';
import { resolveSecret, resolveStore, secretJson, storeApi } from './common.js';



export const run: RunOf<typeof command> = async (ctx, [ref], o) => {
  if (o.keepValue && o.fromFile !== undefined) throw new UsageError('--keep-value and --from-file contradict each other', { hint: 'drop one of them' });
  if (o.keepValue && o.scopes === undefined && o.comment === undefined) {
    throw new UsageError('--keep-value changes nothing without --scopes or --comment', { hint: 'add --scopes <list> and/or --comment <text>, or drop --keep-value to give a new value' });
  }
  const scopes = o.scopes === undefined ? undefined : parseScopes(o.scopes);
  assertComment(o.comment);
  const sc = await storeApi(ctx);
  let value: string | undefined;
  if (!o.keepValue) {
    const limit = sc.api.maxValueBytes;
    const read = await readSecretValue(ctx.io, {
      name: ref,
      fromFile: o.fromFile,
      allowEmpty: o.allowEmpty,
      command: ctx.command(`secrets-store secret update ${shellWord(ref)}${o.store !== undefined ? ` --store ${shellWord(o.store)}` : ''}`),
      // In CI, `--comment y` alone reads a value: the way to change only the metadata is --keep-value.
      otherwise:
        scopes !== undefined || o.comment !== undefined
          ? `to change only ${[scopes !== undefined ? '--scopes' : '', o.comment !== undefined ? '--comment' : ''].filter(Boolean).join(' and ')} and keep the value, add --keep-value`
          : undefined,
      maxBytes: limit,
    });
    if (read.overLimit) throw valueTooLong(ref, limit);
    assertValueLength(read.value, sc.api.maxValueBytes, ref);
    for (const w of read.warnings) ctx.out.warn(w);
    value = read.value;
  }
  const store = await resolveStore(ctx, sc, o.store);
  const found = await resolveSecret(sc, store, ref);
  await ctx.announceAccount(`Updating secret ${ctx.out.err.bold(found.name)} in store ${store.name}`);
  const secret = await sc.api.updateSecret(sc.target, store.id, found.id, {
    ...(value !== undefined ? { value } : {}),
    ...(scopes ? { scopes } : {}),
    ...(o.comment !== undefined ? { comment: o.comment } : {}),
  });
  const what = [value !== undefined ? 'value' : '', scopes ? 'scopes' : '', o.comment !== undefined ? 'comment' : ''].filter(Boolean).join(', ');
  ctx.out.success(`updated secret ${secret.name} ${ctx.out.err.dim(`(${secret.id})`)} in store ${store.name}: ${what} · ${await ctx.backendWhere()}`);
  ctx.out.document({ backend: sc.backend.name, store: { id: store.id, name: store.name }, secret: secretJson(secret), valueChanged: value !== undefined });
};
