/**
 * mycli versions deploy [<ID>@<PCT>%]...: 1 or 2 versions summing to 100. A single version below
 * 100% gives the rest to the version serving 100% now. On a terminal with no arguments, pick
 * versions and percentages with prompts.
 */
import type { RunOf } from '../../cli/define-command.js';
import type { command } from './deploy.js';
import type { DeploymentVersion, Version } from '../../backends/types.js';
import { UsageError } from '../../errors.js';
import { validateSplit } from '../../backends/split.js';
import { parseDeploySpec, resolveVersion } from './refs.js';
import { deployConfirmingSecrets, deploymentJson, describeSplit } from './apply.js';
import { buildPreview, previewJson, printChanges } from './preview.js';
import { restOf, sameSplit, splitAt, stableVersionOf } from '../../domain/deployments.js';
import { pickInteractively } from './picker.js';
import { checkRequiredSecrets } from './required.js';



export const run: RunOf<typeof command> = async (ctx, [specs], opts) => {
  const o = { specs: [...specs, ...flagSpecs(opts.versionId, opts.percentage)], message: opts.message, dryRun: opts.dryRun, forceMissingSecrets: opts.forceMissingSecrets };
  const parsed = [...o.specs.map((s) => parseDeploySpec(s)), ...(opts.versionTag ?? []).map((t) => parseDeploySpec(t, { tag: true }))];
  if (parsed.length > 2) throw new UsageError(`a deployment has 1 or 2 versions, not ${parsed.length}`);
  const backend = await ctx.backendWith('versions');
  const target = await ctx.target();
  const [versions, deployments] = await Promise.all([backend.listVersions(target), backend.listDeployments(target)]);
  const byId = new Map(versions.map((v) => [v.id, v]));
  const live = deployments[0];

  let said = false;
  const sayTarget = async () => {
    if (said) return;
    said = true;
    if (!o.dryRun) await ctx.announce('Deploying');
    else ctx.out.note(`Dry run of a deployment on ${await ctx.where()}`);
  };

  let split: DeploymentVersion[];
  /** Whether the split was planned from the live deployment (beyond the versions named). */
  let readFromLive = false;
  if (parsed.length === 0) {
    if (!ctx.interactive) {
      throw new UsageError('no versions given to deploy', {
        hint: 'pass <VERSION_ID>@<PERCENT>% (VERSION_ID: a number, an id or 4+ characters of it, or a tag), for example `mycli versions deploy 1a2b3c4d@100%`, or --version-tag TAG',
      });
    }
    // What is acted on is said before the picker asks anything.
    await sayTarget();
    split = await pickInteractively(ctx, versions, live);
    readFromLive = true; // picked beside the live deployment the picker showed
  } else {
    const chosen: { version: Version; percentage?: number }[] = [];
    for (const p of parsed) chosen.push({ version: await resolveVersion(backend, target, p.ref, { tagOnly: p.tagOnly }), percentage: p.percentage });
    // Resolved versions are whole (lists may lack bindings): the preview reuses them.
    for (const c of chosen) byId.set(c.version.id, c.version);
    split = fillPercentages(chosen, live?.versions);
    // A version the user did not name (`5@10%` gives the rest to the live 100% version) was read
    // from the live deployment: the plan holds only over that deployment.
    readFromLive = split.some((v) => !chosen.some((c) => c.version.id === v.versionId));
  }
  validateSplit(split);
  if (split.length === 2 && !backend.capabilities.gradualDeployments) await ctx.backendWith('gradualDeployments');

  const s = ctx.out.err;
  const tj = await ctx.targetJson();
  if (live && sameSplit(live.versions, split)) {
    ctx.out.note(`${describeSplit(split, byId)} is already the live deployment of Worker ${target.worker}; nothing to do`);
    ctx.out.document({ ...tj, dryRun: Boolean(o.dryRun), changed: false, deployment: deploymentJson(live), secretsChanged: [] });
    return;
  }
  await sayTarget();
  const preview = await buildPreview(backend, target, live, split, byId);
  const missingSecrets = await checkRequiredSecrets(ctx, preview.target.map((t) => t.version), { force: o.forceMissingSecrets, doing: 'the deployment' });
  ctx.out.note(`${s.bold('now:')} ${live ? describeSplit(live.versions, byId) : 'nothing deployed'}`);
  ctx.out.note(`${s.bold('new:')} ${describeSplit(split, byId)}`);
  printChanges(ctx, preview);
  if (o.dryRun) {
    ctx.out.note('dry run: nothing was deployed');
    ctx.out.document({ ...tj, dryRun: true, changed: false, deployment: { versions: split }, preview: previewJson(preview), missingSecrets });
    return;
  }
  await ctx.confirm(`Deploy ${describeSplit(split, byId)} on ${await ctx.where()}?`, 'deploying');
  const { deployment, secretsChanged } = await deployConfirmingSecrets(ctx, backend, target, {
    versions: split,
    message: o.message,
    kind: 'deploy',
    // Confirmed at a prompt, or planned from the live deployment: commit only over the deployment
    // that was read (exit 5 otherwise). `--yes` with every version named: the user's split, as given.
    expectLive: ctx.globals.yes && !readFromLive ? undefined : (live?.id ?? null),
  }, preview.changedSecrets);
  ctx.out.success(`deployed ${describeSplit(deployment.versions, byId)} ${s.dim(`(deployment ${deployment.id})`)}`);
  ctx.out.document({ ...tj, dryRun: false, changed: true, deployment: deploymentJson(deployment), secretsChanged, preview: previewJson(preview), missingSecrets });
};

