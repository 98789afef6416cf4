/**
 * mycli secret sync (issue 18 item 1) on the local store and on the example plugin: the plan by
 * name for each kind of change, --prune and its confirmations, --dry-run and its exit codes, one
 * version per sync, nothing written when in sync, refusals that leave the store as it was, and
 * no value in any output.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeProject, type Project, type RunResult } from '../helpers/cli.js';

const V = {
  a: 'sync-v4lue-alpha-1',
  a2: 'sync-v4lue-alpha-2',
  b: 'sync-v4lue-bravo-1',
  c: 'sync-v4lue-charlie-1',
  old: 'sync-v4lue-old-1',
};
const ALL = Object.values(V);

function noValues(r: RunResult): void {
  for (const v of ALL) expect(r.all.includes(v), `printed a value (${v.slice(0, 12)}…)`).toBe(false);
}

async function ok(p: Project, argv: string[], o: Parameters<Project['run']>[1] = {}): Promise<RunResult> {
  const r = await p.run(argv, o);
  noValues(r);
  expect(r.code, r.all).toBe(0);
  return r;
}

/** A project whose Worker has A, B and OLD (one version, deployed). */
async function seeded(toml?: string): Promise<Project> {
  const p = makeProject(toml ? { 'wrangler.toml': toml } : {});
  await ok(p, ['secret', 'bulk', '--json'], { stdin: JSON.stringify({ A: V.a, B: V.b, OLD: V.old }) });
  return p;
}

async function versionCount(p: Project): Promise<number> {
  return (await ok(p, ['versions', 'list', '--json'])).json().versions.length;
}

