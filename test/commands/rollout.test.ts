/**
 * versions rollout on the local backend, with an injected clock and signal source: no test
 * waits for real time. Gates are real child processes and a real HTTP server on 127.0.0.1.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { existsSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeProject, type Project } from '../helpers/cli.js';
import { deploy, liveSplit, twoVersions } from '../helpers/scenarios.js';
import { fakeWorld, fileExists, processGone, ROLLOUT_ID, runRollout, until } from '../helpers/rollout.js';
import { parseFlags } from '../../src/commands/versions/rollout/run.js';
import { gatesTag } from '../../src/commands/versions/rollout/continuation.js';

interface DeploymentJson {
  id: string;
  message: string | null;
  versions: { versionId: string; percentage: number }[];
}

async function deploymentsOf(p: Project): Promise<DeploymentJson[]> {
  const r = await p.run(['deployments', 'list', '--json']);
  expect(r.code, r.stderr).toBe(0);
  return r.json().deployments;
}

async function setup(): Promise<{ p: Project; v1: string; v2: string }> {
  const p = makeProject();
  const { v1, v2 } = await twoVersions(p);
  return { p, v1, v2 };
}

const FIVE_MIN = 5 * 60_000;

describe('versions rollout: gates pass', () => {
  it('deploys each step against the stable version, waits, runs the check with its environment, ends at 100%', async () => {
    const { p, v1, v2 } = await setup();
    const before = await deploymentsOf(p);
    const world = fakeWorld();
    const log = join(p.dir, 'gate.log');
    const check = `echo "$MYCLI_ROLLOUT_PERCENT|$MYCLI_ROLLOUT_VERSION|$MYCLI_ROLLOUT_STABLE|$MYCLI_WORKER|$MYCLI_VERSION_OVERRIDE" >> "${log}"`;
    const r = await runRollout(p, { version: v2.slice(0, 8), steps: '0,10,50', wait: '5m', check }, world, { json: true });
    expect(r.code, r.all).toBe(0);
    const doc = r.json();
    expect(doc).toMatchObject({ worker: 'my-worker', env: null, backend: 'local', version: v2, stable: v1, outcome: 'completed', rolloutId: ROLLOUT_ID });
    expect(doc.steps.map((s: { percent: number }) => s.percent)).toEqual([0, 10, 50, 100]);
    for (const s of doc.steps) {
      expect(s.deploymentId).toMatch(/^[0-9a-f-]{36}$/);
      expect(s.gates).toEqual([{ kind: 'check', ok: true, detail: 'exit 0' }]);
    }
    // The virtual clock waited 5 minutes after every step (no real time passed).
    expect(world.waits.reduce((a, b) => a + b, 0)).toBe(4 * FIVE_MIN);
    // The gate saw its environment at every step.
    expect(readFileSync(log, 'utf8').trim().split('\n')).toEqual(
      [0, 10, 50, 100].map((pc) => `${pc}|${v2}|${v1}|my-worker|my-worker="${v2}"`),
    );
    // The history: one deployment per step, named by the rollout, 0% kept in the deployment.
    const after = await deploymentsOf(p);
    const made = after.slice(0, after.length - before.length).reverse();
    // Each names the rollout, and the gates it started with (a continuation compares with them).
    const tag = gatesTag(parseFlags({ version: v2, steps: '0,10,50', wait: '5m', check }))!;
    expect(tag.kinds).toBe('c');
    expect(made.map((d) => d.message)).toEqual([
      `rollout ${ROLLOUT_ID}: step 1/4, 0%, gates ${tag.hash} c`,
      `rollout ${ROLLOUT_ID}: step 2/4, 10%, gates ${tag.hash} c`,
      `rollout ${ROLLOUT_ID}: step 3/4, 50%, gates ${tag.hash} c`,
      `rollout ${ROLLOUT_ID}: step 4/4, 100%, gates ${tag.hash} c`,
    ]);
    expect(made[0].versions).toEqual([
      { versionId: v2, percentage: 0 },
      { versionId: v1, percentage: 100 },
    ]);
    expect(made.map((d) => d.id)).toEqual(doc.steps.map((s: { deploymentId: string }) => s.deploymentId));
    expect(await liveSplit(p)).toEqual([[v2, 100]]);
  });

  it('shows the plan (steps, waits, gates, stable and target, vars diff) before deploying; --dry-run touches nothing', async () => {
    const { p, v1, v2 } = await setup();
    const before = await deploymentsOf(p);
    const r = await runRollout(p, { version: v2, steps: '0,10,50,100', wait: '5m', checkUrl: 'https://example.com/health', dryRun: true }, fakeWorld(), { json: true, yes: false });
    expect(r.code, r.all).toBe(0);
    expect(r.stderr).toContain('steps: 0% → 10% → 50% → 100%');
    expect(r.stderr).toContain('wait 5m');
    expect(r.stderr).toContain('5 GETs of https://example.com/health');
    expect(r.stderr).toContain(`version 2 (${v2}) replaces stable version 1 (${v1})`);
    expect(r.stderr).toContain('vars that change: GREETING (changed)');
    expect(r.json()).toMatchObject({ dryRun: true, version: v2, stable: v1, plan: [{ percent: 0 }, { percent: 10 }, { percent: 50 }, { percent: 100 }] });
    expect(await deploymentsOf(p)).toEqual(before);
  });

  it('the plan names the secrets whose values differ from the stable version (never the values)', async () => {
    const OLD = 'plan-old-value-1f2e', NEW = 'plan-new-value-3d4c';
    const p = makeProject();
    const r1 = await p.run(['secret', 'put', 'API_KEY', '--json'], { stdin: OLD });
    const v1 = r1.json().versionId as string;
    const r2 = await p.run(['versions', 'secret', 'put', 'API_KEY', '--json'], { stdin: NEW });
    const v2 = r2.json().versionId as string;
    const r = await runRollout(p, { version: v2, dryRun: true }, fakeWorld(), { json: true });
    expect(r.code, r.all).toBe(0);
    expect(r.stderr).toContain('secrets whose values change: API_KEY');
    expect(r.json()).toMatchObject({ stable: v1, diff: { secretValuesChanged: ['API_KEY'] } });
    expect(r1.all + r2.all + r.all).not.toContain(OLD);
    expect(r1.all + r2.all + r.all).not.toContain(NEW);
  });

  it('without --yes and no terminal: exit 2 naming --yes, nothing deployed', async () => {
    const { p, v2 } = await setup();
    const before = await deploymentsOf(p);
    const r = await runRollout(p, { version: v2, wait: '0' }, fakeWorld(), { yes: false });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/starting a rollout needs confirmation/);
    expect(r.stderr).toContain('--yes');
    expect(await deploymentsOf(p)).toEqual(before);
  });

  it('on a terminal: says what it acts on (Worker · env · backend) before the plan and the prompt, which names all three; declining deploys nothing', async () => {
    const { p, v2 } = await setup();
    const before = await deploymentsOf(p);
    const r = await p.run(['versions', 'rollout', v2, '--steps', '100', '--wait', '0'], { tty: true, answers: [false] });
    expect(r.code).toBe(130);
    expect(r.prompts).toEqual(['Start rolling out version 2 on Worker my-worker · env (top level) · backend local?']);
    const shown = r.stderrAtPrompt[0].replace(/\x1b\[[0-9;]*m/g, '');
    expect(shown).toMatch(/^Rolling out on Worker my-worker · env \(top level\) · backend local/m);
    expect(shown.indexOf('Rolling out on Worker')).toBeLessThan(shown.indexOf('Rollout '));
    expect(await deploymentsOf(p)).toEqual(before);
  });
});

describe('versions rollout: a gate fails', () => {
  it('failing at step 3 rolls back: stable at 100% in a new deployment, exit 1, the tail of the output (redacted)', async () => {
    const TOKEN = 'tok-secret-4f1d2c3b9a';
    const { p, v1, v2 } = await setup();
    const check = 'if [ "$MYCLI_ROLLOUT_PERCENT" -ge 50 ]; then echo "token $CLOUDFLARE_API_TOKEN"; echo "boom at $MYCLI_ROLLOUT_PERCENT%" >&2; exit 3; fi';
    const r = await runRollout(p, { version: v2, steps: '0,10,50', wait: '5m', check, checkEnv: 'CLOUDFLARE_API_TOKEN' }, fakeWorld(), { json: true, env: { CLOUDFLARE_API_TOKEN: TOKEN } });
    expect(r.code, r.all).toBe(1);
    const doc = r.json();
    expect(doc.outcome).toBe('rolled_back');
    expect(doc.steps.map((s: { percent: number }) => s.percent)).toEqual([0, 10, 50]);
    expect(doc.steps[2].gates).toEqual([{ kind: 'check', ok: false, detail: 'exit 3' }]);
    expect(doc.error).toMatchObject({ exitCode: 1 });
    expect(doc.error.message).toContain('gate check failed at step 3/4 (50%): exit 3');
    expect(doc.error.message).toContain('boom at 50%');
    expect(doc.error.message).toContain('token [redacted]');
    expect(r.all).not.toContain(TOKEN);
    const ds = await deploymentsOf(p);
    expect(ds[0].id).toBe(doc.rollbackDeploymentId);
    expect(ds[0].id).not.toBe(doc.steps[2].deploymentId);
    expect(ds[0].message).toBe(`rollout ${ROLLOUT_ID}: rolled back`);
    expect(await liveSplit(p)).toEqual([[v1, 100]]);
  });

  it('a hanging check is killed (its whole process group) at its time-out; the step fails', async () => {
    const { p, v1, v2 } = await setup();
    const pids = join(p.dir, 'pids');
    // The shell starts a grandchild and waits for it: both must be gone after the time-out.
    const check = `sleep 1000 & echo "$$ $!" > "${pids}"; wait`;
    const world = fakeWorld({ onTimeout: () => until(fileExists(pids), 'the check to start') });
    const r = await runRollout(p, { version: v2, steps: '10', wait: '1m', check, checkTimeout: '45s' }, world, { json: true });
    expect(r.code, r.all).toBe(1);
    expect(r.json().steps[0].gates[0]).toEqual({ kind: 'check', ok: false, detail: 'timed out after 45s; killed' });
    const [shell, grandchild] = readFileSync(pids, 'utf8').trim().split(' ').map(Number);
    await until(() => processGone(shell) && processGone(grandchild), 'the check and its child to die');
    expect(await liveSplit(p)).toEqual([[v1, 100]]);
  });

  it('--on-fail hold leaves the split, exits 1 and says how to continue or abort; status and abort then work', async () => {
    const { p, v1, v2 } = await setup();
    const r = await runRollout(p, { version: v2, steps: '10,50', wait: '5m', check: 'test "$MYCLI_ROLLOUT_PERCENT" -lt 50', onFail: 'hold' }, fakeWorld(), { json: true });
    expect(r.code, r.all).toBe(1);
    const doc = r.json();
    expect(doc.outcome).toBe('held');
    expect(doc.error.hint).toContain(`mycli versions rollout ${v2.slice(0, 8)}`);
    expect(doc.error.hint).toContain('mycli versions rollout abort');
    expect(await liveSplit(p)).toEqual([
      [v2, 50],
      [v1, 50],
    ]);

    const st = await p.run(['versions', 'rollout', 'status', '--json']);
    expect(st.code, st.stderr).toBe(0);
    expect(st.json().rollout).toMatchObject({ id: ROLLOUT_ID, version: v2, stable: v1, step: 2, of: 3, percent: 50, next: { step: 3, of: 3 } });
    expect(st.json().rollout.steps.map((s: { percent: number }) => s.percent)).toEqual([10, 50]);
    const human = await p.run(['versions', 'rollout', 'status']);
    expect(human.stdout).toContain(`rollout ${ROLLOUT_ID} on Worker my-worker`);
    expect(human.stdout).toContain(`target:  version 2 (${v2}) at 50%`);
    expect(human.stdout).toContain(`stable:  version 1 (${v1}) at 50%`);

    // abort: confirmation or --yes.
    const refused = await p.run(['versions', 'rollout', 'abort']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('--yes');
    expect(await liveSplit(p)).toEqual([
      [v2, 50],
      [v1, 50],
    ]);
    const asked = await p.run(['versions', 'rollout', 'abort'], { tty: true, answers: [true] });
    expect(asked.code, asked.stderr).toBe(0);
    expect(asked.prompts).toEqual([`Abort rollout ${ROLLOUT_ID} and deploy version 1 at 100% on Worker my-worker · env (top level) · backend local?`]);
    expect(asked.stderrAtPrompt[0].replace(/\x1b\[[0-9;]*m/g, '')).toMatch(/^Aborting rollout on Worker my-worker · env \(top level\) · backend local/m);
    expect(await liveSplit(p)).toEqual([[v1, 100]]);
    expect((await deploymentsOf(p))[0].message).toBe(`rollout ${ROLLOUT_ID}: aborted`);

    const none = await p.run(['versions', 'rollout', 'status', '--json']);
    expect(none.json().rollout).toBeNull();
    const again = await p.run(['versions', 'rollout', 'abort', '--yes', '--json']);
    expect(again.code).toBe(0);
    expect(again.json()).toMatchObject({ aborted: false });
  });
});

describe('versions rollout: the secret rules hold during the split', () => {
  it('held at step 0: secret put is refused with 10215, versions secret put works; abort returns to stable', async () => {
    const VALUE = 'rollout-split-secret-9d8c7b';
    const { p, v1, v2 } = await setup();
    const held = await runRollout(p, { version: v2, steps: '0,50', wait: '1m', check: 'exit 4', onFail: 'hold' }, fakeWorld(), { json: true });
    expect(held.code).toBe(1);
    expect(held.json().steps[0].gates).toEqual([{ kind: 'check', ok: false, detail: 'exit 4' }]);
    expect(await liveSplit(p)).toEqual([
      [v2, 0],
      [v1, 100],
    ]);
    const put = await p.run(['secret', 'put', 'API_KEY', '--json'], { stdin: VALUE });
    expect(put.code).toBe(5);
    expect(put.json().error.apiCode).toBe(10215);
    const vput = await p.run(['versions', 'secret', 'put', 'API_KEY', '--json'], { stdin: VALUE });
    expect(vput.code, vput.stderr).toBe(0);
    expect(put.all + vput.all).not.toContain(VALUE);
    const ab = await p.run(['versions', 'rollout', 'abort', '--yes', '--json']);
    expect(ab.code, ab.stderr).toBe(0);
    expect(ab.json()).toMatchObject({ aborted: true, rollout: { id: ROLLOUT_ID, version: v2, stable: v1 } });
    expect(await liveSplit(p)).toEqual([[v1, 100]]);
    expect(ab.all).not.toContain(VALUE);
  });
});

describe('versions rollout: interrupted', () => {
  it('Ctrl-C during a wait rolls back at once and exits 130', async () => {
    const { p, v1, v2 } = await setup();
    // Non-TTY waits tick once a minute: wait 5 is the first minute of step 2's wait.
    const world = fakeWorld({ onWait: (i) => (i === 5 ? world.emit('SIGINT') : undefined) });
    const r = await runRollout(p, { version: v2, steps: '10,50', wait: '5m', check: 'true' }, world, { json: true });
    expect(r.code, r.all).toBe(130);
    const doc = r.json();
    expect(doc).toMatchObject({ outcome: 'interrupted', rolledBack: true });
    expect(doc.steps.map((s: { percent: number }) => s.percent)).toEqual([10, 50]);
    expect(doc.steps[1].gates).toEqual([]);
    expect(doc.error.message).toMatch(/interrupted \(SIGINT\) at step 2\/3 \(50%\); rolled back to version 1/);
    expect(await liveSplit(p)).toEqual([[v1, 100]]);
  });

  it('SIGTERM during a gate kills the check and rolls back (143, SIGINT\'s is 130); with --on-fail hold the split stays', async () => {
    for (const onFail of ['rollback', 'hold'] as const) {
      const { p, v1, v2 } = await setup();
      const pidFile = join(p.dir, 'gate.pid');
      const world = fakeWorld({
        onTimeout: async () => {
          await until(fileExists(pidFile), 'the check to start');
          world.emit('SIGTERM');
          await new Promise(() => undefined);
        },
      });
      const r = await runRollout(p, { version: v2, steps: '10', wait: '0', check: `echo $$ > "${pidFile}"; exec sleep 1000`, onFail }, world, { json: true });
      expect(r.code, r.all).toBe(143);
      expect(r.json()).toMatchObject({ outcome: 'interrupted', rolledBack: onFail === 'rollback' });
      const pid = Number(readFileSync(pidFile, 'utf8'));
      await until(() => processGone(pid), 'the check to die');
      expect(await liveSplit(p)).toEqual(
        onFail === 'rollback'
          ? [[v1, 100]]
          : [
              [v2, 10],
              [v1, 90],
            ],
      );
    }
  });
});

describe('versions rollout: guarded and resumable', () => {
  it('a deploy by someone else mid-rollout: exit 5, says what changed, touches nothing', async () => {
    const { p, v1, v2 } = await setup();
    let theirs: DeploymentJson | undefined;
    const world = fakeWorld({
      onWait: async (i) => {
        if (i !== 0) return;
        await deploy(p, `${v1}@100%`, '-m', 'hotfix by someone else');
        theirs = (await deploymentsOf(p))[0];
      },
    });
    const r = await runRollout(p, { version: v2, steps: '10,50', wait: '1m', check: 'true' }, world, { json: true });
    expect(r.code, r.all).toBe(5);
    expect(r.json().outcome).toBe('changed');
    expect(r.json().error.message).toContain(`found deployment ${theirs!.id}`);
    expect(r.json().error.message).toContain('hotfix by someone else');
    const after = await deploymentsOf(p);
    expect(after[0]).toEqual(theirs);
  });

  it('a deploy by someone else during the wait is noticed before the gate runs: no gate, no rollback over their deployment (exit 5)', async () => {
    const { p, v1, v2 } = await setup();
    let theirs: DeploymentJson | undefined;
    const world = fakeWorld({
      onWait: async (i) => {
        if (i !== 0) return;
        await deploy(p, `${v2}@20%`, `${v1}@80%`);
        theirs = (await deploymentsOf(p))[0];
      },
    });
    const ran = join(p.dir, 'gate-ran');
    const r = await runRollout(p, { version: v2, steps: '10,50', wait: '1m', check: `touch "${ran}"; exit 1` }, world, { json: true });
    expect(r.code, r.all).toBe(5);
    expect(r.json()).toMatchObject({ outcome: 'changed' });
    expect(r.json().error.message).toContain('stopped at the end of the wait after step 1/3 (10%) without touching it');
    expect(existsSync(ran)).toBe(false);
    expect((await deploymentsOf(p))[0]).toEqual(theirs);
    expect(await liveSplit(p)).toEqual([
      [v2, 20],
      [v1, 80],
    ]);
  });

  it('a rollout that stopped at a step continues from the live step, never lower', async () => {
    const { p, v1, v2 } = await setup();
    const held = await runRollout(p, { version: v2, steps: '0,10,50', wait: '1m', check: 'test "$MYCLI_ROLLOUT_PERCENT" -lt 10', onFail: 'hold' }, fakeWorld(), { json: true });
    expect(held.code).toBe(1);
    const heldStep = held.json().steps[1];
    expect(heldStep.percent).toBe(10);
    const count = (await deploymentsOf(p)).length;

    const log = join(p.dir, 'resume.log');
    const r = await runRollout(p, { version: v2, steps: '0,10,50', wait: '1m', check: `echo $MYCLI_ROLLOUT_PERCENT >> "${log}"` }, fakeWorld(), { json: true });
    expect(r.code, r.all).toBe(0);
    expect(r.stderr).toContain('resuming at step 2/4 (10%)');
    const doc = r.json();
    expect(doc.rolloutId).toBe(ROLLOUT_ID);
    expect(doc.steps.map((s: { percent: number }) => s.percent)).toEqual([10, 50, 100]);
    expect(doc.steps[0].deploymentId).toBe(heldStep.deploymentId);
    // The live step's gates ran again; nothing below it was deployed again.
    expect(readFileSync(log, 'utf8').trim().split('\n')).toEqual(['10', '50', '100']);
    const ds = await deploymentsOf(p);
    expect(ds.length).toBe(count + 2);
    // The later steps keep the tag of the gates the rollout started with.
    const started = ds[2].message.match(/, gates [0-9a-f]{8} c$/)![0];
    expect(ds.slice(0, 2).map((d) => d.message)).toEqual([`rollout ${ROLLOUT_ID}: step 4/4, 100%${started}`, `rollout ${ROLLOUT_ID}: step 3/4, 50%${started}`]);
    expect(await liveSplit(p)).toEqual([[v2, 100]]);
    void v1;
  });
});

describe('versions rollout: bad arguments (exit 2, nothing changed)', () => {
  it.each([
    ['steps not increasing', ['--steps', '50,10'], /--steps must increase: 10% comes after 50%/],
    ['a step above 100', ['--steps', '10,150'], /"150" is not a percentage from 0 to 100/],
    ['a bad duration', ['--wait', '5 minutes'], /--wait "5 minutes" is not a duration/],
    ['a bad --on-fail', ['--on-fail', 'pray'], /--on-fail "pray" is not rollback or hold/],
    ['a bad --check-url', ['--check-url', 'ftp://x'], /is not an http\(s\) URL/],
  ])('%s', async (_name, extra, message) => {
    const { p, v2 } = await setup();
    const before = await deploymentsOf(p);
    const r = await p.run(['versions', 'rollout', v2, ...extra, '--yes']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(await deploymentsOf(p)).toEqual(before);
  });

  it('an unknown version, no stable deployment, a version already at 100%', async () => {
    const { p, v1, v2 } = await setup();
    const unknown = await p.run(['versions', 'rollout', 'ffff0000', '--yes']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/no version of Worker "my-worker" has an id starting with ffff0000/);

    const same = await p.run(['versions', 'rollout', v1, '--yes', '--json']);
    expect(same.code).toBe(0);
    expect(same.json()).toMatchObject({ outcome: 'completed', steps: [] });

    await deploy(p, `${v2}@30%`);
    const before = await deploymentsOf(p);
    const split = await p.run(['versions', 'rollout', v2, '--yes']);
    expect(split.code).toBe(2);
    expect(split.stderr).toMatch(/no stable version \(one version at 100%\) to start a rollout from/);
    expect(await deploymentsOf(p)).toEqual(before);

    const empty = makeProject();
    const up = await empty.run(['versions', 'upload']);
    const none = await empty.run(['versions', 'rollout', up.stdout.trim(), '--yes']);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/nothing is deployed yet/);
  });
});

describe('versions rollout --check-url', () => {
  let server: Server;
  let url: string;
  let failing = false;
  const seen: { override: string | undefined; ok: boolean }[] = [];
  let expected = '';
  beforeAll(async () => {
    server = createServer((req: IncomingMessage, res) => {
      const override = req.headers['cloudflare-workers-version-overrides'] as string | undefined;
      const ok = override === expected;
      seen.push({ override, ok });
      if (!ok) {
        res.writeHead(400).end('wrong override header');
        return;
      }
      if (failing) res.writeHead(503).end('upstream unhealthy: db timeout');
      else res.writeHead(200).end('ok');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/health`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('sends --check-samples GETs per step carrying <worker>="<version>"; 2xx passes', async () => {
    const { p, v2 } = await setup();
    expected = `my-worker="${v2}"`;
    failing = false;
    seen.length = 0;
    const r = await runRollout(p, { version: v2, steps: '0,50', wait: '1m', checkUrl: url, checkSamples: '3' }, fakeWorld(), { json: true });
    expect(r.code, r.all).toBe(0);
    expect(seen).toHaveLength(9);
    expect(seen.every((s) => s.ok)).toBe(true);
    expect(r.json().steps.map((s: { gates: unknown[] }) => s.gates)).toEqual(
      Array(3).fill([{ kind: 'check-url', ok: true, detail: '3/3 samples 2xx' }]),
    );
  });

  it('a non-2xx answer fails the gate and rolls back; both gates may be given', async () => {
    const { p, v1, v2 } = await setup();
    expected = `my-worker="${v2}"`;
    failing = false;
    seen.length = 0;
    // Healthy at 10%, failing from the wait of the 50% step on.
    const world = fakeWorld({ onWait: (i) => void (i === 1 ? (failing = true) : undefined) });
    const r = await runRollout(p, { version: v2, steps: '10,50', wait: '1m', check: 'true', checkUrl: url, checkSamples: '2' }, world, { json: true });
    expect(r.code, r.all).toBe(1);
    const doc = r.json();
    expect(doc.outcome).toBe('rolled_back');
    expect(doc.steps[0].gates).toEqual([
      { kind: 'check', ok: true, detail: 'exit 0' },
      { kind: 'check-url', ok: true, detail: '2/2 samples 2xx' },
    ]);
    expect(doc.steps[1].gates[1]).toEqual({ kind: 'check-url', ok: false, detail: 'sample 1/2: HTTP 503' });
    expect(doc.error.message).toContain('upstream unhealthy: db timeout');
    expect(seen.every((s) => s.ok)).toBe(true);
    expect(await liveSplit(p)).toEqual([[v1, 100]]);
  });
});
