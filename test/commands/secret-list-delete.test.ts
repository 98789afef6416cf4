import { describe, expect, it } from 'vitest';
import { makeProject } from '../helpers/cli.js';
import { snapshot, storeExists } from '../helpers/local-store.js';
import { liveSplit, put, secretNames, UUID, versionIds } from '../helpers/scenarios.js';

describe('secret list', () => {
  it('on a Worker with no secrets: nothing on stdout, a note on stderr, and no store created', async () => {
    const p = makeProject();
    const r = await p.run(['secret', 'list']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/has no secrets yet/);
    expect(storeExists(p)).toBe(false);
    const j = await p.run(['secret', 'list', '--json']);
    expect(j.json()).toEqual({ worker: 'my-worker', env: null, backend: 'local', secrets: [] });
  });

  it('shows names and types, sorted, never values', async () => {
    const p = makeProject();
    await put(p, 'ZETA', 'zeta-s3cret-value');
    await put(p, 'ALPHA', 'alpha-s3cret-value');
    const r = await p.run(['secret', 'list']);
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^NAME\s+TYPE$/);
    expect(lines.slice(1).map((l) => l.split(/\s+/))).toEqual([
      ['ALPHA', 'secret_text'],
      ['ZETA', 'secret_text'],
    ]);
    expect(r.all).not.toMatch(/zeta-s3cret-value|alpha-s3cret-value/);
  });

  it('--json: exactly the target and {name, type} per secret', async () => {
    const p = makeProject();
    await put(p, 'API_KEY', 'list-json-s3cret');
    const r = await p.run(['secret', 'list', '--json']);
    expect(r.code).toBe(0);
    expect(r.json()).toEqual({
      worker: 'my-worker',
      env: null,
      backend: 'local',
      secrets: [{ name: 'API_KEY', type: 'secret_text' }],
    });
    expect(r.all).not.toContain('list-json-s3cret');
  });

  it('environments have their own secrets', async () => {
    const p = makeProject();
    await put(p, 'TOP', 'top-level-s3cret');
    await put(p, 'STAGED', 'staging-s3cret', ['--env', 'staging']);
    expect(await secretNames(p)).toEqual(['TOP']);
    expect(await secretNames(p, ['--env', 'staging'])).toEqual(['STAGED']);
    const r = await p.run(['secret', 'list', '--env', 'staging', '--json']);
    expect(r.json()).toMatchObject({ worker: 'my-worker-staging', env: 'staging' });
  });

  it('--name of a Worker the store never saw: not found (exit 3)', async () => {
    const p = makeProject();
    await put(p, 'A', 'some-s3cret-value');
    const r = await p.run(['secret', 'list', '--name', 'ghost-worker']);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/Worker "ghost-worker" does not exist/);
  });
});