/** `--version-id A B --percentage 90 10` -> `A@90%`, `B@10%` (wrangler's flags, paired in order). */
export function flagSpecs(ids: string[] = [], percentages: string[] = []): string[] {
  if (percentages.length > ids.length) {
    throw new UsageError(`${percentages.length} --percentage values for ${ids.length} --version-id`, { hint: 'give one --version-id per --percentage, in the same order' });
  }
  // No percentage: a trailing `@` ends the reference, so a tag such as `build@7` is not read as 7%.
  return ids.map((id, i) => (percentages[i] === undefined ? `${id}@` : `${id}@${percentages[i]!.replace(/%$/, '')}%`));
}

/**
 * One version below 100%: the rest goes to the version serving 100% now. Two versions, one
 * without a percentage: it gets the rest.
 */
export function fillPercentages(
  chosen: { version: Version; percentage?: number }[],
  live: DeploymentVersion[] | undefined,
): DeploymentVersion[] {
  if (chosen.length === 1) {
    const [c] = chosen;
    const percentage = c.percentage ?? 100;
    if (percentage === 100) return [{ versionId: c.version.id, percentage: 100 }];
    const current = stableVersionOf(live && { versions: live });
    if (!current) {
      throw new UsageError(`version ${c.version.id} at ${percentage}% needs a second version for the other ${restOf(percentage)}%`, {
        hint: 'no single version serves 100% now; name both, e.g. `versions deploy A@90% B@10%`',
      });
    }
    if (current === c.version.id) {
      throw new UsageError(`version ${c.version.id} already serves 100%; it cannot also take the other ${restOf(percentage)}%`, {
        hint: 'name the version that should get the rest, e.g. `versions deploy NEW@10% ' + c.version.id.slice(0, 8) + '@90%`',
      });
    }
    return splitAt(c.version.id, current, percentage);
  }
  const [a, b] = chosen;
  // As wrangler's positional form: versions without a percentage share what the others leave.
  if (a.percentage === undefined && b.percentage === undefined) {
    return [
      { versionId: a.version.id, percentage: 50 },
      { versionId: b.version.id, percentage: 50 },
    ];
  }
  const pa = a.percentage ?? restOf(b.percentage!);
  const pb = b.percentage ?? restOf(a.percentage!);
  return [
    { versionId: a.version.id, percentage: pa },
    { versionId: b.version.id, percentage: pb },
  ];
}
