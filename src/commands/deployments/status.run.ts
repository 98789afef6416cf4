/** mycli deployments status: the live split, a small bar per version. */
import type { RunOf } from '../../cli/define-command.js';
import type { command } from './status.js';
import { bar, oneLine, pct, when } from '../../cli/format.js';
import { deploymentJson } from '../versions/apply.js';



export const run: RunOf<typeof command> = async (ctx) => {
  const backend = await ctx.backendWith('versions');
  const target = await ctx.target();
  const [live] = await backend.listDeployments(target, { limit: 1 });
  const versions = live ? await Promise.all(live.versions.map((v) => backend.getVersion(target, v.versionId).catch(() => undefined))) : [];
  ctx.out.document({
    ...(await ctx.targetJson()),
    deployment: live ? deploymentJson(live) : null,
    versions: (live?.versions ?? []).map((v, i) => ({
      id: v.versionId,
      versionId: v.versionId,
      number: versions[i]?.number ?? null,
      percentage: v.percentage,
    })),
  });
  if (ctx.out.json) return;
  if (!live) {
    ctx.out.note(`Worker "${target.worker}" has no deployment yet`);
    return;
  }
  const s = ctx.out.out;
  ctx.out.data(`${s.bold('Deployment')} ${live.id}  ${when(live.createdOn)}${live.author ? `  by ${oneLine(live.author)}` : ''}${live.source ? `  (${oneLine(live.source)})` : ''}`);
  if (live.message) ctx.out.data(`${s.bold('Message')}    ${oneLine(live.message)}`);
  for (const [i, v] of live.versions.entries()) {
    const n = versions[i]?.number;
    ctx.out.data(`  ${s.green(bar(v.percentage))} ${pct(v.percentage).padStart(8)}  ${v.versionId}${n !== undefined ? `  (version ${n})` : ''}`);
  }
};