describe('secret delete', () => {
  async function withSecret() {
    const p = makeProject();
    await put(p, 'API_KEY', 'to-be-deleted-s3cret');
    return p;
  }

  it('not interactive and no --yes: exit 2, hint names --yes, nothing changed', async () => {
    const p = await withSecret();
    const before = snapshot(p);
    const r = await p.run(['secret', 'delete', 'API_KEY']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/needs confirmation/);
    expect(r.stderr).toMatch(/hint:.*--yes/);
    expect(r.prompts).toEqual([]);
    expect(snapshot(p)).toBe(before);
    expect(await secretNames(p)).toEqual(['API_KEY']);
  });

  it('CI set on a terminal counts as not interactive', async () => {
    const p = await withSecret();
    const before = snapshot(p);
    const r = await p.run(['secret', 'delete', 'API_KEY'], { tty: true, env: { CI: '1' } });
    expect(r.code).toBe(2);
    expect(r.prompts).toEqual([]);
    expect(snapshot(p)).toBe(before);
  });

  it.each([['--yes'], ['-y']])('with %s: deleted, in a new version deployed at 100%', async (flag) => {
    const p = await withSecret();
    const r = await p.run(['secret', 'delete', 'API_KEY', flag]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/Deleting secret API_KEY on Worker my-worker · env \(top level\) · backend local/);
    expect(r.stderr).toMatch(/secret API_KEY deleted: version 2/);
    expect(await secretNames(p)).toEqual([]);
    const ids = await versionIds(p);
    expect(ids).toHaveLength(2);
    expect(await liveSplit(p)).toEqual([[ids[0], 100]]);
    expect(r.all).not.toContain('to-be-deleted-s3cret');
  });

  it('interactive: asks, and deletes when confirmed', async () => {
    const p = await withSecret();
    const r = await p.run(['secret', 'delete', 'API_KEY', '--no-color'], { tty: true, answers: [true] });
    expect(r.code, r.stderr).toBe(0);
    expect(r.prompts).toEqual(['Delete secret API_KEY from Worker my-worker · env (top level) · backend local?']);
    expect(r.stderrAtPrompt[0]).toMatch(/Deleting secret API_KEY on Worker my-worker · env \(top level\) · backend local/);
    expect(await secretNames(p)).toEqual([]);
  });

  it('interactive: declining exits 130 and changes nothing', async () => {
    const p = await withSecret();
    const before = snapshot(p);
    const r = await p.run(['secret', 'delete', 'API_KEY'], { tty: true, answers: [false] });
    expect(r.code).toBe(130);
    expect(r.stderr).toMatch(/cancelled/);
    expect(snapshot(p)).toBe(before);
  });

  it('the prompt names the environment', async () => {
    const p = makeProject();
    await put(p, 'API_KEY', 'staging-del-s3cret', ['--env', 'staging']);
    const r = await p.run(['secret', 'delete', 'API_KEY', '-e', 'staging'], { tty: true, answers: [true] });
    expect(r.code).toBe(0);
    expect(r.prompts).toEqual(['Delete secret API_KEY from Worker my-worker-staging · env staging · backend local?']);
  });

  it.each([
    ['--yes', ['--yes'], {}],
    ['interactive (no prompt shown)', [], { tty: true }],
  ] as [string, string[], object][])('a secret that does not exist: exit 3 (%s), nothing changed', async (_l, flags, o) => {
    const p = await withSecret();
    const before = snapshot(p);
    const r = await p.run(['secret', 'delete', 'NOPE', ...flags], o);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/secret "NOPE" does not exist/);
    expect(r.prompts).toEqual([]);
    expect(snapshot(p)).toBe(before);
  });

  it('an invalid name: exit 2 before anything', async () => {
    const p = makeProject();
    const r = await p.run(['secret', 'delete', 'BAD-NAME', '--yes']);
    expect(r.code).toBe(2);
    expect(storeExists(p)).toBe(false);
  });

  it('--json: the deleted name and the new version id', async () => {
    const p = await withSecret();
    const r = await p.run(['secret', 'delete', 'API_KEY', '--yes', '--json']);
    expect(r.code).toBe(0);
    const doc = r.json();
    expect(doc).toMatchObject({ worker: 'my-worker', secret: { name: 'API_KEY', action: 'deleted' }, deployed: true });
    expect(doc.versionId).toMatch(UUID);
    expect(doc.deployment.versions).toEqual([{ versionId: doc.versionId, percentage: 100 }]);
  });
});

describe('secret delete on a fresh project', () => {
  it('a missing secret: exit 3, and no store folder or key file is created', async () => {
    const p = makeProject({}, { MYCLI_LOCAL_KEY: '' });
    const r = await p.run(['secret', 'delete', 'NOPE', '--yes']);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/secret "NOPE" does not exist/);
    expect(storeExists(p)).toBe(false);
    const { existsSync } = await import('node:fs');
    const { join } = await import('node:path');
    expect(existsSync(join(p.dir, '.mycli'))).toBe(false);
    expect(existsSync(join(p.env.XDG_CONFIG_HOME, 'mycli', 'local.key'))).toBe(false);
  });
});

describe('an empty stdin', () => {
  it('says to pipe the value or use --from-file, not only --allow-empty (exit 2)', async () => {
    const p = makeProject();
    const r = await p.run(['secret', 'put', 'API_KEY'], { stdin: '' });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/stdin was empty/);
    expect(r.stderr).toMatch(/hint: pipe the value in .*--from-file/);
  });
});

describe('secret list --format (wrangler 4.164\'s flag)', () => {
  it('json is --json, pretty is the table; another format is exit 2', async () => {
    const p = makeProject();
    await put(p, 'FMT_A', 'format-v4lue-123');
    const json = await p.run(['secret', 'list', '--format', 'json']);
    expect(json.code, json.stderr).toBe(0);
    expect(json.json().secrets).toEqual([{ name: 'FMT_A', type: 'secret_text' }]);
    expect(json.stdout).toBe((await p.run(['secret', 'list', '--json'])).stdout);
    const pretty = await p.run(['secret', 'list', '--format', 'pretty']);
    expect(pretty.stdout).toMatch(/^NAME\s+TYPE\nFMT_A\s+secret_text\n$/);
    const bad = await p.run(['secret', 'list', '--format', 'yaml']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--format yaml is not a format of secret list/);
    expect(json.all + pretty.all).not.toContain('format-v4lue');
  });

  it.each([
    [['secret', 'put', 'X', '--remote'], /unknown option '--remote' \(a wrangler option\)\nhint: in mycli: the backend decides .*--backend cloudflare/],
    [['versions', 'list', '--x-versions'], /hint: in mycli: versions are always on in mycli; drop the flag/],
    [['versions', 'deploy', '--account-id', 'abc'], /hint: in mycli: set CLOUDFLARE_ACCOUNT_ID/],
    [['deployments', 'list', '--format', 'json'], /hint: in mycli: --json prints one JSON document/],
  ])('a wrangler option mycli lacks points at mycli\'s way: %j', async (argv, hint) => {
    const p = makeProject();
    const r = await p.run(argv as string[]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(hint);
  });
});
