/**
 * Shell completion's candidates (`mycli complete --words -- <words...>`, what the scripts run):
 * every command and option the program declares, fixed values, environments from the config,
 * and on the local backend secret names, versions and tags and Secrets Store names from a real
 * store — read without writing, never from the network or a plugin, silent on errors.
 */
import { cpSync, existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, relative } from 'node:path';
import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { buildProgram, type App } from '../../src/cli/program.js';
import { commandPath } from '../../src/cli/help.js';
import { COMMANDS } from '../../src/commands/index.js';
import { ARGUMENT_VALUES, complete, completionTree, OPTION_VALUES, type ValueSource } from '../../src/commands/complete/engine.js';
import { EXAMPLE_TOML, makeProject, type Project } from '../helpers/cli.js';

/** The candidates mycli prints for the line `mycli <words...>` (the last word: being typed). */
async function candidates(p: Project, words: string[], env: Record<string, string | undefined> = {}): Promise<string[]> {
  const r = await p.run(['complete', '--words', '--', ...words], { env });
  expect(r.code, r.all).toBe(0);
  expect(r.stderr).toBe('');
  return r.stdout
    .split('\n')
    .filter(Boolean)
    .map((l) => l.split('\t')[0]);
}

/** Every command of the real program, as `mycli help` builds it. */
async function realProgram(): Promise<Command> {
  const app = { io: {} as App['io'], version: '0.0.0', action: () => async () => undefined } as unknown as App;
  return buildProgram(app, ['help']);
}

function allCommands(root: Command): Command[] {
  const out: Command[] = [];
  const visit = (c: Command) => {
    for (const sub of c.commands) {
      out.push(sub);
      visit(sub);
    }
  };
  visit(root);
  return out;
}

const noValues: ValueSource = {
  environments: async () => [],
  backends: async () => [],
  secrets: async () => [],
  versions: async () => [],
  stores: async () => [],
  storeSecrets: async () => [],
};
const offered = async (words: string[]) => (await complete(completionTree(COMMANDS), words, () => noValues)).candidates.map((c) => c.value);

