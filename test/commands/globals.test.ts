import { describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { makeProject, type Project } from '../helpers/cli.js';
import { headFile, snapshot } from '../helpers/local-store.js';
import { deploy, put, secretNames, twoVersions } from '../helpers/scenarios.js';

const VALUE = 'globals-s3cret-value';
const ANSI = /\u001b\[/;

async function seeded(): Promise<Project> {
  const p = makeProject();
  await put(p, 'API_KEY', VALUE);
  await put(p, 'STAGED', VALUE, ['--env', 'staging']);
  return p;
}

describe('global options work before or after the command', () => {
  // Each row: argument lists that must give the same stdout and exit code.
  const same: [string, string[][]][] = [
    ['--json secret list', [['--json', 'secret', 'list'], ['secret', 'list', '--json'], ['secret', '--json', 'list']]],
    ['--env', [['--env', 'staging', 'secret', 'list', '--json'], ['secret', 'list', '--env', 'staging', '--json'], ['-e', 'staging', '--json', 'secret', 'list'], ['secret', 'list', '--json', '-e', 'staging']]],
    ['--name', [['--name', 'my-worker-staging', 'secret', 'list', '--json'], ['secret', 'list', '--json', '--name', 'my-worker-staging']]],
    ['versions list', [['--json', 'versions', 'list'], ['versions', 'list', '--json']]],
    ['deployments status', [['--json', 'deployments', 'status'], ['deployments', 'status', '--json']]],
    ['--config', [['--config', 'wrangler.toml', '--json', 'secret', 'list'], ['secret', 'list', '--json', '-c', 'wrangler.toml']]],
    ['--backend', [['--backend', 'local', '--json', 'secret', 'list'], ['secret', 'list', '--json', '--backend', 'local']]],
  ];
  it.each(same)('%s', async (_l, variants) => {
    const p = await seeded();
    const results = [];
    for (const argv of variants) results.push(await p.run(argv));
    for (const r of results) {
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toBe(results[0].stdout);
      expect(() => JSON.parse(r.stdout)).not.toThrow();
      expect(r.all).not.toContain(VALUE);
    }
  });

  it('the --env forms above really select the environment', async () => {
    const p = await seeded();
    expect(await secretNames(p, ['-e', 'staging'])).toEqual(['STAGED']);
    expect(await secretNames(p)).toEqual(['API_KEY']);
  });

  it.each([
    [['-y', 'secret', 'delete', 'API_KEY']],
    [['--yes', 'secret', 'delete', 'API_KEY']],
    [['secret', 'delete', '-y', 'API_KEY']],
    [['secret', 'delete', 'API_KEY', '--yes']],
  ])('--yes in any position: %j', async (argv) => {
    const p = await seeded();
    const r = await p.run(argv);
    expect(r.code, r.stderr).toBe(0);
    expect(await secretNames(p)).toEqual([]);
    expect(r.all).not.toContain(VALUE);
  });

  it('--json before a mutation gives the same document shape as after it', async () => {
    const a = makeProject();
    const b = makeProject();
    const ra = await a.run(['--json', 'secret', 'put', 'X'], { stdin: VALUE });
    const rb = await b.run(['secret', 'put', 'X', '--json'], { stdin: VALUE });
    expect(ra.code).toBe(0);
    expect(rb.code).toBe(0);
    const shape = (d: Record<string, unknown>) => Object.keys(d).sort();
    expect(shape(ra.json())).toEqual(shape(rb.json()));
    expect(ra.all + rb.all).not.toContain(VALUE);
  });
});

describe('--json: every command prints exactly one JSON document on stdout', () => {
  it('for reads and mutations alike', async () => {
    const p = makeProject();
    const { v1, v2 } = await twoVersions(p);
    await deploy(p, `${v2}@100%`);
    const runs: [string[], object?][] = [
      [['secret', 'put', 'A', '--json'], { stdin: VALUE }],
      [['secret', 'list', '--json']],
      [['secret', 'bulk', '--json'], { stdin: JSON.stringify({ B: VALUE }) }],
      [['secret', 'delete', 'B', '--yes', '--json']],
      [['versions', 'list', '--json']],
      [['versions', 'view', v1, '--json']],
      [['versions', 'upload', '--json']],
      [['versions', 'secret', 'put', 'C', '--json'], { stdin: VALUE }],
      [['versions', 'secret', 'list', '--json']],
      [['versions', 'secret', 'bulk', '--json'], { stdin: JSON.stringify({ D: VALUE }) }],
      [['versions', 'secret', 'delete', 'D', '--yes', '--json']],
      [['versions', 'deploy', `${v2}@100%`, '--dry-run', '--json']],
      [['versions', 'deploy', `${v2}@100%`, '--yes', '--json']],
      [['versions', 'rollback', v1, '--yes', '--json']],
      [['rollback', v2, '--yes', '--json']],
      [['deployments', 'list', '--json']],
      [['deployments', 'status', '--json']],
    ];
    for (const [argv, o] of runs) {
      const r = await p.run(argv, o);
      expect(r.code, `${argv.join(' ')}: ${r.stdout}${r.stderr}`).toBe(0);
      const doc = JSON.parse(r.stdout);
      expect(doc, argv.join(' ')).toMatchObject({ worker: 'my-worker', env: null, backend: 'local' });
      expect(r.stdout).not.toMatch(ANSI);
      expect(r.all).not.toContain(VALUE);
    }
  });

  it('every document that made a version carries its id', async () => {
    const p = makeProject();
    const runs = [
      await p.run(['versions', 'upload', '--json']),
      await p.run(['versions', 'secret', 'put', 'A', '--json'], { stdin: VALUE }),
      await p.run(['versions', 'secret', 'bulk', '--json'], { stdin: JSON.stringify({ B: VALUE }) }),
    ];
    for (const r of runs) {
      expect(r.json().versionId).toMatch(/^[0-9a-f-]{36}$/);
      expect(r.all).not.toContain(VALUE);
    }
  });
});

describe('every mutating command names its target on stderr', () => {
  it('Worker, environment and backend', async () => {
    const p = makeProject();
    const { v1, v2 } = await twoVersions(p);
    await deploy(p, `${v2}@100%`);
    const runs: [string[], object?][] = [
      [['secret', 'put', 'A'], { stdin: VALUE }],
      [['secret', 'bulk'], { stdin: JSON.stringify({ B: VALUE }) }],
      [['secret', 'delete', 'B', '--yes']],
      [['versions', 'upload']],
      [['versions', 'secret', 'put', 'C'], { stdin: VALUE }],
      [['versions', 'secret', 'bulk'], { stdin: JSON.stringify({ D: VALUE }) }],
      [['versions', 'secret', 'delete', 'D', '--yes']],
      [['versions', 'deploy', `${v1}@100%`, '--yes']],
      [['versions', 'rollback', v2, '--yes']],
      [['rollback', v1, '--yes']],
    ];
    for (const [argv, o] of runs) {
      for (const env of [[], ['--env', 'production']]) {
        // Version ids are per Worker: deploy and rollback run on the top-level one only.
        if (env.length && (argv.includes('deploy') || argv.includes('rollback'))) continue;
        const r = await p.run([...argv, ...env], o);
        expect(r.code, `${argv.join(' ')}: ${r.stderr}`).toBe(0);
        const where = env.length ? 'Worker my-worker-production · env production' : 'Worker my-worker · env (top level)';
        expect(r.stderr, argv.join(' ')).toContain(`on ${where} · backend local`);
        expect(r.all).not.toContain(VALUE);
      }
    }
  });
});

describe('--json errors: one JSON document {"error": {code, message, hint}} and the right exit code', () => {
  // [label, setup, argv, run options, exit code, error code]
  type Row = [string, (p: Project) => Promise<void>, string[], object, number, string];
  const none = async () => undefined;
  const withSecret = async (p: Project) => void (await put(p, 'API_KEY', VALUE));
  const rows: Row[] = [
    ['an invalid secret name', none, ['secret', 'put', 'bad-name'], { stdin: VALUE }, 2, 'usage'],
    ['an empty value', none, ['secret', 'put', 'A'], { stdin: '' }, 2, 'usage'],
    ['no value and no terminal', none, ['secret', 'put', 'A'], { tty: true, env: { CI: 'true' } }, 2, 'usage'],
    ['a delete without --yes', withSecret, ['secret', 'delete', 'API_KEY'], {}, 2, 'usage'],
    ['an unknown environment', none, ['secret', 'list', '--env', 'nope'], {}, 2, 'config'],
    ['an unknown command', none, ['nosuch'], {}, 2, 'usage'],
    ['an unknown option', none, ['secret', 'list', '--bogus'], {}, 2, 'usage'],
    ['a missing argument', none, ['secret', 'put'], {}, 2, 'usage'],
    ['a bad deploy spec', none, ['versions', 'deploy', 'x@200%', '--yes'], {}, 2, 'usage'],
    ['a missing secret', withSecret, ['secret', 'delete', 'NOPE', '--yes'], {}, 3, 'not_found'],
    ['an unknown version', withSecret, ['versions', 'view', '00000000-0000-4000-8000-000000000000'], {}, 3, 'not_found'],
    ['an unknown Worker', withSecret, ['secret', 'list', '--name', 'ghost'], {}, 3, 'not_found'],
    ['a wrong store key', withSecret, ['secret', 'put', 'B'], { stdin: VALUE, env: { MYCLI_LOCAL_KEY: 'f'.repeat(64) } }, 4, 'auth'],
    ['a cancelled prompt', withSecret, ['secret', 'delete', 'API_KEY'], { tty: true, answers: [false] }, 130, 'cancelled'],
    [
      'a gradual rollout',
      async (p) => {
        const v1 = await put(p, 'A', VALUE);
        const v2 = await put(p, 'B', VALUE);
        await deploy(p, `${v1}@50%`, `${v2}@50%`);
      },
      ['secret', 'put', 'C'],
      { stdin: VALUE },
      5,
      'gradual_rollout',
    ],
    [
      'a damaged store',
      async (p) => {
        await put(p, 'A', VALUE);
        writeFileSync(headFile(p), '{ this is not json');
      },
      ['secret', 'list'],
      {},
      1,
      'failed',
    ],
  ];
  it.each(rows)('%s', async (_l, setup, argv, o, exit, code) => {
    const p = makeProject();
    await setup(p);
    const before = snapshot(p);
    for (const args of [[...argv, '--json'], ['--json', ...argv]]) {
      const r = await p.run(args, o);
      expect(r.code, r.all).toBe(exit);
      const doc = JSON.parse(r.stdout);
      expect(Object.keys(doc)).toEqual(['error']);
      expect(doc.error).toMatchObject({ code, exitCode: exit });
      expect(typeof doc.error.message).toBe('string');
      expect(doc.error).toHaveProperty('hint');
      expect(r.stderr).not.toMatch(/^error:/m);
      expect(r.all).not.toContain(VALUE);
    }
    expect(snapshot(p)).toBe(before);
  });

  it('without --json the same errors go to stderr as "error:" + "hint:", stdout empty', async () => {
    const p = makeProject();
    const r = await p.run(['secret', 'put', 'bad-name'], { stdin: VALUE });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^error: "bad-name" is not a valid secret name\nhint: /);
    expect(r.all).not.toContain(VALUE);
  });

  it('a damaged store names the file and is left untouched', async () => {
    const p = makeProject();
    await put(p, 'A', VALUE);
    writeFileSync(headFile(p), '{ damaged');
    const r = await p.run(['secret', 'put', 'B'], { stdin: VALUE });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('the local store is damaged');
    expect(r.stderr).toContain(headFile(p));
    expect(readFileSync(headFile(p), 'utf8')).toBe('{ damaged');
    expect(r.all).not.toContain(VALUE);
  });
});

describe('help, version, usage', () => {
  it.each([[['--help']], [['-h']], [['secret', 'put', '--help']], [['versions', 'deploy', '-h']]])('%j: help on stdout, exit 0', async (argv) => {
    const r = await makeProject().run(argv);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Usage: mycli/);
  });

  it('the top-level help lists every command and the exit codes', async () => {
    const r = await makeProject().run(['--help']);
    for (const c of ['secret', 'versions', 'deployments', 'rollback']) expect(r.stdout).toMatch(new RegExp(`^  ${c}\\b`, 'm'));
    expect(r.stdout).toMatch(/Exit codes: 0 ok, 1 failed, 2 usage\/config, 3 not found, 4 auth, 5 conflict, 6 changes pending \(--exit-code\), 130 cancelled, 143 SIGTERM/);
  });

  it.each([[['--version']], [['-v']]])('%j prints the package version', async (argv) => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
    const r = await makeProject().run(argv);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(pkg.version + '\n');
  });

  it('bare `mycli`: help on stdout, exit 0 (as wrangler does)', async () => {
    const r = await makeProject().run([]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Usage: mycli/);
  });

  it.each([[['secret']], [['versions', 'secret']]])('%j without a subcommand: its help on stdout, exit 0 (as bare `mycli`)', async (argv) => {
    const r = await makeProject().run(argv);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Usage: mycli/);
    expect(r.stderr).toBe('');
  });

  it('an unknown command: exit 2 with a suggestion', async () => {
    const r = await makeProject().run(['secrt']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown command 'secrt'/);
    expect(r.stderr).toMatch(/secret/);
  });
});

