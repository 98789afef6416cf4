/**
 * Help, the same way everywhere: `mycli`, `mycli --help` and `mycli help` print one text;
 * `mycli help secret put` is `mycli secret put --help`; a group without its subcommand
 * (`mycli secret`) prints its help on stdout and exits 0. Each command lists its own options
 * before the global ones, and every leaf command shows the examples of its declaration
 * (`examples` in `defineCommand`; a test checks that every leaf command has them).
 */
import { Help, type Command, type Option } from 'commander';
import { commandWord, VALUE_OPTIONS } from './argv.js';

/** The path of a command below the program: "secret put". */
export function commandPath(cmd: Command): string {
  const names: string[] = [];
  for (let c: Command | null = cmd; c && c.parent; c = c.parent) names.unshift(c.name());
  return names.join(' ');
}

const GLOBAL = 'Global options:';

/** Help settings: own options (and --help) before the global ones. */
export const HELP_CONFIG = {
  sortSubcommands: false,
  showGlobalOptions: false,
  // commander orders groups by their first option in `cmd.options`, where the global options come
  // first for a command with no options of its own (--help is not in that list): globals last.
  groupItems<T extends Command | Option>(this: Help, unsorted: T[], visible: T[], getGroup: (item: T) => string): Map<string, T[]> {
    const result = new Map<string, T[]>();
    const all = [...unsorted, ...visible];
    for (const i of all) if (getGroup(i) !== GLOBAL && !result.has(getGroup(i))) result.set(getGroup(i), []);
    for (const i of all) if (!result.has(getGroup(i))) result.set(getGroup(i), []);
    for (const i of visible) result.get(getGroup(i))!.push(i);
    return result;
  },
};

/** `mycli` and `mycli help [words...]` become `mycli [words...] --help`: one help text for each. */
export function helpArgv(argv: string[], known: readonly string[]): string[] {
  if (argv.length === 0) return ['--help'];
  const word = commandWord(argv);
  if (word !== 'help') return argv;
  const i = argv.indexOf('help');
  const rest = [...argv.slice(0, i), ...argv.slice(i + 1)];
  const next = commandWord(rest);
  // `mycli help nosuch` is `mycli nosuch`: the one-line unknown-command error with its suggestion.
  if (next !== undefined && !known.includes(next)) return rest;
  return [...rest, '--help'];
}

/**
 * A group named without its subcommand (`mycli secret`, `mycli versions secret`): its help on
 * stdout, exit 0 — by asking for it.
 */
export function groupHelpArgv(program: Command, argv: string[]): string[] {
  if (argv.includes('--help') || argv.includes('-h')) return argv;
  let cmd = program;
  let depth = 0;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') return argv;
    if (a.startsWith('-')) {
      if (VALUE_OPTIONS.has(a)) i++;
      continue;
    }
    const sub = cmd.commands.find((c) => c.name() === a || c.aliases().includes(a));
    if (!sub) return argv; // an operand or an unknown command: commander decides
    cmd = sub;
    depth++;
  }
  return depth > 0 && cmd.commands.length > 0 ? [...argv, '--help'] : argv;
}
