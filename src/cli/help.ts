/**
 * Help, the same way everywhere: `mycli`, `mycli --help` and `mycli help` print one text;
 * `mycli help secret put` is `mycli secret put --help`; a group without its subcommand
 * (`mycli secret`) prints its help on stdout and exits 0. Each command lists its own options
 * before the global ones, and every leaf command shows examples.
 *
 * Examples live here, keyed by the command's path ("secret put"), so that adding them touches no
 * command file (a command's name, arguments and options are declared once, in its file, with
 * `defineCommand`). A new leaf command adds its entry to EXAMPLES (a test checks that every leaf
 * command has one); a group may have one too. Notes around the examples are in HELP_NOTES.
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
  'secret list': ['mycli secret list', 'mycli secret list --env staging --json', 'mycli secret list --format json            # as wrangler: the same as --json'],
  'secret delete': ['mycli secret delete OLD_TOKEN', 'mycli secret delete OLD_TOKEN --yes          # no prompt (CI)'],
  'secret bulk': [
    'mycli secret bulk secrets.json                # {"A": "v", "OLD": null}: one change',
    'mycli secret bulk .env.production --env production',
    `printf '%s' '{"A": "v"}' | mycli secret bulk   # from stdin`,
  ],
  'secret sync': [
    'mycli secret sync secrets.json --dry-run                  # the plan: added, changed, unchanged, removed',
    'mycli secret sync .env.production --dry-run --exit-code  # CI drift check: exit 6 when changes are pending',
    'mycli secret sync .env.production --prune --yes           # make the Worker equal to the file (one version)',
  ],
  'versions list': ['mycli versions list', 'mycli versions list --json'],
  'versions view': ['mycli versions view a1b2c3d4', 'mycli versions view a1b2c3d4 --json'],
  'versions upload': [
    'mycli versions upload -m "new checkout flow" --tag v2.3.0',
    'mycli versions upload --json   # prints the new version id',
    'mycli versions upload --secrets-file .env.production --prune   # code and secrets in one version',
    'mycli versions upload --dry-run                                 # what the version would hold',
  ],
  'versions deploy': [
    'mycli versions deploy a1b2c3d4@10%              # 10% to a1b2c3d4, 90% to the version at 100% now',
    'mycli versions deploy a1b2c3d4@10% e5f6a7b8@90%',
    'mycli versions deploy a1b2c3d4@100% --dry-run   # show the plan, change nothing',
    'mycli versions deploy                           # on a terminal: pick versions from a list',
    'mycli versions deploy --version-id 5 4 --percentage 10 90   # wrangler\'s flags',
  ],
  'versions rollback': [
    'mycli versions rollback                          # back to the previous version at 100%',
    'mycli versions rollback a1b2c3d4 -m "bad deploy" --yes',
    'mycli versions rollback --dry-run                # what would change; nothing is deployed',
  ],
  rollback: [
    'mycli rollback                                   # back to the previous version at 100%',
    'mycli rollback a1b2c3d4 -m "bad deploy" --yes',
    'mycli rollback --dry-run                         # what would change; nothing is deployed',
  ],
  'versions secret put': [
    'mycli versions secret put API_KEY                       # a new version, not deployed',
    `printf '%s' "$API_KEY" | mycli versions secret put API_KEY`,
  ],
  'versions secret delete': ['mycli versions secret delete OLD_TOKEN --yes'],
  'versions secret bulk': ['mycli versions secret bulk secrets.json', 'mycli versions secret bulk .env --env staging'],
  'versions secret list': ['mycli versions secret list', 'mycli versions secret list --json'],
  'deployments list': ['mycli deployments list', 'mycli deployments list --env production --json'],
  'deployments status': ['mycli deployments status', 'mycli deployments status --json   # each live version id and percentage'],
  whoami: ['mycli whoami --backend cloudflare      # is CLOUDFLARE_API_TOKEN valid, which accounts it sees', 'mycli whoami --json'],
  'backend check': [
    'mycli backend check                       # the configured backend',
    'mycli backend check ./backends/mine.mjs --json',
    'mycli backend check cloudflare --read-only # credentials and reads only; creates nothing',
  ],
  serve: ['mycli serve                       # http://127.0.0.1:8787/client/v4', 'mycli serve --port 0               # any free port, printed on stdout'],
  types: [
    'mycli types                       # write worker-configuration.d.ts',
    'mycli types --check               # in CI: exit 1 when it is stale',
    'mycli types --env staging --out src/env.d.ts',
    'mycli types --offline             # secret names from .dev.vars, no backend',
  ],
  'versions rollout': [
    'mycli versions rollout 1a2b3c4d --steps 0,10,50,100 --wait 5m --check-url https://example.com/health',
    "mycli versions rollout 1a2b3c4d --check './smoke.sh' --on-fail hold --yes",
    'mycli versions rollout status',
    'mycli versions rollout abort --yes',
  ],
  'versions rollout status': ['mycli versions rollout status', 'mycli versions rollout status --json'],
  'versions rollout abort': ['mycli versions rollout abort', 'mycli versions rollout abort --yes -m "errors at 10%"'],
  'secrets-store': [
    'mycli secrets-store store create shared-keys',
    `printf '%s' "$VALUE" | mycli secrets-store secret create api-key --store shared-keys`,
    'mycli secrets-store secret list          # with the Workers that bind each secret',
  ],
  'secrets-store store create': ['mycli secrets-store store create shared-keys', 'mycli secrets-store store create shared-keys --backend cloudflare --json'],
  'secrets-store store list': ['mycli secrets-store store list', 'mycli secrets-store store list --json'],
  'secrets-store store delete': ['mycli secrets-store store delete shared-keys          # asks first', 'mycli secrets-store store delete shared-keys --yes    # in CI'],
  'secrets-store secret create': [
    'mycli secrets-store secret create api-key --store shared-keys              # hidden prompt',
    `printf '%s' "$VALUE" | mycli secrets-store secret create api-key --comment "billing"`,
    'mycli secrets-store secret create tls-key --from-file key.txt --scopes workers,ai_gateway',
  ],
  'secrets-store secret list': ['mycli secrets-store secret list', 'mycli secrets-store secret list --store shared-keys --json'],
  'secrets-store secret get': ['mycli secrets-store secret get api-key', 'mycli secrets-store secret get 3fd85f74b32742f1bff64a85009dda07 --store shared-keys --json'],
  'secrets-store secret update': [
    'mycli secrets-store secret update api-key                          # hidden prompt',
    `printf '%s' "$NEW" | mycli secrets-store secret update api-key --store shared-keys`,
    'mycli secrets-store secret update api-key --keep-value --comment "rotated 2026-12"',
  ],
  'secrets-store secret delete': ['mycli secrets-store secret delete old-key          # asks first', 'mycli secrets-store secret delete old-key --yes    # in CI'],
  'secrets-store secret duplicate': ['mycli secrets-store secret duplicate api-key api-key-next', 'mycli secrets-store secret duplicate api-key api-key-gw --scopes ai_gateway'],
  store: ['mycli store verify', 'mycli store gc'],
  'store gc': ['mycli store gc                # files unreachable for an hour or more', 'mycli store gc --dry-run --json', 'mycli store gc --grace 10m'],
  complete: [
    'source <(mycli complete bash)                          # bash: this shell (add the line to ~/.bashrc)',
    'source <(mycli complete zsh)                           # zsh, after compinit (or save it as _mycli in $fpath)',
    'mycli complete fish > ~/.config/fish/completions/mycli.fish',
    'mycli complete powershell | Out-String | Invoke-Expression   # PowerShell (add it to $PROFILE)',
  ],
  'store verify': ['mycli store verify          # every record and blob read; exit 1 naming what is wrong', 'mycli store verify --json'],
};

/** Text after a command's help, `before` or `after` its examples. */
export const HELP_NOTES: Record<string, { before?: string; after?: string }> = {
  serve: {
    before:
      '\nPoint wrangler at it:\n' +
      '  CLOUDFLARE_API_BASE_URL=http://127.0.0.1:8787/client/v4 CLOUDFLARE_API_TOKEN=<token> \\\n' +
      '  CLOUDFLARE_ACCOUNT_ID=<any id> wrangler secret list\n' +
      '\nThe token is MYCLI_SERVE_TOKEN, or a new one printed on stderr at start.',
  },
  complete: {
    before:
      '\nWhat it completes: commands, options, fixed values (--format, --backend), environments of the\n' +
      'config (--env), and on the local backend secret names, version numbers and tags and Secrets Store\n' +
      'names, read from the store without writing. Other backends: no network, names from the config only.\n' +
      'The script runs `mycli complete --words -- <words>` for each completion.',
  },
  'versions rollout': { after: '\nExit codes: 0 completed, 1 a gate failed, 2 bad arguments, 5 the deployment changed under it, 130 interrupted (Ctrl-C), 143 SIGTERM' },
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

/** Examples (and notes) after the help of a command. */
export function addExamples(cmd: Command): void {
  const path = commandPath(cmd);
  const lines = EXAMPLES[path];
  const notes = HELP_NOTES[path];
  if (notes?.before) cmd.addHelpText('after', notes.before);
  if (lines) cmd.addHelpText('after', '\nExamples:\n' + lines.map((l) => (l ? `  $ ${l}` : l)).join('\n'));
  if (notes?.after) cmd.addHelpText('after', notes.after);
}

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
