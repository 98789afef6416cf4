/**
 * mycli versions rollback [<ID>] (and `mycli rollback`): deploy an older version at 100% as it
 * was. Default target: the newest earlier deployment that served one version at 100%. Shows
 * what changes (vars, secret names) before confirming; changed secrets need confirmation or --yes.
 */
import { SUMMARY } from '../index.js';
import type { Command } from 'commander';
import type { App } from '../../cli/program.js';
import type { Context } from '../../cli/context.js';
import type { Binding, Deployment, Version } from '../../backends/types.js';
import { NotFoundError, SecretsChangedError } from '../../errors.js';
import { resolveVersion } from './refs.js';
import { deployConfirmingSecrets, deploymentJson } from './apply.js';

export function register(parent: Command, app: App, name: string): void {
  parent
    .command(name)
    .description(SUMMARY.rollback)
    .argument('[ID]', 'version id (or a unique prefix) to roll back to')
    .option('-m, --message <text>', 'why you are rolling back (recorded on the deployment)')
    .action(app.action(async (ctx, id: string | undefined, opts: { message?: string }) => run(ctx, { id, message: opts.message })));
}

/** The newest earlier deployment that served one version at 100%, other than the live one. */
export function defaultRollbackTarget(deployments: Deployment[]): string | undefined {
  const [live, ...earlier] = deployments;
  if (!live) return undefined;
  const liveSingle = live.versions.length === 1 ? live.versions[0].versionId : undefined;
  for (const d of earlier) {
    if (d.versions.length === 1 && d.versions[0].percentage === 100 && d.versions[0].versionId !== liveSingle) {
      return d.versions[0].versionId;
    }
  }
  return undefined;
}

export interface RollbackDiff {
  vars: { name: string; change: 'added' | 'removed' | 'changed' }[];
  secrets: { name: string; change: 'added' | 'removed' }[];
}

/** What deploying `to` instead of `from` changes: var names and secret names (values never). */
export function diffVersions(from: Version | undefined, to: Version): RollbackDiff {
  const isVar = (b: Binding) => b.type === 'plain_text' || b.type === 'json';
  const varValue = (b: Binding) => JSON.stringify(b.type === 'plain_text' ? (b as { text: unknown }).text : (b as { json: unknown }).json);
  const fromVars = new Map((from?.bindings ?? []).filter(isVar).map((b) => [b.name, varValue(b)]));
  const toVars = new Map(to.bindings.filter(isVar).map((b) => [b.name, varValue(b)]));
  const vars: RollbackDiff['vars'] = [];
  for (const [n, v] of toVars) {
    if (!fromVars.has(n)) vars.push({ name: n, change: 'added' });
    else if (fromVars.get(n) !== v) vars.push({ name: n, change: 'changed' });
  }
  for (const n of fromVars.keys()) if (!toVars.has(n)) vars.push({ name: n, change: 'removed' });
  const fromSecrets = new Set((from?.bindings ?? []).filter((b) => b.type === 'secret_text').map((b) => b.name));
  const toSecrets = new Set(to.bindings.filter((b) => b.type === 'secret_text').map((b) => b.name));
  const secrets: RollbackDiff['secrets'] = [];
  for (const n of toSecrets) if (!fromSecrets.has(n)) secrets.push({ name: n, change: 'added' });
  for (const n of fromSecrets) if (!toSecrets.has(n)) secrets.push({ name: n, change: 'removed' });
  return { vars, secrets };
}

export async function run(ctx: Context, o: { id?: string; message?: string }): Promise<void> {
  const backend = await ctx.backendWith('versions', 'rollback');
  const target = await ctx.target();
  const deployments = await backend.listDeployments!(target);
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
    version = await backend.getVersion!(target, id);
  }
  const tj = await ctx.targetJson();
  if (live && live.versions.length === 1 && live.versions[0].versionId === version.id) {
    ctx.out.note(`version ${version.number} (${version.id}) already serves 100% of Worker ${target.worker}; nothing to do`);
    ctx.out.document({ ...tj, versionId: version.id, deployment: deploymentJson(live), changed: false, secretsChanged: [] });
    return;
  }
  // Compare with the newest version that serves traffic now.
  const liveVersions = await Promise.all((live?.versions ?? []).map((v) => backend.getVersion!(target, v.versionId)));
  const current = liveVersions.reduce<Version | undefined>((a, v) => (!a || v.number > a.number ? v : a), undefined);
  const diff = diffVersions(current, version);
  // Secrets whose values differ, when the backend can tell without deploying.
  const valueChanged = backend.changedSecrets ? await backend.changedSecrets(target, version.id) : [];

  const s = ctx.out.err;
  ctx.out.note(
    `${s.bold('Rollback')} of Worker ${s.bold(target.worker)}: ${current ? `version ${current.number} → ` : ''}version ${version.number} ${s.dim(`(${version.id})`)}` +
      (version.message ? ` "${version.message}"` : ''),
  );
  if (diff.vars.length) ctx.out.note(`  vars that change: ${diff.vars.map((v) => `${v.name} (${v.change})`).join(', ')}`);
  if (diff.secrets.length) {
    ctx.out.note(`  secrets that change: ${diff.secrets.map((v) => `${v.name} (${v.change === 'added' ? 'comes back' : 'goes away'})`).join(', ')}`);
  }
  const onlyValues = valueChanged.filter((n) => !diff.secrets.some((d) => d.name === n));
  if (onlyValues.length) ctx.out.note(`  secrets whose values change: ${onlyValues.join(', ')} (back to version ${version.number}'s values)`);
  if (!diff.vars.length && !diff.secrets.length && !onlyValues.length) ctx.out.note('  vars and secrets: unchanged');
  ctx.out.note(s.dim('  bound data (KV, D1, R2, Durable Objects, ...) is not rolled back; only code, vars and secrets are'));

  const changedSecrets = [...new Set([...diff.secrets.map((d) => d.name), ...valueChanged])].sort();
  const refusal =
    current && `the secrets of version ${version.number} differ from the live version ${current.number}'s: ${changedSecrets.join(', ')}`;
  // Not interactive and no --yes: a rollback that would change secrets is refused as such (exit 5,
  // naming them), like the API's 10220, rather than as a missing confirmation.
  if (changedSecrets.length && !ctx.globals.yes && !ctx.interactive) {
    throw new SecretsChangedError(changedSecrets, refusal, { hint: 'pass --yes to roll back anyway; the secrets will return to the values of that version' });
  }
  await ctx.confirm(`Roll back Worker ${target.worker} to version ${version.number}?`, 'rolling back');
  await ctx.announce('Rolling back');
  const { deployment, secretsChanged } = await deployConfirmingSecrets(ctx, backend, target, {
    versions: [{ versionId: version.id, percentage: 100 }],
    message: o.message ?? `Rollback to version ${version.number}`,
    kind: 'rollback',
  }, changedSecrets, refusal);
  ctx.out.success(`version ${version.number} ${s.dim(`(${version.id})`)} now serves 100% of Worker ${target.worker}`);
  ctx.out.document({ ...tj, versionId: version.id, deployment: deploymentJson(deployment), changed: true, diff, secretsChanged });
}
