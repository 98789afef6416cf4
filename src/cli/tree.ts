/**
 * The commander tree of a set of declarations: `-v/--version` and the global options on the
 * program and on every leaf (so `mycli secret put X --json` works like `mycli --json secret put X`),
 * `-h, --help` and one help layout everywhere. `buildProgram` builds the program that runs with
 * it; shell completion reads the same tree (commands/complete/engine.ts).
 */
import { Command } from 'commander';
import type { App } from './app.js';
import { attach, type AnyCommand } from './define-command.js';
import { addGlobalOptions } from './globals.js';
import { HELP_CONFIG } from './help.js';
import { VERSION_DESCRIPTION, VERSION_FLAGS } from './version-flag.js';

/** Each top-level command: its declaration, attached in full, or only its summary (a stub that never runs). */
export type TreeEntry = readonly [name: string, declaration: AnyCommand | string];

export function commandTree(app: App, entries: Iterable<TreeEntry>, path: readonly string[] = []): Command {
  const program = new Command('mycli').version(app.version, VERSION_FLAGS, VERSION_DESCRIPTION).helpOption('-h, --help', 'show help').configureHelp(HELP_CONFIG);
  addGlobalOptions(program);
  const stubs = new Set<Command>();
  for (const [name, declaration] of entries) {
    if (typeof declaration === 'string') stubs.add(program.command(name).description(declaration));
    else attach(program, app, declaration, { path, stubs });
  }
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
