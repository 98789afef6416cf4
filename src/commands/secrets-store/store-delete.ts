/** mycli secrets-store store delete <STORE>: confirm when interactive, --yes otherwise. */
import { defineCommand } from '../../cli/define-command.js';

export const command = defineCommand({
  name: 'delete',
  description: 'delete a store (refused while it holds secrets, unless --force)',
  arguments: [['<STORE>', 'store name or id']],
  options: [['--force', 'delete the secrets of the store with it']],
  examples: [
    'mycli secrets-store store delete shared-keys          # asks first',
    'mycli secrets-store store delete shared-keys --yes    # in CI',
  ],
});
