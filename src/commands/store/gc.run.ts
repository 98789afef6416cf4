/** mycli store gc: remove what no committed head reaches, safe beside live writers (docs/STORE.md, "Garbage"). */
import type { RunOf } from '../../cli/define-command.js';
import { DEFAULT_GRACE, type command } from './gc.js';
import { parseDuration } from '../duration.js';
import { localBackend } from './common.js';

export const run: RunOf<typeof command> = async (ctx, _args, o) => {
  const graceMs = parseDuration(o.grace ?? DEFAULT_GRACE, '--grace');
  const backend = await localBackend(ctx, 'gc');
  const target = await ctx.target();
  const r = await backend.collectGarbage({ ...target, declared: true }, { graceMs, dryRun: o.dryRun });
  ctx.out.document(r);
  if (ctx.out.json) return;
  const k = r.removed;
  const total = k.versions + k.deployments + k.secrets + k.blobs + k.modules + k.index + k.temp;
  const parts = [
    [k.versions, 'version record'],
    [k.deployments, 'deployment record'],
    [k.secrets, 'Secrets Store record'],
    [k.blobs, 'blob'],
    [k.modules, 'module'],
    [k.index, 'index folder'],
    [k.temp, 'temp file'],
  ]
    .filter(([n]) => n)
    .map(([n, what]) => `${n} ${what}${n === 1 ? '' : 's'}`);
  const verb = r.dryRun ? 'would remove' : 'removed';
  ctx.out.data(total ? `${r.store}: ${verb} ${parts.join(', ')} (${(r.bytes / 1024).toFixed(1)} KB)` : `${r.store}: nothing to remove`);
};
