/**
 * mycli whoami (wrangler's name): the backend in use, where it acts, and — on cloudflare — whether
 * the credentials work (a verify request) and which accounts they see, so a token can be tested
 * before an incident. Exit 4 when the credentials are refused.
 */
import { defineCommand } from '../cli/define-command.js';

export const command = defineCommand({
  name: 'whoami',
  description: 'show the backend, the account(s) and whether the credentials work',
  examples: [
    'mycli whoami --backend cloudflare      # is CLOUDFLARE_API_TOKEN valid, which accounts it sees',
    'mycli whoami --json',
  ],
});
