/**
 * [secrets] required (issue 18 item 3) and `versions upload --secrets-file` (item 2) on the local
 * store: deploy, rollout, rollback and upload refuse a version that lacks a required secret (exit
 * 2, naming it, the rule and how to add it; --force-missing-secrets goes on and says so), nothing
 * changes when refused; secret list marks required names; an upload carries exactly the planned
 * secret names in the version itself. No value is ever printed.
 */
import { describe, expect, it } from 'vitest';
import { makeProject, type Project, type RunResult } from '../helpers/cli.js';

const TOML = `name = "my-worker"
main = "src/index.js"

[secrets]
required = ["API_KEY"]

[env.staging]
name = "my-worker-staging"
[env.staging.secrets]
required = ["STAGING_KEY"]
`;
const V = { api: 'req-v4lue-api-1', other: 'req-v4lue-other-1', file: 'req-v4lue-file-1', staging: 'req-v4lue-staging-1' };

function noValues(r: RunResult): void {
  for (const v of Object.values(V)) expect(r.all.includes(v), `printed a value (${v})`).toBe(false);
}
async function run(p: Project, argv: string[], o: Parameters<Project['run']>[1] = {}): Promise<RunResult> {
  const r = await p.run(argv, o);
  noValues(r);
  return r;
}
async function ok(p: Project, argv: string[], o: Parameters<Project['run']>[1] = {}): Promise<RunResult> {
  const r = await run(p, argv, o);
  expect(r.code, r.all).toBe(0);
  return r;
}
const live = async (p: Project) => (await ok(p, ['deployments', 'status', '--json'])).json();

/** v1 lacks API_KEY (OTHER only); v2 has both and is live. */
async function twoVersions(): Promise<{ p: Project; v1: string; v2: string }> {
  const p = makeProject({ 'wrangler.toml': TOML });
  const v1 = (await ok(p, ['secret', 'put', 'OTHER', '--json'], { stdin: V.other })).json().versionId;
  const v2 = (await ok(p, ['secret', 'put', 'API_KEY', '--json'], { stdin: V.api })).json().versionId;
  return { p, v1, v2 };
}

describe('[secrets] required: versions that lack one are refused', () => {
  it('versions deploy (and its dry run) refuses, naming the missing name, the rule and how to add it; nothing deployed', async () => {
    const { p, v1 } = await twoVersions();
    const before = await live(p);
    for (const extra of [[], ['--dry-run']]) {
      const r = await run(p, ['versions', 'deploy', `${v1}@100%`, '--yes', ...extra]);
      expect(r.code, r.all).toBe(2);
      expect(r.stderr).toMatch(/refusing the deployment: version 1 lacks API_KEY, which \[secrets\] required in .*wrangler\.toml names/);
      expect(r.stderr).toMatch(/mycli versions secret put API_KEY/);
      expect(r.stderr).toMatch(/--force-missing-secrets/);
    }
    expect(await live(p)).toEqual(before);
    const forced = await ok(p, ['versions', 'deploy', `${v1}@100%`, '--yes', '--force-missing-secrets', '--json']);
    expect(forced.stderr).toMatch(/version 1 lacks API_KEY .*the deployment anyway \(--force-missing-secrets\)/);
    expect(forced.json().missingSecrets).toEqual([{ versionId: v1, number: 1, missing: ['API_KEY'] }]);
  });

  it('rollback and versions rollout refuse too; the live deployment is unchanged', async () => {
    const { p, v1 } = await twoVersions();
    const before = await live(p);
    const rb = await run(p, ['rollback', v1, '--yes']);
    expect(rb.code, rb.all).toBe(2);
    expect(rb.stderr).toMatch(/refusing the rollback: version 1 lacks API_KEY/);
    const ro = await run(p, ['versions', 'rollout', v1, '--steps', '100', '--wait', '0', '--yes']);
    expect(ro.code, ro.all).toBe(2);
    expect(ro.stderr).toMatch(/refusing the rollout: version 1 lacks API_KEY/);
    expect(await live(p)).toEqual(before);
    await ok(p, ['rollback', v1, '--yes', '--force-missing-secrets']);
    expect((await live(p)).deployment.versions[0].versionId).toBe(v1);
  });

  it('versions upload refuses a version that would lack one; a secrets file that gives it is accepted', async () => {
    const p = makeProject({ 'wrangler.toml': TOML });
    await ok(p, ['secret', 'put', 'OTHER'], { stdin: V.other });
    const versions = async () => (await ok(p, ['versions', 'list', '--json'])).json().versions.length;
    const before = await versions();
    const r = await run(p, ['versions', 'upload']);
    expect(r.code, r.all).toBe(2);
    expect(r.stderr).toMatch(/refusing the upload: version 2 lacks API_KEY/);
    expect(await versions()).toBe(before);
    p.write('s.env', `API_KEY=${V.file}\n`);
    const up = await ok(p, ['versions', 'upload', '--secrets-file', 's.env', '--json']);
    expect(up.json().secrets).toEqual({ sets: ['API_KEY'], keeps: ['OTHER'], drops: [] });
    expect(await versions()).toBe(before + 1);
  });

  it('per environment: [env.staging.secrets] required, not the top level\'s', async () => {
    const p = makeProject({ 'wrangler.toml': TOML });
    await ok(p, ['secret', 'put', 'OTHER', '--env', 'staging'], { stdin: V.other });
    const r = await run(p, ['versions', 'upload', '--env', 'staging']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/lacks STAGING_KEY, which \[env\.staging\.secrets\] required in .*wrangler\.toml names/);
    expect(r.stderr).not.toMatch(/API_KEY/);
    const list = await ok(p, ['secret', 'list', '--env', 'staging', '--json']);
    expect(list.json()).toMatchObject({ secrets: [{ name: 'OTHER', type: 'secret_text', required: false }], missingRequired: ['STAGING_KEY'] });
  });

  it('secret list marks required names and warns about the missing ones with the command to add them', async () => {
    const p = makeProject({ 'wrangler.toml': 'name = "my-worker"\n[secrets]\nrequired = ["API_KEY", "DB_URL"]\n' });
    await ok(p, ['secret', 'put', 'API_KEY'], { stdin: V.api });
    const r = await ok(p, ['secret', 'list']);
    expect(r.stdout).toMatch(/NAME\s+TYPE\s+REQUIRED/);
    expect(r.stdout).toMatch(/API_KEY\s+secret_text\s+yes/);
    expect(r.stderr).toMatch(/missing required secret \(\[secrets\] required in .*\): DB_URL; add it with `mycli secret put DB_URL`/);
    const targeted = await ok(p, ['secret', 'list', '-c', 'wrangler.toml']);
    expect(targeted.stderr).toMatch(/`mycli secret put DB_URL -c wrangler\.toml`/);
  });

  it('secret delete of a required name: --yes is not enough; a second prompt names the rule', async () => {
    const { p } = await twoVersions();
    const before = await live(p);
    const r = await run(p, ['secret', 'delete', 'API_KEY', '--yes']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/refusing to delete API_KEY: API_KEY is named in \[secrets\] required/);
    const asked = await run(p, ['secret', 'delete', 'API_KEY'], { tty: true, answers: [true, false] });
    expect(asked.code).toBe(130);
    expect(asked.prompts).toHaveLength(2);
    expect(asked.prompts[1]).toMatch(/API_KEY is named in \[secrets\] required .*Delete it anyway\?/);
    expect(await live(p)).toEqual(before);
    await ok(p, ['secret', 'delete', 'API_KEY', '--yes', '--force-missing-secrets']);
  });

  it('a config whose [secrets] required is not a list of names is a config error naming the entry', async () => {
    const p = makeProject({ 'wrangler.toml': 'name = "my-worker"\n[secrets]\nrequired = ["OK", "not-a-name", "OK"]\n' });
    const r = await p.run(['secret', 'list']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/secrets\.required\[1\]: must be a secret name/);
    expect(r.stderr).toMatch(/secrets\.required\[2\]: OK is listed twice/);
  });
});

