/**
 * versions rollout with analysis gates, against a traffic model (test/helpers/traffic-model.ts)
 * on the local backend given the health capability: the live split decides each version's
 * share. Time is the fake world's (no real waits); notifications go to a real HTTP server on
 * 127.0.0.1.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeProject, type Project } from '../helpers/cli.js';
import { put, liveSplit, twoVersions } from '../helpers/scenarios.js';
import { fakeWorld, ROLLOUT_ID, runRollout, runRolloutStatus } from '../helpers/rollout.js';
import { trafficModel, withTraffic, type TrafficModel } from '../helpers/traffic-model.js';
import { LocalBackend } from '../../src/backends/local/backend.js';
import type { Backend } from '../../src/backends/types.js';
import type { Measurement } from '../../src/commands/versions/rollout/observe.js';

const MIN = 60_000;
const SECRET = 'analysis-secret-value-0042';

async function setup(): Promise<{ p: Project; v1: string; v2: string }> {
  const p = makeProject();
  await put(p, 'API_KEY', SECRET);
  const { v1, v2 } = await twoVersions(p);
  return { p, v1, v2 };
}

/** The local backend of `p` with the health capability answering from `model`. */
function traffic(p: Project, model: TrafficModel) {
  return () => withTraffic(new LocalBackend({ env: { PATH: process.env.PATH, ...p.env } }) as Backend, model);
}

const healthy = (v1: string, v2: string, rps = 100) =>
  trafficModel(rps, { [v1]: { failureRate: 0.001, p99: 50 }, [v2]: { failureRate: 0.001, p99: 55 } });

const gates = { maxErrorIncrease: '0.5', maxP99: '200', interval: '1m' };

