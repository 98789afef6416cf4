/** mycli secrets-store secret duplicate <SECRET> <NEW_NAME>: a copy with the same value. */
import { defineCommand } from '../../cli/define-command.js';
import { STORE_OPTION } from '../options.js';

export const command = defineCommand({
  name: 'duplicate',
  description: 'copy a secret, value included, under a new name',
  arguments: [
    ['<SECRET>', 'secret name or id'],
    ['<NEW_NAME>', 'name of the copy'],
  ],
  options: [
    STORE_OPTION,
    ['--scopes <list>', 'comma-separated scopes of the copy (default: those of the original)'],
    ['--comment <text>', 'comment of the copy (default: that of the original)'],
  ],
  examples: [
    'mycli secrets-store secret duplicate api-key api-key-next',
    'mycli secrets-store secret duplicate api-key api-key-gw --scopes ai_gateway',
  ],
});
