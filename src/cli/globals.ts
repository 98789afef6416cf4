/** The global options: accepted before or after any command, read into a Context's GlobalOptions. */
import { Option, type Command } from 'commander';
import type { GlobalOptions } from './context.js';

export function globalsOf(opts: Record<string, unknown>): GlobalOptions {
  return {
    config: opts.config as string | undefined,
    env: opts.env as string | undefined,
    name: opts.name as string | undefined,
    backend: opts.backend as string | undefined,
    // `--format json` (wrangler's flag, on the commands that take it) is --json.
    json: Boolean(opts.json) || opts.format === 'json',
    color: opts.color !== false,
    yes: Boolean(opts.yes),
    debug: Boolean(opts.debug),
  };
}

/**
 * The global options: one table. `addGlobalOptions` declares them to commander; `cli/argv.ts`
 * reads the ones that take a value (`VALUE_OPTIONS`) and the target ones (`targetOfArgv`) from it.
 */
export const GLOBAL_OPTIONS = [
  { flags: '-c, --config <path>', description: 'path to wrangler.toml / wrangler.json(c)', target: 'config' },
  { flags: '-e, --env <name>', description: 'environment from the config ([env.<name>])', target: 'env' },
  { flags: '--name <worker>', description: 'Worker name (overrides the config)', target: 'name' },
  { flags: '--backend <spec>', description: 'local | cloudflare | ./module.mjs | package (env MYCLI_BACKEND)', target: 'backend' },
  { flags: '--json', description: 'print one JSON document on stdout' },
  { flags: '--no-color', description: 'no colour in output (also NO_COLOR)' },
  { flags: '-y, --yes', description: 'confirm destructive actions without asking' },
  { flags: '--debug', description: 'log what happens to stderr (never secret values)' },
] as const;

/** Global options, added to every command so that they work before or after it. */
export function addGlobalOptions(cmd: Command): Command {
  for (const o of GLOBAL_OPTIONS) cmd.addOption(new Option(o.flags, o.description).helpGroup('Global options:'));
  return cmd;
}
