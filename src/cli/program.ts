/**
 * The commander program: global options (accepted before or after the command), the command
 * tree, and the glue that turns a parsed command into a Context for its `run`.
 */
import { Command } from 'commander';
import type { App } from './app.js';
import { COMMANDS } from '../commands/index.js';
import { commandTree } from './tree.js';
import { SUMMARY, type TopName } from '../commands/summary.js';
import { commandWords } from './argv.js';

export type { App };

/**
 * `argv` picks which command modules to load (only the one that runs, all of them for `help`) and,
 * below a group, which subcommand is declared in full: its siblings are only named (see commandTree).
 */
export async function buildProgram(app: App, argv: string[] = []): Promise<Command> {
  const words = commandWords(argv);
  const word = words[0];
  const entries = (Object.keys(SUMMARY) as TopName[]).map((name) => [name, word === name || word === 'help' ? COMMANDS[name] : SUMMARY[name]] as const);
  return commandTree(app, entries, word === 'help' ? [] : words.slice(1))
    .description('Manage the secrets and deployment versions of a Worker, on the local store, Cloudflare or a plugin backend.')
    .showSuggestionAfterError(true)
    .addHelpText(
      'after',
      '\nExamples:\n' +
        `  $ mycli secret put API_KEY                              # hidden prompt\n` +
        `  $ printf '%s' "$VALUE" | mycli secret put API_KEY       # from a pipe (CI)\n` +
        '  $ mycli versions rollback                               # back to the previous version\n' +
        '  $ mycli help secret put                                 # help (and examples) of a command\n' +
        '\nExit codes: 0 ok, 1 failed, 2 usage/config, 3 not found, 4 auth, 5 conflict, 6 changes pending (--exit-code), 130 cancelled, 143 SIGTERM',
    );
}