describe('secret sync on the local store', () => {
  it('the plan names each kind of change (added, changed, unchanged, left alone), and one version makes the Worker equal to the file', async () => {
    const p = await seeded();
    p.write('secrets.json', JSON.stringify({ A: V.a, B: V.a2, C: V.c }));
    const before = await versionCount(p);

    const dry = await ok(p, ['secret', 'sync', 'secrets.json', '--dry-run', '--json']);
    expect(dry.json().plan).toEqual({ added: ['C'], changed: ['B'], unchanged: ['A'], set: [], removed: [], leftAlone: ['OLD'], compared: true });
    expect(dry.json()).toMatchObject({ dryRun: true, inSync: false, versionId: null });
    expect(dry.stderr).toMatch(/\+ C added/);
    expect(dry.stderr).toMatch(/~ B changed/);
    expect(dry.stderr).toMatch(/· A unchanged/);
    expect(dry.stderr).toMatch(/· OLD left alone \(not in the file; --prune deletes it\)/);
    expect(dry.stderr).toMatch(/dry run: 1 to add, 1 to change; nothing was changed/);
    expect(await versionCount(p)).toBe(before);

    const r = await ok(p, ['secret', 'sync', 'secrets.json', '--json']);
    const doc = r.json();
    expect(doc.changes).toEqual([
      { name: 'B', action: 'updated' },
      { name: 'C', action: 'added' },
    ]);
    expect(doc.deployed).toBe(true);
    expect(await versionCount(p)).toBe(before + 1);
    const names = (await ok(p, ['secret', 'list', '--json'])).json().secrets.map((s: { name: string }) => s.name);
    expect(names).toEqual(['A', 'B', 'C', 'OLD']);

    // The same file again: in sync, nothing written, exit 0 (also with --exit-code).
    const again = await ok(p, ['secret', 'sync', 'secrets.json']);
    expect(again.stderr).toMatch(/already in sync/);
    expect(await versionCount(p)).toBe(before + 1);
    const check = await ok(p, ['secret', 'sync', 'secrets.json', '--dry-run', '--exit-code', '--json']);
    expect(check.json()).toMatchObject({ inSync: true, plan: { unchanged: ['A', 'B', 'C'], leftAlone: ['OLD'] } });
  });

  it('--dry-run --exit-code: 6 with the plan when changes are pending, 0 when in sync; --exit-code alone is a usage error', async () => {
    const p = await seeded();
    p.write('.env.prod', `A=${V.a2}\nB=${V.b}\nOLD=${V.old}\n`);
    const pending = await p.run(['secret', 'sync', '.env.prod', '--dry-run', '--exit-code', '--json']);
    noValues(pending);
    expect(pending.code).toBe(6);
    expect(pending.json().plan.changed).toEqual(['A']);
    expect(pending.stderr).toMatch(/changes pending: 1 to change/);
    const noCode = await ok(p, ['secret', 'sync', '.env.prod', '--dry-run']);
    expect(noCode.code).toBe(0);
    const usage = await p.run(['secret', 'sync', '.env.prod', '--exit-code']);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/--exit-code goes with --dry-run/);
    // Removals pending count too (with --prune).
    p.write('.env.same', `A=${V.a}\nB=${V.b}\n`);
    expect((await p.run(['secret', 'sync', '.env.same', '--dry-run', '--exit-code'])).code).toBe(0);
    expect((await p.run(['secret', 'sync', '.env.same', '--dry-run', '--exit-code', '--prune'])).code).toBe(6);
  });

  it('--prune: removals are named and need confirmation like secret delete; refused without --yes, the store untouched', async () => {
    const p = await seeded();
    p.write('s.json', JSON.stringify({ A: V.a }));
    const before = await versionCount(p);
    const refused = await p.run(['secret', 'sync', 's.json', '--prune']);
    noValues(refused);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/- B removed/);
    expect(refused.stderr).toMatch(/deleting secrets B, OLD needs confirmation/);
    expect(await versionCount(p)).toBe(before);

    const declined = await p.run(['secret', 'sync', 's.json', '--prune'], { tty: true, answers: [false] });
    expect(declined.code).toBe(130);
    expect(declined.prompts[0]).toMatch(/Delete secrets B, OLD \(not in s\.json\) from Worker my-worker · env \(top level\) · backend local\?/);
    expect(await versionCount(p)).toBe(before);

    const done = await ok(p, ['secret', 'sync', 's.json', '--prune', '--yes', '--json']);
    expect(done.json().plan).toMatchObject({ removed: ['B', 'OLD'], unchanged: ['A'], leftAlone: [] });
    expect(done.json().changes).toEqual([
      { name: 'B', action: 'deleted' },
      { name: 'OLD', action: 'deleted' },
    ]);
    expect(await versionCount(p)).toBe(before + 1);
    expect((await ok(p, ['secret', 'list', '--json'])).json().secrets.map((s: { name: string }) => s.name)).toEqual(['A']);
  });

  it('--prune of a name in [secrets] required: an extra confirmation naming the rule (--yes is not enough)', async () => {
    const p = await seeded('name = "my-worker"\nmain = "src/index.js"\n[secrets]\nrequired = ["A", "OLD"]\n');
    p.write('s.json', JSON.stringify({ A: V.a }));
    const before = await versionCount(p);
    const refused = await p.run(['secret', 'sync', 's.json', '--prune', '--yes']);
    noValues(refused);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/refusing to delete OLD: OLD is named in \[secrets\] required in .*wrangler\.toml/);
    expect(refused.stderr).toMatch(/--force-missing-secrets/);
    expect(await versionCount(p)).toBe(before);

    const asked = await p.run(['secret', 'sync', 's.json', '--prune'], { tty: true, answers: [true, false] });
    expect(asked.code).toBe(130);
    expect(asked.prompts[1]).toMatch(/OLD is named in \[secrets\] required/);
    expect(await versionCount(p)).toBe(before);

    await ok(p, ['secret', 'sync', 's.json', '--prune', '--yes', '--force-missing-secrets']);
    expect(await versionCount(p)).toBe(before + 1);
  });

  it('--no-deploy makes the version only; the live deployment stays', async () => {
    const p = await seeded();
    const live = (await ok(p, ['deployments', 'status', '--json'])).json();
    p.write('s.json', JSON.stringify({ A: V.a2 }));
    const r = await ok(p, ['secret', 'sync', 's.json', '--no-deploy', '--json']);
    expect(r.json()).toMatchObject({ deployed: false, deployment: null, plan: { changed: ['A'] } });
    expect((await ok(p, ['deployments', 'status', '--json'])).json()).toEqual(live);
  });

  it('reads stdin with -, warns about values that look wrong naming only the secret, and refuses null and empty files', async () => {
    const p = await seeded();
    const r = await ok(p, ['secret', 'sync', '-'], { stdin: `A=${V.a}\nB=' ${V.b}'\nC="\\"${V.c}\\""\n` });
    expect(r.stderr).toMatch(/warning: the value of B starts or ends with spaces/);
    expect(r.stderr).toMatch(/warning: the value of C is wrapped in quotes/);

    const before = await versionCount(p);
    p.write('null.json', JSON.stringify({ A: V.a, OLD: null }));
    const nulls = await p.run(['secret', 'sync', 'null.json']);
    expect(nulls.code).toBe(2);
    expect(nulls.stderr).toMatch(/OLD is null; a secrets file gives values/);
    expect(nulls.stderr).toMatch(/leave it out of the file and pass --prune/);
    p.write('empty.env', '# nothing\n');
    const empty = await p.run(['secret', 'sync', 'empty.env', '--prune', '--yes']);
    expect(empty.code).toBe(2);
    expect(empty.stderr).toMatch(/holds no secrets/);
    expect(await versionCount(p)).toBe(before);
    noValues(nulls);
  });

  it('a sync refused by a rollout in progress (10215) leaves the store as it was', async () => {
    const p = await seeded();
    const v2 = (await ok(p, ['versions', 'upload', '--json'])).json().versionId;
    await ok(p, ['versions', 'deploy', `${v2}@10%`, '--yes']);
    const before = await versionCount(p);
    p.write('s.json', JSON.stringify({ A: V.a2 }));
    const r = await p.run(['secret', 'sync', 's.json']);
    noValues(r);
    expect(r.code).toBe(5);
    expect(await versionCount(p)).toBe(before);
  });
});

