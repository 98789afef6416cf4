import { describe, expect, it } from 'vitest';
import { makeProject } from '../helpers/cli.js';
import { readWorker, snapshot, storeExists } from '../helpers/local-store.js';
import { deploy, liveSplit, put, upload, UUID, versionIds } from '../helpers/scenarios.js';

const VALUE = 'versions-s3cret-value';

describe('versions list', () => {
  it('no versions yet: a note, an empty JSON list', async () => {
    const p = makeProject();
    const r = await p.run(['versions', 'list']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/has no versions yet/);
    expect((await p.run(['versions', 'list', '--json'])).json()).toEqual({ worker: 'my-worker', env: null, backend: 'local', versions: [] });
  });

  it('newest first, with the traffic of the live deployment', async () => {
    const p = makeProject();
    const v1 = await put(p, 'A', VALUE);
    const v2 = await put(p, 'B', VALUE);
    const v3 = await upload(p, ['--message', 'third one', '--tag', 'v3-tag']);
    await deploy(p, `${v3}@25%`);
    const r = await p.run(['versions', 'list', '--json']);
    expect(r.code).toBe(0);
    const vs = r.json().versions;
    expect(vs.map((v: { id: string }) => v.id)).toEqual([v3, v2, v1]);
    expect(vs.map((v: { number: number }) => v.number)).toEqual([3, 2, 1]);
    expect(vs.map((v: { percentage: number }) => v.percentage)).toEqual([25, 75, 0]);
    expect(vs[0]).toMatchObject({ message: 'third one', tag: 'v3-tag', source: 'upload', author: 'tester@example.com' });
    expect(vs[2]).toMatchObject({ source: 'secret', message: null, tag: null });

    const human = await p.run(['versions', 'list']);
    const lines = human.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^VERSION ID\s+#\s+CREATED\s+AUTHOR\s+SOURCE\s+TRAFFIC\s+MESSAGE$/);
    expect(lines[1]).toContain(v3);
    expect(lines[1]).toMatch(/● 25%/);
    expect(lines[1]).toMatch(/\[v3-tag\] third one/);
    expect(lines[2]).toContain(v2);
    expect(lines[2]).toMatch(/● 75%/);
    expect(lines[3]).toContain(v1);
    expect(lines[3]).not.toMatch(/●/);
    expect(human.all + r.all).not.toContain(VALUE);
  });

  it('--name of a Worker the store never saw: exit 3', async () => {
    const p = makeProject();
    await put(p, 'A', VALUE);
    const r = await p.run(['versions', 'list', '--name', 'never-seen']);
    expect(r.code).toBe(3);
  });
});

describe('versions view', () => {
  async function setup() {
    const p = makeProject();
    await put(p, 'API_KEY', VALUE);
    const id = await upload(p, ['--message', 'with vars', '--tag', 'release-1']);
    return { p, id };
  }

  it('shows metadata, vars with values, and secret names only', async () => {
    const { p, id } = await setup();
    const r = await p.run(['versions', 'view', id]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`Version ID\\s+${id}`));
    expect(r.stdout).toMatch(/Number\s+2/);
    expect(r.stdout).toMatch(/Tag\s+release-1/);
    expect(r.stdout).toMatch(/Message\s+with vars/);
    expect(r.stdout).toMatch(/Script\s+sha256:[0-9a-f]{64}/);
    expect(r.stdout).toMatch(/Traffic\s+not deployed/);
    expect(r.stdout).toContain('GREETING = "hello"');
    expect(r.stdout).toContain('LIMITS = {"max":10}');
    expect(r.stdout).toMatch(/Secrets\s+API_KEY/);
    expect(r.all).not.toContain(VALUE);
  });

  it('--json: bindings carry secret names and types, nothing else', async () => {
    const { p, id } = await setup();
    const r = await p.run(['versions', 'view', id, '--json']);
    const v = r.json().version;
    expect(v).toMatchObject({ id, number: 2, tag: 'release-1', message: 'with vars', percentage: 0 });
    expect(v.bindings).toContainEqual({ type: 'secret_text', name: 'API_KEY' });
    expect(v.bindings).toContainEqual({ type: 'plain_text', name: 'GREETING', text: 'hello' });
    expect(v.bindings).toContainEqual({ type: 'json', name: 'LIMITS', json: { max: 10 } });
    expect(r.all).not.toContain(VALUE);
  });

  it.each([
    ['the full id', (id: string) => id],
    ['the full id in upper case', (id: string) => id.toUpperCase()],
    ['an 8-character prefix', (id: string) => id.slice(0, 8)],
    ['a 4-character prefix', (id: string) => id.slice(0, 4)],
  ])('resolves %s', async (_l, ref) => {
    const p = makeProject();
    const id = await upload(p);
    const r = await p.run(['versions', 'view', ref(id), '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.json().version.id).toBe(id);
  });

  it.each([
    ['an unknown full id', '00000000-0000-4000-8000-000000000000', 3, /does not exist/],
    // Neither a number nor hex: read as a tag (issue 19 item 6), which no version carries.
    ['a word no version is tagged with', 'NOMATCH', 3, /no version of Worker "my-worker" is tagged "NOMATCH"/],
    ['a too-short prefix', 'ab', 2, /is not a version number or id/],
    ['something that is not an id', 'v1', 3, /no version of Worker "my-worker" is tagged "v1"/],
  ])('%s: exit %i', async (_l, ref, code, message) => {
    const p = makeProject();
    await upload(p);
    const r = await p.run(['versions', 'view', ref]);
    expect(r.code).toBe(code);
    expect(r.stderr).toMatch(message);
  });

  it('an unknown hex prefix: exit 3', async () => {
    const p = makeProject();
    const id = await upload(p);
    const other = id[0] === 'f' ? '0000' : 'ffff';
    const r = await p.run(['versions', 'view', other]);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/no version of Worker "my-worker" has an id starting with/);
  });
});

