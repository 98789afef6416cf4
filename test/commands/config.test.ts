import { describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type RunResult, makeProject, run, type Project } from '../helpers/cli.js';
import { secretValue, storeExists } from '../helpers/local-store.js';
import { put } from '../helpers/scenarios.js';

const VALUE = 'config-test-s3cret';

/** The exit code of a run that was given VALUE, after checking VALUE was not printed. */
async function quiet(pending: Promise<RunResult>): Promise<number> {
  const r = await pending;
  expect(r.all).not.toContain(VALUE);
  return r.code;
}

/** A project whose only config is `file` (wrangler.toml removed). */
function projectWith(file: string, content: string, extra: Record<string, string> = {}): Project {
  const p = makeProject({ [file]: content, ...extra });
  if (file !== 'wrangler.toml') rmSync(join(p.dir, 'wrangler.toml'));
  return p;
}

describe('finding the config', () => {
  it.each([
    ['wrangler.toml', 'name = "toml-worker"\n[vars]\nFOO = "1"\n'],
    ['wrangler.json', '{ "name": "json-worker", "vars": { "FOO": "1" } }'],
    ['wrangler.jsonc', '// comments are fine\n{\n  "name": "jsonc-worker", /* here too */\n  "vars": { "FOO": "1", },\n}\n'],
  ])('%s, found upward from a subfolder; the store goes beside it', async (file, content) => {
    const p = projectWith(file, content);
    const worker = file.replace('wrangler.', '') + '-worker';
    const sub = join(p.dir, 'src', 'deep', 'er');
    mkdirSync(sub, { recursive: true });
    const r = await p.run(['secret', 'put', 'A', '--json'], { cwd: sub, stdin: VALUE });
    expect(r.code, r.stderr).toBe(0);
    expect(r.json().worker).toBe(worker);
    expect(existsSync(join(p.dir, '.mycli', 'HEAD'))).toBe(true);
    expect(existsSync(join(sub, '.mycli'))).toBe(false);
    expect(secretValue(p, 'A', { worker })).toBe(VALUE);
    // [vars] from that file are honoured.
    expect(await quiet(p.run(['secret', 'put', 'FOO'], { cwd: sub, stdin: VALUE }))).toBe(2);
    expect(r.all).not.toContain(VALUE);
  });

  it('--config points at another file (relative to the working directory)', async () => {
    const p = makeProject({ 'conf/other.toml': 'name = "other-worker"\n' });
    const r = await p.run(['secret', 'put', 'A', '--config', 'conf/other.toml'], { stdin: VALUE });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/on Worker other-worker/);
    expect(existsSync(join(p.dir, 'conf', '.mycli'))).toBe(true);
    expect(r.all).not.toContain(VALUE);
  });

  it('-c works as --config', async () => {
    const p = makeProject({ 'conf/other.json': '{"name": "other-worker"}' });
    const r = await p.run(['secret', 'list', '-c', 'conf/other.json', '--json']);
    expect(r.json().worker).toBe('other-worker');
  });

  it('--config naming a missing file: exit 2', async () => {
    const p = makeProject();
    const r = await p.run(['secret', 'list', '--config', 'nope.toml']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/config file .*nope\.toml does not exist/);
  });

  it('no config anywhere and no --name: exit 2 saying so', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mycli-noconfig-'));
    const r = await run(['secret', 'list'], { cwd: dir, env: { HOME: dir } });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no wrangler\.json, wrangler\.jsonc or wrangler\.toml found here or in any parent folder/);
  });

  it('MYCLI_STATE_DIR moves the store', async () => {
    const p = makeProject();
    const r = await p.run(['secret', 'put', 'A'], { stdin: VALUE, env: { MYCLI_STATE_DIR: 'elsewhere/store' } });
    expect(r.code).toBe(0);
    expect(existsSync(join(p.dir, 'elsewhere', 'store', 'HEAD'))).toBe(true);
    expect(storeExists(p)).toBe(false);
    expect(r.all).not.toContain(VALUE);
  });
});

