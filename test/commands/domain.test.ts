/** README "Secrets make versions": a secret change creates a version and deploys it, unless a rollout is in progress. */
import { describe, expect, it } from 'vitest';
import { type RunResult, makeProject } from '../helpers/cli.js';
import { secretValue, snapshot } from '../helpers/local-store.js';
import { deploy, liveSplit, put, secretNames, twoVersions, upload, UUID, versionIds } from '../helpers/scenarios.js';

const VALUE = 'domain-rule-s3cret';

/** The exit code of a run that was given VALUE, after checking VALUE was not printed. */
async function quiet(pending: Promise<RunResult>): Promise<number> {
  const r = await pending;
  expect(r.all).not.toContain(VALUE);
  return r.code;
}

describe('a secret change creates a version deployed at 100%', () => {
  it('the first put makes version 1 and deploys it; each later change makes the next', async () => {
    const p = makeProject();
    const v1 = await put(p, 'A', VALUE);
    expect(await versionIds(p)).toEqual([v1]);
    expect(await liveSplit(p)).toEqual([[v1, 100]]);
    const v2 = await put(p, 'B', VALUE + '-b');
    expect(await versionIds(p)).toEqual([v2, v1]);
    expect(await liveSplit(p)).toEqual([[v2, 100]]);
    const del = await p.run(['secret', 'delete', 'A', '--yes', '--json']);
    const v3 = del.json().versionId;
    expect(await versionIds(p)).toEqual([v3, v2, v1]);
    expect(await liveSplit(p)).toEqual([[v3, 100]]);
    const deployments = await p.run(['deployments', 'list', '--json']);
    expect(deployments.json().deployments.map((d: { source: string }) => d.source)).toEqual(['secret', 'secret', 'secret']);
  });

  it('a new version keeps the vars and the other secrets of the latest one', async () => {
    const p = makeProject();
    const v1 = await upload(p);
    await deploy(p, `${v1}@100%`);
    const v2 = await put(p, 'A', VALUE);
    const view = await p.run(['versions', 'view', v2, '--json']);
    const names = view.json().version.bindings.map((b: { name: string }) => b.name).sort();
    expect(names).toEqual(['A', 'GREETING', 'LIMITS']);
    expect(view.all).not.toContain(VALUE);
  });
});

describe('a secret change during a gradual rollout is refused (exit 5)', () => {
  async function rollout() {
    const p = makeProject();
    const v1 = await put(p, 'A', VALUE);
    const v2 = await put(p, 'B', VALUE + '-b');
    await deploy(p, `${v1}@60%`, `${v2}@40%`);
    return { p, v1, v2 };
  }

  it.each([
    ['secret put', ['secret', 'put', 'C'], { stdin: VALUE + '-c' }],
    ['secret delete --yes', ['secret', 'delete', 'A', '--yes'], {}],
    ['secret bulk', ['secret', 'bulk'], { stdin: JSON.stringify({ C: VALUE + '-c' }) }],
  ] as [string, string[], object][])('%s: exit 5, a hint naming `versions secret put`, nothing changed', async (_l, argv, o) => {
    const { p, v1, v2 } = await rollout();
    const before = snapshot(p);
    const r = await p.run(argv, o);
    expect(r.code).toBe(5);
    expect(r.stderr).toMatch(/a gradual rollout is in progress on Worker "my-worker" \(version 1 at 60%, version 2 at 40%\)/);
    // Both ways out, as commands: the same change in a version not deployed, or end the rollout.
    const verb = { put: 'put C', delete: 'delete A', bulk: 'bulk < FILE' }[argv[1]!];
    expect(r.stderr).toContain(`hint: \`mycli versions secret ${verb}\` makes the change in a new version without deploying it`);
    expect(r.stderr).toContain('or end the rollout with `mycli versions deploy 2@100%`');
    expect(r.stderr).toMatch(/10215/);
    expect(snapshot(p)).toBe(before);
    expect(await liveSplit(p)).toEqual([
      [v1, 60],
      [v2, 40],
    ]);
    expect(r.all).not.toContain(VALUE);
  });

  it('--json: the refusal is a JSON error with code gradual_rollout', async () => {
    const { p } = await rollout();
    const r = await p.run(['secret', 'put', 'C', '--json'], { stdin: VALUE });
    expect(r.code).toBe(5);
    const { error } = r.json();
    expect(error.code).toBe('gradual_rollout');
    expect(error.hint).toMatch(/versions secret put/);
    expect(r.all).not.toContain(VALUE);
  });

  it('also when the latest version is not the one deployed (after `versions upload`)', async () => {
    const p = makeProject();
    await put(p, 'A', VALUE);
    await upload(p);
    const before = snapshot(p);
    const r = await p.run(['secret', 'put', 'B'], { stdin: VALUE + '-b' });
    expect(r.code).toBe(5);
    expect(r.stderr).toMatch(/the latest version of Worker "my-worker" \(version 2\) is not the one fully deployed \(live: version 1 at 100%\); no rollout is in progress/);
    expect(r.stderr).not.toMatch(/gradual rollout is in progress/);
    expect(r.stderr).toContain('hint: deploy the latest version first with `mycli versions deploy 2@100%`, then run this again; or `mycli versions secret put B` makes');
    expect(snapshot(p)).toBe(before);
    const j = await p.run(['secret', 'put', 'B', '--json', '--env', 'staging'], { stdin: VALUE + '-b' });
    expect(j.code).toBe(0); // another Worker (staging) has no such state
    const k = await p.run(['secret', 'delete', 'A', '--json', '--yes']);
    expect(k.code).toBe(5);
    expect(k.json().error).toMatchObject({ code: 'latest_not_deployed', apiCode: 10215 });
    expect(k.json().error.hint).toContain('`mycli versions secret delete A`');
    // Following the first way out works: deploy the latest, then the change goes through.
    await deploy(p, '2@100%');
    expect((await p.run(['secret', 'put', 'B'], { stdin: VALUE + '-b' })).code).toBe(0);
    expect(r.all).not.toContain(VALUE);
  });

  it('`versions secret put` works during the rollout: a new version, not deployed; then deploy it', async () => {
    const { p, v1, v2 } = await rollout();
    const r = await p.run(['versions', 'secret', 'put', 'C', '--json'], { stdin: VALUE + '-c' });
    expect(r.code, r.stderr).toBe(0);
    const doc = r.json();
    expect(doc).toMatchObject({ deployed: false, deployment: null, secret: { name: 'C', action: 'added' } });
    expect(doc.versionId).toMatch(UUID);
    expect(r.stderr).toMatch(/Putting secret C in a new version on Worker my-worker/);
    expect(r.stderr).toMatch(/not deployed \(roll it out with `mycli versions deploy 3@100%`\)/);
    expect(await liveSplit(p)).toEqual([
      [v1, 60],
      [v2, 40],
    ]);
    expect(secretValue(p, 'C')).toBe(VALUE + '-c');
    await deploy(p, `${doc.versionId}@100%`);
    expect(await liveSplit(p)).toEqual([[doc.versionId, 100]]);
    expect(r.all).not.toContain(VALUE);
  });
});