describe('secret sync on the example plugin (dev-vars: compares through differentSecrets, no versions)', () => {
  const plugin = resolve(import.meta.dirname, '..', '..', 'examples', 'dev-vars-backend', 'index.mjs');
  const b = (...argv: string[]) => ['--backend', plugin, ...argv];

  it('plans by value, writes once, prunes with --yes, and dry-run exit codes', async () => {
    const p = makeProject();
    p.write('.dev.vars', `A=${V.a}\nB=${V.b}\nOLD=${V.old}\n`);
    p.write('s.env', `A=${V.a}\nB=${V.a2}\nC=${V.c}\n`);
    const dry = await p.run(b('secret', 'sync', 's.env', '--dry-run', '--exit-code', '--json'));
    noValues(dry);
    expect(dry.code).toBe(6);
    expect(dry.json().plan).toEqual({ added: ['C'], changed: ['B'], unchanged: ['A'], set: [], removed: [], leftAlone: ['OLD'], compared: true });
    expect(readFileSync(join(p.dir, '.dev.vars'), 'utf8')).toBe(`A=${V.a}\nB=${V.b}\nOLD=${V.old}\n`);

    const r = await ok(p, b('secret', 'sync', 's.env', '--prune', '--yes', '--json'));
    expect(r.json().changes.map((c: { name: string; action: string }) => `${c.name}:${c.action}`).sort()).toEqual(['B:updated', 'C:added', 'OLD:deleted']);
    expect(r.json().versionId).toBeNull();
    const file = readFileSync(join(p.dir, '.dev.vars'), 'utf8');
    expect(file).toContain(V.c);
    expect(file).not.toContain(V.old);
    const again = await ok(p, b('secret', 'sync', 's.env', '--prune', '--dry-run', '--exit-code'));
    expect(again.stderr).toMatch(/already in sync/);
  });

  it('types with [secrets] required takes the names from the config; without it, from the plugin; upload / deploy need versions (exit 2)', async () => {
    const p = makeProject({ 'wrangler.toml': 'name = "my-worker"\nmain = "src/index.js"\n[secrets]\nrequired = ["API_KEY"]\n' });
    p.write('.dev.vars', `FROM_PLUGIN=${V.a}\n`);
    const t = await ok(p, b('types', '--json'));
    expect(t.json().secretsFrom).toBe('[secrets] required');
    expect(t.json().content).toContain('API_KEY: string;');
    expect(t.json().content).not.toContain('FROM_PLUGIN');
    p.write('wrangler.toml', 'name = "my-worker"\nmain = "src/index.js"\n');
    const t2 = await ok(p, b('types', '--json'));
    expect(t2.json().secretsFrom).toMatch(/^the dev-vars backend$/);
    expect(t2.json().content).toContain('FROM_PLUGIN: string;');
    for (const argv of [['versions', 'upload', '--secrets-file', '.dev.vars'], ['versions', 'deploy', '1@100%', '--yes']]) {
      const r = await p.run(b(...argv));
      noValues(r);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/does not support versions/);
    }
  });
});
