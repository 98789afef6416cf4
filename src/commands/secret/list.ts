/** mycli secret list: names and types, never values. */
import { defineCommand } from '../../cli/define-command.js';

const LIST = [
  'mycli secret list',
  'mycli secret list --env staging --json',
  'mycli secret list --format json            # as wrangler: the same as --json',
];
const VERSIONED_LIST = [
  'mycli versions secret list',
  'mycli versions secret list --json',
];

export function command(versioned = false) {
  return defineCommand({
    name: 'list',
    description: versioned ? 'list the secrets of the latest version (names only)' : 'list the secret names of a Worker (never values)',
    // wrangler's flag; `json` is --json (read with the global options, cli/globals.ts).
    options: [['--format <format>', 'json | pretty (json is --json; pretty, a table, is the default)']],
    examples: versioned ? VERSIONED_LIST : LIST,
  });
}
