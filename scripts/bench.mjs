#!/usr/bin/env node
/**
 * npm run bench — start-up cost of the built binary next to a bare `node -e 0`.
 *
 * For each case: N runs (default 15, `--runs N` or BENCH_RUNS), interleaved round-robin so that
 * machine noise hits every case alike, after 2 warm-up runs each; we report the MEDIAN of
 *   - wall time: measured in this process from spawn() to the child's exit, and
 *   - peak memory: the child's max RSS, from GNU `/usr/bin/time -f %M` (kB) when present.
 *     Without /usr/bin/time we fall back to a preload (`node --import <file>`) that writes
 *     process.resourceUsage().maxRSS to a file on exit; the preload adds a little to every
 *     case (the baseline too), so those figures are slightly pessimistic.
 * Both go through the same wrapper, so the baseline pays the same overhead as the others.
 *
 * Goals (issue 21, see GOAL below): the everyday commands (`secret put/list/delete`, `versions
 * list`, `deployments status`) at most 1.4x `node -e 0` in time on the local backend and 1.5x on
 * the cloudflare backend (against `mycli serve` on 127.0.0.1), and at most 1.3x in peak memory.
 * Every figure is a ratio to the baseline measured in the same run, so a busy machine slows both.
 *
 * Cases are functions (see CASES below) that set up what they need and return how to run one
 * iteration. `--only TEXT` keeps the cases whose name contains TEXT (and the baseline).
 * Run `npm run build` first if src/ changed (this script measures dist/ as it is).
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = fileURLToPath(new URL('..', import.meta.url));
const BIN = join(REPO, 'bin', 'mycli.js');
const NODE = process.execPath;
const WARMUP = 2;

const argRuns = process.argv.indexOf('--runs');
const RUNS = Number(argRuns > 0 ? process.argv[argRuns + 1] : process.env.BENCH_RUNS ?? 15);
const ONLY = (() => {
  const i = process.argv.indexOf('--only');
  return i > 0 ? process.argv[i + 1] : undefined;
})();

if (!existsSync(join(REPO, 'dist', 'main.js'))) {
  console.error('dist/ is missing: run `npm run build` first');
  process.exit(2);
}

const work = mkdtempSync(join(tmpdir(), 'mycli-bench-'));
process.on('exit', () => rmSync(work, { recursive: true, force: true }));

// ---- how a child's peak memory is measured ---------------------------------------------------

const GNU_TIME = ['/usr/bin/time', '/bin/time'].find((t) => {
  if (!existsSync(t)) return false;
  const r = spawnSync(t, ['-f', '%M', '-o', join(work, 'probe'), NODE, '-e', '0']);
  return r.status === 0 && /^\d+\s*$/.test(readFileSync(join(work, 'probe'), 'utf8'));
});
const PRELOAD = join(work, 'maxrss-preload.mjs');
writeFileSync(
  PRELOAD,
  "import { writeFileSync } from 'node:fs';\n" +
    "process.on('exit', () => { try { writeFileSync(process.env.BENCH_RSS_FILE, String(process.resourceUsage().maxRSS)); } catch {} });\n",
);
const METHOD = GNU_TIME ? `${GNU_TIME} -f %M (max RSS of the child)` : 'node --import preload: process.resourceUsage().maxRSS at exit';

/** Run `node <args>` once; returns { ms, rssKB, code }. */
function runOnce({ args, input, env, cwd }) {
  const rssFile = join(work, `rss-${process.pid}-${Math.random().toString(36).slice(2)}`);
  const cmd = GNU_TIME ? GNU_TIME : NODE;
  const argv = GNU_TIME ? ['-f', '%M', '-o', rssFile, NODE, ...args] : ['--import', PRELOAD, ...args];
  const childEnv = { ...env, BENCH_RSS_FILE: rssFile };
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(cmd, argv, { cwd, env: childEnv, stdio: [input === undefined ? 'ignore' : 'pipe', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (b) => (stderr += b));
    if (input !== undefined) {
      child.stdin.on('error', () => undefined);
      child.stdin.end(input);
    }
    child.on('error', reject);
    child.on('close', (code) => {
      const ms = performance.now() - t0;
      let rssKB = NaN;
      try {
        rssKB = Number(readFileSync(rssFile, 'utf8').trim().split(/\s+/).pop());
        rmSync(rssFile, { force: true });
      } catch {
        /* no figure */
      }
      if (code !== 0) return reject(new Error(`${args.join(' ')} exited ${code}: ${stderr.trim()}`));
      resolve({ ms, rssKB });
    });
  });
}

