/** mycli secrets-store store create <NAME> */
import type { RunOf } from '../../cli/define-command.js';
import type { command } from './store-create.js';
import { assertStoreName } from '../../backends/secrets-store-rules.js';
import { storeApi, storeJson } from './common.js';



export const run: RunOf<typeof command> = async (ctx, [name]) => {
  assertStoreName(name);
  const sc = await storeApi(ctx);
  await ctx.announceAccount(`Creating store ${ctx.out.err.bold(name)} in the Secrets Store`);
  const store = await sc.api.createStore(sc.target, name);
  ctx.out.success(`created store ${name} ${ctx.out.err.dim(`(${store.id})`)} · ${await ctx.backendWhere()}`);
  ctx.out.data(store.id);
  ctx.out.document({ backend: sc.backend.name, store: storeJson(store) });
};
