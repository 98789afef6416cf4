/**
 * Help as a new user meets it: one text per command however it is asked for, on stdout with exit
 * 0; own options before the global ones; examples on every leaf command; usage errors in one line
 * with the form that works.
 */
import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { buildProgram, type App } from '../../src/cli/program.js';
import { commandPath } from '../../src/cli/help.js';
import { makeProject, run } from '../helpers/cli.js';

/** Every leaf command of the full program (as `mycli help` registers it). */
async function leafCommands(): Promise<string[]> {
  const app = { io: {} as App['io'], version: '0.0.0', action: () => async () => undefined } as unknown as App;
  const program = await buildProgram(app, ['help']);
  const leaves: string[] = [];
  const visit = (c: Command) => {
    for (const sub of c.commands) {
      if (sub.commands.length === 0) leaves.push(commandPath(sub));
      else visit(sub);
    }
  };
  visit(program);
  return leaves;
}

describe('one help text per command', () => {
  it('`mycli`, `mycli --help` and `mycli help` print the same text on stdout, exit 0', async () => {
    const runs = await Promise.all([run([]), run(['--help']), run(['help'])]);
    for (const r of runs) {
      expect(r.code).toBe(0);
      expect(r.stderr).toBe('');
    }
    expect(runs[0].stdout).toMatch(/^Usage: mycli/);
    expect(runs[0].stdout).toMatch(/Examples:/);
    expect(runs[1].stdout).toBe(runs[0].stdout);
    expect(runs[2].stdout).toBe(runs[0].stdout);
  });

  it.each([
    [['help', 'secret', 'put'], ['secret', 'put', '--help']],
    [['help', 'versions', 'secret', 'put'], ['versions', 'secret', 'put', '--help']],
    [['help', 'secret'], ['secret', '--help']],
    [['help', 'rollback'], ['rollback', '--help']],
  ])('`mycli %j` = `mycli %j`', async (a, b) => {
    const [x, y] = await Promise.all([run(a), run(b)]);
    expect(x.code).toBe(0);
    expect(x.stdout).toMatch(/^Usage: mycli /);
    expect(x.stdout).toBe(y.stdout);
  });

  it.each([['secret'], ['versions'], ['versions', 'secret'], ['deployments'], ['backend']])(
    'a group without its subcommand (`mycli %s`) prints its help on stdout and exits 0',
    async (...words) => {
      const r = await run(words);
      expect(r.code).toBe(0);
      expect(r.stderr).toBe('');
      expect(r.stdout).toContain(`Usage: mycli ${words.join(' ')} [options] [command]`);
      expect(r.stdout).toBe((await run([...words, '--help'])).stdout);
    },
  );

  it('a group without its subcommand under --json: one JSON usage error (exit 2)', async () => {
    const r = await run(['secret', '--json']);
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stdout).error.message).toMatch(/needs a subcommand/);
  });
});

describe('every leaf command', () => {
  it('the list of leaf commands is complete', async () => {
    expect(await leafCommands()).toEqual(
      expect.arrayContaining(['secret put', 'secret list', 'secret delete', 'secret bulk', 'versions deploy', 'versions secret put', 'rollback', 'serve', 'backend check']),
    );
  });

  it('lists its own options before the global ones, and shows examples of itself', async () => {
    const problems: string[] = [];
    for (const path of await leafCommands()) {
      const r = await run([...path.split(' '), '--help']);
      if (r.code !== 0) problems.push(`${path}: exit ${r.code}`);
      const own = r.stdout.indexOf('\nOptions:');
      const global = r.stdout.indexOf('\nGlobal options:');
      if (own < 0 || global < 0 || own > global) problems.push(`${path}: own options are not listed before the global ones`);
      const examples = r.stdout.slice(r.stdout.indexOf('\nExamples:\n'));
      if (!r.stdout.includes('\nExamples:\n')) problems.push(`${path}: no examples`);
      else if (!examples.includes(`mycli ${path}`)) problems.push(`${path}: the examples do not show the command`);
      if (/\becho\b/.test(r.stdout)) problems.push(`${path}: uses echo (use printf '%s')`);
    }
    expect(problems).toEqual([]);
  });

  it('serve --help shows each default once', async () => {
    const r = await run(['serve', '--help']);
    expect(r.stdout.match(/127\.0\.0\.1"|loopback/g)).toHaveLength(1);
    expect(r.stdout.match(/default: "8787"/g)).toHaveLength(1);
  });
});

describe('usage errors a new user makes', () => {
  it("an unknown command: one line with the suggestion", async () => {
    const r = await run(['secrte', 'list']);
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n')[0]).toBe("error: unknown command 'secrte'. Did you mean 'secret'?");
    expect(r.stderr).not.toMatch(/^\(Did you mean/m);
  });

  it('`mycli help <unknown>`: the same one line as the unknown command itself, not the whole help', async () => {
    const r = await run(['help', 'secrte']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.split('\n')[0]).toBe("error: unknown command 'secrte'. Did you mean 'secret'?");
    expect(r.stderr).not.toMatch(/^Usage:/m);
  });

  it('an unknown option: one line with the suggestion', async () => {
    const p = makeProject();
    const r = await p.run(['secret', 'list', '--jsn']);
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n')[0]).toBe("error: unknown option '--jsn'. Did you mean '--json'?");
  });

  it.each([
    [['secret', 'put', 'API_KEY', 'sk-value-typed-as-arg'], 'secret put', 'API_KEY'],
    [['versions', 'secret', 'put', 'API_KEY', 'sk-value-typed-as-arg'], 'versions secret put', 'API_KEY'],
    [['secret', 'put', 'API_KEY', '--value', 'sk-value-typed-as-arg'], 'secret put', 'API_KEY'],
  ])('a value given as an argument (%j): values are never arguments; the pipe form; the value not repeated', async (argv, command, name) => {
    const p = makeProject();
    const r = await p.run(argv);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`\`mycli ${command}\` takes the secret's name only: values are never arguments`);
    expect(r.stderr).toContain(`printf '%s' "$VALUE" | mycli ${command} ${name}`);
    expect(r.all).not.toContain('sk-value-typed-as-arg');
    const j = await p.run([...argv, '--json']);
    expect(JSON.parse(j.stdout).error.hint).toContain(`printf '%s'`);
    expect(j.all).not.toContain('sk-value-typed-as-arg');
  });
});
