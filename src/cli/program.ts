/**
 * The commander program: global options (accepted before or after the command), the command
 * tree, and the glue that turns a parsed command into a Context for its `run`.
 */
import { Command } from 'commander';
import type { App } from './app.js';
import { addGlobalOptions } from './globals.js';
import { COMMANDS } from '../commands/index.js';
import { attach } from './define-command.js';
import { SUMMARY, type TopName } from '../commands/summary.js';
import { commandWord } from './argv.js';
import { HELP_CONFIG } from './help.js';
import { VERSION_DESCRIPTION, VERSION_FLAGS } from './version-flag.js';

export type { App };

/** `argv` picks which command modules to load: only the one that runs (all of them for `help`). */
export async function buildProgram(app: App, argv: string[] = []): Promise<Command> {
  const program = new Command('mycli');
  program
    .description('Manage the secrets and deployment versions of a Worker, on the local store, Cloudflare or a plugin backend.')
    .version(app.version, VERSION_FLAGS, VERSION_DESCRIPTION)
    .helpOption('-h, --help', 'show help')
    .showSuggestionAfterError(true)
    .configureHelp(HELP_CONFIG)
    .addHelpText(
      'after',
      '\nExamples:\n' +
        `  $ mycli secret put API_KEY                              # hidden prompt\n` +
        `  $ printf '%s' "$VALUE" | mycli secret put API_KEY       # from a pipe (CI)\n` +
        '  $ mycli versions rollback                               # back to the previous version\n' +
        '  $ mycli help secret put                                 # help (and examples) of a command\n' +
        '\nExit codes: 0 ok, 1 failed, 2 usage/config, 3 not found, 4 auth, 5 conflict, 130 cancelled, 143 SIGTERM',
    );
  addGlobalOptions(program);

  const word = commandWord(argv);
  const stubs = new Set<Command>();
  for (const name of Object.keys(SUMMARY) as TopName[]) {
    if (word === name || word === 'help') attach(program, app, COMMANDS[name]);
    else stubs.add(program.command(name).description(SUMMARY[name])); // never runs, only listed
  }

  // Global options on every subcommand, so `mycli secret put X --json` works like `mycli --json secret put X`.
  const visit = (cmd: Command) => {
    for (const sub of cmd.commands) {
      if (stubs.has(sub)) continue;
      if (sub.commands.length === 0) addGlobalOptions(sub);
      sub.helpOption('-h, --help', 'show help');
      sub.configureHelp(HELP_CONFIG);
      visit(sub);
    }
  };
  visit(program);
  return program;
}
