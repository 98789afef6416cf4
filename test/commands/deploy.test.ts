import { describe, expect, it } from 'vitest';
import { makeProject } from '../helpers/cli.js';
import { secretValue, snapshot } from '../helpers/local-store.js';
import { deploy, liveSplit, put, twoVersions, upload } from '../helpers/scenarios.js';

describe('versions deploy: specs', () => {
  // [label, specs from (v1, v2), expected live split from (v1, v2)]
  type Ids = { v1: string; v2: string };
  const cases: [string, (i: Ids) => string[], (i: Ids) => [string, number][]][] = [
    ['one version at 100%', ({ v2 }) => [`${v2}@100%`], ({ v2 }) => [[v2, 100]]],
    ['one version without a percentage means 100%', ({ v2 }) => [v2], ({ v2 }) => [[v2, 100]]],
    ['a prefix at 100 without %', ({ v2 }) => [`${v2.slice(0, 8)}@100`], ({ v2 }) => [[v2, 100]]],
    ['one version below 100%: the rest to the version serving 100%', ({ v2 }) => [`${v2}@10%`], ({ v1, v2 }) => [[v2, 10], [v1, 90]]],
    ['a fractional percentage', ({ v2 }) => [`${v2}@0.5%`], ({ v1, v2 }) => [[v2, 0.5], [v1, 99.5]]],
    ['two versions, both given', ({ v1, v2 }) => [`${v1}@60%`, `${v2}@40%`], ({ v1, v2 }) => [[v1, 60], [v2, 40]]],
    ['two versions, the second gets the rest', ({ v1, v2 }) => [`${v1}@70%`, v2], ({ v1, v2 }) => [[v1, 70], [v2, 30]]],
    ['two versions, the first gets the rest', ({ v1, v2 }) => [v1, `${v2}@12.5%`], ({ v1, v2 }) => [[v1, 87.5], [v2, 12.5]]],
  ];
  it.each(cases)('%s', async (_l, specs, expected) => {
    const p = makeProject();
    const ids = await twoVersions(p);
    const r = await p.run(['versions', 'deploy', ...specs(ids), '--yes', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.json().deployment.versions).toEqual(expected(ids).map(([versionId, percentage]) => ({ versionId, percentage })));
    expect(await liveSplit(p)).toEqual(expected(ids));
    expect(r.stderr).toMatch(/Deploying on Worker my-worker · env \(top level\) · backend local/);
  });

  const refusals: [string, (i: Ids) => string[], number, RegExp][] = [
    ['percentages that do not sum to 100', ({ v1, v2 }) => [`${v1}@60%`, `${v2}@30%`], 2, /the percentages sum to 90%, not 100%/],
    ['percentages over 100 in sum', ({ v1, v2 }) => [`${v1}@60%`, `${v2}@60%`], 2, /sum to 120%/],
    ['three versions', ({ v1, v2 }) => [`${v1}@50%`, `${v2}@25%`, `${v1}@25%`], 2, /1 or 2 versions, not 3/],
    ['the same version twice', ({ v1 }) => [`${v1}@50%`, `${v1}@50%`], 2, /must be different/],
    ['101%', ({ v2 }) => [`${v2}@101%`], 2, /from 0 to 100/],
    ['more --percentage than --version-id', ({ v2 }) => ['--version-id', v2, '--percentage', '50', '50'], 2, /2 --percentage values for 1 --version-id/],
    ['a malformed spec', ({ v2 }) => [`${v2}@ten%`], 2, /is not a version spec/],
    ['an unknown full id', () => ['00000000-0000-4000-8000-000000000000@100%'], 3, /does not exist/],
    ['an unknown prefix', ({ v1, v2 }) => [`${unknownPrefix(v1, v2)}@100%`], 3, /no version .* has an id starting with/],
    ['below 100% for the version already serving 100%', ({ v1 }) => [`${v1}@50%`], 2, /already serves 100%/],
  ];
  it.each([
    ['`9@0% 11@100%`: a version at 0% beside another (reached only with a version override)', ({ v1, v2 }: Ids) => [`${v2}@0%`, `${v1}@100%`], ({ v1, v2 }: Ids) => [[v2, 0], [v1, 100]]],
    ['two versions without percentages share the traffic (wrangler\'s positional form)', ({ v1, v2 }: Ids) => [v1, v2], ({ v1, v2 }: Ids) => [[v1, 50], [v2, 50]]],
    ['--version-id / --percentage (wrangler\'s flags), paired in order', ({ v1, v2 }: Ids) => ['--version-id', v2, v1, '--percentage', '10', '90'], ({ v1, v2 }: Ids) => [[v2, 10], [v1, 90]]],
    ['--version-id with one --percentage: the other gets the rest', ({ v1, v2 }: Ids) => ['--version-id', v2, v1, '--percentage', '30%'], ({ v1, v2 }: Ids) => [[v2, 30], [v1, 70]]],
  ] as [string, (i: Ids) => string[], (i: Ids) => [string, number][]][])('deploys %s', async (_l, specs, expected) => {
    const p = makeProject();
    const ids = await twoVersions(p);
    const r = await p.run(['versions', 'deploy', ...specs(ids), '--yes']);
    expect(r.code, r.stderr).toBe(0);
    expect((await liveSplit(p)).sort()).toEqual(expected(ids).sort());
  });

  it.each(refusals)('refuses %s, nothing changed', async (_l, specs, code, message) => {
    const p = makeProject();
    const ids = await twoVersions(p);
    const before = snapshot(p);
    const r = await p.run(['versions', 'deploy', ...specs(ids), '--yes']);
    expect(r.code).toBe(code);
    expect(r.stderr).toMatch(message);
    expect(snapshot(p)).toBe(before);
  });

  it('one version below 100% when nothing serves 100% (a split is live): exit 2', async () => {
    const p = makeProject();
    const { v1, v2 } = await twoVersions(p);
    await deploy(p, `${v1}@50%`, `${v2}@50%`);
    const v3 = await upload(p);
    const before = snapshot(p);
    const r = await p.run(['versions', 'deploy', `${v3}@10%`, '--yes']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/needs a second version for the other 90%/);
    expect(snapshot(p)).toBe(before);
  });

  it('one version below 100% when nothing is deployed yet: exit 2', async () => {
    const p = makeProject();
    const v1 = await upload(p);
    const r = await p.run(['versions', 'deploy', `${v1}@30%`, '--yes']);
    expect(r.code).toBe(2);
    expect((await p.run(['deployments', 'list', '--json'])).json().deployments).toEqual([]);
  });
});

function unknownPrefix(...ids: string[]): string {
  for (const c of '0123456789abcdef') if (!ids.some((id) => id.startsWith(c.repeat(4)))) return c.repeat(4);
  throw new Error('unreachable');
}

describe('versions deploy: confirmation and dry run', () => {
  it('--dry-run shows now/new and changes nothing, without needing --yes', async () => {
    const p = makeProject();
    const { v1, v2 } = await twoVersions(p);
    const before = snapshot(p);
    const r = await p.run(['versions', 'deploy', `${v2}@10%`, '--dry-run']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(new RegExp(`now: version 1 \\(${v1.slice(0, 8)}\\) at 100%`));
    expect(r.stderr).toMatch(new RegExp(`new: version 2 \\(${v2.slice(0, 8)}\\) at 10%, version 1 \\(${v1.slice(0, 8)}\\) at 90%`));
    expect(r.stderr).toMatch(/dry run: nothing was deployed/);
    expect(snapshot(p)).toBe(before);
    const j = await p.run(['versions', 'deploy', `${v2}@10%`, '--dry-run', '--json']);
    expect(j.json()).toMatchObject({ dryRun: true, deployment: { versions: [{ versionId: v2, percentage: 10 }, { versionId: v1, percentage: 90 }] } });
    expect(snapshot(p)).toBe(before);
  });

  it('not interactive and no --yes: exit 2 naming --yes, nothing changed', async () => {
    const p = makeProject();
    const { v2 } = await twoVersions(p);
    const before = snapshot(p);
    const r = await p.run(['versions', 'deploy', `${v2}@100%`]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/deploying needs confirmation/);
    expect(r.stderr).toMatch(/hint:.*--yes/);
    expect(snapshot(p)).toBe(before);
  });

  it('interactive: confirmed deploys, declined exits 130 with nothing changed', async () => {
    const p = makeProject();
    const { v2 } = await twoVersions(p);
    const before = snapshot(p);
    const no = await p.run(['versions', 'deploy', `${v2}@100%`], { tty: true, answers: [false] });
    expect(no.code).toBe(130);
    expect(no.prompts[0]).toMatch(/^Deploy version 2 .* at 100% on Worker my-worker · env \(top level\) · backend local\?$/);
    expect(snapshot(p)).toBe(before);
    const yes = await p.run(['versions', 'deploy', `${v2}@100%`], { tty: true, answers: [true] });
    expect(yes.code, yes.stderr).toBe(0);
    expect(await liveSplit(p)).toEqual([[v2, 100]]);
  });

  it('no specs, not interactive: exit 2 with a hint showing the spec form', async () => {
    const p = makeProject();
    await twoVersions(p);
    const r = await p.run(['versions', 'deploy', '--yes']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no versions given to deploy/);
    expect(r.stderr).toMatch(/<VERSION_ID>@<PERCENT>%/);
  });

  it('no specs on a terminal: pick one version at 100%', async () => {
    const p = makeProject();
    const { v2 } = await twoVersions(p);
    const r = await p.run(['versions', 'deploy'], { tty: true, answers: [v2, '100', true] });
    expect(r.code, r.stderr).toBe(0);
    expect(r.prompts.slice(0, 2)).toEqual(['Which version do you want to deploy?', 'What percentage of traffic should it get?']);
    expect(r.prompts[2]).toMatch(/^Deploy /);
    expect(await liveSplit(p)).toEqual([[v2, 100]]);
  });

  it('no specs on a terminal: pick two versions and a split', async () => {
    const p = makeProject();
    const { v1, v2 } = await twoVersions(p);
    const r = await p.run(['versions', 'deploy', '--message', 'canary'], { tty: true, answers: [v2, '30', v1, true] });
    expect(r.code, r.stderr).toBe(0);
    expect(r.prompts[2]).toBe('Which version gets the other 70%?');
    expect(await liveSplit(p)).toEqual([
      [v2, 30],
      [v1, 70],
    ]);
    const list = await p.run(['deployments', 'list', '--json']);
    expect(list.json().deployments[0].message).toBe('canary');
  });

  it('no specs on a terminal, cancelled at the pick: exit 130, nothing changed', async () => {
    const p = makeProject();
    await twoVersions(p);
    const before = snapshot(p);
    const r = await p.run(['versions', 'deploy'], { tty: true, answers: [{ cancel: true }] });
    expect(r.code).toBe(130);
    expect(snapshot(p)).toBe(before);
  });
});

describe('versions deploy: an older version whose secrets differ', () => {
  const OLD = 'old-deploy-s3cret';
  const NEW = 'new-deploy-s3cret';
  async function setup() {
    const p = makeProject();
    const v1 = await put(p, 'API_KEY', OLD);
    const v2 = await put(p, 'API_KEY', NEW);
    return { p, v1, v2 };
  }

  it('--yes: deployed, the secrets named in a warning and in --json', async () => {
    const { p, v1 } = await setup();
    const r = await p.run(['versions', 'deploy', `${v1}@100%`, '--yes', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/these secrets differ from the live version .*: API_KEY/);
    expect(r.json().secretsChanged).toEqual(['API_KEY']);
    expect(await liveSplit(p)).toEqual([[v1, 100]]);
    expect(r.all).not.toContain(OLD);
    expect(r.all).not.toContain(NEW);
  });

  it('interactive: declining the secrets question exits 5 naming them; nothing changed', async () => {
    const { p, v1, v2 } = await setup();
    const before = snapshot(p);
    const r = await p.run(['versions', 'deploy', `${v1}@100%`, '--no-color'], { tty: true, answers: [true, false] });
    expect(r.code).toBe(5);
    expect(r.prompts[1]).toBe('Secrets API_KEY will change on Worker my-worker · env (top level) · backend local. Deploy anyway?');
    expect(r.stderr).toMatch(/error: the secrets of version 1 differ from the live version 2's: API_KEY/);
    expect(r.stderr).toMatch(/10220/);
    expect(snapshot(p)).toBe(before);
    expect(await liveSplit(p)).toEqual([[v2, 100]]);
    expect(r.all).not.toContain(OLD);
    expect(r.all).not.toContain(NEW);
  });

  it('interactive: accepting the secrets question deploys the old version with its old value', async () => {
    const { p, v1 } = await setup();
    const r = await p.run(['versions', 'deploy', `${v1}@100%`], { tty: true, answers: [true, true] });
    expect(r.code, r.stderr).toBe(0);
    expect(await liveSplit(p)).toEqual([[v1, 100]]);
    expect(secretValue(p, 'API_KEY', { versionId: v1 })).toBe(OLD);
    expect(r.all).not.toContain(OLD);
    expect(r.all).not.toContain(NEW);
  });

  it('a split with an older version is not asked about (only a single older version is a rollback)', async () => {
    const { p, v1, v2 } = await setup();
    const r = await p.run(['versions', 'deploy', `${v1}@50%`, `${v2}@50%`, '--yes', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.json().secretsChanged).toEqual([]);
  });
});

describe('versions deploy: the vars/secrets preview, before confirming', () => {
  const S = 'preview-s3cret-value';
  const T = 'preview-other-s3cret';
  /** v1: S; v2: S + T; v3: T only (S deleted). Live: v3. */
  async function setup() {
    const p = makeProject();
    const v1 = await put(p, 'S', S);
    await put(p, 'T', T);
    const r = await p.run(['secret', 'delete', 'S', '--yes', '--json']);
    expect(r.code, r.stderr).toBe(0);
    return { p, v1, v3: r.json().versionId as string };
  }
  const noValues = (all: string) => {
    expect(all).not.toContain(S);
    expect(all).not.toContain(T);
  };

  it('--dry-run of an older version: the secret that comes back and the one that goes away; nothing changed', async () => {
    const { p, v1 } = await setup();
    const before = snapshot(p);
    const r = await p.run(['versions', 'deploy', `${v1}@100%`, '--dry-run']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/secrets that change: S \(comes back\), T \(goes away\)/);
    expect(r.stderr).toMatch(/Dry run of a deployment on Worker my-worker · env \(top level\) · backend local/);
    expect(snapshot(p)).toBe(before);
    const j = await p.run(['versions', 'deploy', '1@100%', '--dry-run', '--json']);
    expect(j.json().preview.changes[0]).toMatchObject({ from: { number: 3 }, to: { number: 1 }, secrets: [{ name: 'S', change: 'added' }, { name: 'T', change: 'removed' }] });
    expect(j.json().preview.secretsChanged).toEqual(['S', 'T']);
    noValues(r.all + j.all);
  });

  it('the real deploy shows the same preview before the question is asked', async () => {
    const { p, v1 } = await setup();
    const r = await p.run(['versions', 'deploy', `${v1}@100%`], { tty: true, answers: [(m: string) => (m.startsWith('Deploy') ? false : true)] });
    expect(r.code).toBe(130);
    expect(r.stderr).toMatch(/secrets that change: S \(comes back\), T \(goes away\)/);
    noValues(r.all);
  });

  it('a canary: the new version against the live one; the live one keeps serving', async () => {
    const p = makeProject();
    const { v2 } = await twoVersions(p);
    const r = await p.run(['versions', 'deploy', `${v2}@10%`, '--dry-run']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/version 1 \(100% now\) → version 2 \(10%\):\n\s+vars that change: GREETING \(changed\)/);
    expect(r.stderr).toMatch(/version 1 \(100% now → 90%\) keeps serving: unchanged/);
  });
});

describe('versions deploy: exactly the live split', () => {
  it('one version already at 100%: nothing to do, exit 0, no deployment made', async () => {
    const p = makeProject();
    const { v1 } = await twoVersions(p);
    const before = snapshot(p);
    const r = await p.run(['versions', 'deploy', `${v1}@100%`, '--yes', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/is already the live deployment of Worker my-worker; nothing to do/);
    expect(r.json()).toMatchObject({ changed: false });
    expect(snapshot(p)).toBe(before);
  });

  it('the same split in another order: nothing to do, no --yes needed', async () => {
    const p = makeProject();
    const { v1, v2 } = await twoVersions(p);
    await deploy(p, `${v1}@70%`, `${v2}@30%`);
    const before = snapshot(p);
    const r = await p.run(['versions', 'deploy', `${v2}@30%`, `${v1}@70%`]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/nothing to do/);
    expect(snapshot(p)).toBe(before);
  });
});

describe('versions deploy: the picker', () => {
  it('shows the current deployment first; live versions marked with their share; aligned number, id, date, tag, message', async () => {
    const p = makeProject();
    const ids: string[] = [];
    for (let i = 1; i <= 10; i++) ids.push(await upload(p, ['--message', `release ${i}`, ...(i === 9 ? ['--tag', 'v9'] : [])]));
    await deploy(p, `${ids[8]}@100%`, '--message', 'stable');
    await deploy(p, `${ids[9]}@30%`);
    const r = await p.run(['versions', 'deploy', '--no-color'], { tty: true, env: { COLUMNS: '100' }, answers: [{ cancel: true }] });
    expect(r.code).toBe(130);
    expect(r.stderrAtPrompt[0]).toMatch(/Current deployment: version 10 \(30%\) \+ version 9 \(70%\) · deployed \d{4}-\d\d-\d\d \d\d:\d\d UTC/);
    expect(r.stderrAtPrompt[0]).toMatch(/Deploying on Worker my-worker · env \(top level\) · backend local/);
    const [pick] = r.selects;
    expect(pick.clear).toBe(true);
    // Live versions first, then the rest newest first; the cursor starts on the newest not live.
    expect(pick.choices[0]).toMatch(new RegExp(`^10  ${ids[9].slice(0, 8)}  \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d UTC  ● 30%  release 10$`));
    expect(pick.choices[1]).toMatch(new RegExp(`^ 9  ${ids[8].slice(0, 8)}  .* UTC  ● 70%  \\[v9\\] release 9$`));
    expect(pick.choices[2]).toMatch(new RegExp(`^ 8  ${ids[7].slice(0, 8)}  .* UTC {9}release 8$`));
    expect(pick.default).toBe(ids[7]);
    // Aligned: the id and the date start in the same column on every line.
    const starts = pick.choices.map((c) => [c.indexOf(c.trim().split(/\s+/)[1]), c.search(/\d{4}-/)]);
    expect(new Set(starts.map((x) => x.join(','))).size).toBe(1);
    expect(pick.choices).toHaveLength(10);
  });

  it('long messages are cut to the terminal width', async () => {
    const p = makeProject();
    await upload(p, ['--message', 'x'.repeat(100)]);
    const r = await p.run(['versions', 'deploy', '--no-color'], { tty: true, env: { COLUMNS: '60' }, answers: [{ cancel: true }] });
    expect(r.code).toBe(130);
    expect(r.selects[0].choices[0].length).toBeLessThanOrEqual(57);
    expect(r.selects[0].choices[0]).toMatch(/x…$/);
  });
});

describe('tags as version references (issue 19 item 6)', () => {
  /** v1 tagged t-one (live at 100%), v2 tagged t-two, v3 and v4 both tagged shared. */
  async function tagged() {
    const p = makeProject();
    const v1 = await upload(p, ['--tag', 't-one']);
    await deploy(p, `${v1}@100%`);
    const v2 = await upload(p, ['--tag', 't-two']);
    const v3 = await upload(p, ['--tag', 'shared']);
    const v4 = await upload(p, ['--tag', 'shared']);
    return { p, v1, v2, v3, v4 };
  }

  it('versions deploy --version-tag TAG@PCT%: the rest to the version serving 100%, as with an id', async () => {
    const { p, v1, v2 } = await tagged();
    const r = await p.run(['versions', 'deploy', '--version-tag', 't-two@10%', '--yes', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(await liveSplit(p)).toEqual([[v2, 10], [v1, 90]]);
  });

  it('--version-tag A B without percentages share the traffic; a tag beside a positional id', async () => {
    const { p, v1, v2 } = await tagged();
    expect((await p.run(['versions', 'deploy', '--version-tag', 't-one', 't-two', '--yes'])).code).toBe(0);
    expect(await liveSplit(p)).toEqual([[v1, 50], [v2, 50]]);
    expect((await p.run(['versions', 'deploy', `${v1.slice(0, 8)}@75%`, '--version-tag', 't-two', '--yes'])).code).toBe(0);
    expect(await liveSplit(p)).toEqual([[v1, 75], [v2, 25]]);
  });

  it('a tag wherever a version is named: versions view, versions deploy TAG@PCT%, rollback, rollout --dry-run', async () => {
    const { p, v1, v2 } = await tagged();
    expect((await p.run(['versions', 'view', 't-two', '--json'])).json().version.id).toBe(v2);
    expect((await p.run(['versions', 'deploy', 't-two@100%', '--yes'])).code).toBe(0);
    expect(await liveSplit(p)).toEqual([[v2, 100]]);
    const back = await p.run(['rollback', 't-one', '--yes', '--json']);
    expect(back.code, back.stderr).toBe(0);
    expect(back.json().versionId).toBe(v1);
    const plan = await p.run(['versions', 'rollout', 't-two', '--dry-run', '--json']);
    expect(plan.code, plan.stderr).toBe(0);
    expect(JSON.stringify(plan.json())).toContain(v2);
  });

  it('a tag several versions carry: exit 2 listing them newest first, nothing changed (view, deploy, --version-tag)', async () => {
    const { p, v3, v4 } = await tagged();
    const before = snapshot(p);
    for (const argv of [['versions', 'view', 'shared'], ['versions', 'deploy', 'shared@100%', '--yes'], ['versions', 'deploy', '--version-tag', 'shared', '--yes']]) {
      const r = await p.run(argv);
      expect(r.code, argv.join(' ')).toBe(2);
      expect(r.stderr).toContain(`tag "shared" names 2 versions of Worker "my-worker": version 4 (${v4}), version 3 (${v3})`);
      expect(r.stderr).toMatch(/hint: name one of them by its number or id/);
    }
    expect(snapshot(p)).toBe(before);
  });

  it('--version-tag reads only tags: a version number is no tag (exit 3, nothing changed)', async () => {
    const { p } = await tagged();
    const before = snapshot(p);
    const r = await p.run(['versions', 'deploy', '--version-tag', '2', '--yes']);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/no version of Worker "my-worker" is tagged "2"/);
    expect(snapshot(p)).toBe(before);
  });

  it('a tag that looks like a number: the number wins; --version-tag reaches the tag', async () => {
    const p = makeProject();
    const v1 = await upload(p, ['--tag', '2']);
    await deploy(p, `${v1}@100%`);
    const v2 = await upload(p);
    expect((await p.run(['versions', 'view', '2', '--json'])).json().version.id).toBe(v2);
    expect((await p.run(['versions', 'deploy', '--version-tag', '2', '--dry-run', '--json'])).json().deployment.versions).toEqual([{ versionId: v1, percentage: 100 }]);
  });

  it('wrangler\'s --version-id/--percentage given once per version (repeated flags), and @0% beside a version without one', async () => {
    const { p, v1, v2 } = await tagged();
    const r = await p.run(['versions', 'deploy', '--version-id', v1, '--percentage', '40', '--version-id', v2, '--percentage', '60', '--yes']);
    expect(r.code, r.stderr).toBe(0);
    expect(await liveSplit(p)).toEqual([[v1, 40], [v2, 60]]);
    expect((await p.run(['versions', 'deploy', `${v2}@0%`, v1, '--yes'])).code).toBe(0);
    expect((await liveSplit(p)).sort()).toEqual([[v1, 100], [v2, 0]].sort());
  });
});
