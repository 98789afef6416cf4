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
import { pct } from '../../../cli/format.js';
import { samePercent, splitAt } from '../../../domain/deployments.js';
import { failZ, hasAnalysis, type AnalysisGates } from '../../../domain/analysis.js';
import { rememberSecret } from '../../../redact.js';
import { resolveVersion } from '../refs.js';
import { checkRequiredSecrets } from '../required.js';
import { deployConfirmingSecrets, describeSplit } from '../apply.js';
import { diffVersions } from '../../../domain/versions.js';
import { decideStart, endMessage, newRolloutId, parseEndMessage, parseSteps, stepMessage } from './plan.js';
import { formatDuration, parseDuration } from '../../duration.js';
import { continueArgs, gatesDiffer, gatesTag } from './continuation.js';
import { describeMeasure, observe, type Measurement, type ObserveSetup, type ObserveState } from './observe.js';
import { Notifier, urlOrigin, type EventType } from './notify.js';
import { cleanOutput, lastLines, runCheckCommand, runCheckUrl, type GateContext, type GateResult } from './gates.js';
import type { RolloutDeps, StopSignal } from './deps.js';
import type { RolloutOptions } from './options.js';
import { DEFAULTS, type rollout } from './command.js';
import type { OptsOf } from '../../../cli/define-command.js';

/** The flags of `versions rollout`, as declared (command.ts), and the VERSION. */
export type RolloutFlags = Partial<OptsOf<NonNullable<(typeof rollout)['options']>>> & { version: string };

export type { RolloutOptions };


/** A number >= 0 (a percentage or milliseconds) given to `flag`. */
function nonNegative(text: string | undefined, flag: string, example: string, max?: number): number | undefined {
  if (text === undefined) return undefined;
  const t = text.trim().replace(/%$/, '').replace(/ms$/, '');
  if (!/^\d+(\.\d+)?$/.test(t) || (max !== undefined && Number(t) > max)) {
    throw new UsageError(`${flag} "${text}" is not a number from 0${max !== undefined ? ` to ${max}` : ''}`, { hint: `e.g. ${flag} ${example}` });
  }
  return Number(t);
}