describe('versions upload', () => {
  it('prints the new id on stdout (only), names the target, and does not deploy', async () => {
    const p = makeProject();
    const v1 = await put(p, 'A', VALUE);
    const r = await p.run(['versions', 'upload']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim()).toMatch(UUID);
    expect(r.stdout.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/Uploading a new version on Worker my-worker · env \(top level\) · backend local/);
    expect(r.stderr).toMatch(/not deployed/);
    expect(await liveSplit(p)).toEqual([[v1, 100]]);
    expect(await versionIds(p)).toEqual([r.stdout.trim(), v1]);
  });

  it('the first upload of a Worker says once that it was created', async () => {
    const p = makeProject();
    const first = await p.run(['versions', 'upload']);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stderr.match(/created Worker "my-worker"/g)).toHaveLength(1);
    const second = await p.run(['versions', 'upload']);
    expect(second.stderr).not.toMatch(/created Worker/);
  });

  it('--json: the new version id and the version; --message and --tag recorded', async () => {
    const p = makeProject();
    const r = await p.run(['versions', 'upload', '--json', '--message', 'hello world', '--tag', 'v1.2.3']);
    expect(r.code).toBe(0);
    const doc = r.json();
    expect(doc.versionId).toMatch(UUID);
    expect(doc.version).toMatchObject({ id: doc.versionId, number: 1, message: 'hello world', tag: 'v1.2.3', source: 'upload' });
    expect((await p.run(['deployments', 'list', '--json'])).json().deployments).toEqual([]);
  });

  it('the same code uploads with the same script identity; different code with another', async () => {
    const p = makeProject();
    const a = await upload(p);
    const b = await upload(p);
    p.write('src/index.js', 'export default { async fetch() { return new Response("changed"); } };\n');
    const c = await upload(p);
    const hash = async (id: string) => (await p.run(['versions', 'view', id, '--json'])).json().version.scriptHash;
    expect(await hash(a)).toBe(await hash(b));
    expect(await hash(c)).not.toBe(await hash(a));
  });

  it('carries the latest version\'s secrets', async () => {
    const p = makeProject();
    await put(p, 'API_KEY', VALUE);
    const id = await upload(p);
    const r = await p.run(['versions', 'view', id, '--json']);
    expect(r.json().version.bindings).toContainEqual({ type: 'secret_text', name: 'API_KEY' });
    expect(r.all).not.toContain(VALUE);
  });

  it.each([
    ['no main in the config', { 'wrangler.toml': 'name = "my-worker"\n' }, /no main module: .*wrangler\.toml has no "main"/],
    ['a main module that does not exist', { 'wrangler.toml': 'name = "my-worker"\nmain = "dist/missing.js"\n' }, /cannot read the main module .*missing\.js/],
    [
      'a main module with relative imports',
      { 'src/index.js': 'import { helper } from "./helper.js";\nexport default { fetch: helper };\n' },
      /the main module src\/index\.js imports other files \(\.\/helper\.js\)/,
    ],
    ['a dynamic relative import', { 'src/index.js': 'export default { fetch: () => import("../lib/x.js") };\n' }, /imports other files \(\.\.\/lib\/x\.js\)/],
    ['a side-effect relative import', { 'src/index.js': 'import "./polyfill.js";\nexport default {};\n' }, /imports other files \(\.\/polyfill\.js\)/],
  ] as [string, Record<string, string>, RegExp][])('refuses %s (exit 2), nothing created', async (_l, files, message) => {
    const p = makeProject(files);
    const r = await p.run(['versions', 'upload']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).toMatch(/hint:/);
    expect(r.stdout).toBe('');
    expect(readWorker(p)).toBeUndefined();
  });

  it('bare-specifier imports (packages) are fine', async () => {
    const p = makeProject({ 'src/index.js': 'import { Hono } from "hono";\nimport x from "node:crypto";\nexport default {};\n' });
    const r = await p.run(['versions', 'upload']);
    expect(r.code, r.stderr).toBe(0);
  });

  it('a --message over 100 characters: exit 2, nothing created', async () => {
    const p = makeProject();
    const r = await p.run(['versions', 'upload', '--message', 'x'.repeat(101)]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--message is 101 characters; the limit is 100/);
    expect(storeExists(p)).toBe(false);
  });

  it('with --env: the environment\'s Worker and its own [vars] only', async () => {
    const p = makeProject();
    const r = await p.run(['versions', 'upload', '--env', 'staging', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.json()).toMatchObject({ worker: 'my-worker-staging', env: 'staging' });
    const bindings = r.json().version.bindings;
    expect(bindings).toEqual([{ type: 'plain_text', name: 'GREETING', text: 'hello from staging' }]);
    expect(snapshot(p)).toContain('my-worker-staging');
  });
});

