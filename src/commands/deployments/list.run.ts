/** mycli deployments list: newest first. */
import type { RunOf } from '../../cli/define-command.js';
import type { command } from './list.js';
import { fitTable, oneLine, pct, when } from '../../cli/format.js';
import { effectiveLimit, LIMIT_HELP } from '../../cli/limit.js';
import { deploymentJson } from '../versions/apply.js';



export const run: RunOf<typeof command> = async (ctx, _args, o) => {
  const limit = effectiveLimit(ctx, o.limit);
  const backend = await ctx.backendWith('versions');
  const target = await ctx.target();
  // One page, and one more to know whether there are more: the rest is never read.
  const deployments = await backend.listDeployments(target, Number.isFinite(limit) ? { limit: limit + 1 } : undefined);
  const shown = deployments.slice(0, limit);
  ctx.out.document({ ...(await ctx.targetJson()), deployments: shown.map(deploymentJson) });
  if (ctx.out.json) return;
  if (deployments.length === 0) {
    ctx.out.note(`Worker "${target.worker}" has no deployments yet`);
    return;
  }
  const s = ctx.out.out;
  ctx.out.data(
    fitTable(
      [
        { header: 'CREATED' },
        { header: 'DEPLOYMENT ID', kind: 'id', shortHeader: 'ID' },
        { header: 'AUTHOR', kind: 'text', min: 8, optional: true },
        { header: 'SOURCE', kind: 'text', min: 6, optional: true },
        { header: 'VERSIONS', kind: 'id' },
        { header: 'MESSAGE', kind: 'text', min: 12, keep: 1 },
      ],
      shown.map((d, i) => [
        when(d.createdOn) + (i === 0 ? ` ${s.green('(live)')}` : ''),
        d.id,
        oneLine(d.author ?? ''),
        oneLine(d.source ?? ''),
        {
          text: d.versions.map((v) => `${v.versionId} ${pct(v.percentage)}`).join(', '),
          short: d.versions.map((v) => `${v.versionId.slice(0, 8)} ${pct(v.percentage)}`).join(', '),
        },
        oneLine(d.message ?? ''),
      ]),
      ctx.columns,
    ),
  );
  // After the table it is about; not counted: counting them would mean reading them all.
  if (deployments.length > shown.length) {
    ctx.out.note(ctx.out.err.dim(`… more deployments not shown (--limit ${limit * 2} or --limit all shows them, --json gives everything)`));
  }
};
