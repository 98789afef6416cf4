#!/usr/bin/env node
/**
 * npm run bench (second part) — how the local store scales with its history (issue 7).
 *
 * Prints, as ratios measured in the same run (benchmarks, not tests):
 *   1. bytes added per single-secret version, on a Worker with 20 secrets of 4 KB (aim <= 16 KB);
 *   2. `secret put` and `secret list` (the built CLI) at 1,000 versions vs 10 (aim <= 1.3x);
 *   3. the first page of `versions list` at 10,000 versions vs 10 (aim <= 1.3x);
 *   4. `mycli serve` secret-PUT throughput, 10 clients, at 1,000 versions vs 10 (aim >= 0.7x);
 *   5. p50 of 50 concurrent GETs right after a PUT vs without one (aim <= 3x);
 *   6. reads that show one thing (issue 16, item 7) at 2,000 versions and deployments vs 10:
 *      `versions view <id>`, `versions view 1`, `deployments list --limit 5`, piped
 *      `versions list --limit 50` (aim <= 1.3x each), and piped `versions list` of every row
 *      (shown, no aim: it prints every row, so it reads every version).
 *   7. the Secrets Store (issue 21 item 2): `secrets-store secret create` and `secret list` (the
 *      built CLI) in a store of SS_MID secrets vs 10 (aim <= 1.3x), and each beside a Worker
 *      `secret put` measured in the same run (shown: the ratio to compare across mycli builds).
 * Big histories are built through the store's API (src/backends/local, bundled here with
 * esbuild), many versions per commit, rather than with thousands of CLI runs.
 * Options: --runs N (CLI runs per case, default 9), --quick (smaller histories: 300 / 2,000),
 * --only bytes|cli|list|serve|reads|secrets-store (one part).
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { randomBytes } from 'node:crypto';
import { build } from 'esbuild';

const REPO = fileURLToPath(new URL('..', import.meta.url));
const BIN = join(REPO, 'bin', 'mycli.js');
const argRuns = process.argv.indexOf('--runs');
const RUNS = Number(argRuns > 0 ? process.argv[argRuns + 1] : process.env.BENCH_RUNS ?? 9);
const QUICK = process.argv.includes('--quick');
const argOnly = process.argv.indexOf('--only');
const ONLY = argOnly > 0 ? process.argv[argOnly + 1] : undefined;
const part = (name) => !ONLY || ONLY === name;
const MID = QUICK ? 300 : 1_000;
const BIG = QUICK ? 2_000 : 10_000;
const KEY = randomBytes(32).toString('hex');
const ACCOUNT = '00000000000000000000000000000001';
const TOKEN = 'bench-token-0123456789';

const work = mkdtempSync(join(tmpdir(), 'mycli-bench-store-'));
process.on('exit', () => rmSync(work, { recursive: true, force: true }));

// The store's API, bundled from src/ (no second copy of the code to keep in step).
const bundle = join(work, 'local.mjs');
await build({ entryPoints: [join(REPO, 'src/backends/local/backend.ts')], bundle: true, platform: 'node', format: 'esm', target: 'node20', outfile: bundle, logLevel: 'warning' });
const { LocalBackend } = await import(pathToFileURL(bundle).href);

const env = { MYCLI_LOCAL_KEY: KEY, MYCLI_AUTHOR: 'bench' };
const median = (a) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];
const sizeOf = (dir) => readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).reduce((n, e) => n + statSync(join(e.parentPath, e.name)).size, 0);
const blocksOf = (dir) => readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).reduce((n, e) => n + statSync(join(e.parentPath, e.name)).blocks * 512, 0);

function project(name) {
  const dir = join(work, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'wrangler.toml'), `name = "bench"\n`);
  return { dir, target: { worker: 'bench', projectDir: dir, declared: true } };
}

/** A Worker with `n` versions: 5 secrets, one changed per version; the latest deployed. */
async function history(name, n, o = {}) {
  const p = project(name);
  const backend = new LocalBackend({ env });
  const store = backend.store(p.target);
  await backend.updateSecrets(p.target, Object.fromEntries(Array.from({ length: 5 }, (_, i) => [`S_${i}`, `value-${i}`])), { deploy: true });
  let made = 1;
  while (made < n) {
    const batch = Math.min(500, n - made);
    await store.change(async (tx) => {
      const w = tx.worker('bench');
      let latest = await store.namedVersion(w.latest, 'bench');
      for (let i = 0; i < batch; i++) {
        const value = `v-${made + i}`;
        const bindings = latest.bindings.map((b) => (b.name === 'S_0' ? { type: 'secret_text', name: 'S_0', blob: blobFor(tx, value) } : b));
        latest = tx.addVersion('bench', { createdOn: new Date().toISOString(), author: 'bench', source: 'secret', bindings });
        if (o.deployEach) tx.addDeployment('bench', { createdOn: new Date().toISOString(), author: 'bench', source: 'secret', versions: [{ versionId: latest.id, percentage: 100 }] });
      }
      tx.addDeployment('bench', { createdOn: new Date().toISOString(), author: 'bench', source: 'secret', versions: [{ versionId: latest.id, percentage: 100 }] });
    });
    made += batch;
  }
  return p;

  function blobFor(tx, value) {
    // The same sealing as a put (crypto.js is bundled with the backend).
    return backend.secretBinding(tx, 'bench', 'S_0', value, backend.requireKey(store.dir)).blob;
  }
}

