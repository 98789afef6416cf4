/** mycli secrets-store store list */
import { defineCommand } from '../../cli/define-command.js';

export const command = defineCommand({
  name: 'list',
  description: 'list the stores of the account',
  examples: [
    'mycli secrets-store store list',
    'mycli secrets-store store list --json',
  ],
});
