#!/usr/bin/env node
/**
 * npm run bench — rollout analysis section: how often the analysis gates roll back a release
 * that is as good as the stable version (false rollbacks), and how often and how fast they catch
 * a worse one, over simulated traffic — beside the same cases judged by a raw "measured rate
 * above the threshold" rule, to show what the statistics buy.
 *
 * The model (the same as the rollout tests'): each version fails each invocation independently
 * with its failure rate; the new version gets `rps` requests per second (a 10% step: the stable
 * version gets 9x as many); measurements every minute over the cumulative window of the step,
 * for a 10-minute step; --max-error-increase 0.25 (percentage points), --min-requests 100,
 * --failure-limit 1 (the second failing measurement rolls back), as `versions rollout` judges
 * them (src/domain/analysis.ts, bundled from the source for this run). Nothing sleeps: time is
 * simulated. `--runs N` (default 1000) rollouts per case; a fixed seed makes runs repeatable.
 *
 * Goal (issue 17): equal versions roll back at most 1% of the time.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL, fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const REPO = fileURLToPath(new URL('..', import.meta.url));
const argRuns = process.argv.indexOf('--runs');
const RUNS = Number(argRuns > 0 ? process.argv[argRuns + 1] : process.env.BENCH_ROLLOUT_RUNS ?? 1000);
const INTERVALS = 10;
const INTERVAL_S = 60;
const STABLE_SHARE = 9; // a 10% step: the stable version serves 9 requests for each of the new one's
const GATES = { maxErrorIncrease: 0.25, minRequests: 100 };
const FAILURE_LIMIT = 1;
const FALSE_ROLLBACK_GOAL = 0.01;

const dir = mkdtempSync(join(tmpdir(), 'mycli-bench-rollout-'));
const out = join(dir, 'analysis.mjs');
await build({ entryPoints: [join(REPO, 'src/domain/analysis.ts')], bundle: true, format: 'esm', platform: 'node', outfile: out, logLevel: 'warning' });
const { judge, failZ } = await import(pathToFileURL(out).href);
rmSync(dir, { recursive: true, force: true });

// ---- random numbers: mulberry32, and binomial draws ------------------------------------------
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
function normal(r) {
  const u = Math.max(r(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * r());
}
/** Failures among n invocations at rate p: exact by Poisson for small n*p, normal otherwise. */
function binomial(r, n, p) {
  const mean = n * p;
  if (mean < 30) {
    const l = Math.exp(-mean);
    let k = 0;
    let prod = r();
    while (prod > l) {
      k++;
      prod *= r();
    }
    return Math.min(n, k);
  }
  return Math.max(0, Math.min(n, Math.round(mean + Math.sqrt(mean * (1 - p)) * normal(r))));
}

// ---- one simulated step ------------------------------------------------------------------------
const Z = failZ(INTERVALS + FAILURE_LIMIT);
const statistical = (c, s) => judge(GATES, c, s, { failZ: Z }).verdict;
const raw = (c, s) => {
  if (c.invocations < GATES.minRequests || s.invocations < GATES.minRequests) return 'inconclusive';
  return c.failures / c.invocations - s.failures / s.invocations > GATES.maxErrorIncrease / 100 ? 'fail' : 'pass';
};

/** -> { rolledBack, minute, held } for one step under rule `rule`. */
function simulate(r, rule, rps, pNew, pStable) {
  const c = { invocations: 0, failures: 0, wallTimeP99Ms: null };
  const s = { invocations: 0, failures: 0, wallTimeP99Ms: null };
  let failing = 0;
  let last = 'inconclusive';
  for (let i = 1; i <= INTERVALS; i++) {
    const n = Math.round(rps * INTERVAL_S);
    const m = n * STABLE_SHARE;
    c.invocations += n;
    c.failures += binomial(r, n, pNew);
    s.invocations += m;
    s.failures += binomial(r, m, pStable);
    last = rule(c, s);
    if (last === 'fail' && ++failing > FAILURE_LIMIT) return { rolledBack: true, minute: i, held: false };
  }
  return { rolledBack: false, minute: null, held: last === 'inconclusive' };
}

function run(rule, rps, pNew, pStable, seed) {
  const r = rng(seed);
  let rolled = 0;
  let held = 0;
  const minutes = [];
  for (let k = 0; k < RUNS; k++) {
    const x = simulate(r, rule, rps, pNew, pStable);
    if (x.rolledBack) {
      rolled++;
      minutes.push(x.minute);
    } else if (x.held) held++;
  }
  minutes.sort((a, b) => a - b);
  return { rate: rolled / RUNS, held: held / RUNS, median: minutes.length ? minutes[Math.floor(minutes.length / 2)] : null };
}

const CASES = [
  { name: 'equal, 0.1%', pNew: 0.001, pStable: 0.001, worse: false },
  { name: 'equal, 1%', pNew: 0.01, pStable: 0.01, worse: false },
  { name: 'new 0.5% vs 0.1%', pNew: 0.005, pStable: 0.001, worse: true },
  { name: 'new 2% vs 0.1%', pNew: 0.02, pStable: 0.001, worse: true },
  { name: 'new 10% vs 0.1%', pNew: 0.1, pStable: 0.001, worse: true },
];
const RPS = [1, 10, 100];

const started = process.hrtime.bigint();
console.log(`rollout analysis: ${RUNS} simulated rollouts per case; a 10% step of ${INTERVALS} one-minute intervals; --max-error-increase ${GATES.maxErrorIncrease} --min-requests ${GATES.minRequests} --failure-limit ${FAILURE_LIMIT}`);
console.log('statistical = what mycli does (95% confidence, spread over the looks); raw = "measured new rate - stable rate > 0.25 points"');
console.log('');
const pctOf = (x) => `${(x * 100).toFixed(1)}%`.padStart(6);
const header = ['case', 'new rps', 'statistical: rolled back', 'time to detect', 'held', 'raw: rolled back', 'time to detect'];
console.log(`${header[0].padEnd(18)} ${header[1].padStart(7)}  ${header[2].padStart(24)} ${header[3].padStart(14)} ${header[4].padStart(6)}  ${header[5].padStart(16)} ${header[6].padStart(14)}`);
let falseOk = true;
let seed = 17;
for (const c of CASES) {
  for (const rps of RPS) {
    seed++;
    const st = run(statistical, rps, c.pNew, c.pStable, seed);
    const rw = run(raw, rps, c.pNew, c.pStable, seed);
    const label = c.worse ? 'detected' : 'FALSE';
    if (!c.worse && st.rate > FALSE_ROLLBACK_GOAL) falseOk = false;
    const t = (m) => (m === null ? '-' : `${m} min`).padStart(14);
    console.log(
      `${c.name.padEnd(18)} ${String(rps).padStart(7)}  ${`${label} ${pctOf(st.rate)}`.padStart(24)} ${t(st.median)} ${pctOf(st.held)}  ${`${label} ${pctOf(rw.rate)}`.padStart(16)} ${t(rw.median)}`,
    );
  }
}
const ms = Number(process.hrtime.bigint() - started) / 1e6;
console.log('');
console.log(`time to detect: median minutes until the rollback; held: the step ended inconclusive (--inconclusive hold stops there)`);
console.log(`goal: equal versions roll back at most ${FALSE_ROLLBACK_GOAL * 100}% of the time (statistical): ${falseOk ? 'met' : 'NOT MET'} (${(ms / 1000).toFixed(1)}s)`);
if (!falseOk) process.exitCode = 1;