function runCli(args, cwd, input) {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, [BIN, ...args], { cwd, env: { PATH: process.env.PATH, HOME: work, ...env }, stdio: ['pipe', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    child.stdin.end(input ?? '');
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(performance.now() - t0) : reject(new Error(`${args.join(' ')}: exit ${code}: ${err}`))));
  });
}

/** Median wall time of each command, runs interleaved so that machine noise hits both alike. */
async function compare(cases) {
  const times = cases.map(() => []);
  for (let r = 0; r < RUNS + 1; r++) {
    for (const [i, c] of cases.entries()) {
      const ms = await runCli(c.args(r), c.dir, c.input?.(r));
      if (r > 0) times[i].push(ms); // the first run is a warm-up
    }
  }
  return times.map(median);
}

const rows = [];
const report = (what, value, aim, ok) => rows.push([what, value, aim, ok ? 'ok' : 'MISSED']);

// 1. bytes per single-secret version, 20 secrets of 4 KB.
if (part('bytes')) {
  const p = project('bytes');
  const backend = new LocalBackend({ env });
  const secrets = Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`K_${i}`, randomBytes(3072).toString('base64')]));
  await backend.updateSecrets(p.target, secrets, { deploy: true });
  const dir = join(p.dir, '.mycli');
  const before = sizeOf(dir);
  const beforeBlocks = blocksOf(dir);
  const N = 20;
  for (let i = 0; i < N; i++) await backend.updateSecrets(p.target, { [`K_${i % 20}`]: randomBytes(3072).toString('base64') }, { deploy: true });
  const per = (sizeOf(dir) - before) / N;
  const perBlocks = (blocksOf(dir) - beforeBlocks) / N;
  report(`bytes per single-secret version (20 x 4 KB secrets; on disk in blocks: ${(perBlocks / 1024).toFixed(1)} KB)`, `${(per / 1024).toFixed(1)} KB`, '<= 16 KB', per <= 16 * 1024);
}

// 2. secret put / secret list at MID vs 10 versions.
const small = await history('small', 10);
const mid = ONLY === 'bytes' || ONLY === 'list' || ONLY === 'reads' || ONLY === 'secrets-store' ? undefined : await history('mid', MID);
if (part('cli')) {
  const [putS, putM] = await compare([
    { dir: small.dir, args: (r) => ['secret', 'put', `P_${r % 3}`], input: (r) => `put-${r}` },
    { dir: mid.dir, args: (r) => ['secret', 'put', `P_${r % 3}`], input: (r) => `put-${r}` },
  ]);
  report(`secret put at ${MID} vs 10 versions (${putM.toFixed(0)} vs ${putS.toFixed(0)} ms)`, `${(putM / putS).toFixed(2)}x`, '<= 1.3x', putM / putS <= 1.3);
  const [listS, listM] = await compare([
    { dir: small.dir, args: () => ['secret', 'list'] },
    { dir: mid.dir, args: () => ['secret', 'list'] },
  ]);
  report(`secret list at ${MID} vs 10 versions (${listM.toFixed(0)} vs ${listS.toFixed(0)} ms)`, `${(listM / listS).toFixed(2)}x`, '<= 1.3x', listM / listS <= 1.3);
}

