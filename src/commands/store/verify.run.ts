/** mycli store verify: read the whole local store, every blob opened with the key (docs/STORE.md). */
import type { RunOf } from '../../cli/define-command.js';
import type { command } from './verify.js';
import { OperationError } from '../../errors.js';
import { localBackend } from './common.js';



export const run: RunOf<typeof command> = async (ctx) => {
  const backend = await localBackend(ctx, 'verify');
  const target = await ctx.target();
  const r = await backend.verifyStore({ ...target, declared: true });
  ctx.out.document(r);
  const n = (k: number, one: string) => `${k} ${one}${k === 1 ? '' : 's'}`;
  if (!ctx.out.json) {
    ctx.out.data(`${r.store}: generation ${r.generation}, ${n(r.workers, 'Worker')}, ${n(r.versions, 'version')}, ${n(r.deployments, 'deployment')}, ${n(r.blobs, 'blob')}${r.storeSecrets ? ` (${n(r.storeSecrets, 'Secrets Store secret')})` : ''}`);
    for (const p of r.problems) ctx.out.data(`  ✗ ${p}`);
    if (!r.problems.length) ctx.out.data('  ✓ every record and blob is there and opens');
  }
  if (r.problems.length) {
    throw new OperationError(`the local store ${r.store} has ${n(r.problems.length, 'problem')}`, {
      hint: 'restore the files named above from a backup; a secret whose blob is lost can be put again (a new version)',
    });
  }
};
