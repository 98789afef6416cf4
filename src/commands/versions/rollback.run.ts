/**
 * mycli versions rollback [<ID>] (and `mycli rollback`): deploy an older version at 100% as it
 * was. Default target: the newest earlier deployment that served one version at 100%. Shows
 * what changes (vars, secret names) before confirming; changed secrets need confirmation or --yes.
 */
import { SUMMARY } from '../summary.js';
import type { RunOf } from '../../cli/define-command.js';
import type { command } from './rollback.js';
import type { Version } from '../../backends/types.js';
import { NotFoundError, SecretsChangedError } from '../../errors.js';
import { resolveVersion } from './refs.js';
import { oneLine } from '../../cli/format.js';
import { deployConfirmingSecrets, deploymentJson } from './apply.js';
import { arrowText, buildPreview, previewJson, printChanges } from './preview.js';
import { defaultRollbackTarget, stableVersionOf } from '../../domain/deployments.js';
import { diffVersions } from '../../domain/versions.js';
import { checkRequiredSecrets } from './required.js';

/** `versions rollback`, and the same command at the top level as `rollback`. */


export const run: RunOf<ReturnType<typeof command>> = async (ctx, [id], opts) => {
  const o = { id, ...opts };
  const backend = await ctx.backendWith('versions', 'rollback');
  const target = await ctx.target();
  const deployments = await backend.listDeployments(target);
  const live = deployments[0];
  let version: Version;
  if (o.id) {
    version = await resolveVersion(backend, target, o.id);
  } else {
    const id = defaultRollbackTarget(deployments);
    if (!id) {
      throw new NotFoundError(`Worker "${target.worker}" has no earlier deployment of a single version to roll back to`, {
        hint: 'name the version: `mycli versions rollback <VERSION_ID>` (see `mycli versions list`)',
      });
    }
    version = await backend.getVersion(target, id);
  }
  const tj = await ctx.targetJson();
  if (stableVersionOf(live) === version.id) {
    ctx.out.note(`version ${version.number} (${version.id}) already serves 100% of Worker ${target.worker}; nothing to do`);
    ctx.out.document({ ...tj, versionId: version.id, deployment: deploymentJson(live), changed: false, secretsChanged: [] });
    return;
  }
  if (o.dryRun) ctx.out.note(`Dry run of a rollback on ${await ctx.where()}`);
  else await ctx.announce('Rolling back');
  // The whole live split → the target, and what changes against each live version.
  const preview = await buildPreview(backend, target, live, [{ versionId: version.id, percentage: 100 }], new Map([[version.id, version]]));
  const current = preview.newestLive;
  const s = ctx.out.err;
  ctx.out.note(
    `${s.bold('Rollback')} of Worker ${s.bold(target.worker)}: ${arrowText(preview)} ${s.dim(`(${version.id})`)}` +
      (version.message ? ` "${oneLine(version.message)}"` : ''),
  );
  printChanges(ctx, preview);
  const missingSecrets = await checkRequiredSecrets(ctx, [version], { force: o.forceMissingSecrets, doing: 'the rollback' });
  ctx.out.note(s.dim('  bound data (KV, D1, R2, Durable Objects, ...) is not rolled back; only code, vars and secrets are'));

  const changedSecrets = preview.changedSecrets;
  if (o.dryRun) {
    // The same preview as deploy --dry-run: nothing asked, nothing deployed.
    ctx.out.note('dry run: nothing was deployed');
    ctx.out.document({ ...tj, dryRun: true, versionId: version.id, changed: false, deployment: { versions: [{ versionId: version.id, percentage: 100 }] }, secretsChanged: changedSecrets, preview: previewJson(preview) });
    return;
  }
  const refusal =
    current && `the secrets of version ${version.number} differ from the live version ${current.number}'s: ${changedSecrets.join(', ')}`;
  // Not interactive and no --yes: a rollback that would change secrets is refused as such (exit 5,
  // naming them), like the API's 10220, rather than as a missing confirmation.
  if (changedSecrets.length && !ctx.globals.yes && !ctx.interactive) {
    throw new SecretsChangedError(changedSecrets, refusal, { hint: 'pass --yes to roll back anyway; the secrets will return to the values of that version' });
  }
  await ctx.confirm(`Roll back to version ${version.number} on ${await ctx.where()}?`, 'rolling back');
  const { deployment, secretsChanged } = await deployConfirmingSecrets(ctx, backend, target, {
    versions: [{ versionId: version.id, percentage: 100 }],
    message: o.message ?? `Rollback to version ${version.number}`,
    kind: 'rollback',
    // Confirmed at a prompt, or no version named (the target, "the previous one", was read from
    // the live deployment's history): commit only over the deployment that was read (exit 5
    // otherwise), so a rollback never undoes a deployment made since. `--yes` with a version
    // named: that version at 100%, as asked.
    expectLive: ctx.globals.yes && o.id ? undefined : (live?.id ?? null),
  }, changedSecrets, refusal);
  ctx.out.success(`version ${version.number} ${s.dim(`(${version.id})`)} now serves 100% of Worker ${target.worker}`);
  const diff = current ? diffVersions(current, version) : diffVersions(undefined, version);
  ctx.out.document({ ...tj, versionId: version.id, deployment: deploymentJson(deployment), changed: true, diff, secretsChanged, preview: previewJson(preview), missingSecrets });
};
