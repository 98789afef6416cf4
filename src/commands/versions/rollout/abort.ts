/** mycli versions rollout abort: deploy the stable version of the live rollout at 100%. */
import type { RunOf } from '../../../cli/define-command.js';
import type { abort } from './command.js';
import { UsageError } from '../../../errors.js';
import { deploymentJson } from '../apply.js';
import { diffVersions } from '../../../domain/versions.js';
import { endMessage, inProgress } from './plan.js';
import { readLiveRollout } from './status.js';
import { deployRestoring } from './run.js';

export const run: RunOf<typeof abort> = async (ctx, _args, o) => {
  const { backend, target, tj, r } = await readLiveRollout(ctx);
  if (!r || !inProgress(r)) {
    ctx.out.note(`no rollout in progress on Worker ${target.worker}; nothing to abort`);
    ctx.out.document({ ...tj, aborted: false, rollout: null });
    return;
  }
  if (!r.stable) {
    throw new UsageError(`rollout ${r.id} is live, but the deployment history no longer shows which version it started from`, {
      hint: 'deploy the version you want at 100% with `mycli versions rollback <VERSION_ID>`',
    });
  }
  const [tv, sv] = await Promise.all([backend.getVersion(target, r.target), backend.getVersion(target, r.stable)]);
  const s = ctx.out.err;
  await ctx.announce('Aborting rollout');
  ctx.out.note(
    `${s.bold('Abort')} rollout ${r.id} on Worker ${s.bold(target.worker)}: version ${tv.number} at ${r.liveTag.percent}% (step ${r.liveTag.step}/${r.liveTag.of}) → version ${sv.number} ${s.dim(`(${sv.id})`)} at 100%`,
  );
  const diff = diffVersions(tv, sv);
  if (diff.vars.length) ctx.out.note(`  vars that change back: ${diff.vars.map((v) => v.name).join(', ')}`);
  if (diff.secrets.length) ctx.out.note(`  secrets that change back: ${diff.secrets.map((v) => v.name).join(', ')}`);
  await ctx.confirm(`Abort rollout ${r.id} and deploy version ${sv.number} at 100% on ${await ctx.where()}?`, 'aborting a rollout');
  const d = await deployRestoring(backend, target, {
    versions: [{ versionId: sv.id, percentage: 100 }],
    message: endMessage(r.id, 'aborted', o.message),
    kind: 'rollback',
  });
  ctx.out.success(`rollout ${r.id} aborted: version ${sv.number} ${s.dim(`(${sv.id})`)} serves 100% of Worker ${target.worker} ${s.dim(`(deployment ${d.id})`)}`);
  ctx.out.document({ ...tj, aborted: true, rollout: { id: r.id, version: r.target, stable: sv.id }, deployment: deploymentJson(d) });
};
