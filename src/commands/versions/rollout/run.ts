/**
 * mycli versions rollout <VERSION>: deploy VERSION in steps against the stable version, wait
 * and run health gates after each step, and roll back (or hold) when a gate fails or the run is
 * interrupted. Guarded (the live deployment must be the one the rollout made last) and
 * resumable (each step's deployment message names the rollout).
 */
import type { Context } from '../../../cli/context.js';
import type { Deployment, DeploymentVersion, Target, Version } from '../../../backends/types.js';
import type { BackendWith } from '../../../backends/capabilities.js';
import { CancelledError, ConflictError, MycliError, NotFoundError, OperationError, SecretsChangedError, UsageError, isMycliError } from '../../../errors.js';
import { bar, pct } from '../../../cli/format.js';
import { splitAt } from '../../../domain/deployments.js';
import { resolveVersion } from '../refs.js';
import { deployConfirmingSecrets, describeSplit } from '../apply.js';
import { diffVersions } from '../../../domain/versions.js';
import { decideStart, endMessage, formatDuration, newRolloutId, parseDuration, parseSteps, stepMessage } from './plan.js';
import { cleanOutput, lastLines, runCheckCommand, runCheckUrl, type GateContext, type GateResult } from './gates.js';
import type { RolloutDeps, StopSignal } from './deps.js';

export interface RolloutFlags {
  version: string;
  steps?: string;
  wait?: string;
  check?: string;
  checkUrl?: string;
  checkSamples?: string;
  checkTimeout?: string;
  onFail?: string;
  message?: string;
  dryRun?: boolean;
  /** --check-env NAME[,NAME]: credentials a --check gets on purpose. */
  checkEnv?: string;
}

export interface RolloutOptions {
  version: string;
  steps: number[];
  waitMs: number;
  check?: string;
  checkUrl?: string;
  checkSamples: number;
  checkTimeoutMs: number;
  onFail: 'rollback' | 'hold';
  message?: string;
  dryRun: boolean;
  checkEnv: string[];
}

export const DEFAULTS = { steps: '10,50,100', wait: '1m', checkSamples: '5', checkTimeout: '30s', onFail: 'rollback' } as const;

/** Flags -> options; every mistake is exit 2 before anything is read or changed. */
export function parseFlags(f: RolloutFlags): RolloutOptions {
  const samplesText = f.checkSamples ?? DEFAULTS.checkSamples;
  if (!/^\d+$/.test(samplesText) || Number(samplesText) < 1 || Number(samplesText) > 1000) {
    throw new UsageError(`--check-samples "${samplesText}" is not a number from 1 to 1000`, { hint: 'e.g. --check-samples 5' });
  }
  const onFail = f.onFail ?? DEFAULTS.onFail;
  if (onFail !== 'rollback' && onFail !== 'hold') {
    throw new UsageError(`--on-fail "${onFail}" is not rollback or hold`, { hint: '--on-fail rollback deploys the stable version at 100% again; --on-fail hold leaves the split as it is' });
  }
  if (f.checkUrl !== undefined) {
    let u: URL | undefined;
    try {
      u = new URL(f.checkUrl);
    } catch {
      u = undefined;
    }
    if (!u || (u.protocol !== 'http:' && u.protocol !== 'https:')) {
      throw new UsageError(`--check-url "${f.checkUrl}" is not an http(s) URL`, { hint: 'e.g. --check-url https://example.com/health' });
    }
  }
  if (f.check !== undefined && f.check.trim() === '') throw new UsageError('--check is empty', { hint: "give a shell command, e.g. --check './smoke-test.sh'" });
  const checkTimeoutMs = parseDuration(f.checkTimeout ?? DEFAULTS.checkTimeout, '--check-timeout');
  if (checkTimeoutMs <= 0) throw new UsageError('--check-timeout must be more than 0', { hint: 'e.g. --check-timeout 30s' });
  return {
    version: f.version,
    steps: parseSteps(f.steps ?? DEFAULTS.steps),
    waitMs: parseDuration(f.wait ?? DEFAULTS.wait, '--wait'),
    check: f.check,
    checkUrl: f.checkUrl,
    checkSamples: Number(samplesText),
    checkTimeoutMs,
    onFail,
    message: f.message,
    dryRun: Boolean(f.dryRun),
    checkEnv: parseCheckEnv(f.checkEnv),
  };
}

