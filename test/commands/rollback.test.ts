import { describe, expect, it } from 'vitest';
import { makeProject } from '../helpers/cli.js';
import { secretValue, snapshot } from '../helpers/local-store.js';
import { deploy, liveSplit, put, readToml, twoVersions, upload } from '../helpers/scenarios.js';

/** v1 deployed, then v2 (GREETING changed) deployed: rolling back changes a var, no secrets. */
async function varsOnly() {
  const p = makeProject();
  const ids = await twoVersions(p);
  await deploy(p, `${ids.v2}@100%`);
  return { p, ...ids };
}

describe.each([
  ['versions rollback', ['versions', 'rollback']],
  ['rollback (alias)', ['rollback']],
])('%s', (_name, cmd) => {
  it('default target: the previous single-version deployment; shows what changes; --yes deploys it', async () => {
    const { p, v1 } = await varsOnly();
    const r = await p.run([...cmd, '--yes', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(new RegExp(`Rollback of Worker my-worker: version 2 → version 1 \\(${v1}\\) "first"`));
    expect(r.stderr).toMatch(/vars that change: GREETING \(changed\)/);
    expect(r.stderr).toMatch(/bound data \(KV, D1, R2, Durable Objects, \.\.\.\) is not rolled back/);
    expect(r.stderr).toMatch(/Rolling back on Worker my-worker · env \(top level\) · backend local/);
    const doc = r.json();
    expect(doc).toMatchObject({ worker: 'my-worker', versionId: v1, changed: true, secretsChanged: [] });
    expect(doc.diff).toEqual({ vars: [{ name: 'GREETING', change: 'changed' }], secrets: [] });
    expect(doc.deployment.versions).toEqual([{ versionId: v1, percentage: 100 }]);
    expect(doc.deployment.source).toBe('rollback');
    expect(doc.deployment.message).toBe('Rollback to version 1');
    expect(await liveSplit(p)).toEqual([[v1, 100]]);
  });

  it('--dry-run: the same preview, no prompt, nothing deployed (secrets that would change named)', async () => {
    const p = makeProject();
    const v1 = await put(p, 'A', 'dry-run-value-1');
    await put(p, 'A', 'dry-run-value-2');
    const before = snapshot(p);
    const r = await p.run([...cmd, '--dry-run', '--no-color'], { tty: true });
    expect(r.code, r.stderr).toBe(0);
    expect(r.prompts).toEqual([]);
    expect(r.stderr).toMatch(/Dry run of a rollback on Worker my-worker · env \(top level\) · backend local/);
    expect(r.stderr).toMatch(/Rollback of Worker my-worker: version 2 → version 1/);
    expect(r.stderr).toMatch(/secrets whose values change: A/);
    expect(r.stderr).toMatch(/dry run: nothing was deployed/);
    expect(snapshot(p)).toBe(before);
    const j = await p.run([...cmd, '--dry-run', '--json']);
    expect(j.json()).toMatchObject({ dryRun: true, changed: false, versionId: v1, secretsChanged: ['A'] });
    expect(snapshot(p)).toBe(before);
    expect(r.all + j.all).not.toMatch(/dry-run-value/);
  });

  it('an explicit id (or prefix) and --message', async () => {
    const p = makeProject();
    const { v1 } = await twoVersions(p);
    const v3 = await upload(p);
    await deploy(p, `${v3}@100%`);
    const r = await p.run([...cmd, v1.slice(0, 8), '--message', 'bad release', '--yes', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.json().versionId).toBe(v1);
    expect(r.json().deployment.message).toBe('bad release');
    expect(await liveSplit(p)).toEqual([[v1, 100]]);
  });

  it('not interactive and no --yes: the changes are shown, then exit 2 naming --yes; nothing changed', async () => {
    const { p } = await varsOnly();
    const before = snapshot(p);
    const r = await p.run(cmd);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/vars that change: GREETING \(changed\)/);
    expect(r.stderr).toMatch(/rolling back needs confirmation/);
    expect(r.stderr).toMatch(/hint:.*--yes/);
    expect(snapshot(p)).toBe(before);
  });

  it('interactive: confirmed rolls back; declined exits 130 with nothing changed', async () => {
    const { p, v1, v2 } = await varsOnly();
    const before = snapshot(p);
    const no = await p.run(cmd, { tty: true, answers: [false] });
    expect(no.code).toBe(130);
    expect(no.prompts).toEqual(['Roll back to version 1 on Worker my-worker · env (top level) · backend local?']);
    expect(no.stderrAtPrompt[0]).toMatch(/Rolling back on Worker .*my-worker/);
    expect(no.stderrAtPrompt[0]).toMatch(/vars that change: GREETING/);
    expect(snapshot(p)).toBe(before);
    expect(await liveSplit(p)).toEqual([[v2, 100]]);
    const yes = await p.run(cmd, { tty: true, answers: [true] });
    expect(yes.code, yes.stderr).toBe(0);
    expect(await liveSplit(p)).toEqual([[v1, 100]]);
  });

  it('no earlier deployment: exit 3 with a hint to name the version', async () => {
    const p = makeProject();
    const v1 = await upload(p);
    await deploy(p, `${v1}@100%`);
    const r = await p.run([...cmd, '--yes']);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/no earlier deployment of a single version to roll back to/);
    expect(r.stderr).toMatch(/hint:.*rollback <VERSION_ID>/);
  });

  it('nothing deployed at all: exit 3', async () => {
    const p = makeProject();
    await upload(p);
    expect((await p.run([...cmd, '--yes'])).code).toBe(3);
  });

  it('an unknown version: exit 3', async () => {
    const { p } = await varsOnly();
    const before = snapshot(p);
    const r = await p.run([...cmd, '00000000-0000-4000-8000-000000000000', '--yes']);
    expect(r.code).toBe(3);
    expect(snapshot(p)).toBe(before);
  });

  it('to the version already serving 100%: nothing to do, exit 0', async () => {
    const { p, v2 } = await varsOnly();
    const before = snapshot(p);
    const r = await p.run([...cmd, v2, '--json']);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/already serves 100%.*nothing to do/);
    expect(r.json()).toMatchObject({ versionId: v2, changed: false });
    expect(snapshot(p)).toBe(before);
  });
});