describe('versions secret put|delete|bulk|list: a version, never a deployment', () => {
  it('each makes one new version and leaves the live deployment alone', async () => {
    const p = makeProject();
    const v1 = await put(p, 'A', VALUE);
    const steps: [string[], object][] = [
      [['versions', 'secret', 'put', 'B', '--json'], { stdin: VALUE + '-b' }],
      [['versions', 'secret', 'delete', 'A', '--yes', '--json'], {}],
      [['versions', 'secret', 'bulk', '--yes', '--json'], { stdin: JSON.stringify({ C: VALUE + '-c', B: null }) }],
    ];
    let count = 1;
    for (const [argv, o] of steps) {
      const r = await p.run(argv, o);
      expect(r.code, `${argv.join(' ')}: ${r.stderr}`).toBe(0);
      expect(r.json().deployed).toBe(false);
      expect(r.json().versionId).toMatch(UUID);
      expect(await versionIds(p)).toHaveLength(++count);
      expect(await liveSplit(p)).toEqual([[v1, 100]]);
      expect(r.all).not.toContain(VALUE);
    }
    const list = await p.run(['versions', 'secret', 'list', '--json']);
    expect(list.code).toBe(0);
    expect(list.json().secrets).toEqual([{ name: 'C', type: 'secret_text' }]);
    expect(await secretNames(p)).toEqual(['C']);
  });

  it('versions secret delete: confirmation rules as for secret delete', async () => {
    const p = makeProject();
    await put(p, 'A', VALUE);
    const before = snapshot(p);
    const r = await p.run(['versions', 'secret', 'delete', 'A']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--yes/);
    const missing = await p.run(['versions', 'secret', 'delete', 'NOPE', '--yes']);
    expect(missing.code).toBe(3);
    expect(snapshot(p)).toBe(before);
  });

  it('versions secret put: the same value rules (empty refused, names checked)', async () => {
    const p = makeProject();
    expect((await p.run(['versions', 'secret', 'put', 'A'], { stdin: '' })).code).toBe(2);
    expect(await quiet(p.run(['versions', 'secret', 'put', 'GREETING'], { stdin: VALUE }))).toBe(2);
    expect(await quiet(p.run(['versions', 'secret', 'put', 'no-good'], { stdin: VALUE }))).toBe(2);
  });
});

describe('secret put on a terminal during a gradual rollout', () => {
  it('is refused before the value is asked for (exit 5, no prompt)', async () => {
    const p = makeProject();
    const { v1, v2 } = await twoVersions(p);
    await deploy(p, `${v2}@30%`, `${v1}@70%`);
    const r = await p.run(['secret', 'put', 'NEW_ONE'], { tty: true, answers: ['never-typed-value'] });
    expect(r.code).toBe(5);
    expect(r.prompts).toEqual([]);
    expect(r.stderr).toMatch(/a gradual rollout is in progress/);
  });
});