describe('--env', () => {
  it.each([
    ['staging', 'my-worker-staging'], // [env.staging].name
    ['production', 'my-worker-production'], // <name>-<env>
  ])('%s acts on Worker %s', async (env, worker) => {
    const p = makeProject();
    const r = await p.run(['secret', 'put', 'A', '--env', env, '--json'], { stdin: VALUE });
    expect(r.code, r.stderr).toBe(0);
    expect(r.json()).toMatchObject({ worker, env });
    expect(r.stderr).toContain(`on Worker ${worker} · env ${env}`);
    expect(r.all).not.toContain(VALUE);
  });

  it('[vars] are not inherited: an environment without [vars] has none', async () => {
    const p = makeProject({ 'wrangler.toml': 'name = "w"\nmain = "src/index.js"\n[vars]\nTOP = "x"\n[env.bare]\n' });
    expect(await quiet(p.run(['secret', 'put', 'TOP'], { stdin: VALUE }))).toBe(2);
    expect(await quiet(p.run(['secret', 'put', 'TOP', '--env', 'bare'], { stdin: VALUE }))).toBe(0);
    const r = await p.run(['versions', 'upload', '--env', 'bare', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.json().worker).toBe('w-bare');
    // No plain_text TOP: only the secret the environment's Worker has.
    expect(r.json().version.bindings).toEqual([{ type: 'secret_text', name: 'TOP' }]);
  });

  it('an unknown environment: exit 2 listing the defined ones', async () => {
    const p = makeProject();
    const r = await p.run(['secret', 'list', '--env', 'qa']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/environment "qa" is not defined in .*wrangler\.toml/);
    expect(r.stderr).toMatch(/hint: defined environments: staging, production/);
    expect(r.stderr).not.toMatch(/did you mean/);
  });

  it.each([
    ['stagin', 'staging'],
    ['stagign', 'staging'],
    ['Staging', 'staging'],
    ['prod', 'production'],
    ['productoin', 'production'],
  ])('--env %s: "did you mean %s", from the config\'s environments, exit 2', async (typo, meant) => {
    const p = makeProject();
    const r = await p.run(['secret', 'put', 'X', '--env', typo], { stdin: 'v' });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`environment "${typo}" is not defined in ${p.dir}/wrangler.toml; did you mean "${meant}"?`);
    const j = await p.run(['secret', 'list', '--env', typo, '--json']);
    expect(j.json().error.message).toContain(`did you mean "${meant}"?`);
  });

  it('an invalid environment name: exit 2', async () => {
    const p = makeProject();
    const r = await p.run(['secret', 'list', '--env', 'bad env!']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--env "bad env!" is not a valid environment name/);
  });
});

