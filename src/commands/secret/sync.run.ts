/**
 * mycli secret sync <FILE|->: make the Worker's secrets equal to a JSON or .env file in one
 * version, after showing the plan by name (added, changed, unchanged, removed; `set` where the
 * backend cannot compare values). Names not in the file are left alone unless --prune.
 * --dry-run prints the plan; with --exit-code it exits 6 when changes are pending (CI drift
 * checks, as `terraform plan -detailed-exitcode`).
 */
import type { RunOf } from '../../cli/define-command.js';
import type { command } from './sync.js';
import type { Context } from '../../cli/context.js';
import { shellWord } from '../../cli/hint.js';
import { ChangesPendingError, UsageError } from '../../errors.js';
import { assertSecretValues } from '../../backends/limits.js';
import { inSync, syncPlan, syncWrites, type Comparison, type SyncPlan } from '../../domain/secrets.js';
import { changeJson, changeSummary, reportWorkerCreated } from './report.js';
import { readSecretsFile } from './secrets-file.js';
import { confirmRequiredRemoval } from '../versions/required.js';

/** The plan as JSON: names only. */
export function planJson(plan: SyncPlan): Record<string, unknown> {
  return {
    added: plan.added,
    changed: plan.changed,
    unchanged: plan.unchanged,
    set: plan.set,
    removed: plan.removed,
    leftAlone: plan.leftAlone,
    compared: plan.setReason === undefined,
    ...(plan.setReason !== undefined ? { notComparedBecause: plan.setReason } : {}),
  };
}

/** "2 to add, 1 to change, 1 to remove" (or, once done, "2 added, 1 changed, 1 removed"); only the kinds present. */
function planCounts(plan: SyncPlan, done = false): string {
  const kinds = [
    [plan.added, 'add', 'added'],
    [plan.changed, 'change', 'changed'],
    [plan.set, 'set', 'set'],
    [plan.removed, 'remove', 'removed'],
  ] as const;
  const parts = kinds.filter(([names]) => names.length).map(([names, todo, past]) => `${names.length} ${done ? past : `to ${todo}`}`);
  return parts.join(', ') || 'nothing to change';
}

function printPlan(ctx: Context, plan: SyncPlan): void {
  const s = ctx.out.err;
  const line = (mark: string, name: string, what: string) => ctx.out.note(`  ${mark} ${name} ${s.dim(what)}`);
  for (const n of plan.added) line(s.green('+'), n, 'added');
  for (const n of plan.changed) line(s.yellow('~'), n, 'changed');
  for (const n of plan.set) line(s.yellow('='), n, 'set (written again: not compared)');
  for (const n of plan.removed) line(s.red('-'), n, 'removed');
  for (const n of plan.unchanged) line(s.dim('·'), n, 'unchanged');
  for (const n of plan.leftAlone) line(s.dim('·'), n, 'left alone (not in the file; --prune deletes it)');
  if (plan.set.length) ctx.out.note(s.dim(`  set: ${plan.setReason}`));
}

export const run: RunOf<typeof command> = async (ctx, [file], opts) => {
  const o = { file, ...opts };
  if (o.exitCode && !o.dryRun) {
    throw new UsageError('--exit-code goes with --dry-run', { hint: `for a drift check run \`${ctx.command(`secret sync ${shellWord(o.file)} --dry-run --exit-code`)}\`` });
  }
  const { values, source } = await readSecretsFile(ctx, o.file, { command: 'secret sync', allowEmpty: o.allowEmpty });
  const backend = await ctx.backendWith('secrets', ...(o.deploy ? [] : (['versionedSecrets'] as const)));
  assertSecretValues(backend, values);
  if (!o.dryRun) backend.prepareWrite?.();
  const target = await ctx.target();

  const current = (await backend.listSecrets(target)).map((x) => x.name);
  const both = Object.keys(values).filter((n) => current.includes(n));
  let comparison: Comparison;
  if (!both.length) comparison = { compared: true, differing: [] };
  else if (backend.differentSecrets) {
    comparison = { compared: true, differing: await backend.differentSecrets(target, Object.fromEntries(both.map((n) => [n, values[n]]))) };
  } else {
    comparison = { compared: false, reason: `the ${backend.name} backend cannot tell whether a stored value differs (it never returns values), so names on both sides are written again` };
  }
  const plan = syncPlan(current, Object.keys(values), comparison, Boolean(o.prune));
  const tj = await ctx.targetJson();
  const base = { ...tj, source, dryRun: Boolean(o.dryRun), plan: planJson(plan) };

  ctx.out.note(`${o.dryRun ? 'Dry run of a' : 'Plan of the'} secret sync from ${source} on ${await ctx.where()}:`);
  printPlan(ctx, plan);
  if (inSync(plan)) {
    ctx.out.success(`already in sync: the Worker's secrets match ${source}; nothing was written`);
    ctx.out.document({ ...base, inSync: true, changes: [], versionId: null, version: null, deployed: false, deployment: null });
    return;
  }
  if (o.dryRun) {
    ctx.out.note(`dry run: ${planCounts(plan)}; nothing was changed`);
    ctx.out.document({ ...base, inSync: false, changes: [], versionId: null, version: null, deployed: false, deployment: null });
    if (o.exitCode) {
      throw new ChangesPendingError(`changes pending: ${planCounts(plan)}`, { hint: `apply them with \`${ctx.command(`secret sync ${shellWord(o.file)}${o.prune ? ' --prune' : ''}`)}\`` });
    }
    return;
  }

  const { put, remove } = syncWrites(plan);
  await ctx.announce(`Syncing ${put.length + remove.length} secret${put.length + remove.length === 1 ? '' : 's'} from ${source}`);
  if (remove.length) {
    const what = `secret${remove.length === 1 ? '' : 's'} ${remove.join(', ')}`;
    await ctx.confirm(`Delete ${what} (not in ${source}) from ${await ctx.where()}?`, `deleting ${what}`);
    await confirmRequiredRemoval(ctx, remove, o.forceMissingSecrets);
  }
  const patch: Record<string, string | null> = {};
  for (const n of put) patch[n] = values[n];
  for (const n of remove) patch[n] = null;
  const result = await backend.updateSecrets(target, patch, { deploy: o.deploy, message: o.message });
  reportWorkerCreated(ctx, target, result, backend.name);
  ctx.out.success(`synced ${source}: ${planCounts(plan, true)}${result.version ? `: ${changeSummary(ctx, result)}` : ''}`);
  ctx.out.document({ ...base, inSync: false, changes: result.changes, ...changeJson(result) });
};
