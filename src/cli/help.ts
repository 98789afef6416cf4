/**
 * Help, the same way everywhere: `mycli`, `mycli --help` and `mycli help` print one text;
 * `mycli help secret put` is `mycli secret put --help`; a group without its subcommand
 * (`mycli secret`) prints its help on stdout and exits 0. Each command lists its own options
 * before the global ones, and every leaf command shows examples.
 *
 * Examples live here, keyed by the command's path ("secret put"), so that adding them touches no
 * command file. A new leaf command adds its entry to EXAMPLES (a test checks that every leaf
 * command has one).
 */
import { Help, type Command, type Option } from 'commander';
import { commandWord, VALUE_OPTIONS } from './argv.js';

export const EXAMPLES: Record<string, string[]> = {
  'secret put': [
    'mycli secret put API_KEY                                # hidden prompt on a terminal',
    `printf '%s' "$API_KEY" | mycli secret put API_KEY       # from a pipe (CI); never as an argument`,
    'mycli secret put TLS_KEY --from-file key.pem            # a file, byte for byte',
    'mycli secret put API_KEY --env production -m "rotate"   # an environment, with a message',
  ],
  'secret list': ['mycli secret list', 'mycli secret list --env staging --json'],
  'secret delete': ['mycli secret delete OLD_TOKEN', 'mycli secret delete OLD_TOKEN --yes          # no prompt (CI)'],
  'secret bulk': [
    'mycli secret bulk secrets.json                # {"A": "v", "OLD": null}: one change',
    'mycli secret bulk .env.production --env production',
    `printf '%s' '{"A": "v"}' | mycli secret bulk   # from stdin`,
  ],
  'versions list': ['mycli versions list', 'mycli versions list --json'],
  'versions view': ['mycli versions view a1b2c3d4', 'mycli versions view a1b2c3d4 --json'],
  'versions upload': ['mycli versions upload -m "new checkout flow" --tag v2.3.0', 'mycli versions upload --json   # prints the new version id'],
  'versions deploy': [
    'mycli versions deploy a1b2c3d4@10%              # 10% to a1b2c3d4, 90% to the version at 100% now',
    'mycli versions deploy a1b2c3d4@10% e5f6a7b8@90%',
    'mycli versions deploy a1b2c3d4@100% --dry-run   # show the plan, change nothing',
    'mycli versions deploy                           # on a terminal: pick versions from a list',
  ],
  'versions rollback': [
    'mycli versions rollback                          # back to the previous version at 100%',
    'mycli versions rollback a1b2c3d4 -m "bad deploy" --yes',
  ],
  rollback: ['mycli rollback                                   # back to the previous version at 100%', 'mycli rollback a1b2c3d4 -m "bad deploy" --yes'],
  'versions secret put': [
    'mycli versions secret put API_KEY                       # a new version, not deployed',
    `printf '%s' "$API_KEY" | mycli versions secret put API_KEY`,
  ],
  'versions secret delete': ['mycli versions secret delete OLD_TOKEN --yes'],
  'versions secret bulk': ['mycli versions secret bulk secrets.json', 'mycli versions secret bulk .env --env staging'],
  'versions secret list': ['mycli versions secret list', 'mycli versions secret list --json'],
  'deployments list': ['mycli deployments list', 'mycli deployments list --env production --json'],
  'deployments status': ['mycli deployments status', 'mycli deployments status --json   # each live version id and percentage'],
  'backend check': ['mycli backend check                       # the configured backend', 'mycli backend check ./backends/mine.mjs --json'],
  serve: ['mycli serve                       # http://127.0.0.1:8787/client/v4', 'mycli serve --port 0               # any free port, printed on stdout'],
};

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

/** Examples after the help of a leaf command. */
export function addExamples(cmd: Command): void {
  const lines = EXAMPLES[commandPath(cmd)];
  if (!lines) return;
  cmd.addHelpText('after', '\nExamples:\n' + lines.map((l) => `  $ ${l}`).join('\n'));
}

/** `mycli` and `mycli help [words...]` become `mycli [words...] --help`: one help text for each. */
export function helpArgv(argv: string[], known: readonly string[]): string[] {
  if (argv.length === 0) return ['--help'];
  const word = commandWord(argv);
  if (word !== 'help') return argv;
  const i = argv.indexOf('help');
  const rest = [...argv.slice(0, i), ...argv.slice(i + 1)];
  const next = commandWord(rest);
  if (next !== undefined && !known.includes(next)) return argv; // `mycli help nosuch`: commander says it is unknown
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