describe('config errors', () => {
  it.each([
    ['wrangler.toml', 'name = "w"\nmain = \n', /wrangler\.toml:2:8: invalid TOML: invalid value/],
    ['wrangler.toml', 'name = "w"\n[vars]\nA = "1"\nA = "2"\n', /wrangler\.toml:4:1: invalid TOML: .*already defined/],
    ['wrangler.json', '{\n  "name": "w",\n  "main": \n}\n', /wrangler\.json:4:1: invalid JSON/],
    ['wrangler.jsonc', '{\n  "name": "w"\n  "main": "x"\n}\n', /wrangler\.jsonc:3:3: invalid JSON/],
  ])('%s syntax errors carry file:line:col (exit 2)', async (file, content, message) => {
    const p = projectWith(file, content);
    const r = await p.run(['secret', 'list']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).toContain(join(p.dir, file));
  });

  it('all schema problems at once, as dotted.path: message (exit 2)', async () => {
    const p = makeProject({
      'wrangler.toml':
        'name = "Bad Name"\ncompatibility_date = "yesterday"\nmain = 5\n[vars]\n"bad-key" = "x"\n[env.staging]\nname = "ALSO BAD"\n',
    });
    const r = await p.run(['secret', 'list']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/has 5 problems:/);
    expect(r.stderr).toMatch(/^\s+name: must be 1-63 lowercase/m);
    expect(r.stderr).toMatch(/^\s+compatibility_date: must be a date/m);
    expect(r.stderr).toMatch(/^\s+main: /m);
    expect(r.stderr).toMatch(/^\s+vars\.bad-key: /m);
    expect(r.stderr).toMatch(/^\s+env\.staging\.name: /m);
  });

  it('--json: a config error is a JSON error with code config, exit 2', async () => {
    const p = makeProject({ 'wrangler.toml': 'name = "w"\nmain = \n' });
    const r = await p.run(['secret', 'list', '--json']);
    expect(r.code).toBe(2);
    expect(r.json().error).toMatchObject({ code: 'config' });
    expect(r.json().error.message).toMatch(/wrangler\.toml:2:\d+/);
  });

  it('unknown keys warn (once) and do not fail', async () => {
    const p = makeProject({
      'wrangler.toml': 'name = "w"\nfavourite_colour = "blue"\nkv_namespaces = []\n[env.staging]\nbogus = 1\n[mycli]\nbakend = "local"\n',
    });
    const r = await p.run(['secret', 'list', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr.match(/unknown keys ignored: favourite_colour, env\.staging\.bogus, mycli\.bakend/g)).toHaveLength(1);
    expect(r.stderr).not.toMatch(/kv_namespaces/);
    expect(r.json().worker).toBe('w');
  });
});

describe('[vars] that look like credentials', () => {
  // [var name, value, expected to warn]
  const cases: [string, string, boolean][] = [
    ['API_KEY', 'abc', true],
    ['GITHUB_TOKEN', 'abc', true],
    ['CLIENT_SECRET', 'abc', true],
    ['DB_PASSWORD', 'abc', true],
    ['ADMIN_PASSWORD_HINT', 'abc', true],
    ['PAYMENT', 'sk_live_4eC39HqLyjWDarjtT1zdp7dcXYZ', true],
    ['GH', 'ghp_abcdefghijklmnopqrstuvwxyz0123456789', true],
    ['AWS_ID', 'AKIAIOSFODNN7EXAMPLE', true],
    ['SESSION', 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJlLXNpZ25hdHVyZQ', true],
    ['BLOB', 'q8Z3vN1xR7tK2mW9pL4sY6bH0cJ5fD8gA3eU1iO7', true],
    ['GREETING', 'hello world, this is a friendly greeting', false],
    ['HOMEPAGE', 'https://example.com/a/very/long/path/with/many/parts/in/it', false],
    ['MONKEY', 'banana', false],
    ['MAX_RETRIES', '3', false],
  ];
  it.each(cases)('%s: warns=%s on a change (not on a read), never printing the value', async (name, value, warns) => {
    const p = makeProject({ 'wrangler.toml': `name = "w"\n[vars]\n${name} = "${value}"\n` });
    const r = await p.run(['secret', 'put', 'OTHER'], { stdin: VALUE });
    expect(r.code, r.stderr).toBe(0);
    const warnings = r.stderr.match(/looks like a credential/g) ?? [];
    expect(warnings).toHaveLength(warns ? 1 : 0);
    if (warns) {
      expect(r.stderr).toContain(`[vars] entry ${name} looks like a credential`);
      // The hint works in its order: out of [vars] first (a secret may not share a var's name), then put.
      expect(r.stderr).toContain(`remove it from [vars] in ${join(p.dir, 'wrangler.toml')}`);
      expect(r.stderr).toContain(`printf '%s' "$${name}" | mycli secret put ${name}`);
      expect(r.stderr.indexOf('looks like a credential')).toBeLessThan(r.stderr.indexOf('Putting secret OTHER'));
    }
    const list = await p.run(['secret', 'list']);
    expect(list.stderr).not.toMatch(/credential/);
    if (value.length > 3) expect(r.all + list.all).not.toContain(value);
    expect(r.all).not.toContain(VALUE);
  });

  it('several at once: one warning naming all of them', async () => {
    const p = makeProject({ 'wrangler.toml': 'name = "w"\n[vars]\nA_KEY = "x"\nB_TOKEN = "y"\nOK = "z"\n' });
    const r = await p.run(['secret', 'put', 'C'], { stdin: VALUE });
    expect(r.code).toBe(0);
    expect(r.stderr.match(/warning: \[vars\] entries A_KEY, B_TOKEN look like credentials/g)).toHaveLength(1);
    expect(r.all).not.toContain(VALUE);
  });

  it("the hint works: after removing the var, `secret put` of that name succeeds with no warning", async () => {
    const p = makeProject({ 'wrangler.toml': 'name = "w"\n[vars]\nSTRIPE_KEY = "sk_live_4eC39HqLyjWDarjtT1zdp7dcXYZ"\n' });
    const refused = await p.run(['secret', 'put', 'STRIPE_KEY'], { stdin: VALUE });
    expect(refused.code).toBe(2); // a secret may not share a var's name: hence "remove it first"
    p.write('wrangler.toml', 'name = "w"\n');
    const r = await p.run(['secret', 'put', 'STRIPE_KEY'], { stdin: VALUE });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).not.toMatch(/credential/);
    expect(refused.all + r.all).not.toContain(VALUE);
    expect(refused.all).not.toContain('sk_live_4eC39');
  });

  it("the environment's own vars are checked under --env", async () => {
    const p = makeProject({ 'wrangler.toml': 'name = "w"\n[vars]\nOK = "z"\n[env.prod.vars]\nSTRIPE_KEY = "x"\n' });
    expect((await p.run(['secret', 'put', 'A', '--env', ''], { stdin: VALUE })).stderr).not.toMatch(/credential/);
    const r = await p.run(['secret', 'put', 'A', '--env', 'prod'], { stdin: VALUE });
    expect(r.stderr).toMatch(/\[env\.prod\.vars\] entry STRIPE_KEY looks like a credential/);
    expect(r.stderr).toContain(`mycli secret put STRIPE_KEY --env prod`);
  });
});

describe('a config with environments and no --env (as wrangler warns)', () => {
  it('a change warns before it is made, naming the environments and the top-level Worker', async () => {
    const p = makeProject(); // [env.staging] and [env.production]
    const r = await p.run(['secret', 'put', 'A'], { stdin: VALUE });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/defines environments \(staging, production\) and none was chosen: this acts on the top-level Worker my-worker/);
    expect(r.stderr).toMatch(/pass --env <name> \(or --env "" for the top level\)/);
    expect(r.stderr.indexOf('none was chosen')).toBeLessThan(r.stderr.indexOf('Putting secret A'));
    expect(r.all).not.toContain(VALUE);
  });

  it('no warning with --env <name>, with --env "" (the top level, chosen), on reads, or without environments', async () => {
    const p = makeProject();
    const named = await p.run(['secret', 'put', 'A', '--env', 'staging'], { stdin: VALUE });
    expect(named.code, named.stderr).toBe(0);
    const top = await p.run(['secret', 'put', 'A', '--env', ''], { stdin: VALUE });
    expect(top.code, top.stderr).toBe(0);
    expect(top.stderr).toMatch(/Worker my-worker · env \(top level\)/);
    const read = await p.run(['secret', 'list']);
    const plain = makeProject({ 'wrangler.toml': 'name = "w"\n' });
    const noEnvs = await plain.run(['secret', 'put', 'A'], { stdin: VALUE });
    for (const r of [named, top, read, noEnvs]) expect(r.stderr).not.toMatch(/none was chosen/);
  });
});

