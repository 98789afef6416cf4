/**
 * Parse-only runs of one declared command, in the spirit of gh's `TestNewCmdSet`: argv goes
 * through commander exactly as in the program (the command, its global options), but `run` is
 * replaced by a recorder and the Context is a trap that fails the test if anything touches it,
 * so no config, backend or disk is read. A usage error comes back as the user reads it.
 */
import { Command } from 'commander';
import type { App } from '../../src/cli/program.js';
import { attach, type AnyCommand } from '../../src/cli/define-command.js';
import { addGlobalOptions } from '../../src/cli/globals.js';
import { usageProblem } from '../../src/cli/usage.js';
import type { UsageError } from '../../src/errors.js';

export interface Parsed {
  /** The path of the command whose run was called ("put", "rollout status"). */
  command?: string;
  args?: unknown[];
  opts?: Record<string, unknown>;
  /** The usage error, as main() would print it (exit 2). */
  error?: UsageError;
}

const untouchable = new Proxy(
  {},
  {
    get(_t, key) {
      throw new Error(`parse-only: the command touched its context (ctx.${String(key)})`);
    },
  },
);

/**
 * Records runs instead of running: the same declaration with every `run` replaced, and a
 * recorder on each leaf declared without its run (the run is linked by the group's index).
 */
function recording(def: AnyCommand, into: Parsed, path: string[] = []): AnyCommand {
  const here = [...path, def.name];
  return {
    ...def,
    ...(def.run || !def.commands?.length
      ? {
          run: async (_ctx: unknown, args: unknown[], opts: Record<string, unknown>) => {
            Object.assign(into, { command: here.join(' '), args, opts });
          },
        }
      : {}),
    commands: def.commands?.map((c) => recording(c, into, here)),
  };
}

/**
 * Parses `argv` (the words after the command's name) for the declared command `def`, placed
 * below the groups `parents` (`['versions']` for `versions deploy`).
 */
export async function parseOnly(def: AnyCommand, argv: string[], parents: string[] = []): Promise<Parsed> {
  const parsed: Parsed = {};
  let message: string | undefined;
  const app = {
    io: untouchable,
    version: '0.0.0',
    action: (fn: (ctx: unknown, ...rest: unknown[]) => Promise<void>) => async (...raw: unknown[]) => fn(untouchable, ...raw.slice(0, -1)),
  } as unknown as App;
  const program = new Command('mycli')
    .exitOverride()
    .configureOutput({ writeOut: () => undefined, writeErr: () => undefined, outputError: (s) => (message = s.replace(/^error:\s*/i, '').trim()) });
  addGlobalOptions(program);
  let parent = program;
  for (const name of parents) parent = parent.command(name);
  const cmd = attach(parent, app, recording(def, parsed));
  // As the program does: global options on every leaf (and on a command that runs with subcommands).
  const leaves = (c: Command): Command[] => (c.commands.length ? c.commands.flatMap(leaves) : [c]);
  for (const leaf of leaves(cmd)) addGlobalOptions(leaf);
  const words = [...parents, def.name, ...argv];
  try {
    await program.parseAsync(words, { from: 'user' });
  } catch (e) {
    if (!String((e as { code?: string }).code).startsWith('commander.')) throw e;
    parsed.error = usageProblem(message ?? (e as Error).message, words);
  }
  return parsed;
}
