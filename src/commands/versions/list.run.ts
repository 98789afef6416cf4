/** mycli versions list: newest first, the versions serving traffic marked with their share. */
import type { RunOf } from '../../cli/define-command.js';
import type { command } from './list.js';
import { fitTable, oneLine, pct, when } from '../../cli/format.js';
import { effectiveLimit, LIMIT_HELP, moreNote } from '../../cli/limit.js';
import { trafficOf } from './refs.js';



export const run: RunOf<typeof command> = async (ctx, _args, o) => {
  const limit = effectiveLimit(ctx, o.limit);
  const backend = await ctx.backendWith('versions');
  const target = await ctx.target();
  // One page: a backend that pages (local) reads only these, however long the history.
  const page = Number.isFinite(limit) ? { limit } : undefined;
  const [versions, deployments] = await Promise.all([backend.listVersions(target, page), backend.listDeployments(target, { limit: 1 })]);
  const traffic = trafficOf(deployments);
  const shown = versions.slice(0, limit);
  // Numbers run 1..N, so the newest one says how many versions there are without reading them.
  const more = Math.max(versions.length, versions[0]?.number ?? 0) - shown.length;
  ctx.out.document({
    ...(await ctx.targetJson()),
    versions: shown.map((v) => ({
      id: v.id,
      number: v.number,
      createdOn: v.createdOn,
      author: v.author ?? null,
      source: v.source ?? null,
      message: v.message ?? null,
      tag: v.tag ?? null,
      percentage: traffic.get(v.id) ?? 0,
    })),
  });
  if (ctx.out.json) return;
  if (versions.length === 0) {
    ctx.out.note(`Worker "${target.worker}" has no versions yet; \`${ctx.command('versions upload')}\` or \`${ctx.command('secret put NAME')}\` makes the first`);
    return;
  }
  const s = ctx.out.out;
  ctx.out.data(
    fitTable(
      [
        { header: 'VERSION ID', kind: 'id' },
        { header: '#' },
        { header: 'CREATED' },
        { header: 'AUTHOR', kind: 'text', min: 8, optional: true },
        { header: 'SOURCE', kind: 'text', min: 6, optional: true },
        { header: 'TRAFFIC' },
        { header: 'MESSAGE', kind: 'text', min: 12, keep: 1 },
      ],
      shown.map((v) => {
        const share = traffic.get(v.id);
        return [
          v.id,
          String(v.number),
          when(v.createdOn),
          oneLine(v.author ?? ''),
          oneLine(v.source ?? ''),
          share ? s.green(`● ${pct(share)}`) : s.dim('-'),
          oneLine([v.tag ? `[${v.tag}]` : '', v.message ?? ''].filter(Boolean).join(' ')),
        ];
      }),
      ctx.columns,
    ),
  );
  moreNote(ctx, shown.length, shown.length + more, 'version');
};
