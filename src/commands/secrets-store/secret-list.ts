/** mycli secrets-store secret list: names, ids, scopes and the Workers that bind each; never values. */
import type { Command } from 'commander';
import type { App } from '../../cli/program.js';
import type { Context } from '../../cli/context.js';
import { table } from '../../cli/format.js';
import { boundBy, resolveStore, secretJson, storeApi } from './common.js';

export function register(parent: Command, app: App): void {
  parent
    .command('list')
    .description('list the secrets of a store and the Workers that bind them (never values)')
    .option('--store <store>', "store name or id (default: the store of the config's secrets_store_secrets)")
    .addHelpText('after', '\nExamples:\n  $ mycli secrets-store secret list\n  $ mycli secrets-store secret list --store shared-keys --json')
    .action(app.action(async (ctx, opts: { store?: string }) => run(ctx, opts)));
}

export async function run(ctx: Context, o: { store?: string }): Promise<void> {
  const sc = await storeApi(ctx);
  const store = await resolveStore(ctx, sc, o.store);
  const [secrets, bound] = await Promise.all([sc.api.listSecrets(sc.target, store.id), boundBy(ctx, sc, store)]);
  ctx.out.document({
    backend: sc.backend.name,
    store: { id: store.id, name: store.name },
    secrets: secrets.map((s) => secretJson(s, bound.get(s.name) ?? [])),
  });
  if (ctx.out.json) return;
  if (!secrets.length) {
    ctx.out.note(`store ${store.name} has no secrets yet; add one with \`mycli secrets-store secret create NAME --store ${store.name}\``);
    return;
  }
  ctx.out.data(
    table(
      ['NAME', 'ID', 'SCOPES', 'BOUND BY', 'COMMENT'],
      secrets.map((s) => [s.name, s.id, s.scopes.join(','), (bound.get(s.name) ?? []).map((b) => `${b.worker} (${b.binding})`).join(', ') || '-', s.comment || '-']),
    ),
  );
}