/** `--check-env A,B` -> [A, B]; each an environment variable name (exit 2 otherwise). */
function parseCheckEnv(given: string | undefined): string[] {
  const names = (given ?? '').split(',').map((n) => n.trim()).filter((n) => n !== '');
  for (const n of names) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(n)) throw new UsageError(`--check-env "${n}" is not an environment variable name`, { hint: 'e.g. --check-env CLOUDFLARE_API_TOKEN' });
  }
  return names;
}

export type Outcome = 'completed' | 'rolled_back' | 'held' | 'changed' | 'interrupted';

interface StepRecord {
  step: number;
  of: number;
  percent: number;
  deploymentId: string | null;
  startedOn: string | null;
  gates: { kind: string; ok: boolean; detail: string }[];
}

/** An error that carries the rollout's JSON document (printed as one document with the error). */
function withDocument<E extends MycliError>(e: E, document: Record<string, unknown>): E {
  (e as unknown as { document: Record<string, unknown> }).document = document;
  return e;
}

export async function run(ctx: Context, flags: RolloutFlags, deps: RolloutDeps): Promise<void> {
  const o = parseFlags(flags);
  const backend = await ctx.backendWith('versions');
  if (o.steps.some((p) => p < 100)) await ctx.backendWith('versions', 'gradualDeployments');
  const target = await ctx.target();
  let version: Version;
  try {
    version = await resolveVersion(backend, target, o.version);
  } catch (e) {
    // An unknown version is a bad argument of this command (exit 2), as the issue documents.
    if (e instanceof NotFoundError) throw new UsageError(e.message, { hint: e.hint ?? 'see the versions with `mycli versions list`' });
    throw e;
  }
  const deployments = await backend.listDeployments(target);
  const start = decideStart(deployments, version.id);
  const tj = await ctx.targetJson();
  const s = ctx.out.err;
  if (start.kind === 'refused') throw new UsageError(start.reason, { hint: start.hint });
  if (start.kind === 'already') {
    ctx.out.note(`version ${version.number} (${version.id}) already serves 100% of Worker ${target.worker}; nothing to roll out`);
    ctx.out.document({ ...tj, version: version.id, stable: version.id, rolloutId: null, outcome: 'completed', dryRun: o.dryRun, steps: [] });
    return;
  }
  const stable = await backend.getVersion(target, start.stable);
  const byId = new Map([
    [version.id, version],
    [stable.id, stable],
  ]);

  // The steps this run makes: a fresh rollout all of them; a resumed one re-checks the live step
  // (its wait and gates may not have finished) and goes on with the higher ones, never lower.
  interface Planned {
    step: number;
    of: number;
    percent: number;
    existing?: Deployment;
  }
  let rolloutId: string;
  let planned: Planned[];
  let lastCreated: Deployment;
  if (start.kind === 'fresh') {
    rolloutId = newRolloutId(deps.randomId);
    planned = o.steps.map((percent, i) => ({ step: i + 1, of: o.steps.length, percent }));
    lastCreated = start.from;
  } else {
    const r = start.rollout;
    rolloutId = r.id;
    const higher = o.steps.filter((p) => p > r.liveTag.percent);
    const of = r.liveTag.step + higher.length;
    planned = [{ step: r.liveTag.step, of, percent: r.liveTag.percent, existing: r.live }, ...higher.map((percent, i) => ({ step: r.liveTag.step + 1 + i, of, percent }))];
    lastCreated = r.live;
  }

  // What it acts on (Worker · env · backend), then the plan, before any prompt or change.
  await ctx.announce(start.kind === 'resume' ? 'Continuing rollout' : 'Rolling out');
  const where = await ctx.where();
  const diff = diffVersions(stable, version);
  const gatesText: string[] = [];
  if (o.check) gatesText.push(`\`${o.check}\` must exit 0 within ${formatDuration(o.checkTimeoutMs)}`);
  if (o.checkUrl) gatesText.push(`${o.checkSamples} GET${o.checkSamples === 1 ? '' : 's'} of ${o.checkUrl} with the version override must answer 2xx (${formatDuration(o.checkTimeoutMs)} each)`);
  ctx.out.note(
    `${s.bold('Rollout')} ${rolloutId} of Worker ${s.bold(target.worker)}: version ${version.number} ${s.dim(`(${version.id})`)} replaces stable version ${stable.number} ${s.dim(`(${stable.id})`)}`,
  );
  if (start.kind === 'resume') {
    ctx.out.note(`  resuming at step ${start.rollout.liveTag.step}/${start.rollout.liveTag.of} (${pct(start.rollout.liveTag.percent)}), live since ${start.rollout.live.createdOn}`);
  }
  ctx.out.note(`  steps: ${planned.map((p) => `${pct(p.percent)}${p.existing ? ' (live)' : ''}`).join(' → ')}`);
  ctx.out.note(`  after each step: wait ${formatDuration(o.waitMs)}, then ${gatesText.length ? 'the gates' : 'go on (no gates given)'}`);
  for (const g of gatesText) ctx.out.note(`  gate: ${g}`);
  ctx.out.note(`  if a gate fails or the rollout is interrupted: ${o.onFail === 'rollback' ? `deploy version ${stable.number} at 100% again` : 'hold the split as it is'}`);
  if (diff.vars.length) ctx.out.note(`  vars that change: ${diff.vars.map((v) => `${v.name} (${v.change})`).join(', ')}`);
  if (diff.secrets.length) ctx.out.note(`  secrets that change: ${diff.secrets.map((v) => `${v.name} (${v.change})`).join(', ')}`);
  if (diff.secretsStore?.length) ctx.out.note(`  Secrets Store bindings that change: ${diff.secretsStore.map((v) => `${v.name} (${v.change})`).join(', ')}`);
  // Secrets whose values differ from the stable version's, when the backend can tell (its
  // answer compares with the live version, which is the stable one before the first step).
  const valuesChanged =
    start.kind === 'fresh' && backend.changedSecrets
      ? (await backend.changedSecrets(target, version.id).catch(() => [] as string[])).filter((n) => !diff.secrets.some((d) => d.name === n))
      : [];
  if (valuesChanged.length) ctx.out.note(`  secrets whose values change: ${valuesChanged.join(', ')}`);
  if (!diff.vars.length && !diff.secrets.length && !diff.secretsStore?.length && !valuesChanged.length) ctx.out.note('  vars and secrets: unchanged');

  const planJson = planned.map((p) => ({ step: p.step, of: p.of, percent: p.percent }));
  if (o.dryRun) {
    ctx.out.note('dry run: nothing was deployed');
    ctx.out.document({ ...tj, version: version.id, stable: stable.id, rolloutId, outcome: null, dryRun: true, plan: planJson, diff: { ...diff, secretValuesChanged: valuesChanged }, steps: [] });
    return;
  }
  await ctx.confirm(
    start.kind === 'resume'
      ? `Continue rollout ${rolloutId} of version ${version.number} on ${where}?`
      : `Start rolling out version ${version.number} on ${where}?`,
    start.kind === 'resume' ? 'continuing a rollout' : 'starting a rollout',
  );

  const steps: StepRecord[] = [];
  const doc = (outcome: Outcome, extra: Record<string, unknown> = {}) => ({
    ...tj,
    version: version.id,
    stable: stable.id,
    rolloutId,
    outcome,
    dryRun: false,
    steps,
    ...extra,
  });

  // Ctrl-C / SIGTERM: stop the wait or gate at once, then roll back or hold. Handlers stay in
  // place until the end, so that a second signal cannot kill a rollback half-way.
  const stop = new AbortController();
  let interrupted: StopSignal | undefined;
  const unsubscribe = deps.signals.subscribe((sig) => {
    if (interrupted) {
      ctx.out.note(s.yellow(`${sig} again: finishing what was started (${o.onFail === 'rollback' ? 'the rollback' : 'the hold'}); please wait`));
      return;
    }
    interrupted = sig;
    stop.abort();
  });

  const guard = async (before: string): Promise<void> => {
    const live = (await backend.listDeployments(target))[0];
    if (live?.id === lastCreated.id) return;
    const what = live
      ? `deployment ${live.id} (${describeSplit(live.versions, byId)}${live.message ? `, "${live.message}"` : ''}${live.author ? `, by ${live.author}` : ''}, ${live.createdOn})`
      : 'no deployment';
    throw withDocument(
      new ConflictError(`the live deployment changed under rollout ${rolloutId}: expected deployment ${lastCreated.id}, found ${what}; stopped ${before} without touching it`, {
        hint: `see \`mycli deployments list\`; start again with \`mycli versions rollout ${version.id.slice(0, 8)}\` once one version serves 100%`,
      }),
      doc('changed'),
    );
  };

  const deployStable = async (why: 'rolled back'): Promise<Deployment> => {
    const input = { versions: [{ versionId: stable.id, percentage: 100 }], message: endMessage(rolloutId, why, o.message), kind: 'rollback' as const, expectLive: lastCreated.id };
    return deployRestoring(backend, target, input).catch(changedUnder('before rolling back'));
  };

  // A deploy refused by its compare-and-set (exit 5): the guard reads what is live now and stops
  // the rollout as "changed"; any other refusal goes on as it was.
  const changedUnder = (before: string) => async (e: unknown): Promise<never> => {
    if (isMycliError(e) && e.code === 'conflict') await guard(before);
    throw e;
  };

  try {
    for (const p of planned) {
      const record: StepRecord = { step: p.step, of: p.of, percent: p.percent, deploymentId: null, startedOn: null, gates: [] };
      if (interrupted) break;
      if (p.existing) {
        record.deploymentId = p.existing.id;
        record.startedOn = p.existing.createdOn;
        steps.push(record);
        ctx.out.note(`step ${p.step}/${p.of}: ${describeSplit(p.existing.versions, byId)} is live ${s.dim(`(deployment ${p.existing.id})`)}`);
      } else {
        await guard(`before step ${p.step}/${p.of}`);
        const split: DeploymentVersion[] = splitAt(version.id, stable.id, p.percent);
        // expectLive: the guard is part of the commit — a step delayed after the guard's read
        // never lands over a deployment made meanwhile (issue 16 item 3).
        const { deployment } = await deployConfirmingSecrets(ctx, backend, target, {
          versions: split,
          message: stepMessage(rolloutId, p.step, p.of, p.percent, o.message),
          kind: 'deploy',
          expectLive: lastCreated.id,
        }).catch(changedUnder(`at step ${p.step}/${p.of}`));
        lastCreated = deployment;
        record.deploymentId = deployment.id;
        record.startedOn = deployment.createdOn;
        steps.push(record);
        ctx.out.success(`step ${p.step}/${p.of}: ${describeSplit(deployment.versions, byId)} ${s.dim(`(deployment ${deployment.id})`)}`);
      }
      if (interrupted) break;
      await waitWithProgress(ctx, deps, o.waitMs, stop.signal, `step ${p.step}/${p.of} (${pct(p.percent)})`);
      if (interrupted) break;
      const gctx: GateContext = {
        worker: target.worker,
        version: version.id,
        stable: stable.id,
        percent: p.percent,
        clock: deps.clock,
        signal: stop.signal,
        timeoutMs: o.checkTimeoutMs,
        passEnv: o.checkEnv,
      };
      let failed: GateResult | undefined;
      const gates: (() => Promise<GateResult>)[] = [];
      if (o.check) gates.push(() => runCheckCommand(o.check!, gctx, ctx.io.env, ctx.io.cwd));
      if (o.checkUrl) gates.push(() => runCheckUrl(o.checkUrl!, o.checkSamples, gctx, deps.fetch));
      for (const gate of gates) {
        const r = await gate();
        if (interrupted) break;
        record.gates.push({ kind: r.kind, ok: r.ok, detail: r.detail });
        if (r.ok) ctx.out.success(`gate ${r.kind} at ${pct(p.percent)}: ${r.detail}`);
        else {
          ctx.out.note(`${s.red('✗')} gate ${r.kind} at ${pct(p.percent)}: ${r.detail}`);
          failed = r;
          break;
        }
      }
      if (interrupted) break;
      if (failed) return await fail(failed, p);
    }
    if (interrupted) return await onInterrupt();
  } catch (e) {
    if (!isMycliError(e) || !('document' in e)) {
      const at = steps.at(-1);
      if (at) {
        ctx.out.note(
          s.yellow(`rollout ${rolloutId} stopped at step ${at.step}/${at.of} (${pct(at.percent)}); `) +
            `continue with \`mycli versions rollout ${version.id.slice(0, 8)}\`, or return to version ${stable.number} with \`mycli versions rollout abort\``,
        );
      }
    }
    throw e;
  } finally {
    unsubscribe();
  }

  ctx.out.success(`rollout ${rolloutId} completed: version ${version.number} ${s.dim(`(${version.id})`)} serves 100% of Worker ${target.worker}`);
  ctx.out.document(doc('completed'));
  return;

  async function fail(r: GateResult, p: Planned): Promise<never> {
    const tail = r.output ? lastLines(cleanOutput(r.output, ctx.io.env)) : '';
    const what = `gate ${r.kind} failed at step ${p.step}/${p.of} (${pct(p.percent)}): ${r.detail}`;
    const shown = tail ? `\n--- last lines of its output ---\n${tail}` : '';
    if (o.onFail === 'hold') {
      throw withDocument(
        new OperationError(`${what}; the split is held as it is${shown}`, { hint: holdHint() }),
        doc('held', { failure: { kind: r.kind, detail: r.detail, step: p.step, percent: p.percent } }),
      );
    }
    await guard('before rolling back');
    const d = await deployStable('rolled back');
    ctx.out.note(`${s.yellow('rolled back:')} version ${stable.number} ${s.dim(`(${stable.id})`)} serves 100% again ${s.dim(`(deployment ${d.id})`)}`);
    throw withDocument(
      new OperationError(`${what}; rolled back to version ${stable.number} at 100% (deployment ${d.id})${shown}`, {
        hint: `fix version ${version.number} (or its gate), upload it, and start a new rollout`,
      }),
      doc('rolled_back', { rollbackDeploymentId: d.id, failure: { kind: r.kind, detail: r.detail, step: p.step, percent: p.percent } }),
    );
  }

  async function onInterrupt(): Promise<never> {
    const at = steps.at(-1);
    const where = at ? ` at step ${at.step}/${at.of} (${pct(at.percent)})` : '';
    if (o.onFail === 'hold') {
      throw withDocument(new CancelledError(`rollout ${rolloutId} interrupted (${interrupted})${where}; the split is held as it is. ${holdHint()}`, interrupted), doc('interrupted', { rolledBack: false }));
    }
    await guard('before rolling back');
    const d = await deployStable('rolled back');
    ctx.out.note(`${s.yellow('rolled back:')} version ${stable.number} ${s.dim(`(${stable.id})`)} serves 100% again ${s.dim(`(deployment ${d.id})`)}`);
    throw withDocument(
      new CancelledError(`rollout ${rolloutId} interrupted (${interrupted})${where}; rolled back to version ${stable.number} at 100% (deployment ${d.id})`, interrupted),
      doc('interrupted', { rolledBack: true, rollbackDeploymentId: d.id }),
    );
  }

  function holdHint(): string {
    return `continue with \`mycli versions rollout ${version.id.slice(0, 8)}\` (it re-runs the gates of the live step, then goes on), or return to version ${stable.number} with \`mycli versions rollout abort\``;
  }
}

