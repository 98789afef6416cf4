/**
 * The program a run builds declares in full only the command that runs (its siblings are named,
 * so that `mycli secret list` does not build put, delete, bulk and sync: start-up, issue 21). What
 * a user sees must not depend on it: each command's help is the same as in the full program, and a
 * group's help (no subcommand named) still lists every subcommand with its arguments.
 */
import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { buildProgram, type App } from '../../src/cli/program.js';
import { commandWords } from '../../src/cli/argv.js';
import { commandPath } from '../../src/cli/help.js';
import { makeProject } from '../helpers/cli.js';

const app = { io: {} as App['io'], version: '0.0.0', action: () => async () => undefined } as unknown as App;

function find(program: Command, path: string[]): Command {
  let cmd = program;
  for (const word of path) cmd = cmd.commands.find((c) => c.name() === word)!;
  expect(cmd, path.join(' ')).toBeDefined();
  return cmd;
}

/** Every command below the top (groups and leaves), as paths. */
function allPaths(program: Command): string[][] {
  const out: string[][] = [];
  const visit = (c: Command) => {
    for (const sub of c.commands) {
      if (sub.name() === 'help') continue;
      out.push(commandPath(sub).split(' '));
      visit(sub);
    }
  };
  visit(program);
  return out;
}

describe('the program of one run', () => {
  it('gives every command the same help as the full program, and builds its siblings only by name', async () => {
    const full = await buildProgram(app, ['help']);
    const paths = allPaths(full);
    expect(paths.length).toBeGreaterThan(30);
    let stubbed = 0;
    for (const path of paths) {
      const program = await buildProgram(app, [...path, '--help']);
      expect(find(program, path).helpInformation(), path.join(' ')).toBe(find(full, path).helpInformation());
      // A sibling inside a group (top-level ones were already only their summary): named and
      // described as in the full program, without its options.
      if (path.length === 1) continue;
      const parent = find(program, path.slice(0, -1));
      for (const sibling of parent.commands.filter((c) => c.name() !== path.at(-1) && c.name() !== 'help')) {
        const whole = find(full, [...path.slice(0, -1), sibling.name()]);
        expect(sibling.description()).toBe(whole.description());
        if (whole.options.length > 0) {
          expect(sibling.options, `${sibling.name()} beside ${path.join(' ')}`).toEqual([]);
          stubbed++;
        }
      }
    }
    expect(stubbed, 'siblings built only by name').toBeGreaterThan(20);
  });

  it("lists every subcommand with its arguments in a group's help", async () => {
    for (const group of [['secret'], ['versions'], ['versions', 'rollout'], ['secrets-store', 'secret']]) {
      const full = find(await buildProgram(app, ['help']), group).helpInformation();
      expect(find(await buildProgram(app, [...group, '--help']), group).helpInformation()).toBe(full);
      expect(find(await buildProgram(app, [...group, 'no-such-command']), group).helpInformation()).toBe(full);
    }
  });

  it('runs the command named past global options, their values and `--`', async () => {
    const p = makeProject();
    const put = await p.run(['secret', 'put', 'TREE_KEY'], { stdin: 'tree-value' });
    expect(put.code, put.stderr).toBe(0);
    for (const argv of [['--', 'secret', 'list'], ['secret', '--json', 'list'], ['-c', 'wrangler.toml', 'secret', 'list'], ['--name', 'my-worker', 'secret', 'list']]) {
      const r = await p.run(argv);
      expect(r.code, `${argv.join(' ')}: ${r.stderr}`).toBe(0);
      expect(r.stdout, argv.join(' ')).toContain('TREE_KEY');
      expect(r.stdout + r.stderr).not.toContain('tree-value');
    }
    expect(put.stdout + put.stderr).not.toContain('tree-value');
  });

  it('finds the command words past global options and their values', () => {
    expect(commandWords(['-c', 'secret', '--env', 'staging', 'versions', '--json', 'list'])).toEqual(['versions', 'list']);
    expect(commandWords(['secret', 'put', '--', '-X'])).toEqual(['secret', 'put', '-X']);
    expect(commandWords(['--', 'secret', 'list'])).toEqual(['secret', 'list']);
    expect(commandWords(['--yes', 'secret', '-e', 'prod', 'delete', 'Y'])).toEqual(['secret', 'delete', 'Y']);
  });
});
