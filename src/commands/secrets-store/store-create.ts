/** mycli secrets-store store create <NAME> */
import type { Command } from 'commander';
import type { App } from '../../cli/program.js';
import type { Context } from '../../cli/context.js';
import { assertStoreName } from '../../backends/secrets-store-rules.js';
import { storeApi, storeJson } from './common.js';

export function register(parent: Command, app: App): void {
  parent
    .command('create')
    .description('create a store in the account')
    .argument('<NAME>', 'store name')
    .addHelpText('after', '\nExamples:\n  $ mycli secrets-store store create shared-keys\n  $ mycli secrets-store store create shared-keys --backend cloudflare --json')
    .action(app.action(async (ctx, name: string) => run(ctx, name)));
}

export async function run(ctx: Context, name: string): Promise<void> {
  assertStoreName(name);
  const sc = await storeApi(ctx);
  const store = await sc.api.createStore(sc.target, name);
  ctx.out.success(`created store ${name} ${ctx.out.err.dim(`(${store.id})`)} in the ${sc.backend.name} backend`);
  ctx.out.data(store.id);
  ctx.out.document({ backend: sc.backend.name, store: storeJson(store) });
}