/** Every file below `dir` with its size and mtime: to prove a run wrote nothing. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  if (!existsSync(dir)) return out;
  const visit = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const f = join(d, e.name);
      if (e.isDirectory()) visit(f);
      const s = statSync(f);
      out[relative(dir, f)] = `${s.size}:${s.mtimeMs}`;
    }
  };
  visit(dir);
  return out;
}

describe('completion knows every command and option the program declares', () => {
  it('each command is offered below its parent, and each option (long and short) of each command after "-"', async () => {
    const program = await realProgram();
    const commands = allCommands(program);
    expect(commands.length).toBeGreaterThan(30);
    for (const cmd of [program, ...commands]) {
      const path = cmd === program ? [] : commandPath(cmd).split(' ');
      if (cmd.commands.length) {
        const subs = await offered([...path, '']);
        for (const sub of cmd.commands) expect(subs, `\`mycli ${path.join(' ')} <TAB>\``).toContain(sub.name());
      }
      const flags = await offered([...path, '-']);
      const help = cmd.createHelp();
      for (const o of help.visibleOptions(cmd)) {
        for (const flag of [o.long, o.short].filter(Boolean)) expect(flags, `\`mycli ${path.join(' ')} -<TAB>\``).toContain(flag);
      }
    }
  });

  it('the value tables name options and arguments that exist (a renamed one fails here, not silently)', async () => {
    const program = await realProgram();
    const commands = allCommands(program);
    const longs = new Set([program, ...commands].flatMap((c) => c.options.map((o) => o.long)));
    for (const flag of Object.keys(OPTION_VALUES)) expect(longs, flag).toContain(flag);
    for (const [path, kinds] of Object.entries(ARGUMENT_VALUES)) {
      const cmd = commands.find((c) => commandPath(c) === path);
      expect(cmd, path).toBeDefined();
      expect(kinds.length, `${path}: one entry per argument`).toBe(cmd!.registeredArguments.length);
    }
  });

  it('each fixed value offered is one mycli accepts: --format runs, the others are the ones their help names', async () => {
    const p = makeProject();
    for (const format of OPTION_VALUES['--format'] as readonly string[]) {
      const r = await p.run(['secret', 'list', '--format', format]);
      expect(r.code, r.all).toBe(0);
    }
    expect((await p.run(['secret', 'list', '--format', 'yaml'])).code).toBe(2);
    const program = await realProgram();
    const options = [program, ...allCommands(program)].flatMap((c) => c.options);
    for (const flag of ['--inconclusive', '--on-fail']) {
      const description = options.find((o) => o.long === flag)!.description;
      for (const value of OPTION_VALUES[flag] as readonly string[]) expect(description, flag).toContain(value);
    }
    expect(await candidates(p, ['versions', 'rollout', '1', '--inconclusive', ''])).toEqual(['hold', 'rollback', 'continue']);
    expect(await candidates(p, ['secret', 'list', '--format', 'p'])).toEqual(['pretty']);
  });

  it('commands by prefix, subcommands, help, and options of the command being typed (not those already given)', async () => {
    const p = makeProject();
    expect(await candidates(p, ['se'])).toEqual(['secret', 'serve', 'secrets-store']);
    expect(await candidates(p, ['versions', 'secret', ''])).toEqual(expect.arrayContaining(['put', 'delete', 'bulk', 'list']));
    expect(await candidates(p, ['help', 'versions', 'ro'])).toEqual(['rollback', 'rollout']);
    const flags = await candidates(p, ['secret', 'put', 'X', '--from-file', 'f', '--']);
    expect(flags).toEqual(expect.arrayContaining(['--allow-empty', '--message', '--env', '--json', '--help']));
    expect(flags).not.toContain('--from-file');
    expect(flags).not.toContain('--dry-run'); // deploy's, not put's
    expect(await candidates(p, ['complete', ''])).toEqual(['bash', 'zsh', 'fish', 'powershell']);
    expect(await candidates(p, ['--backend', ''])).toEqual(['local', 'cloudflare']);
  });

  it('a file option asks the shell for file names', async () => {
    const p = makeProject();
    const r = await p.run(['complete', '--words', '--', 'secret', 'put', 'X', '--from-file', '']);
    expect(r.stdout).toBe(':files\n');
  });
});

describe('environments from the config', () => {
  const TWO = 'name = "other"\n[env.canary]\n[env.eu-west]\n';

  it('--env, -e and --env= offer the config\'s environments; -c/--config already typed is honoured', async () => {
    const p = makeProject({ 'other/wrangler.toml': TWO });
    expect(await candidates(p, ['secret', 'list', '--env', ''])).toEqual(['staging', 'production']);
    expect(await candidates(p, ['-e', 'p'])).toEqual(['production']);
    expect(await candidates(p, ['secret', 'list', '--env=st'])).toEqual(['--env=staging']);
    expect(await candidates(p, ['-c', 'other/wrangler.toml', 'secret', 'list', '--env', ''])).toEqual(['canary', 'eu-west']);
    expect(await candidates(p, ['secret', 'list', '--config=other/wrangler.toml', '-e', ''])).toEqual(['canary', 'eu-west']);
    // bash splits `--env=st` into `--env`, `=`, `st`.
    expect(await candidates(p, ['secret', 'list', '--env', '=', 'pr'])).toEqual(['production']);
  });

  it('a wrangler.jsonc is read the same way', async () => {
    const p = makeProject({ 'wrangler.toml': '', 'j/wrangler.jsonc': '{\n  // comment\n  "name": "j",\n  "env": { "blue": {}, "green": {} }\n}\n' });
    expect(await candidates(p, ['-c', 'j/wrangler.jsonc', '--env', ''])).toEqual(['blue', 'green']);
  });

  it('a broken config offers nothing, silently, exit 0', async () => {
    const p = makeProject({ 'wrangler.toml': 'name = "x"\n[env.a\n' });
    const r = await p.run(['complete', '--words', '--', 'secret', 'list', '--env', '']);
    expect(r).toMatchObject({ code: 0, stdout: '', stderr: '' });
  });
});

describe('names from a real local store', () => {
  it('secret names of the Worker the line targets (secret delete, versions secret delete, --env), never a value', async () => {
    const p = makeProject();
    const values = ['v4lue-of-api-key-91', 'v4lue-of-db-url-27', 'v4lue-of-staging-53'];
    expect((await p.run(['secret', 'put', 'API_KEY', '--env', ''], { stdin: values[0] })).code).toBe(0);
    expect((await p.run(['secret', 'put', 'DB_URL', '--env', ''], { stdin: values[1] })).code).toBe(0);
    expect((await p.run(['secret', 'put', 'STAGING_ONLY', '--env', 'staging'], { stdin: values[2] })).code).toBe(0);
    const seen: string[] = [];
    const check = async (words: string[], want: string[]) => {
      const r = await p.run(['complete', '--words', '--', ...words]);
      seen.push(r.all);
      expect(r.stdout.split('\n').filter(Boolean).map((l) => l.split('\t')[0]), words.join(' ')).toEqual(want);
    };
    await check(['secret', 'delete', ''], ['API_KEY', 'DB_URL']);
    await check(['versions', 'secret', 'delete', 'D'], ['DB_URL']);
    await check(['secret', 'delete', '--env', 'staging', ''], ['STAGING_ONLY']);
    await check(['--env', 'staging', 'secret', 'put', ''], ['STAGING_ONLY']);
    await check(['secret', 'delete', 'API_KEY', ''], []); // one name only
    for (const out of seen) for (const v of values) expect(out).not.toContain(v);
  });

  it('version numbers and tags: versions view, versions deploy (N@ then N@PCT%), rollback, --version-id, --version-tag', async () => {
    const p = makeProject();
    for (const tag of ['v1.0.0', 'v1.1.0']) expect((await p.run(['versions', 'upload', '--tag', tag, '--env', ''])).code).toBe(0);
    expect((await p.run(['versions', 'deploy', '2@100%', '--yes', '--env', ''])).code).toBe(0);
    expect((await p.run(['secret', 'put', 'A', '--env', ''], { stdin: 'x' })).code).toBe(0);
    expect(await candidates(p, ['versions', 'view', ''])).toEqual(['3', '2', '1', 'v1.1.0', 'v1.0.0']);
    expect(await candidates(p, ['rollback', 'v'])).toEqual(['v1.1.0', 'v1.0.0']);
    expect(await candidates(p, ['versions', 'rollback', '2'])).toEqual(['2']);
    const deploy = await p.run(['complete', '--words', '--', 'versions', 'deploy', '']);
    expect(deploy.stdout).toMatch(/^3@\tversion 3 /m);
    expect(deploy.stdout.trim().split('\n').at(-1)).toBe(':nospace');
    expect(await candidates(p, ['versions', 'deploy', '2@'])).toContain('2@100%');
    expect(await candidates(p, ['versions', 'deploy', '--version-id', '3', ''])).toEqual(['3', '2', '1', 'v1.1.0', 'v1.0.0']);
    expect(await candidates(p, ['versions', 'rollout', '1'])).toEqual(['1']);
    // --version-tag takes tags only (wrangler 4.164's flag), and a completed tag deploys.
    expect(await candidates(p, ['versions', 'deploy', '--version-tag', ''])).toEqual(['v1.1.0', 'v1.0.0']);
    expect((await p.run(['versions', 'deploy', '--version-tag', 'v1.0.0', '--yes', '--env', ''])).code).toBe(0);
  });

  it('a tag that would run or split on the command line is never offered; a shadowed or shared tag only where it names one version', async () => {
    const p = makeProject();
    const marker = join(p.dir, 'PWNED');
    for (const tag of [`x$(touch ${marker})`, 'my tag', 'x`id`', "it's", '1', 'dup', 'dup', 'ok-tag']) {
      expect((await p.run(['versions', 'upload', '--tag', tag, '--env', ''])).code).toBe(0);
    }
    // Versions 1..8; tag '1' is on version 5 but `versions view 1` is version 1; 'dup' is on two.
    const view = await candidates(p, ['versions', 'view', '']);
    expect(view).toEqual(['8', '7', '6', '5', '4', '3', '2', '1', 'ok-tag']);
    expect(await candidates(p, ['versions', 'deploy', '--version-tag', ''])).toEqual(['ok-tag', '1']);
    const raw = await p.run(['complete', '--words', '--', 'versions', 'view', 'x']);
    expect(raw.stdout).toBe('');
    expect(existsSync(marker)).toBe(false);
  });

  it('Secrets Store names: store delete, --store, and the secrets of the store named (or the only one)', async () => {
    const p = makeProject();
    expect((await p.run(['secrets-store', 'store', 'create', 'shared'])).code).toBe(0);
    for (const name of ['billing-key', 'mail-key']) {
      expect((await p.run(['secrets-store', 'secret', 'create', name, '--store', 'shared'], { stdin: `s3cret-${name}` })).code).toBe(0);
    }
    expect(await candidates(p, ['secrets-store', 'store', 'delete', ''])).toEqual(['shared']);
    expect(await candidates(p, ['secrets-store', 'secret', 'delete', ''])).toEqual(['billing-key', 'mail-key']);
    expect((await p.run(['secrets-store', 'store', 'create', 'other'])).code).toBe(0);
    expect(await candidates(p, ['secrets-store', 'secret', 'list', '--store', ''])).toEqual(['shared', 'other']);
    // Two stores and no --store: which one is not known, so nothing; with --store, its secrets.
    expect(await candidates(p, ['secrets-store', 'secret', 'get', ''])).toEqual([]);
    expect(await candidates(p, ['secrets-store', 'secret', 'get', '--store', 'shared', 'm'])).toEqual(['mail-key']);
    const r = await p.run(['complete', '--words', '--', 'secrets-store', 'secret', 'update', '--store', 'shared', '']);
    expect(r.all).not.toContain('s3cret-');
  });

  it('writes nothing: no store folder, no key file, and an old (format 1) store is not upgraded: nothing offered', async () => {
    const fresh = makeProject({}, { MYCLI_LOCAL_KEY: '' });
    expect(await candidates(fresh, ['secret', 'delete', ''], { MYCLI_LOCAL_KEY: undefined })).toEqual([]);
    expect(await candidates(fresh, ['secrets-store', 'secret', 'delete', ''], { MYCLI_LOCAL_KEY: undefined })).toEqual([]);
    expect(snapshot(fresh.dir)).not.toHaveProperty('.mycli');
    expect(existsSync(join(fresh.dir, '.config'))).toBe(false); // no key file made

    const fixture = join(__dirname, '..', 'fixtures', 'store-format1');
    const old = makeProject({ 'wrangler.toml': readFileSync(join(fixture, 'project', 'wrangler.toml'), 'utf8') }, { MYCLI_LOCAL_KEY: readFileSync(join(fixture, 'KEY.txt'), 'utf8').trim() });
    cpSync(join(fixture, 'store'), join(old.dir, '.mycli'), { recursive: true });
    const before = snapshot(join(old.dir, '.mycli'));
    expect(Object.keys(before)).toContain('state.json');
    for (const words of [['secret', 'delete', ''], ['versions', 'view', ''], ['rollback', ''], ['secrets-store', 'store', 'delete', '']]) {
      expect(await candidates(old, words), words.join(' ')).toEqual([]);
    }
    expect(snapshot(join(old.dir, '.mycli'))).toEqual(before);
    // The same store, used by a command, is upgraded (so the test above was not vacuous).
    expect((await old.run(['secret', 'list'])).code).toBe(0);
    expect(snapshot(join(old.dir, '.mycli'))).not.toEqual(before);
  });
});

describe('other backends: commands, options and environments only, no network, no plugin', () => {
  it('cloudflare: no request is made, though credentials and an API on 127.0.0.1 are there', async () => {
    let requests = 0;
    const server = createServer((_req, res) => {
      requests++;
      res.writeHead(500).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const p = makeProject();
      const env = { CLOUDFLARE_API_TOKEN: 't0ken-never-used', CLOUDFLARE_ACCOUNT_ID: 'a'.repeat(32), CLOUDFLARE_API_BASE_URL: `http://127.0.0.1:${(server.address() as AddressInfo).port}/client/v4` };
      expect(await candidates(p, ['--backend', 'cloudflare', 'secret', 'delete', ''], env)).toEqual([]);
      expect(await candidates(p, ['versions', 'view', ''], { ...env, MYCLI_BACKEND: 'cloudflare' })).toEqual([]);
      expect(await candidates(p, ['--backend', 'cloudflare', 'secret', 'delete', '--env', ''], env)).toEqual(['staging', 'production']);
      expect(await candidates(p, ['--backend', 'cloudflare', 'secret', 'del'], env)).toEqual(['delete']);
      expect(requests).toBe(0);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('a plugin backend named in the config is offered for --backend and never loaded', async () => {
    const p = makeProject({ 'wrangler.toml': EXAMPLE_TOML.replace('[vars]', '[mycli]\nbackend = "./plugin.mjs"\n\n[vars]') });
    writeFileSync(join(p.dir, 'plugin.mjs'), `import { writeFileSync } from 'node:fs';\nwriteFileSync(${JSON.stringify(join(p.dir, 'LOADED'))}, '1');\nexport default () => { throw new Error('no'); };\n`);
    expect(await candidates(p, ['--backend', ''])).toEqual(['local', 'cloudflare', './plugin.mjs']);
    expect(await candidates(p, ['secret', 'delete', ''])).toEqual([]);
    expect(await candidates(p, ['versions', 'view', ''])).toEqual([]);
    expect(existsSync(join(p.dir, 'LOADED'))).toBe(false);
  });
});

describe('`mycli complete <shell>`', () => {
  it('prints each script; an unknown shell or none is a usage error naming the shells (exit 2)', async () => {
    const p = makeProject();
    for (const shell of ['bash', 'zsh', 'fish', 'powershell']) {
      const r = await p.run(['complete', shell]);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain('mycli complete --words');
    }
    const bad = await p.run(['complete', 'tcsh']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('bash, zsh, fish, powershell');
    expect((await p.run(['complete'])).code).toBe(2);
  });
});
