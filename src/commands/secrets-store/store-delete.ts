/** mycli secrets-store store delete <STORE>: confirm when interactive, --yes otherwise. */
import type { Command } from 'commander';
import type { App } from '../../cli/program.js';
import type { Context } from '../../cli/context.js';
import { resolveStore, storeApi } from './common.js';

export function register(parent: Command, app: App): void {
  parent
    .command('delete')
    .description('delete a store (refused while it holds secrets, unless --force)')
    .argument('<STORE>', 'store name or id')
    .option('--force', 'delete the secrets of the store with it')
    .addHelpText('after', '\nExamples:\n  $ mycli secrets-store store delete shared-keys          # asks first\n  $ mycli secrets-store store delete shared-keys --yes    # in CI')
    .action(app.action(async (ctx, ref: string, opts: { force?: boolean }) => run(ctx, ref, opts)));
}

export async function run(ctx: Context, ref: string, o: { force?: boolean }): Promise<void> {
  const sc = await storeApi(ctx);
  const store = await resolveStore(ctx, sc, ref);
  const count = o.force ? (await sc.api.listSecrets(sc.target, store.id)).length : 0;
  await ctx.confirm(
    `Delete store ${store.name} (${store.id})${count ? ` and its ${count} secret${count === 1 ? '' : 's'}` : ''} from the ${sc.backend.name} backend?`,
    `deleting store ${store.name}`,
  );
  await sc.api.deleteStore(sc.target, store.id, { force: o.force });
  ctx.out.success(`deleted store ${store.name} ${ctx.out.err.dim(`(${store.id})`)}`);
  ctx.out.document({ backend: sc.backend.name, store: { id: store.id, name: store.name }, deleted: true });
}
