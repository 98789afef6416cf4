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

/** Global options, added to every command so that they work before or after it. */
export function addGlobalOptions(cmd: Command): Command {
  return cmd
    .addOption(new Option('-c, --config <path>', 'path to wrangler.toml / wrangler.json(c)').helpGroup('Global options:'))
    .addOption(new Option('-e, --env <name>', 'environment from the config ([env.<name>])').helpGroup('Global options:'))
    .addOption(new Option('--name <worker>', 'Worker name (overrides the config)').helpGroup('Global options:'))
    .addOption(new Option('--backend <spec>', 'local | cloudflare | ./module.mjs | package (env MYCLI_BACKEND)').helpGroup('Global options:'))
    .addOption(new Option('--json', 'print one JSON document on stdout').helpGroup('Global options:'))
    .addOption(new Option('--no-color', 'no colour in output (also NO_COLOR)').helpGroup('Global options:'))
    .addOption(new Option('-y, --yes', 'confirm destructive actions without asking').helpGroup('Global options:'))
    .addOption(new Option('--debug', 'log what happens to stderr (never secret values)').helpGroup('Global options:'));
}
