/** mycli versions list: newest first, the versions serving traffic marked with their share. */
import type { Command } from 'commander';
import type { App } from '../../cli/program.js';
import type { Context } from '../../cli/context.js';
import { pct, table, when } from '../../cli/format.js';
import { trafficOf } from './refs.js';
import { UsageError } from '../../errors.js';

export function register(parent: Command, app: App): void {
  parent
    .command('list')
    .description('list the versions of a Worker, newest first')
    .option('--limit <n>', `how many of the newest versions to show (default ${PAGE})`)
    .action(app.action(async (ctx, opts: { limit?: string }) => run(ctx, { limit: opts.limit })));
}

/** One page: a backend that pages (local) reads only these, however long the history. */
const PAGE = 50;

export async function run(ctx: Context, o: { limit?: string } = {}): Promise<void> {
  const limit = o.limit === undefined ? PAGE : Number(o.limit);
  if (!Number.isInteger(limit) || limit < 1) throw new UsageError(`--limit must be a whole number of versions, 1 or more (got "${o.limit}")`);
  const backend = await ctx.backendWith('versions');
  const target = await ctx.target();
  const [all, deployments] = await Promise.all([backend.listVersions!(target, { limit }), backend.listDeployments!(target, { limit: 1 })]);
  const versions = all.slice(0, limit);
  const older = versions.length ? versions[versions.length - 1].number - 1 : 0;
  if (older > 0 && !ctx.out.json) ctx.out.note(`the newest ${versions.length} versions; ${older} older ${older === 1 ? 'is' : 'are'} not shown (--limit <n> shows more)`);
  const traffic = trafficOf(deployments);
  ctx.out.document({
    ...(await ctx.targetJson()),
    versions: versions.map((v) => ({
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
    ctx.out.note(`Worker "${target.worker}" has no versions yet; \`mycli versions upload\` or \`mycli secret put\` makes the first`);
    return;
  }
  const s = ctx.out.out;
  ctx.out.data(
    table(
      ['VERSION ID', '#', 'CREATED', 'AUTHOR', 'SOURCE', 'TRAFFIC', 'MESSAGE'],
      versions.map((v) => {
        const share = traffic.get(v.id);
        return [
          v.id,
          String(v.number),
          when(v.createdOn),
          v.author ?? '',
          v.source ?? '',
          share ? s.green(`● ${pct(share)}`) : s.dim('-'),
          [v.tag ? `[${v.tag}]` : '', v.message ?? ''].filter(Boolean).join(' '),
        ];
      }),
    ),
  );
}