describe('--name and backends', () => {
  it('--name of a Worker the store never saw, on a read command: exit 3; a write creates it', async () => {
    const p = makeProject();
    await put(p, 'A', VALUE);
    for (const cmd of [['secret', 'list'], ['versions', 'list'], ['deployments', 'status'], ['versions', 'rollback', '--yes']]) {
      const r = await p.run([...cmd, '--name', 'other-worker']);
      expect(r.code, cmd.join(' ')).toBe(3);
    }
    const w = await p.run(['secret', 'put', 'B', '--name', 'other-worker'], { stdin: VALUE });
    expect(w.code).toBe(0);
    expect(w.stderr).toMatch(/created Worker "other-worker"/);
    expect((await p.run(['secret', 'list', '--name', 'other-worker', '--json'])).json().secrets).toEqual([{ name: 'B', type: 'secret_text' }]);
    expect(w.all).not.toContain(VALUE);
  });

  it('an invalid --name: exit 2', async () => {
    const p = makeProject();
    const r = await p.run(['secret', 'list', '--name', 'Not Valid']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--name "Not Valid" is not a valid Worker name/);
  });

  it.each([
    ['--backend', ['--backend', 'nosuch'], {}, undefined],
    ['MYCLI_BACKEND', [], { MYCLI_BACKEND: 'nosuch' }, undefined],
    ['[mycli] backend', [], {}, 'name = "my-worker"\n[mycli]\nbackend = "nosuch"\n'],
  ] as [string, string[], Record<string, string>, string | undefined][])('an unknown backend from %s: exit 2', async (_l, flags, env, toml) => {
    const p = makeProject(toml ? { 'wrangler.toml': toml } : {});
    const r = await p.run(['secret', 'list', ...flags], { env });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/nosuch/);
  });

  it('--backend wins over MYCLI_BACKEND, which wins over the config', async () => {
    const p = makeProject({ 'wrangler.toml': 'name = "my-worker"\n[mycli]\nbackend = "nosuch-config"\n' });
    const env = await p.run(['secret', 'list'], { env: { MYCLI_BACKEND: 'local' } });
    expect(env.code, env.stderr).toBe(0);
    const flag = await p.run(['secret', 'list', '--backend', 'local'], { env: { MYCLI_BACKEND: 'nosuch-env' } });
    expect(flag.code, flag.stderr).toBe(0);
  });
});