describe('versions rollout: analysis gates', () => {
  it('a healthy new version completes; every measurement is in the output and in steps[].analysis[]', async () => {
    const { p, v1, v2 } = await setup();
    const model = healthy(v1, v2);
    const r = await runRollout(p, { version: v2, steps: '10,50', wait: '5m', ...gates }, fakeWorld(), { json: true, inject: traffic(p, model) });
    expect(r.code, r.all).toBe(0);
    const doc = r.json();
    expect(doc.outcome).toBe('completed');
    // 5 measurements per step (every minute of a 5-minute wait), each one query covering both versions.
    expect(doc.steps.map((s: { analysis: unknown[] }) => s.analysis.length)).toEqual([5, 5, 5]);
    expect(model.queries).toHaveLength(15);
    for (const q of model.queries) expect(q.versionIds).toEqual([v2, v1]);
    const last: Measurement = doc.steps[0].analysis[4];
    expect(last).toMatchObject({ phase: 'step', percent: 10, verdict: 'pass' });
    expect(Date.parse(last.window.to) - Date.parse(last.window.from)).toBe(5 * MIN);
    // 100 rps for 5 minutes, 10% to the new version: 3,000 invocations, 3 failures.
    expect(last.versions).toEqual([
      { versionId: v2, role: 'new', invocations: 3000, failures: 3, rate: 0.001, p99: 55, cpuP99: 5.5, sampled: false },
      { versionId: v1, role: 'stable', invocations: 27000, failures: 27, rate: 0.001, p99: 50, cpuP99: 5, sampled: false },
    ]);
    expect(last.gates.map((g) => [g.gate, g.verdict])).toEqual([
      ['max-error-increase', 'pass'],
      ['max-p99', 'pass'],
    ]);
    // Early in a step there is too little data to say: inconclusive, and the rollout waits on.
    expect(doc.steps[0].analysis[0].verdict).toBe('inconclusive');
    // At 100% the stable version serves nothing: the relative gate compares with its last window.
    expect(doc.steps[2].analysis[4]).toMatchObject({ percent: 100, baseline: 'earlier window', verdict: 'pass' });
    expect(r.stderr).toMatch(/measurement at 10% \(5m window\): pass · version 3: 3\/3000 failed \(0\.1%\), p99 55ms · version 2: 27\/27000 failed/);
    expect(r.stderr).toContain('gate: traffic analysis every 1m: failure rate at most 0.5 points above the stable version');
    expect(await liveSplit(p)).toEqual([[v2, 100]]);
    expect(r.all).not.toContain(SECRET);
  });

  it('a failing new version is rolled back within two intervals (--failure-limit 1 tolerates one failing measurement)', async () => {
    const { p, v1, v2 } = await setup();
    const model = trafficModel(100, { [v1]: { failureRate: 0.001, p99: 50 }, [v2]: { failureRate: 0.1, p99: 50 } });
    const world = fakeWorld();
    const t0 = world.now();
    const r = await runRollout(p, { version: v2, steps: '10,50', wait: '10m', ...gates }, world, { json: true, inject: traffic(p, model) });
    expect(r.code, r.all).toBe(1);
    const doc = r.json();
    expect(doc.outcome).toBe('rolled_back');
    expect(doc.steps).toHaveLength(1);
    expect(doc.steps[0].analysis.map((m: Measurement) => m.verdict)).toEqual(['fail', 'fail']);
    expect(world.now() - t0).toBe(2 * MIN);
    expect(doc.failure).toMatchObject({ kind: 'analysis', step: 1, percent: 10 });
    expect(doc.error.message).toMatch(/gate analysis failed at step 1\/3 \(10%\): failure rate 10% \(120\/1200\) against 0\.102% \(11\/10800\) is more than 0\.5 percentage points above version 2 with 95% confidence/);
    expect(await liveSplit(p)).toEqual([[v1, 100]]);
    // --failure-limit 0: the first failing measurement acts.
    const { p: p2, v1: a, v2: b } = await setup();
    const m2 = trafficModel(100, { [a]: { failureRate: 0.001, p99: 50 }, [b]: { failureRate: 0.1, p99: 50 } });
    const r2 = await runRollout(p2, { version: b, steps: '10,50', wait: '10m', ...gates, failureLimit: '0' }, fakeWorld(), { json: true, inject: traffic(p2, m2) });
    expect(r2.code, r2.all).toBe(1);
    expect(r2.json().steps[0].analysis).toHaveLength(1);
  });

  it('low traffic is inconclusive and holds the split (default --inconclusive hold), with the command to continue', async () => {
    const { p, v1, v2 } = await setup();
    const model = healthy(v1, v2, 1);
    const r = await runRollout(p, { version: v2, steps: '10,50', wait: '5m', ...gates }, fakeWorld(), { json: true, inject: traffic(p, model), config: 'wrangler.toml' });
    expect(r.code, r.all).toBe(1);
    const doc = r.json();
    expect(doc.outcome).toBe('held');
    expect(doc.failure).toMatchObject({ kind: 'analysis', verdict: 'inconclusive', percent: 10 });
    expect(doc.error.message).toMatch(/inconclusive: 30 invocations of version 3 \(fewer than --min-requests 100\)/);
    expect(doc.continueCommand).toBe(
      `mycli versions rollout ${v2.slice(0, 8)} --steps 10,50,100 --wait 5m --max-error-increase 0.5 --max-p99 200 --min-requests 100 --interval 1m --failure-limit 1 --inconclusive hold --on-fail rollback -c wrangler.toml`,
    );
    expect(doc.error.hint).toContain(doc.continueCommand);
    expect(await liveSplit(p)).toEqual([
      [v2, 10],
      [v1, 90],
    ]);
    // --inconclusive continue goes on; rollback returns to the stable version.
    const { p: pc, v1: c1, v2: c2 } = await setup();
    const go = await runRollout(pc, { version: c2, steps: '10', wait: '5m', ...gates, inconclusive: 'continue' }, fakeWorld(), { json: true, inject: traffic(pc, healthy(c1, c2, 1)) });
    expect(go.code, go.all).toBe(0);
    expect(go.stderr).toMatch(/inconclusive: .*going on \(--inconclusive continue\)/);
    const { p: pr, v1: r1, v2: r2 } = await setup();
    const back = await runRollout(pr, { version: r2, steps: '10', wait: '5m', ...gates, inconclusive: 'rollback' }, fakeWorld(), { json: true, inject: traffic(pr, healthy(r1, r2, 1)) });
    expect(back.code, back.all).toBe(1);
    expect(back.json().outcome).toBe('rolled_back');
    expect(await liveSplit(pr)).toEqual([[r1, 100]]);
  });

  it('what the backend cannot measure is named and inconclusive, never healthy', async () => {
    const { p, v1, v2 } = await setup();
    const model = healthy(v1, v2);
    model.unavailable = { reason: 'observability_disabled', message: 'Workers Observability is not enabled on Worker "my-worker"', hint: 'add [observability] enabled = true' };
    const r = await runRollout(p, { version: v2, steps: '10', wait: '2m', ...gates }, fakeWorld(), { json: true, inject: traffic(p, model) });
    expect(r.code, r.all).toBe(1);
    expect(r.json().outcome).toBe('held');
    expect(r.json().steps[0].analysis[1]).toMatchObject({ verdict: 'inconclusive', reason: 'Workers Observability is not enabled on Worker "my-worker" (add [observability] enabled = true)' });
  });

  it('a failure during the bake after 100% rolls back to the stable version', async () => {
    const { p, v1, v2 } = await setup();
    const model = healthy(v1, v2);
    // Waits tick every minute: 5 ticks at 50%, 5 at 100%, then the bake. The new version starts failing in the bake.
    const world = fakeWorld({ onWait: (i) => void (i === 10 ? (model.versions[v2].failureRate = 0.05) : undefined) });
    const r = await runRollout(p, { version: v2, steps: '50', wait: '5m', ...gates, bake: '10m' }, world, { json: true, inject: traffic(p, model) });
    expect(r.code, r.all).toBe(1);
    const doc = r.json();
    expect(doc.outcome).toBe('rolled_back');
    expect(doc.failure).toMatchObject({ kind: 'analysis', step: 2, percent: 100 });
    expect(doc.error.message).toContain('during the bake');
    const bake = doc.steps[1].analysis.filter((m: Measurement) => m.phase === 'bake');
    expect(bake.length).toBeGreaterThanOrEqual(1);
    expect(bake.at(-1)).toMatchObject({ verdict: 'fail', baseline: 'earlier window' });
    expect(await liveSplit(p)).toEqual([[v1, 100]]);
  });

  it('the local backend has no traffic: analysis flags exit 2 naming the health capability, nothing deployed', async () => {
    const { p, v1 } = await setup();
    const r = await p.run(['versions', 'rollout', 'latest', '--max-error-rate', '1', '--yes']);
    expect(r.code, r.all).toBe(2);
    expect(r.stderr).toMatch(/the local backend cannot measure traffic, so the analysis gates \(--max-error-rate\) cannot be judged: it lacks the health capability/);
    expect(await liveSplit(p)).toEqual([[v1, 100]]);
  });

  it('bad analysis flags are usage errors (exit 2)', async () => {
    const { p } = await setup();
    for (const [args, msg] of [
      [['--max-error-rate', 'lots'], /--max-error-rate "lots" is not a number from 0 to 100/],
      [['--inconclusive', 'maybe', '--max-p99', '100'], /--inconclusive "maybe" is not hold, rollback or continue/],
      [['--interval', '1m'], /--interval needs an analysis gate/],
      [['--bake', '5m'], /--bake needs an analysis gate/],
      [['--pause-at', '30'], /--pause-at 30% is not one of the steps \(10%, 50%, 100%\)/],
      [['--notify', 'slack'], /--notify "slack" is not an http\(s\) URL/],
      [['--max-p99', '100', '--wait', '0'], /analysis gates need time to measure, and --wait is 0/],
    ] as const) {
      const r = await p.run(['versions', 'rollout', 'latest', ...args, '--yes']);
      expect(r.code, `${args.join(' ')}: ${r.all}`).toBe(2);
      expect(r.stderr).toMatch(msg);
    }
  });
});