// 3. versions list, first page, at BIG vs 10.
if (part('list')) {
  const big = await history('big', BIG);
  const [s, b] = await compare([
    { dir: small.dir, args: () => ['versions', 'list', '--limit', '50'] },
    { dir: big.dir, args: () => ['versions', 'list', '--limit', '50'] },
  ]);
  report(`versions list (first page) at ${BIG} vs 10 versions (${b.toFixed(0)} vs ${s.toFixed(0)} ms)`, `${(b / s).toFixed(2)}x`, '<= 1.3x', b / s <= 1.3);
}

// 6. reads that show one thing, at READS versions (each deployed) vs 10.
if (part('reads')) {
  const READS = 2_000;
  const few = await history('reads-small', 10, { deployEach: true });
  const many = await history('reads-big', READS, { deployEach: true });
  const backend = new LocalBackend({ env });
  const oldest = async (p) => (await backend.listVersions(p.target)).at(-1).id;
  const ids = [await oldest(few), await oldest(many)];
  const cases = [
    ['versions view <id>', (i) => ['versions', 'view', ids[i]]],
    ['versions view 1', () => ['versions', 'view', '1']],
    ['deployments list --limit 5', () => ['deployments', 'list', '--limit', '5']],
    ['piped versions list --limit 50', () => ['versions', 'list', '--limit', '50']],
    ['piped versions list (every row)', () => ['versions', 'list'], true],
  ];
  for (const [what, args, noAim] of cases) {
    const [s, b] = await compare([
      { dir: few.dir, args: () => args(0) },
      { dir: many.dir, args: () => args(1) },
    ]);
    if (noAim) report(`${what} at ${READS} vs 10 versions (${b.toFixed(0)} vs ${s.toFixed(0)} ms; ${READS / 10}x the rows)`, `${(b / s).toFixed(2)}x`, 'shown', true);
    else report(`${what} at ${READS} vs 10 versions (${b.toFixed(0)} vs ${s.toFixed(0)} ms)`, `${(b / s).toFixed(2)}x`, '<= 1.3x', b / s <= 1.3);
  }
}

// 7. the Secrets Store at SS_MID secrets vs 10 (made through the backend's Secrets Store API).
if (part('secrets-store')) {
  const SS_MID = QUICK ? 100 : 300;
  const storeOf = async (name, n) => {
    const p = project(name);
    const ss = new LocalBackend({ env }).secretsStore;
    const store = await ss.createStore(p.target, 'bench');
    for (let i = 0; i < n; i++) await ss.createSecret(p.target, store.id, { name: `S_${i}`, value: `value-${i}-${'x'.repeat(200)}`, scopes: ['workers'] });
    return p;
  };
  const few = await storeOf('ss-small', 10);
  const many = await storeOf('ss-mid', SS_MID);
  let made = 0;
  const [putW, createS, createM] = await compare([
    { dir: small.dir, args: (r) => ['secret', 'put', `P_${r % 3}`], input: (r) => `put-${r}` },
    { dir: few.dir, args: () => ['secrets-store', 'secret', 'create', `NEW_${made++}`, '--store', 'bench', '--scopes', 'workers'], input: (r) => `new-${r}` },
    { dir: many.dir, args: () => ['secrets-store', 'secret', 'create', `NEW_${made++}`, '--store', 'bench', '--scopes', 'workers'], input: (r) => `new-${r}` },
  ]);
  report(`secrets-store secret create at ${SS_MID} vs 10 secrets (${createM.toFixed(0)} vs ${createS.toFixed(0)} ms)`, `${(createM / createS).toFixed(2)}x`, '<= 1.3x', createM / createS <= 1.3);
  report(`secrets-store secret create (10 secrets) vs a Worker secret put in the same run (${createS.toFixed(0)} vs ${putW.toFixed(0)} ms)`, `${(createS / putW).toFixed(2)}x`, 'shown', true);
  const [listW, listS, listM] = await compare([
    { dir: small.dir, args: () => ['secret', 'list'] },
    { dir: few.dir, args: () => ['secrets-store', 'secret', 'list', '--store', 'bench'] },
    { dir: many.dir, args: () => ['secrets-store', 'secret', 'list', '--store', 'bench'] },
  ]);
  report(`secrets-store secret list at ${SS_MID} vs 10 secrets (${listM.toFixed(0)} vs ${listS.toFixed(0)} ms)`, `${(listM / listS).toFixed(2)}x`, '<= 1.3x', listM / listS <= 1.3);
  report(`secrets-store secret list (10 secrets) vs a Worker secret list in the same run (${listS.toFixed(0)} vs ${listW.toFixed(0)} ms)`, `${(listS / listW).toFixed(2)}x`, 'shown', true);
}

