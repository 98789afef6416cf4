/** mycli secrets-store store create <NAME> */
import { defineCommand } from '../../cli/define-command.js';

export const command = defineCommand({
  name: 'create',
  description: 'create a store in the account',
  arguments: [['<NAME>', 'store name']],
  examples: [
    'mycli secrets-store store create shared-keys',
    'mycli secrets-store store create shared-keys --backend cloudflare --json',
  ],
});