describe('colour and debug', () => {
  it('colour on a terminal; off with --no-color, NO_COLOR or TERM=dumb', async () => {
    const p = await seeded();
    const argv = ['secret', 'delete', 'NOPE', '--yes'];
    expect((await p.run(argv, { tty: true })).stderr).toMatch(ANSI);
    expect((await p.run([...argv, '--no-color'], { tty: true })).stderr).not.toMatch(ANSI);
    expect((await p.run(['--no-color', ...argv], { tty: true })).stderr).not.toMatch(ANSI);
    expect((await p.run(argv, { tty: true, env: { NO_COLOR: '1' } })).stderr).not.toMatch(ANSI);
    expect((await p.run(argv, { tty: true, env: { TERM: 'dumb' } })).stderr).not.toMatch(ANSI);
    expect((await p.run(argv)).stderr).not.toMatch(ANSI);
    expect((await p.run(argv, { env: { FORCE_COLOR: '1' } })).stderr).toMatch(ANSI);
  });

  it('--debug logs to stderr only and never a value', async () => {
    const p = makeProject();
    const r = await p.run(['secret', 'put', 'A', '--debug', '--json'], { stdin: VALUE });
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/debug: config: .*wrangler\.toml; worker: my-worker/);
    expect(r.stderr).toMatch(/debug: backend: local/);
    expect(() => JSON.parse(r.stdout)).not.toThrow();
    expect(r.all).not.toContain(VALUE);
  });
});

describe('--json on a group without its subcommand', () => {
  it.each([[['secret', '--json']], [['--json', 'versions', 'secret']]])('%j: one JSON error document on stdout, exit 2', async (argv) => {
    const r = await makeProject().run(argv);
    expect(r.code).toBe(2);
    expect(r.json().error).toMatchObject({ code: 'usage', exitCode: 2 });
    expect(r.json().error.message).toMatch(/needs a subcommand/);
  });
});