describe('versions rollout: notifications', () => {
  let server: Server;
  let url = '';
  const bodies: Record<string, unknown>[] = [];
  let mode: 'ok' | 'hang' | '500' = 'ok';
  let attempts = 0;
  beforeAll(async () => {
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        attempts++;
        if (mode === 'hang') return;
        if (mode === '500') {
          res.writeHead(500).end('no');
          return;
        }
        bodies.push(JSON.parse(Buffer.concat(chunks).toString('utf8')));
        res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/services/T000/B000/hook-secret-path`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
  });

  it('one JSON event per step, measurement, pause and end, each with a readable text; no secret value in any', async () => {
    const { p, v1, v2 } = await setup();
    mode = 'ok';
    bodies.length = 0;
    const r = await runRollout(p, { version: v2, steps: '10,50', wait: '2m', ...gates, notify: [url], pauseAt: '50' }, fakeWorld(), { json: true, inject: traffic(p, healthy(v1, v2)) });
    expect(r.code, r.all).toBe(0);
    expect(r.json().outcome).toBe('paused');
    expect(bodies.map((b) => `${b.type}${b.verdict ? `:${b.verdict}` : ''}`)).toEqual([
      'start',
      'step',
      'measurement:inconclusive',
      'measurement:pass',
      'step',
      'measurement:pass',
      'measurement:pass',
      'pause',
    ]);
    for (const b of bodies) {
      expect(b).toMatchObject({ rolloutId: ROLLOUT_ID, worker: 'my-worker', version: v2, stable: v1 });
      expect(typeof b.text).toBe('string');
      expect(b.text).toMatch(new RegExp(`^mycli rollout ${ROLLOUT_ID} of my-worker: `));
      expect(b.content).toBe(b.text);
    }
    expect(bodies[1].text).toBe(`mycli rollout ${ROLLOUT_ID} of my-worker: step 1/3: version 3 at 10%`);
    expect(bodies.at(-1)!.text).toMatch(/paused after step 2\/3 \(50%\) as --pause-at asked; continue with mycli versions rollout/);
    expect(JSON.stringify(bodies)).not.toContain(SECRET);
    // The webhook URL's path is its secret: the plan shows only where it goes, and nothing prints the path.
    expect(r.stderr).toContain(`notify: ${new URL(url).origin}`);
    expect(r.all).not.toContain('hook-secret-path');
    expect(r.stderr).toContain('add your --notify URL again: mycli does not print it');
  });

  it('a hanging or failing endpoint never blocks or fails the rollout: bounded, retried once, noted under --debug', async () => {
    for (const m of ['hang', '500'] as const) {
      const { p, v1, v2 } = await setup();
      mode = m;
      attempts = 0;
      const world = fakeWorld();
      world.deps.notifyTimeoutMs = 100;
      const r = await runRollout(p, { version: v2, steps: '50', wait: '1m', ...gates, notify: [url] }, world, { json: true, debug: true, inject: traffic(p, healthy(v1, v2)) });
      expect(r.code, r.all).toBe(0);
      expect(r.json().outcome).toBe('completed');
      expect(r.stderr).toMatch(m === 'hang' ? /notify http:\/\/127\.0\.0\.1:\d+: start event failed \(no answer within 100ms\); retrying once/ : /notify http:\/\/127\.0\.0\.1:\d+: start event answered HTTP 500; retrying once/);
      expect(r.stderr).toMatch(/given up/);
      expect(attempts).toBeGreaterThanOrEqual(2);
      expect(r.all).not.toContain('hook-secret-path');
    }
    mode = 'ok';
  });
});

describe('versions rollout: pause, continue, abort from elsewhere, status', () => {
  it('--pause-at stops after the step (outcome paused, exit 0); the same command again continues to 100% without pausing there again', async () => {
    const { p, v1, v2 } = await setup();
    const model = healthy(v1, v2);
    const flags = { version: v2, steps: '10,50', wait: '2m', ...gates, pauseAt: '10' };
    const paused = await runRollout(p, flags, fakeWorld(), { json: true, inject: traffic(p, model) });
    expect(paused.code, paused.all).toBe(0);
    expect(paused.json().outcome).toBe('paused');
    expect(paused.stderr).toMatch(/paused after step 1\/3 \(10%\) as --pause-at asked; continue with `mycli versions rollout \S+ --steps 10,50,100 --wait 2m .*--pause-at 10 /);
    expect(await liveSplit(p)).toEqual([
      [v2, 10],
      [v1, 90],
    ]);
    const again = await runRollout(p, flags, fakeWorld(), { json: true, inject: traffic(p, model) });
    expect(again.code, again.all).toBe(0);
    expect(again.json().outcome).toBe('completed');
    expect(again.stderr).toContain('resuming at step 1/3 (10%)');
    expect(await liveSplit(p)).toEqual([[v2, 100]]);
  });

  it('a continuation with fewer gates than the live rollout started with says so and needs confirmation', async () => {
    const { p, v1, v2 } = await setup();
    const model = healthy(v1, v2, 1);
    const held = await runRollout(p, { version: v2, steps: '10,50', wait: '5m', ...gates, check: 'true' }, fakeWorld(), { json: true, inject: traffic(p, model) });
    expect(held.json().outcome).toBe('held');
    const before = await liveSplit(p);
    // What the old hint printed: no gates at all. Without --yes and no terminal: refused, nothing deployed.
    const bare = await runRollout(p, { version: v2.slice(0, 8) }, fakeWorld(), { json: true, yes: false, inject: traffic(p, model) });
    expect(bare.code, bare.all).toBe(2);
    expect(bare.stderr).toMatch(/other gates than the live rollout's: the live rollout started with --check, --max-error-increase, --max-p99; this run has no gates \(without --check, --max-error-increase, --max-p99\)/);
    expect(bare.json().error.message).toMatch(/continuing a rollout with fewer or other gates than it started with needs confirmation/);
    expect(await liveSplit(p)).toEqual(before);
    // Other thresholds are a difference too.
    const other = await runRollout(p, { version: v2, steps: '10,50', wait: '5m', ...gates, maxErrorIncrease: '5', check: 'true' }, fakeWorld(), { json: true, yes: false, inject: traffic(p, model) });
    expect(other.code).toBe(2);
    expect(other.stderr).toMatch(/started with --check, --max-error-increase, --max-p99 at other settings/);
    // The printed command carries the same plan: no such question (it still holds on low traffic).
    const same = await runRollout(p, { version: v2, steps: '10,50', wait: '5m', ...gates, check: 'true' }, fakeWorld(), { json: true, inject: traffic(p, model) });
    expect(same.stderr).not.toMatch(/other gates/);
    expect(same.json().outcome).toBe('held');
  });

  it('`rollout abort` from another shell during a wait stops the running rollout within one poll (outcome aborted, exit 5), touching nothing', async () => {
    const { p, v1, v2 } = await setup();
    let abortedAt = 0;
    const world = fakeWorld({
      onWait: async (i) => {
        if (i !== 2) return;
        const ab = await p.run(['versions', 'rollout', 'abort', '--yes', '-m', 'from the other shell']);
        expect(ab.code, ab.all).toBe(0);
        abortedAt = world.now();
      },
    });
    const r = await runRollout(p, { version: v2, steps: '10,50', wait: '10m', check: 'true' }, world, { json: true, inject: traffic(p, healthy(v1, v2)) });
    expect(r.code, r.all).toBe(5);
    expect(r.json().outcome).toBe('aborted');
    expect(r.json().error.message).toMatch(new RegExp(`rollout ${ROLLOUT_ID} was aborted from elsewhere: .*from the other shell.*; stopped while waiting after step 1/3 \\(10%\\) without touching it`));
    expect(world.now() - abortedAt).toBeLessThanOrEqual(60_000);
    expect(r.json().steps).toHaveLength(1);
    expect(r.json().steps[0].gates).toEqual([]);
    expect(await liveSplit(p)).toEqual([[v1, 100]]);
  });

  it('status shows the latest measurements per version with a sparkline of the failure rate per interval; the series in --json', async () => {
    const { p, v1, v2 } = await setup();
    const model = healthy(v1, v2);
    model.versions[v2].failureRate = 0.004;
    const paused = await runRollout(p, { version: v2, steps: '10,50', wait: '5m', ...gates, maxErrorIncrease: '1', pauseAt: '10' }, fakeWorld(), { json: true, inject: traffic(p, model) });
    expect(paused.json().outcome).toBe('paused');
    // Ten minutes after the step went live.
    const later = { now: () => Date.now() + 10 * MIN, sleep: async () => undefined };
    const human = await runRolloutStatus(p, later, { tty: true, inject: traffic(p, model) });
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout).toMatch(/measured over the live step \(10m\d*s?\): 1[01] intervals of 1m/);
    expect(human.stdout).toMatch(/version 3 \(new\)\s+\d+\/\d+ failed \(0\.4%\)\s+p99 55ms\s+[▁▂▃▄▅▆▇█]{10,}/);
    expect(human.stdout).toMatch(/version 2 \(stable\)\s+\d+\/\d+ failed \(0\.1%\)\s+p99 50ms\s+[▁▂▃▄▅▆▇█]{10,}/);
    const doc = await runRolloutStatus(p, later, { json: true, inject: traffic(p, model) });
    const h = doc.json().rollout.health;
    expect(h.versions.map((v: { versionId: string; role: string }) => [v.versionId, v.role])).toEqual([
      [v2, 'new'],
      [v1, 'stable'],
    ]);
    expect(h.versions[0].series.length).toBeGreaterThanOrEqual(10);
    for (const pt of h.versions[0].series) expect(pt).toEqual({ from: expect.any(String), to: expect.any(String), invocations: expect.any(Number), failures: expect.any(Number), rate: expect.any(Number) });
    expect(h.versions[0].rate).toBeCloseTo(0.004, 3);
    // On a backend without the health capability, status says so and shows the rest.
    const plain = await runRolloutStatus(p, later, { json: true });
    expect(plain.code, plain.stderr).toBe(0);
    expect(plain.json().rollout.health).toBeNull();
  });
});
