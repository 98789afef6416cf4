/** mycli secrets-store secret create <NAME>: value from a hidden prompt, stdin or --from-file. */
import type { Command } from 'commander';
import type { App } from '../../cli/program.js';
import type { Context } from '../../cli/context.js';
import { readSecretValue } from '../../io/secret-value.js';
import { assertComment, assertStoreSecretName, assertValueLength, parseScopes } from '../../backends/secrets-store-rules.js';
import { resolveStore, secretJson, storeApi } from './common.js';

export function register(parent: Command, app: App): void {
  parent
    .command('create')
    .description('create a secret in a store (value from a hidden prompt, stdin or --from-file)')
    .argument('<NAME>', 'secret name (letters, digits, _ and -)')
    .option('--store <store>', "store name or id (default: the store of the config's secrets_store_secrets)")
    .option('--scopes <list>', 'comma-separated services that may use it', 'workers')
    .option('--comment <text>', 'a note about the secret')
    .option('--from-file <path>', 'read the value from a file')
    .option('--allow-empty', 'allow an empty value')
    .addHelpText(
      'after',
      '\nExamples:\n' +
        '  $ mycli secrets-store secret create api-key --store shared-keys              # hidden prompt\n' +
        "  $ printf '%s' \"$VALUE\" | mycli secrets-store secret create api-key --comment \"billing\"\n" +
        '  $ mycli secrets-store secret create tls-key --from-file key.txt --scopes workers,ai_gateway',
    )
    .action(app.action(async (ctx, name: string, opts: CreateOptions) => run(ctx, name, opts)));
}

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
  const { value, warnings } = await readSecretValue(ctx.io, { name, fromFile: o.fromFile, allowEmpty: o.allowEmpty, command: `mycli secrets-store secret create ${name}` });
  assertValueLength(value, sc.api.maxValueLength, name);
  for (const w of warnings) ctx.out.warn(w);
  const store = await resolveStore(ctx, sc, o.store);
  const secret = await sc.api.createSecret(sc.target, store.id, { name, value, scopes, comment: o.comment });
  ctx.out.success(`created secret ${name} ${ctx.out.err.dim(`(${secret.id})`)} in store ${store.name}`);
  ctx.out.data(secret.id);
  ctx.out.document({ backend: sc.backend.name, store: { id: store.id, name: store.name }, secret: secretJson(secret) });
}
