/** mycli versions list: newest first, the versions serving traffic marked with their share. */
import type { Command } from 'commander';
import type { App } from '../../cli/program.js';
import type { Context } from '../../cli/context.js';
import { pct, table, when } from '../../cli/format.js';
import { trafficOf } from './refs.js';

export function register(parent: Command, app: App): void {
  parent
    .command('list')
    .description('list the versions of a Worker, newest first')
    .action(app.action(async (ctx) => run(ctx)));
}

export async function run(ctx: Context): Promise<void> {
  const backend = await ctx.backendWith('versions');
  const target = await ctx.target();
  const [versions, deployments] = await Promise.all([backend.listVersions!(target), backend.listDeployments!(target)]);
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