function whole(text: string, flag: string, min: number, example: string): number {
  if (!/^\d+$/.test(text.trim()) || Number(text) < min) throw new UsageError(`${flag} "${text}" is not a whole number of at least ${min}`, { hint: `e.g. ${flag} ${example}` });
  return Number(text);
}

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
  if (f.checkUrl !== undefined && !isHttpUrl(f.checkUrl)) {
    throw new UsageError(`--check-url "${f.checkUrl}" is not an http(s) URL`, { hint: 'e.g. --check-url https://example.com/health' });
  }
  for (const u of f.notify ?? []) {
    if (!isHttpUrl(u)) {
      throw new UsageError(`--notify "${u}" is not an http(s) URL`, { hint: 'give each webhook URL after its own --notify, and VERSION before them: mycli versions rollout <VERSION> --notify https://hooks.example.com/...' });
    }
  }
  if (f.check !== undefined && f.check.trim() === '') throw new UsageError('--check is empty', { hint: "give a shell command, e.g. --check './smoke-test.sh'" });
  const checkTimeoutMs = parseDuration(f.checkTimeout ?? DEFAULTS.checkTimeout, '--check-timeout');
  if (checkTimeoutMs <= 0) throw new UsageError('--check-timeout must be more than 0', { hint: 'e.g. --check-timeout 30s' });
  const steps = parseSteps(f.steps ?? DEFAULTS.steps);
  const waitMs = parseDuration(f.wait ?? DEFAULTS.wait, '--wait');
  const analysis: AnalysisGates = {
    maxErrorRate: nonNegative(f.maxErrorRate, '--max-error-rate', '1 (percent)', 100),
    maxErrorIncrease: nonNegative(f.maxErrorIncrease, '--max-error-increase', '0.5 (percentage points)', 100),
    maxP99: nonNegative(f.maxP99, '--max-p99', '500 (milliseconds)'),
    maxP99Increase: nonNegative(f.maxP99Increase, '--max-p99-increase', '20 (percent)'),
    minRequests: whole(f.minRequests ?? DEFAULTS.minRequests, '--min-requests', 1, '100'),
  };
  const intervalMs = f.interval !== undefined ? parseDuration(f.interval, '--interval') : waitMs;
  const bakeMs = f.bake !== undefined ? parseDuration(f.bake, '--bake') : 0;
  const inconclusive = f.inconclusive ?? DEFAULTS.inconclusive;
  if (inconclusive !== 'hold' && inconclusive !== 'rollback' && inconclusive !== 'continue') {
    throw new UsageError(`--inconclusive "${inconclusive}" is not hold, rollback or continue`, {
      hint: 'hold leaves the split and stops (continue later); rollback returns to the stable version; continue goes on as if it passed',
    });
  }
  const analysing = hasAnalysis(analysis);
  if (analysing) {
    if (waitMs <= 0) {
      throw new UsageError('analysis gates need time to measure, and --wait is 0', { hint: 'give a --wait of a few minutes (measured every --interval, by default once at the end of the wait), e.g. --wait 5m' });
    }
    if (intervalMs <= 0) throw new UsageError('--interval must be more than 0', { hint: 'e.g. --interval 1m' });
  } else {
    for (const [flag, given] of [['--interval', f.interval], ['--min-requests', f.minRequests], ['--failure-limit', f.failureLimit], ['--inconclusive', f.inconclusive]] as const) {
      if (given !== undefined) {
        throw new UsageError(`${flag} needs an analysis gate`, { hint: 'add --max-error-rate, --max-error-increase, --max-p99 or --max-p99-increase' });
      }
    }
  }
  if (bakeMs > 0 && !analysing) {
    throw new UsageError('--bake needs an analysis gate to measure with', { hint: 'add e.g. --max-error-increase 0.5 (a --check runs once after each step\'s --wait)' });
  }
  const pauseAt = f.pauseAt !== undefined ? parsePauseAt(f.pauseAt, steps) : [];
  return {
    version: f.version,
    steps,
    waitMs,
    check: f.check,
    checkUrl: f.checkUrl,
    checkSamples: Number(samplesText),
    checkTimeoutMs,
    onFail,
    message: f.message,
    dryRun: Boolean(f.dryRun),
    analysis,
    intervalMs: analysing ? intervalMs : waitMs,
    failureLimit: whole(f.failureLimit ?? DEFAULTS.failureLimit, '--failure-limit', 0, '1'),
    inconclusive,
    bakeMs,
    notify: f.notify ?? [],
    pauseAt,
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

/** The path and query of a URL (what makes a webhook URL a credential). */
function secretPartOf(url: string): string {
  const u = new URL(url);
  return `${u.pathname}${u.search}`;
}

function isHttpUrl(text: string): boolean {
  try {
    const u = new URL(text);
    return u.protocol === 'http:' || u.protocol === 'https:';
  } catch {
    return false;
  }
}

/** `--pause-at 10,50`: percentages among the steps, below 100. */
function parsePauseAt(text: string, steps: number[]): number[] {
  const list = parseSteps(text).filter((p) => p < 100);
  for (const p of list) {
    if (!steps.some((x) => samePercent(x, p))) {
      throw new UsageError(`--pause-at ${p}% is not one of the steps (${steps.map((x) => `${x}%`).join(', ')})`, { hint: `pause after a step of --steps, e.g. --pause-at ${steps[0]}` });
    }
  }
  if (!list.length) throw new UsageError('--pause-at needs a step below 100%', { hint: `e.g. --pause-at ${steps[0]}` });
  return list;
}

export type Outcome = 'completed' | 'rolled_back' | 'held' | 'paused' | 'changed' | 'aborted' | 'interrupted';

interface StepRecord {
  step: number;
  of: number;
  percent: number;
  deploymentId: string | null;
  startedOn: string | null;
  gates: { kind: string; ok: boolean; detail: string }[];
  /** Every measurement of the analysis gates during this step (and the bake after 100%). */
  analysis: Measurement[];
}

/** An error that carries the rollout's JSON document (printed as one document with the error). */
function withDocument<E extends MycliError>(e: E, document: Record<string, unknown>): E {
  e.details.document = document;
  return e;
}

/** The measurements a plan makes at most (for spreading the 5% of a false alarm over them). */
function plannedLooks(o: RolloutOptions, steps: number): number {
  if (!hasAnalysis(o.analysis)) return 1;
  const per = Math.max(1, Math.ceil(o.waitMs / o.intervalMs));
  const bake = o.bakeMs > 0 ? Math.max(1, Math.ceil(o.bakeMs / o.intervalMs)) : 0;
  return steps * per + bake + o.failureLimit;
}

export async function run(ctx: Context, flags: RolloutFlags, deps: RolloutDeps): Promise<void> {
  const o = parseFlags(flags);
  const analysing = hasAnalysis(o.analysis);
  // A webhook URL's path and query are its secret (Slack, Discord, Teams): never printed.
  for (const u of o.notify) rememberSecret(secretPartOf(u));
  const backend = await ctx.backendWith('versions');
  if (o.steps.some((p) => p < 100)) await ctx.backendWith('versions', 'gradualDeployments');
  if (analysing && !backend.capabilities.health) {
    throw new UsageError(`the ${backend.name} backend cannot measure traffic, so the analysis gates (${analysisFlags(o).join(', ')}) cannot be judged: it lacks the health capability`, {
      hint:
        backend.name === 'local'
          ? 'the local backend serves no traffic: use --backend cloudflare (Workers Observability), or drop the analysis flags and gate with --check / --check-url'
          : 'use a backend with the health capability (cloudflare), or gate with --check / --check-url',
    });
  }
  if (analysing) await ctx.backendWith('versions', 'health');
  const target = await ctx.target();
  let version: Version;
  try {
    version = await resolveVersion(backend, target, o.version);
  } catch (e) {
    // An unknown version is a bad argument of this command (exit 2), not a missing resource (3).
    if (e instanceof NotFoundError) throw new UsageError(e.message, { hint: e.hint ?? 'see the versions with `mycli versions list`' });
    throw e;
  }
  await checkRequiredSecrets(ctx, [version], { force: flags.forceMissingSecrets, doing: 'the rollout' });
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
  const gates = gatesTag(o);
  /** The command that continues this rollout with the same plan and target. */
  const continueCommand = ctx.command(continueArgs(version.id.slice(0, 8), o));
  const notifyNote = o.notify.length ? ` (add your --notify URL${o.notify.length === 1 ? '' : 's'} again: mycli does not print ${o.notify.length === 1 ? 'it' : 'them'})` : '';

  // The steps this run makes: a fresh rollout all of them; a resumed one re-checks the live step
  // (the rest of its wait and its gates) and goes on with the higher ones, never lower.
  interface Planned {
    step: number;
    of: number;
    percent: number;
    existing?: Deployment;
  }
  let rolloutId: string;
  let planned: Planned[];
  let lastCreated: Deployment;
  let changedGates: string | undefined;
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
    changedGates = gatesDiffer(r.steps[0]?.tag.gates ?? r.liveTag.gates, gates);
  }
  // Later steps keep the tag of the gates the rollout started with, so that a second
  // continuation compares with the original plan, not with the last continuation's.
  const stepGates = start.kind === 'resume' ? start.rollout.steps[0]?.tag.gates : gates;

  // What it acts on (Worker · env · backend), then the plan, before any prompt or change.
  await ctx.announce(start.kind === 'resume' ? 'Continuing rollout' : 'Rolling out');
  const where = await ctx.where();
  const diff = diffVersions(stable, version);
  const gatesText: string[] = [];
  if (o.check) gatesText.push(`\`${o.check}\` must exit 0 within ${formatDuration(o.checkTimeoutMs)}`);
  if (o.checkUrl) gatesText.push(`${o.checkSamples} GET${o.checkSamples === 1 ? '' : 's'} of ${o.checkUrl} with the version override must answer 2xx (${formatDuration(o.checkTimeoutMs)} each)`);
  if (analysing) gatesText.push(`traffic analysis every ${formatDuration(o.intervalMs)}: ${describeAnalysis(o)}`);
  ctx.out.note(
    `${s.bold('Rollout')} ${rolloutId} of Worker ${s.bold(target.worker)}: version ${version.number} ${s.dim(`(${version.id})`)} replaces stable version ${stable.number} ${s.dim(`(${stable.id})`)}`,
  );
  if (start.kind === 'resume') {
    ctx.out.note(`  resuming at step ${start.rollout.liveTag.step}/${start.rollout.liveTag.of} (${pct(start.rollout.liveTag.percent)}), live since ${start.rollout.live.createdOn}`);
  }
  ctx.out.note(`  steps: ${planned.map((p) => `${pct(p.percent)}${p.existing ? ' (live)' : ''}${o.pauseAt.some((x) => samePercent(x, p.percent)) && !p.existing ? ' (pause)' : ''}`).join(' → ')}`);
  ctx.out.note(`  after each step: wait ${formatDuration(o.waitMs)}, then ${gatesText.length ? 'the gates' : 'go on (no gates given)'}`);
  for (const g of gatesText) ctx.out.note(`  gate: ${g}`);
  if (o.bakeMs > 0) ctx.out.note(`  after 100%: bake ${formatDuration(o.bakeMs)}, measuring; a failure rolls back to version ${stable.number}`);
  ctx.out.note(`  if a gate fails or the rollout is interrupted: ${o.onFail === 'rollback' ? `deploy version ${stable.number} at 100% again` : 'hold the split as it is'}`);
  if (o.notify.length) ctx.out.note(`  notify: ${o.notify.map(urlOrigin).join(', ')}`);
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
  if (changedGates) ctx.out.warn(`other gates than the live rollout's: ${changedGates}`);

  const planJson = planned.map((p) => ({ step: p.step, of: p.of, percent: p.percent }));
  if (o.dryRun) {
    ctx.out.note('dry run: nothing was deployed');
    ctx.out.document({ ...tj, version: version.id, stable: stable.id, rolloutId, outcome: null, dryRun: true, plan: planJson, diff: { ...diff, secretValuesChanged: valuesChanged }, steps: [] });
    return;
  }
  if (changedGates) {
    await ctx.confirm(`Continue rollout ${rolloutId} with other gates than it started with (${changedGates})?`, 'continuing a rollout with fewer or other gates than it started with');
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

  const notifier = new Notifier({ urls: o.notify, fetch: deps.fetch, debug: (line) => ctx.out.debug(line), timeoutMs: deps.notifyTimeoutMs ?? 5_000, drainMs: (deps.notifyTimeoutMs ?? 5_000) * 2 });
  const event = (type: EventType, text: string, extra: Record<string, unknown> = {}) =>
    notifier.send({ type, rolloutId, worker: target.worker, env: target.env ?? null, version: version.id, stable: stable.id, text: `mycli rollout ${rolloutId} of ${target.worker}${target.env ? ` (env ${target.env})` : ''}: ${text}`, ...extra });

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
    const ended = parseEndMessage(live?.message);
    if (ended?.id === rolloutId && ended.what === 'aborted') {
      event('end', `aborted from elsewhere (${what}); stopped ${before}`, { outcome: 'aborted' });
      await notifier.drain();
      throw withDocument(
        new ConflictError(`rollout ${rolloutId} was aborted from elsewhere: ${what}; stopped ${before} without touching it`, {
          hint: `see \`mycli deployments list\`; start again with \`mycli versions rollout ${version.id.slice(0, 8)}\` when ready`,
        }),
        doc('aborted', { liveDeploymentId: live!.id }),
      );
    }
    event('end', `the live deployment changed under the rollout (${what}); stopped ${before}`, { outcome: 'changed' });
    await notifier.drain();
    throw withDocument(
      new ConflictError(`the live deployment changed under rollout ${rolloutId}: expected deployment ${lastCreated.id}, found ${what}; stopped ${before} without touching it`, {
        hint: `see \`mycli deployments list\`; start again with \`mycli versions rollout ${version.id.slice(0, 8)}\` once one version serves 100%`,
      }),
      doc('changed', live ? { liveDeploymentId: live.id } : {}),
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

  const observeState: ObserveState = { failures: 0 };
  let currentRecord: StepRecord | undefined;
  const observer: ObserveSetup = {
    ctx,
    deps,
    backend,
    target,
    version,
    stable,
    analysis: analysing ? o.analysis : undefined,
    failZ: failZ(plannedLooks(o, planned.length)),
    intervalMs: o.intervalMs,
    failureLimit: o.failureLimit,
    signal: stop.signal,
    poll: (when) => guard(when),
    onMeasurement: (m) => {
      currentRecord?.analysis.push(m);
      const mark = m.verdict === 'pass' ? s.green('✓') : m.verdict === 'fail' ? s.red('✗') : s.yellow('?');
      const label = `${m.phase === 'bake' ? 'bake' : 'measurement'} at ${pct(m.percent)} (${formatDuration(Date.parse(m.window.to) - Date.parse(m.window.from))} window)`;
      ctx.out.note(`${mark} ${label}: ${m.verdict} · ${describeMeasure(m, new Map([...byId].map(([id, v]) => [id, v.number])))}`);
      ctx.out.note(`  ${m.reason}`);
      event('measurement', `${label}: ${m.verdict} (${m.reason})`, { verdict: m.verdict, percent: m.percent, phase: m.phase, window: m.window, versions: m.versions });
    },
  };

  event('start', `rolling out version ${version.number} in steps ${o.steps.map((x) => pct(x)).join(', ')}, replacing version ${stable.number}`, { steps: o.steps });
  try {
    for (const p of planned) {
      const record: StepRecord = { step: p.step, of: p.of, percent: p.percent, deploymentId: null, startedOn: null, gates: [], analysis: [] };
      currentRecord = record;
      if (interrupted) break;
      let waitMs = o.waitMs;
      let windowStart: number;
      if (p.existing) {
        record.deploymentId = p.existing.id;
        record.startedOn = p.existing.createdOn;
        steps.push(record);
        // The step has been live since its deployment: what is left of its wait, measured from then.
        const since = Date.parse(p.existing.createdOn);
        const elapsed = Number.isFinite(since) ? deps.clock.now() - since : 0;
        if (elapsed > 0 && elapsed < o.waitMs) waitMs = o.waitMs - elapsed;
        windowStart = Number.isFinite(since) && elapsed > 0 ? since : deps.clock.now();
        ctx.out.note(`step ${p.step}/${p.of}: ${describeSplit(p.existing.versions, byId)} is live ${s.dim(`(deployment ${p.existing.id})`)}`);
      } else {
        await guard(`before step ${p.step}/${p.of}`);
        const split: DeploymentVersion[] = splitAt(version.id, stable.id, p.percent);
        // expectLive: the guard is part of the commit — a step delayed after the guard's read
        // never lands over a deployment made meanwhile.
        const { deployment } = await deployConfirmingSecrets(ctx, backend, target, {
          versions: split,
          message: stepMessage(rolloutId, p.step, p.of, p.percent, o.message, stepGates),
          kind: 'deploy',
          expectLive: lastCreated.id,
        }).catch(changedUnder(`at step ${p.step}/${p.of}`));
        lastCreated = deployment;
        record.deploymentId = deployment.id;
        record.startedOn = deployment.createdOn;
        steps.push(record);
        windowStart = deps.clock.now();
        ctx.out.success(`step ${p.step}/${p.of}: ${describeSplit(deployment.versions, byId)} ${s.dim(`(deployment ${deployment.id})`)}`);
        event('step', `step ${p.step}/${p.of}: version ${version.number} at ${pct(p.percent)}`, { step: p.step, of: p.of, percent: p.percent, deploymentId: deployment.id });
      }
      if (interrupted) break;
      const label = `step ${p.step}/${p.of} (${pct(p.percent)})`;
      const phase = await observe(observer, observeState, { kind: 'step', percent: p.percent, label, windowStart, ms: waitMs });
      if (interrupted) break;
      if (phase.verdict === 'fail') return await fail({ kind: 'analysis', detail: phase.last!.reason }, p);
      if (phase.verdict === 'inconclusive') {
        const settled = await onInconclusive(phase.last!, p);
        if (settled === 'stop') return;
      }
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
      const commandGates: (() => Promise<GateResult>)[] = [];
      if (o.check) commandGates.push(() => showRunning(ctx, `gate check at ${pct(p.percent)}: running \`${o.check}\``, () => runCheckCommand(o.check!, gctx, ctx.io.env, ctx.io.cwd)));
      if (o.checkUrl) commandGates.push(() => runCheckUrl(o.checkUrl!, o.checkSamples, gctx, deps.fetch));
      for (const gate of commandGates) {
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
      if (p.percent >= 100 && o.bakeMs > 0) {
        ctx.out.note(`baking version ${version.number} at 100% for ${formatDuration(o.bakeMs)}`);
        const bake = await observe(observer, observeState, { kind: 'bake', percent: 100, label: 'the bake at 100%', windowStart: deps.clock.now(), ms: o.bakeMs });
        if (interrupted) break;
        if (bake.verdict === 'fail') return await fail({ kind: 'analysis', detail: `during the bake: ${bake.last!.reason}` }, p, true);
        if (bake.verdict === 'inconclusive') ctx.out.warn(`the bake ended inconclusive: ${bake.last!.reason}`);
      }
      if (!p.existing && p.percent < 100 && o.pauseAt.some((x) => samePercent(x, p.percent))) {
        const text = `paused after step ${p.step}/${p.of} (${pct(p.percent)}) as --pause-at asked`;
        ctx.out.success(`rollout ${rolloutId} ${text}; continue with \`${continueCommand}\`${notifyNote}, or return to version ${stable.number} with \`${ctx.command('versions rollout abort')}\``);
        event('pause', `${text}; continue with ${continueCommand}`, { step: p.step, of: p.of, percent: p.percent });
        await notifier.drain();
        ctx.out.document(doc('paused', { continueCommand }));
        return;
      }
    }
    if (interrupted) return await onInterrupt();
  } catch (e) {
    if (!isMycliError(e) || !e.details.document) {
      const at = steps.at(-1);
      if (at) {
        ctx.out.note(
          s.yellow(`rollout ${rolloutId} stopped at step ${at.step}/${at.of} (${pct(at.percent)}); `) +
            `continue with \`${continueCommand}\`${notifyNote}, or return to version ${stable.number} with \`${ctx.command('versions rollout abort')}\``,
        );
      }
    }
    throw e;
  } finally {
    unsubscribe();
    await notifier.drain();
  }

  ctx.out.success(`rollout ${rolloutId} completed: version ${version.number} ${s.dim(`(${version.id})`)} serves 100% of Worker ${target.worker}`);
  event('end', `completed: version ${version.number} serves 100%`, { outcome: 'completed' });
  await notifier.drain();
  ctx.out.document(doc('completed'));
  return;

  /** --inconclusive: hold (stop, split as it is), rollback, or continue. 'stop' when the run ended. */
  async function onInconclusive(m: Measurement, p: Planned): Promise<'go' | 'stop'> {
    const what = `the analysis at step ${p.step}/${p.of} (${pct(p.percent)}) is inconclusive: ${m.reason}`;
    if (o.inconclusive === 'continue') {
      ctx.out.warn(`${what}; going on (--inconclusive continue)`);
      return 'go';
    }
    if (o.inconclusive === 'rollback') {
      await fail({ kind: 'analysis', detail: `inconclusive (--inconclusive rollback): ${m.reason}` }, p, false, true);
      return 'stop';
    }
    event('hold', `${what}; held at ${pct(p.percent)}`, { step: p.step, of: p.of, percent: p.percent, verdict: 'inconclusive' });
    await notifier.drain();
    throw withDocument(
      new OperationError(`${what}; the split is held as it is`, { hint: holdHint() }),
      doc('held', { failure: { kind: 'analysis', detail: m.reason, verdict: 'inconclusive', step: p.step, percent: p.percent }, continueCommand }),
    );
  }

  async function fail(r: Pick<GateResult, 'kind' | 'detail' | 'output'> | { kind: 'analysis'; detail: string; output?: undefined }, p: Planned, baking = false, forceRollback = false): Promise<never> {
    const tail = r.output ? lastLines(cleanOutput(r.output, ctx.io.env)) : '';
    const what = `gate ${r.kind} failed at step ${p.step}/${p.of} (${pct(p.percent)}): ${r.detail}`;
    const shown = tail ? `\n--- last lines of its output ---\n${tail}` : '';
    if (o.onFail === 'hold' && !forceRollback) {
      event('hold', `${what}; held at ${pct(p.percent)}`, { step: p.step, of: p.of, percent: p.percent });
      await notifier.drain();
      throw withDocument(
        new OperationError(`${what}; the split is held as it is${shown}`, { hint: holdHint() }),
        doc('held', { failure: { kind: r.kind, detail: r.detail, step: p.step, percent: p.percent }, continueCommand }),
      );
    }
    await guard('before rolling back');
    const d = await deployStable('rolled back');
    ctx.out.note(`${s.yellow('rolled back:')} version ${stable.number} ${s.dim(`(${stable.id})`)} serves 100% again ${s.dim(`(deployment ${d.id})`)}`);
    event('rollback', `${what}; rolled back to version ${stable.number} at 100%`, { step: p.step, of: p.of, percent: p.percent, deploymentId: d.id, bake: baking });
    event('end', `rolled back: version ${stable.number} serves 100%`, { outcome: 'rolled_back' });
    await notifier.drain();
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
      event('hold', `interrupted (${interrupted})${where}; held`, { outcome: 'interrupted' });
      await notifier.drain();
      throw withDocument(new CancelledError(`rollout ${rolloutId} interrupted (${interrupted})${where}; the split is held as it is. ${holdHint()}`, interrupted), doc('interrupted', { rolledBack: false, continueCommand }));
    }
    await guard('before rolling back');
    const d = await deployStable('rolled back');
    ctx.out.note(`${s.yellow('rolled back:')} version ${stable.number} ${s.dim(`(${stable.id})`)} serves 100% again ${s.dim(`(deployment ${d.id})`)}`);
    event('rollback', `interrupted (${interrupted})${where}; rolled back to version ${stable.number} at 100%`, { deploymentId: d.id });
    event('end', `interrupted; version ${stable.number} serves 100%`, { outcome: 'interrupted' });
    await notifier.drain();
    throw withDocument(
      new CancelledError(`rollout ${rolloutId} interrupted (${interrupted})${where}; rolled back to version ${stable.number} at 100% (deployment ${d.id})`, interrupted),
      doc('interrupted', { rolledBack: true, rollbackDeploymentId: d.id }),
    );
  }

  function holdHint(): string {
    return `continue with \`${continueCommand}\`${notifyNote} (it re-runs the gates of the live step, then goes on), or return to version ${stable.number} with \`${ctx.command('versions rollout abort')}\``;
  }
}

/** The analysis flags given, as the user wrote their names. */
function analysisFlags(o: RolloutOptions): string[] {
  const a = o.analysis;
  return [
    a.maxErrorRate !== undefined && '--max-error-rate',
    a.maxErrorIncrease !== undefined && '--max-error-increase',
    a.maxP99 !== undefined && '--max-p99',
    a.maxP99Increase !== undefined && '--max-p99-increase',
  ].filter((x): x is string => Boolean(x));
}

/** "failure rate below 1%, at most 0.5 points above the stable version's; at least 100 invocations each" */
function describeAnalysis(o: RolloutOptions): string {
  const a = o.analysis;
  const parts: string[] = [];
  if (a.maxErrorRate !== undefined) parts.push(`failure rate below ${a.maxErrorRate}%`);
  if (a.maxErrorIncrease !== undefined) parts.push(`failure rate at most ${a.maxErrorIncrease} points above the stable version's`);
  if (a.maxP99 !== undefined) parts.push(`wall-time p99 within ${a.maxP99}ms`);
  if (a.maxP99Increase !== undefined) parts.push(`wall-time p99 at most ${a.maxP99Increase}% above the stable version's`);
  return `${parts.join(', ')} (95% confidence; at least ${a.minRequests} invocations per version; ${o.failureLimit} failing measurement${o.failureLimit === 1 ? '' : 's'} tolerated; inconclusive: ${o.inconclusive})`;
}

/**
 * A gate that takes a while shows that it runs: on a terminal a line with the elapsed time,
 * redrawn each second; otherwise one line when it starts.
 */
async function showRunning<T>(ctx: Context, label: string, work: () => Promise<T>): Promise<T> {
  if (!ctx.io.stderrIsTTY) {
    ctx.out.note(label);
    return work();
  }
  const err = ctx.io.stderr;
  const started = Date.now();
  const draw = () => err.write(`\r\u001b[2K  ${label} · ${formatDuration(Math.floor((Date.now() - started) / 1000) * 1000)}`);
  draw();
  const timer = setInterval(draw, 1000);
  timer.unref?.();
  try {
    return await work();
  } finally {
    clearInterval(timer);
    err.write('\r\u001b[2K');
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