/**
 * Deploy the stable version at 100% again. It served 100% when the rollout started, and the
 * plan shown before it started said a failure returns to it: when the backend refuses because
 * its secrets differ from the newer version's (10220), deploy it with force at once — an
 * incident is no time for a prompt.
 */
export async function deployRestoring(
  backend: BackendWith<'versions'>,
  target: Target,
  input: { versions: DeploymentVersion[]; message: string; kind: 'rollback'; expectLive?: string | null },
): Promise<Deployment> {
  try {
    return await backend.deploy(target, { ...input, force: false });
  } catch (e) {
    if (!(e instanceof SecretsChangedError) && !(isMycliError(e) && e.code === 'secrets_changed')) throw e;
    return backend.deploy(target, { ...input, force: true });
  }
}

/** A countdown: a redrawn progress bar on a terminal; otherwise a line at the start and per minute. */
async function waitWithProgress(ctx: Context, deps: RolloutDeps, ms: number, signal: AbortSignal, label: string): Promise<void> {
  if (ms <= 0) return;
  const tty = ctx.io.stderrIsTTY;
  const start = deps.clock.now();
  const end = start + ms;
  const err = ctx.io.stderr;
  if (!tty) ctx.out.note(`waiting ${formatDuration(ms)} after ${label}`);
  let nextLine = start + 60_000;
  for (;;) {
    const now = deps.clock.now();
    const left = end - now;
    if (left <= 0 || signal.aborted) break;
    if (tty) {
      const done = Math.min(100, ((now - start) / ms) * 100);
      err.write(`\r\u001b[2K  ${bar(done, 24)} ${formatDuration(left)} left · ${label}`);
    } else if (now >= nextLine) {
      ctx.out.note(`  ${formatDuration(left)} left · ${label}`);
      nextLine += 60_000;
    }
    const tick = tty ? 1000 : Math.min(60_000, nextLine - now);
    await deps.clock.sleep(Math.max(1, Math.min(tick, left)), signal, 'wait');
  }
  if (tty) err.write('\r\u001b[2K');
}
