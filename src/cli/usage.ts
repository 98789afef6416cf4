/**
 * commander's usage errors, said the way a user reads them: one line with the suggestion
 * ("unknown command 'x'. Did you mean 'secret'?"), and a value given as an argument to
 * `secret put` explained with the form that works (a pipe), never repeating the value.
 */
import { UsageError } from '../errors.js';
import { isBindingName } from '../domain/names.js';
import { targetOfArgv } from './argv.js';
import { commandHint } from './hint.js';

export function usageProblem(message: string, argv: string[]): UsageError {
  // An option wrangler has and mycli spells differently (or does not need): say mycli's way
  // (before commander's "did you mean", which would guess at a mycli option of similar spelling).
  const unknown = /unknown option '(--[a-z0-9-]+)(?:=[^']*)?'/.exec(message);
  const wrangler = unknown ? WRANGLER_OPTIONS[unknown[1]!] : undefined;
  if (unknown && wrangler) return new UsageError(`unknown option '${unknown[1]}' (a wrangler option)`, { hint: `in mycli: ${wrangler}` });
  // "unknown command 'secrte'\n(Did you mean secret?)" -> one line, the suggestion quoted.
  const suggestion = /\n?\(Did you mean (.+?)\?\)\s*$/.exec(message);
  if (suggestion) {
    const first = message.slice(0, suggestion.index).trim();
    return new UsageError(`${first}. Did you mean '${suggestion[1]}'?`, { hint: 'see `mycli --help` or `mycli <command> --help`' });
  }
  // Someone trying to pass a secret value as an argument or a flag: show the pipe form.
  const put = secretPut(argv);
  if (put && (/too many arguments for 'put'/.test(message) || /unknown option '--(value|secret|text|val)'/.test(message))) {
    return new UsageError(
      `\`mycli ${put.command}\` takes the secret's name only: values are never arguments (they would land in shell history and process lists)`,
      { hint: `pipe the value: \`printf '%s' "$VALUE" | ${commandHint(targetOfArgv(argv), `${put.command} ${put.name}`)}\` (or --from-file <path>; on a terminal, a hidden prompt asks for it)` },
    );
  }
  if (/unknown option '--(value|secret|text|val)'/.test(message)) {
    return new UsageError(message, {
      hint: `secret values are never taken as arguments (they would land in shell history and process lists); pipe them: \`printf '%s' "$VALUE" | ${commandHint(targetOfArgv(argv), 'secret put NAME')}\`, or use --from-file <path>`,
    });
  }
  return new UsageError(message, { hint: 'see `mycli --help` or `mycli <command> --help`' });
}

/** wrangler 4's options that mycli has no flag for, and what a mycli user does instead. */
const WRANGLER_OPTIONS: Record<string, string> = {
  '--remote': 'the backend decides where a command acts: `--backend cloudflare` for the Cloudflare API (the default is the local store)',
  '--local': 'the local store is the default backend (`--backend local` says so explicitly)',
  '--persist-to': 'the local store lives in .mycli/ beside the config; MYCLI_STATE_DIR moves it',
  '--format': '--json prints one JSON document (`secret list` also takes --format json|pretty)',
  '--x-versions': 'versions are always on in mycli; drop the flag',
  '--experimental-versions': 'versions are always on in mycli; drop the flag',
  '--account-id': 'set CLOUDFLARE_ACCOUNT_ID, or account_id in the config',
  '--api-token': 'credentials come from the environment only: CLOUDFLARE_API_TOKEN',
  '--env-file': 'put many secrets from a .env or JSON file with `mycli secret bulk FILE`',
  '--var': 'vars come from [vars] in the config',
  '--keep-vars': 'a version keeps the [vars] of the config it was uploaded with; secret changes keep the latest version\'s vars',
  '--script-name': '--name <worker> names the Worker',
};

/** `secret put NAME …` or `versions secret put NAME …` in argv: the command words and the name (if valid). */
function secretPut(argv: string[]): { command: string; name: string } | undefined {
  const words = argv.filter((a) => !a.startsWith('-'));
  const i = words.indexOf('put');
  if (i < 1 || words[i - 1] !== 'secret') return undefined;
  const command = words[i - 2] === 'versions' ? 'versions secret put' : 'secret put';
  const candidate = words[i + 1];
  return { command, name: candidate && isBindingName(candidate) ? candidate : 'NAME' };
}
