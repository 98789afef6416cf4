/** mycli versions rollout status: the live rollout, read from the deployment history. */
import type { Context } from '../../../cli/context.js';
import type { Version } from '../../../backends/types.js';
import { pct, when } from '../../../cli/format.js';
import { findLiveRollout, inProgress } from './plan.js';

/** What `status` and `abort` start from: the backend, the target, its JSON fields and the live rollout. */
export async function readLiveRollout(ctx: Context) {
  const backend = await ctx.backendWith('versions');
  const target = await ctx.target();
  const [deployments, tj] = await Promise.all([backend.listDeployments(target), ctx.targetJson()]);
  return { backend, target, tj, r: findLiveRollout(deployments) };
}

export async function run(ctx: Context): Promise<void> {
  const { backend, target, tj, r } = await readLiveRollout(ctx);
  if (!r || !inProgress(r)) {
    ctx.out.data(
      r ? `no rollout in progress on Worker ${target.worker}; rollout ${r.id} completed (version ${r.target} serves 100%)` : `no rollout in progress on Worker ${target.worker}`,
    );
    ctx.out.document({ ...tj, rollout: null });
    return;
  }
  const name = async (id: string | undefined): Promise<Version | undefined> => (id ? backend.getVersion(target, id).catch(() => undefined) : undefined);
  const [tv, sv] = await Promise.all([name(r.target), name(r.stable)]);
  const label = (v: Version | undefined, id: string | undefined) => (v ? `version ${v.number} (${v.id})` : id ? id : '(unknown: no longer in the history)');
  const percentOfTarget = r.liveTag.percent;
  const next = r.liveTag.step < r.liveTag.of ? { step: r.liveTag.step + 1, of: r.liveTag.of } : { step: r.liveTag.of, of: r.liveTag.of };
  const steps = r.steps.map((x) => ({ step: x.tag.step, of: x.tag.of, percent: x.tag.percent, deploymentId: x.deployment.id, startedOn: x.deployment.createdOn }));
  ctx.out.data(`rollout ${r.id} on Worker ${target.worker}`);
  ctx.out.data(`  target:  ${label(tv, r.target)} at ${pct(percentOfTarget)}`);
  ctx.out.data(`  stable:  ${label(sv, r.stable)} at ${pct(100 - percentOfTarget)}`);
  ctx.out.data(`  steps done: ${steps.map((x) => `${x.step}/${x.of} ${pct(x.percent)} (${when(x.startedOn)})`).join(', ')}`);
  ctx.out.data(`  next: step ${next.step}/${next.of}${next.step === next.of ? ' (100%)' : ''}`);
  ctx.out.note(`continue with \`mycli versions rollout ${r.target.slice(0, 8)} ...\`, or return to the stable version with \`mycli versions rollout abort\``);
  ctx.out.document({
    ...tj,
    rollout: {
      id: r.id,
      version: r.target,
      stable: r.stable ?? null,
      step: r.liveTag.step,
      of: r.liveTag.of,
      percent: percentOfTarget,
      deploymentId: r.live.id,
      steps,
      next,
    },
  });
}