describe('versions upload --secrets-file (code and secrets in one version)', () => {
  it('sets, keeps and drops exactly the planned names in the uploaded version; --dry-run uploads nothing', async () => {
    const p = makeProject();
    await ok(p, ['secret', 'bulk'], { stdin: JSON.stringify({ KEEP: V.other, SWAP: V.api }) });
    p.write('s.json', JSON.stringify({ SWAP: V.file, NEW: V.staging }));
    const versions = async () => (await ok(p, ['versions', 'list', '--json'])).json().versions.length;
    const before = await versions();

    const dry = await ok(p, ['versions', 'upload', '--secrets-file', 's.json', '--prune', '--dry-run', '--json']);
    expect(dry.json()).toMatchObject({ dryRun: true, versionId: null, secrets: { sets: ['NEW', 'SWAP'], keeps: [], drops: ['KEEP'] } });
    expect(dry.json().preview.changes[0].secrets).toEqual(
      expect.arrayContaining([
        { name: 'KEEP', change: 'removed' },
        { name: 'NEW', change: 'added' },
      ]),
    );
    expect(dry.json().preview.changes[0].secrets).toHaveLength(2);
    expect(dry.stderr).toMatch(/secrets it sets from s\.json: NEW, SWAP/);
    expect(dry.stderr).toMatch(/secrets it drops \(--prune\): KEEP/);
    expect(dry.stderr).toMatch(/dry run: nothing was uploaded/);
    expect(await versions()).toBe(before);

    const kept = await ok(p, ['versions', 'upload', '--secrets-file', 's.json', '--json']);
    expect(kept.json().secrets).toEqual({ sets: ['NEW', 'SWAP'], keeps: ['KEEP'], drops: [] });
    const view = await ok(p, ['versions', 'view', kept.json().versionId, '--json']);
    const secretNames = (v: { bindings: { type: string; name: string }[] }) => v.bindings.filter((b) => b.type === 'secret_text').map((b) => b.name).sort();
    expect(secretNames(view.json().version ?? view.json())).toEqual(['KEEP', 'NEW', 'SWAP']);

    const pruned = await ok(p, ['versions', 'upload', '--secrets-file', 's.json', '--prune', '--json']);
    expect(secretNames(pruned.json().version)).toEqual(['NEW', 'SWAP']);
    expect(await versions()).toBe(before + 2);
    // Not deployed: the live deployment is still the first version.
    expect((await live(p)).deployment.versions).toEqual([{ versionId: (await ok(p, ['versions', 'list', '--json'])).json().versions.at(-1).id, percentage: 100 }]);
    // The uploaded value is the file's: syncing the same file to the pruned version after deploying it is "in sync".
    await ok(p, ['versions', 'deploy', `${pruned.json().versionId}@100%`, '--yes']);
    expect((await ok(p, ['secret', 'sync', 's.json', '--prune', '--dry-run', '--exit-code'])).stderr).toMatch(/already in sync/);
  });

  it('--prune without --secrets-file is a usage error', async () => {
    const r = await makeProject().run(['versions', 'upload', '--prune']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--prune goes with --secrets-file/);
  });
});