describe('rollback when secrets changed', () => {
  const OLD = 'rollback-old-s3cret';
  const NEW = 'rollback-new-s3cret';
  const EXTRA = 'rollback-extra-s3cret';

  /** v1: API_KEY=OLD; v2: API_KEY=NEW; v3: + EXTRA. Rolling back to v1 changes both secrets. */
  async function setup() {
    const p = makeProject();
    const v1 = await put(p, 'API_KEY', OLD);
    await put(p, 'API_KEY', NEW);
    const v3 = await put(p, 'EXTRA', EXTRA);
    return { p, v1, v3 };
  }
  function noValues(all: string) {
    for (const v of [OLD, NEW, EXTRA]) expect(all).not.toContain(v);
  }

  it('shows the secret names that differ before asking', async () => {
    const { p } = await setup();
    const r = await p.run(['rollback', '--no-color'], { tty: true, answers: [false] });
    expect(r.code).toBe(130);
    expect(r.stderr).toMatch(/secrets that change: EXTRA \(goes away\)/);
    noValues(r.all);
  });

  it('interactive, declining the secrets question: exit 5 naming the secrets; nothing changed', async () => {
    const { p, v3 } = await setup();
    const before = snapshot(p);
    const r = await p.run(['versions', 'rollback', '--no-color'], { tty: true, answers: [true, false] });
    expect(r.code).toBe(5);
    // The default target is version 2 (API_KEY=NEW, no EXTRA): only EXTRA differs.
    expect(r.prompts).toEqual(['Roll back to version 2 on Worker my-worker · env (top level) · backend local?', 'Secrets EXTRA will change on Worker my-worker · env (top level) · backend local. Deploy anyway?']);
    expect(r.stderr).toMatch(/these secrets differ from the live version .*: EXTRA$/m);
    expect(r.stderr).toMatch(/error: the secrets of version 2 differ from the live version 3's: EXTRA/);
    expect(snapshot(p)).toBe(before);
    expect(await liveSplit(p)).toEqual([[v3, 100]]);
    noValues(r.all);
  });

  it('--json, declined: the error names the secrets (code secrets_changed, exit 5)', async () => {
    const { p, v1 } = await setup();
    const r = await p.run(['versions', 'rollback', v1, '--json'], { tty: true, answers: [true, false] });
    expect(r.code).toBe(5);
    const { error } = r.json();
    expect(error).toMatchObject({ code: 'secrets_changed', exitCode: 5, secrets: ['API_KEY', 'EXTRA'], apiCode: 10220 });
    expect(error.hint).toMatch(/--yes/);
    noValues(r.all);
  });

  it('--yes: rolled back; the old values are live again; the names are reported', async () => {
    const { p, v1 } = await setup();
    const r = await p.run(['versions', 'rollback', v1, '--yes', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.json().secretsChanged).toEqual(['API_KEY', 'EXTRA']);
    expect(r.json().diff.secrets).toEqual([{ name: 'EXTRA', change: 'removed' }]);
    expect(r.stderr).toMatch(/these secrets differ .*API_KEY, EXTRA/);
    expect(await liveSplit(p)).toEqual([[v1, 100]]);
    expect(secretValue(p, 'API_KEY', { versionId: v1 })).toBe(OLD);
    noValues(r.all);
  });

  it('not interactive, no --yes: refused as a secrets change (exit 5, 10220) naming them, nothing changed', async () => {
    const { p } = await setup();
    const before = snapshot(p);
    const r = await p.run(['versions', 'rollback']);
    expect(r.code).toBe(5);
    expect(r.stderr).toMatch(/error: the secrets of version 2 differ from the live version 3's: EXTRA/);
    expect(r.stderr).toMatch(/hint: pass --yes/);
    const j = await p.run(['versions', 'rollback', '--json']);
    expect(j.code).toBe(5);
    expect(j.json().error).toMatchObject({ code: 'secrets_changed', apiCode: 10220, secrets: ['EXTRA'] });
    expect(snapshot(p)).toBe(before);
    noValues(r.all + j.all);
  });

  it('the default target skips split deployments and the live version', async () => {
    const p = makeProject();
    const v1 = await put(p, 'API_KEY', OLD);
    const v2 = await put(p, 'API_KEY', NEW);
    await deploy(p, `${v1}@30%`, `${v2}@70%`);
    // Live: split. Earlier single-version deployments: v2 (newest), v1.
    const r = await p.run(['rollback', '--yes', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.json().versionId).toBe(v2);
    expect(await liveSplit(p)).toEqual([[v2, 100]]);
    noValues(r.all);
  });
});

describe('rollback from a split shows the whole picture', () => {
  const EXTRA = 'split-extra-s3cret';
  /** v1 uploaded and deployed; v2 = v1 + EXTRA (deployed by the put); v3 = changed GREETING; live: v3 30% + v2 70%. */
  async function split() {
    const p = makeProject();
    const v1 = await upload(p, ['--message', 'first']);
    await deploy(p, `${v1}@100%`);
    const v2 = await put(p, 'EXTRA', EXTRA);
    p.write('wrangler.toml', readToml(p).replace('GREETING = "hello"', 'GREETING = "hello again"'));
    const v3 = await upload(p, ['--message', 'canary']);
    await deploy(p, `${v3}@30%`, `${v2}@70%`);
    return { p, v1, v2, v3 };
  }

  it('default target: the live split → version 2, the diff against each live version', async () => {
    const { p, v2 } = await split();
    const r = await p.run(['rollback', '--yes', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('Rollback of Worker my-worker: version 3 (30%) + version 2 (70%) → version 2 (100%)');
    expect(r.stderr).toMatch(/version 3 \(30% now\) → version 2 \(100%\):\n\s+vars that change: GREETING \(changed\)/);
    expect(r.stderr).toMatch(/version 2 \(70% now → 100%\) keeps serving: unchanged/);
    expect(r.json().preview.from).toEqual([
      { versionId: expect.any(String), number: 3, percentage: 30 },
      { versionId: v2, number: 2, percentage: 70 },
    ]);
    expect(r.json().preview.to).toEqual([{ versionId: v2, number: 2, percentage: 100 }]);
    expect(await liveSplit(p)).toEqual([[v2, 100]]);
    expect(r.all).not.toContain(EXTRA);
  });

  it('to a version in neither side: a diff block per live version, the secret that goes away in both', async () => {
    const { p, v1 } = await split();
    const before = snapshot(p);
    const r = await p.run(['rollback', '1']);
    expect(r.code).toBe(5);
    expect(r.stderr).toContain('version 3 (30%) + version 2 (70%) → version 1 (100%)');
    const blocks = r.stderr.split(/\n(?=\s+version \d \(\d+% now\))/).slice(1);
    expect(blocks).toHaveLength(2);
    expect(blocks[0]).toMatch(/^\s+version 3 \(30% now\) → version 1 \(100%\):\n\s+vars that change: GREETING \(changed\)\n\s+secrets that change: EXTRA \(goes away\)/);
    expect(blocks[1]).toMatch(/^\s+version 2 \(70% now\) → version 1 \(100%\):\n\s+secrets that change: EXTRA \(goes away\)/);
    expect(r.stderr).toMatch(/error: the secrets of version 1 differ from the live version 3's: EXTRA/);
    expect(snapshot(p)).toBe(before);
    expect(v1).toBeTruthy();
    expect(r.all).not.toContain(EXTRA);
  });
});
