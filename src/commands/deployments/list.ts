/** mycli deployments list: newest first. */
import type { Command } from 'commander';
import type { App } from '../../cli/program.js';
import type { Context } from '../../cli/context.js';
import { pct, table, when } from '../../cli/format.js';
import { deploymentJson } from '../versions/apply.js';

export function register(parent: Command, app: App): void {
  parent
    .command('list')
    .description('list the deployments of a Worker, newest (live) first')
    .action(app.action(async (ctx) => run(ctx)));
}

export async function run(ctx: Context): Promise<void> {
  const backend = await ctx.backendWith('versions');
  const target = await ctx.target();
  const deployments = await backend.listDeployments!(target);
  ctx.out.document({ ...(await ctx.targetJson()), deployments: deployments.map(deploymentJson) });
  if (ctx.out.json) return;
  if (deployments.length === 0) {
    ctx.out.note(`Worker "${target.worker}" has no deployments yet`);
    return;
  }
  const s = ctx.out.out;
  ctx.out.data(
    table(
      ['CREATED', 'DEPLOYMENT ID', 'AUTHOR', 'SOURCE', 'VERSIONS', 'MESSAGE'],
      deployments.map((d, i) => [
        when(d.createdOn) + (i === 0 ? ` ${s.green('(live)')}` : ''),
        d.id,
        d.author ?? '',
        d.source ?? '',
        d.versions.map((v) => `${v.versionId} ${pct(v.percentage)}`).join(', '),
        d.message ?? '',
      ]),
    ),
  );
}
