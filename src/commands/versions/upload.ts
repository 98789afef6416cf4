/**
 * mycli versions upload: a new version from the project (main module identity, [vars], the
 * latest version's secrets). Not deployed. Prints the new version id on stdout.
 */
import { defineCommand } from '../../cli/define-command.js';
import { FORCE_MISSING_SECRETS } from '../options.js';

export const command = defineCommand({
  name: 'upload',
  description: 'create a new version from the project (code and [vars]); it is not deployed',
  options: [
    ['-m, --message <text>', 'a message for the version'],
    ['--tag <tag>', 'a tag for the version'],
    ['--secrets-file <file>', 'put the secrets of this JSON or .env file into the version itself (others are kept)'],
    ['--prune', 'with --secrets-file: leave out the secrets that are not in the file'],
    ['--dry-run', 'show what the version would hold, upload nothing'],
    FORCE_MISSING_SECRETS,
  ],
  examples: [
    'mycli versions upload -m "new checkout flow" --tag v2.3.0',
    'mycli versions upload --json   # prints the new version id',
    'mycli versions upload --secrets-file .env.production --prune   # code and secrets in one version',
    'mycli versions upload --dry-run                                 # what the version would hold',
  ],
});
