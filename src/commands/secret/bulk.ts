/**
 * mycli secret bulk [FILE]: a JSON object (null deletes) or a .env file, from FILE or stdin,
 * applied as one atomic change with a per-name report.
 */
import { defineCommand } from '../../cli/define-command.js';

const BULK = [
  'mycli secret bulk secrets.json                # {"A": "v", "OLD": null}: one change',
  'mycli secret bulk .env.production --env production',
  `printf '%s' '{"A": "v"}' | mycli secret bulk   # from stdin`,
];
const VERSIONED_BULK = [
  'mycli versions secret bulk secrets.json',
  'mycli versions secret bulk .env --env staging',
];

export function command(deploy = true) {
  return defineCommand({
    name: 'bulk',
    description: deploy ? 'put (and delete) many secrets at once from a JSON object or .env file, as one deployed change' : 'change many secrets in one new version, without deploying it',
    arguments: [['[FILE]', 'JSON or .env file (default: stdin)']],
    options: [
      ['--allow-empty', 'allow empty values'],
      ['-m, --message <text>', 'message of the new version'],
    ],
    examples: deploy ? BULK : VERSIONED_BULK,
  });
}
