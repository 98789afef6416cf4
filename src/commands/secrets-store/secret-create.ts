/** mycli secrets-store secret create <NAME>: value from a hidden prompt, stdin or --from-file. */
import { defineCommand } from '../../cli/define-command.js';
import type { Context } from '../../cli/context.js';
import { readSecretValue } from '../../io/secret-value.js';
import { shellWord } from '../../cli/hint.js';
import { assertComment, assertStoreSecretName, assertValueLength, parseScopes, valueTooLong } from '../../backends/secrets-store-rules.js';
import { resolveStore, secretJson, storeApi, STORE_OPTION } from './common.js';

export const command = defineCommand({
  name: 'create',
  description: 'create a secret in a store (value from a hidden prompt, stdin or --from-file)',
  arguments: [['<NAME>', 'secret name (letters, digits, _ and -)']],
  options: [
    STORE_OPTION,
    ['--scopes <list>', 'comma-separated services that may use it', 'workers'],
    ['--comment <text>', 'a note about the secret'],
    ['--from-file <path>', 'read the value from a file'],
    ['--allow-empty', 'allow an empty value'],
  ],
  run: (ctx, [name], opts) => run(ctx, name, opts),
});

interface CreateOptions {
  store?: string;
  scopes: string;
  comment?: string;
  fromFile?: string;
  allowEmpty?: boolean;
}

export async function run(ctx: Context, name: string, o: CreateOptions): Promise<void> {
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
}
