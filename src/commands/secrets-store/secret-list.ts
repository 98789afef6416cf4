/** mycli secrets-store secret list: names, ids, scopes and the Workers that bind each; never values. */
import { defineCommand } from '../../cli/define-command.js';
import { STORE_OPTION } from '../options.js';

export const command = defineCommand({
  name: 'list',
  description: 'list the secrets of a store and the Workers that bind them (never values)',
  options: [STORE_OPTION],
  examples: [
    'mycli secrets-store secret list',
    'mycli secrets-store secret list --store shared-keys --json',
  ],
});