// ---- the cases -------------------------------------------------------------------------------

const KEY = '0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef';

function cleanEnv(extra = {}) {
  const env = { ...process.env };
  for (const k of Object.keys(env)) if (k.startsWith('MYCLI_') || k.startsWith('CLOUDFLARE_') || k === 'NODE_OPTIONS') delete env[k];
  delete env.CI;
  return { ...env, NO_COLOR: '1', ...extra };
}

/** A temp project on the local backend with a few secrets already stored. */
async function localProject(name) {
  const dir = join(work, name);
  mkdirSync(join(dir, 'src'), { recursive: true });
  mkdirSync(join(dir, 'home'), { recursive: true });
  writeFileSync(join(dir, 'wrangler.toml'), 'name = "bench-worker"\nmain = "src/index.js"\ncompatibility_date = "2025-01-01"\n\n[vars]\nGREETING = "hello"\n');
  writeFileSync(join(dir, 'src', 'index.js'), 'export default { fetch() { return new Response("ok"); } };\n');
  const env = cleanEnv({ HOME: join(dir, 'home'), XDG_CONFIG_HOME: join(dir, 'home', '.config'), MYCLI_LOCAL_KEY: KEY, MYCLI_AUTHOR: 'bench' });
  for (const s of ['API_KEY', 'DB_PASSWORD', 'STRIPE_TOKEN', 'SESSION_SECRET']) {
    const r = spawnSync(NODE, [BIN, 'secret', 'put', s], { cwd: dir, env, input: `value-of-${s}\n` });
    if (r.status !== 0) throw new Error(`setup: secret put ${s} failed: ${r.stderr}`);
  }
  return { dir, env };
}

/** `mycli serve` on 127.0.0.1 for project `p`: the cloudflare backend's API, over real HTTP. */
async function serveFor(p) {
  const token = 'bench-token-0123456789';
  const server = spawn(NODE, [BIN, 'serve', '--port', '0'], { cwd: p.dir, env: { ...p.env, MYCLI_SERVE_TOKEN: token }, stdio: ['ignore', 'pipe', 'pipe'] });
  const url = await new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error('mycli serve did not start in 60 s')), 60_000);
    server.stdout.on('data', (d) => {
      out += d;
      const m = /http:\/\/\S+/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[0]);
      }
    });
    server.once('exit', (code) => reject(new Error(`mycli serve exited (${code})`)));
  });
  const env = { ...p.env, CLOUDFLARE_API_BASE_URL: url, CLOUDFLARE_API_TOKEN: token, CLOUDFLARE_ACCOUNT_ID: '00000000000000000000000000000001' };
  return { env, stop: () => server.kill('SIGTERM') };
}

/** Goals (issue 21): time on local and on cloudflare (over loopback), and memory, as ratios to `node -e 0`. */
const GOAL = { local: 1.4, cloudflare: 1.5, rss: 1.3 };

/**
 * The everyday commands, each on local and on cloudflare. `args` after `mycli`; `input` on stdin;
 * `before(run)`: untimed set-up before each iteration (delete needs a secret to delete).
 */
const EVERYDAY = [
  { name: 'secret list', args: ['secret', 'list'] },
  { name: 'echo v | secret put X', args: ['secret', 'put', 'X'], input: 'v\n' },
  { name: 'secret delete Y --yes', args: ['secret', 'delete', 'Y', '--yes'], before: { args: ['secret', 'put', 'Y'], input: 'y\n' } },
  { name: 'versions list', args: ['versions', 'list'] },
  { name: 'deployments status', args: ['deployments', 'status'] },
];

/**
 * Each case: async () => ({ args, input?, env?, cwd?, before?, teardown? }) — set up once, then the
 * returned iteration is run WARMUP + RUNS times. The first case is the baseline.
 */
