/** mycli secrets-store secret get <SECRET>: metadata only, never the value. */
import { defineCommand } from '../../cli/define-command.js';
import { STORE_OPTION } from '../options.js';

export const command = defineCommand({
  name: 'get',
  description: 'show a secret of a store: metadata only, never the value',
  arguments: [['<SECRET>', 'secret name or id']],
  options: [STORE_OPTION],
  examples: [
    'mycli secrets-store secret get api-key',
    'mycli secrets-store secret get 3fd85f74b32742f1bff64a85009dda07 --store shared-keys --json',
  ],
});
