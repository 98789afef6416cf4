/** mycli secrets-store secret update <SECRET>: a new value (prompt / stdin / --from-file), or --keep-value. */
import type { Command } from 'commander';
import type { App } from '../../cli/program.js';
import type { Context } from '../../cli/context.js';
import { UsageError } from '../../errors.js';
import { readSecretValue } from '../../io/secret-value.js';
import { assertComment, assertValueLength, parseScopes } from '../../backends/secrets-store-rules.js';
import { resolveSecret, resolveStore, secretJson, storeApi } from './common.js';

interface UpdateOptions {
  store?: string;
  scopes?: string;
  comment?: string;
  fromFile?: string;
  allowEmpty?: boolean;
  keepValue?: boolean;
}

export function register(parent: Command, app: App): void {
  parent
    .command('update')
    .description('change the value (prompt, stdin or --from-file), scopes or comment of a secret; Workers see it without a redeploy')
    .argument('<SECRET>', 'secret name or id')
    .option('--store <store>', "store name or id (default: the store of the config's secrets_store_secrets)")
    .option('--scopes <list>', 'new comma-separated scopes')
    .option('--comment <text>', 'new comment')
    .option('--from-file <path>', 'read the new value from a file')
    .option('--allow-empty', 'allow an empty value')
    .option('--keep-value', 'change only --scopes / --comment, keep the value')
    .addHelpText(
      'after',
      '\nExamples:\n' +
        '  $ mycli secrets-store secret update api-key                          # hidden prompt\n' +
        "  $ printf '%s' \"$NEW\" | mycli secrets-store secret update api-key --store shared-keys\n" +
        '  $ mycli secrets-store secret update api-key --keep-value --comment "rotated 2026-12"',
    )
    .action(app.action(async (ctx, ref: string, opts: UpdateOptions) => run(ctx, ref, opts)));
}

export async function run(ctx: Context, ref: string, o: UpdateOptions): Promise<void> {
  if (o.keepValue && o.fromFile !== undefined) throw new UsageError('--keep-value and --from-file contradict each other', { hint: 'drop one of them' });
  if (o.keepValue && o.scopes === undefined && o.comment === undefined) {
    throw new UsageError('--keep-value changes nothing without --scopes or --comment', { hint: 'add --scopes <list> and/or --comment <text>, or drop --keep-value to give a new value' });
  }
  const scopes = o.scopes === undefined ? undefined : parseScopes(o.scopes);
  assertComment(o.comment);
  const sc = await storeApi(ctx);
  let value: string | undefined;
  if (!o.keepValue) {
    const read = await readSecretValue(ctx.io, { name: ref, fromFile: o.fromFile, allowEmpty: o.allowEmpty, command: `mycli secrets-store secret update ${ref}` });
    assertValueLength(read.value, sc.api.maxValueLength, ref);
    for (const w of read.warnings) ctx.out.warn(w);
    value = read.value;
  }
  const store = await resolveStore(ctx, sc, o.store);
  const found = await resolveSecret(sc, store, ref);
  const secret = await sc.api.updateSecret(sc.target, store.id, found.id, {
    ...(value !== undefined ? { value } : {}),
    ...(scopes ? { scopes } : {}),
    ...(o.comment !== undefined ? { comment: o.comment } : {}),
  });
  const what = [value !== undefined ? 'value' : '', scopes ? 'scopes' : '', o.comment !== undefined ? 'comment' : ''].filter(Boolean).join(', ');
  ctx.out.success(`updated secret ${secret.name} ${ctx.out.err.dim(`(${secret.id})`)} in store ${store.name}: ${what}`);
  ctx.out.document({ backend: sc.backend.name, store: { id: store.id, name: store.name }, secret: secretJson(secret), valueChanged: value !== undefined });
}