describe('version numbers wherever an id is accepted', () => {
  it('versions view 2, versions deploy 1@100%, rollback 2: the number picks the version', async () => {
    const p = makeProject();
    const v1 = await put(p, 'A', VALUE);
    const v2 = await upload(p, ['--message', 'second']);
    const view = await p.run(['versions', 'view', '2', '--json']);
    expect(view.code, view.stderr).toBe(0);
    expect(view.json().version.id).toBe(v2);
    const dep = await p.run(['versions', 'deploy', '2@100%', '--yes', '--json']);
    expect(dep.code, dep.stderr).toBe(0);
    expect(await liveSplit(p)).toEqual([[v2, 100]]);
    const back = await p.run(['rollback', '1', '--yes', '--json']);
    expect(back.code, back.stderr).toBe(0);
    expect(back.json().versionId).toBe(v1);
    expect(back.all).not.toContain(VALUE);
  });

  it('an unknown number: exit 3; a too-short prefix: exit 2 with a hint that says 4 characters', async () => {
    const p = makeProject();
    await put(p, 'A', VALUE);
    const none = await p.run(['versions', 'view', '9']);
    expect(none.code).toBe(3);
    expect(none.stderr).toMatch(/has no version 9\b/);
    const short = await p.run(['versions', 'view', 'ab']);
    expect(short.code).toBe(2);
    expect(short.stderr).toMatch(/hint:.*at least 4 characters/);
  });
});