// 4 and 5. mycli serve.
async function serve(dir) {
  const child = spawn(process.execPath, [BIN, 'serve', '--port', '0'], { cwd: dir, env: { PATH: process.env.PATH, HOME: work, ...env, MYCLI_SERVE_TOKEN: TOKEN }, stdio: ['ignore', 'pipe', 'pipe'] });
  const base = await new Promise((resolve, reject) => {
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d) => {
      out += d;
      if (out.includes('\n')) resolve(out.split('\n')[0].trim());
    });
    child.once('exit', (code) => reject(new Error(`serve exited ${code}`)));
  });
  const call = async (method, path, body) => {
    const t0 = performance.now();
    const res = await fetch(`${base}/accounts/${ACCOUNT}/workers/scripts/bench${path}`, {
      method,
      headers: { authorization: `Bearer ${TOKEN}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`${method} ${path}: ${res.status}`);
    return performance.now() - t0;
  };
  return { call, stop: () => new Promise((r) => (child.once('exit', r), child.kill('SIGTERM'))) };
}

async function putThroughput(s, total = 200, clients = 10) {
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async () => {
      for (let i = next++; i < total; i = next++) await s.call('PUT', '/secrets', { name: `T_${i % 8}`, text: `t-${i}`, type: 'secret_text' });
    }),
  );
  return total / ((performance.now() - t0) / 1000);
}

if (part('serve')) {
  const ss = await serve(small.dir);
  const sm = await serve(mid.dir);
  await putThroughput(ss, 20);
  await putThroughput(sm, 20);
  // Alternating rounds, so that machine noise hits both stores alike.
  const rs = [];
  const rm = [];
  for (let round = 0; round < 5; round++) {
    rs.push(await putThroughput(ss, 50));
    rm.push(await putThroughput(sm, 50));
  }
  const rpsS = median(rs);
  const rpsM = median(rm);
  report(`serve PUT throughput, 10 clients, at ${MID} vs 10 versions (${rpsM.toFixed(0)} vs ${rpsS.toFixed(0)} req/s)`, `${(rpsM / rpsS).toFixed(2)}x`, '>= 0.7x', rpsM / rpsS >= 0.7);

  const burst = () => Promise.all(Array.from({ length: 50 }, () => sm.call('GET', '/secrets')));
  const quiet = [];
  const after = [];
  for (let round = 0; round < 7; round++) {
    quiet.push(...(await burst()));
    await sm.call('PUT', '/secrets', { name: 'AFTER', text: `a-${round}`, type: 'secret_text' });
    after.push(...(await burst()));
  }
  const q = median(quiet);
  const a = median(after);
  report(`p50 of 50 concurrent GETs right after a PUT vs without (${a.toFixed(1)} vs ${q.toFixed(1)} ms, ${MID} versions)`, `${(a / q).toFixed(2)}x`, '<= 3x', a / q <= 3);
  await ss.stop();
  await sm.stop();
}

console.log('');
console.log(`mycli local store scale benchmark — node ${process.version}, ${RUNS} CLI runs per case (median)${QUICK ? ', --quick' : ''}`);
console.log('');
const header = ['figure', 'value', 'aim', 'verdict'];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
const line = (r) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
console.log(line(header));
console.log(line(widths.map((w) => '-'.repeat(w))));
for (const r of rows) console.log(line(r));
