/** mycli secrets-store secret delete <SECRET>: confirm when interactive, --yes otherwise. */
import { defineCommand } from '../../cli/define-command.js';
import { STORE_OPTION } from '../options.js';

export const command = defineCommand({
  name: 'delete',
  description: 'delete a secret from a store',
  arguments: [['<SECRET>', 'secret name or id']],
  options: [STORE_OPTION],
  examples: [
    'mycli secrets-store secret delete old-key          # asks first',
    'mycli secrets-store secret delete old-key --yes    # in CI',
  ],
});