describe('lists fit the terminal; --limit', () => {
  const LONG = 'a long release message that explains at length what changed and why it had to change today';
  const widest = (t: string) => Math.max(...t.trimEnd().split('\n').map((l) => [...l].length));

  it('versions list and deployments list at 80 columns: rows fit, long messages end in …, ids shortened', async () => {
    const p = makeProject();
    const v1 = await upload(p, ['--message', LONG, '--tag', 'release-2026-12']);
    await deploy(p, `${v1}@100%`, '--message', LONG);
    const v2 = await upload(p, ['--message', 'second']);
    await deploy(p, `${v2}@10%`, '--message', LONG);
    const env = { COLUMNS: '80' };
    const list = await p.run(['versions', 'list', '--no-color'], { tty: true, env });
    expect(list.code, list.stderr).toBe(0);
    expect(widest(list.stdout)).toBeLessThanOrEqual(80);
    expect(list.stdout).toMatch(/\[release-20.*…$/m);
    expect(list.stdout).toContain(v1.slice(0, 8));
    const deps = await p.run(['deployments', 'list', '--no-color'], { tty: true, env });
    expect(deps.code, deps.stderr).toBe(0);
    expect(widest(deps.stdout)).toBeLessThanOrEqual(80);
    expect(deps.stdout).toContain(`${v2.slice(0, 8)} 10%, ${v1.slice(0, 8)} 90%`);
    // Piped: nothing is cut, for scripts.
    const piped = await p.run(['versions', 'list'], { env });
    expect(piped.stdout).toContain(LONG);
    expect(piped.stdout).toContain(v1);
    // --json gives everything.
    const json = await p.run(['versions', 'list', '--json'], { tty: true, env });
    expect(json.json().versions[1]).toMatchObject({ id: v1, message: LONG });
  });

  it('a terminal shows the newest 20 and says how many more; --limit and --json give the rest', async () => {
    const p = makeProject();
    for (let i = 0; i < 23; i++) await upload(p, ['--message', `v${i + 1}`]);
    const tty = await p.run(['versions', 'list', '--no-color'], { tty: true });
    expect(tty.code, tty.stderr).toBe(0);
    expect(tty.stdout.trim().split('\n')).toHaveLength(21); // header + 20
    expect(tty.stderr).toMatch(/3 more versions not shown \(--limit 23 or --limit all/);
    const limited = await p.run(['versions', 'list', '--limit', '2'], { tty: true });
    expect(limited.stdout.trim().split('\n')).toHaveLength(3);
    expect(limited.stderr).toMatch(/21 more versions not shown/);
    const all = await p.run(['versions', 'list', '--limit', 'all'], { tty: true });
    expect(all.stdout.trim().split('\n')).toHaveLength(24);
    expect(all.stderr).not.toMatch(/more/);
    const piped = await p.run(['versions', 'list']);
    expect(piped.stdout.trim().split('\n')).toHaveLength(24);
    const json = await p.run(['versions', 'list', '--json'], { tty: true });
    expect(json.json().versions).toHaveLength(23);
    const jsonLimited = await p.run(['versions', 'list', '--json', '--limit', '5']);
    expect(jsonLimited.json().versions).toHaveLength(5);
    const bad = await p.run(['versions', 'list', '--limit', '0']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--limit must be a whole number/);
    const deps = await p.run(['deployments', 'list', '--limit', '1', '--json']);
    expect(deps.code).toBe(0);
  });
});

describe('an option given another option as its value', () => {
  it.each([
    [['versions', 'upload', '--tag', '--dry-run'], '--tag', '--dry-run'],
    [['versions', 'upload', '-m', '--dry-run'], '--message', '--dry-run'],
  ])('%j: exit 2 naming the flag and the option it swallowed; nothing uploaded', async (argv, flag, swallowed) => {
    const p = makeProject();
    const r = await p.run(argv);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain(`${flag} needs a value, but it was given the option ${swallowed}`);
    expect(storeExists(p)).toBe(false);
  });

  it.each([
    [['versions', 'upload', '--tag', '--env', 'staging']],
    [['versions', 'upload', '--tag', '-c', 'x.toml']],
  ])('%j (a global option, which commander itself refuses as a value): exit 2, nothing uploaded', async (argv) => {
    const p = makeProject();
    const r = await p.run(argv);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/--tag/);
    expect(storeExists(p)).toBe(false);
  });

  it('a value that only starts with "-" is a value', async () => {
    const p = makeProject();
    const r = await p.run(['versions', 'upload', '-m', '-fix the login', '--tag', '-beta']);
    expect(r.code, r.stderr).toBe(0);
    expect((await p.run(['versions', 'view', '1', '--json'])).json().version).toMatchObject({ message: '-fix the login', tag: '-beta' });
  });
});

describe('versions upload --tag', () => {
  it.each([['an escape', 'a\u001b[31mRED'], ['a newline', 'a\nb'], ['a tab', 'a\tb']])('with %s: exit 2, nothing uploaded, the tag not echoed', async (_what, tag) => {
    const p = makeProject();
    const r = await p.run(['versions', 'upload', '--tag', tag]);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/the tag holds a control character/);
    expect(r.stderr).not.toContain(tag);
    expect(storeExists(p)).toBe(false);
  });
});