const CASES = [
  {
    name: 'node -e 0',
    baseline: true,
    prepare: async () => ({ args: ['-e', '0'], env: cleanEnv(), cwd: work }),
  },
  // Node reads the certificates of NODE_EXTRA_CA_CERTS at every start, before any script runs
  // (Node 20: tens of ms for a system bundle). Both sides of every ratio pay it; this row says how
  // much of the baseline it is (shown, not judged).
  ...(cleanEnv().NODE_EXTRA_CA_CERTS
    ? [
        {
          name: 'node -e 0 without NODE_EXTRA_CA_CERTS',
          info: true,
          prepare: async () => {
            const env = cleanEnv();
            delete env.NODE_EXTRA_CA_CERTS;
            return { args: ['-e', '0'], env, cwd: work };
          },
        },
      ]
    : []),
  {
    name: 'mycli --version',
    target: GOAL.local,
    prepare: async () => ({ args: [BIN, '--version'], env: cleanEnv(), cwd: work }),
  },
  // Every put/delete run adds a version to its store (it stays small: 4 secrets, a few dozen versions).
  ...EVERYDAY.map((c, i) => ({
    name: `local: ${c.name}`,
    target: GOAL.local,
    prepare: async () => {
      const p = await localProject(`local-${i}`);
      return { args: [BIN, ...c.args], input: c.input, env: p.env, cwd: p.dir, before: c.before && { args: [BIN, ...c.before.args], input: c.before.input } };
    },
  })),
  // The cloudflare backend over HTTP to `mycli serve` on loopback (one server per case).
  ...EVERYDAY.map((c, i) => ({
    name: `cloudflare: ${c.name}`,
    target: GOAL.cloudflare,
    prepare: async () => {
      const p = await localProject(`cf-${i}`);
      const s = await serveFor(p);
      const extra = ['--backend', 'cloudflare'];
      return {
        args: [BIN, ...c.args, ...extra],
        input: c.input,
        env: s.env,
        cwd: p.dir,
        before: c.before && { args: [BIN, ...c.before.args, ...extra], input: c.before.input },
        teardown: async () => s.stop(),
      };
    },
  })),
];

// ---- run and report --------------------------------------------------------------------------

const median = (xs) => {
  const s = [...xs].filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

const selected = CASES.filter((c) => c.baseline || c.info || !ONLY || c.name.includes(ONLY));
const prepared = [];
for (const c of selected) prepared.push({ ...c, run: await c.prepare(), ms: [], rss: [] });

for (let i = 0; i < WARMUP + RUNS; i++) {
  for (const c of prepared) {
    if (c.run.before) {
      const b = spawnSync(NODE, c.run.before.args, { cwd: c.run.cwd, env: c.run.env, input: c.run.before.input });
      if (b.status !== 0) throw new Error(`${c.name}: set-up failed: ${b.stderr}`);
    }
    const r = await runOnce(c.run);
    if (i >= WARMUP) {
      c.ms.push(r.ms);
      c.rss.push(r.rssKB);
    }
  }
}
for (const c of prepared) await c.run.teardown?.();

const base = prepared.find((c) => c.baseline);
const baseMs = median(base.ms);
const baseRss = median(base.rss);
const rows = prepared.map((c) => {
  const ms = median(c.ms);
  const rss = median(c.rss);
  const tr = ms / baseMs;
  const mr = rss / baseRss;
  const target = c.target;
  const judged = !c.baseline && !c.info;
  const ok = !judged ? '' : tr <= target && mr <= GOAL.rss ? 'ok' : 'OVER';
  const goal = !judged ? '' : `<=${target}x / <=${GOAL.rss}x`;
  return [c.name, ms.toFixed(1), (rss / 1024).toFixed(1), c.baseline ? '1.00x' : `${tr.toFixed(2)}x`, c.baseline ? '1.00x' : `${mr.toFixed(2)}x`, goal, ok];
});
const header = ['command', 'median ms', 'peak RSS MB', 'time ratio', 'RSS ratio', 'goal time / RSS', 'verdict'];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
const line = (r) => r.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  ').trimEnd();

console.log(`mycli start-up benchmark — node ${process.version}, ${RUNS} runs per case (median), ${WARMUP} warm-up runs`);
console.log(`memory: ${METHOD}; wall time: spawn to exit, measured by this script`);
console.log('');
console.log(line(header));
console.log(line(widths.map((w) => '-'.repeat(w))));
for (const r of rows) console.log(line(r));
const over = rows.filter((r) => r[6] === 'OVER').map((r) => r[0]);
console.log('');
console.log(over.length ? `above target: ${over.join(', ')}` : 'all commands within their targets');
if (prepared.some((c) => c.info)) {
  console.log('NODE_EXTRA_CA_CERTS is set: every Node start (the baseline too) reads those certificates first; the row without it shows how much of `node -e 0` that is.');
}
