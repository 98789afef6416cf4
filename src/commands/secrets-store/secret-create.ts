/** mycli secrets-store secret create <NAME>: value from a hidden prompt, stdin or --from-file. */
import { defineCommand } from '../../cli/define-command.js';
import { STORE_OPTION } from '../options.js';

export const command = defineCommand({
  name: 'create',
  description: 'create a secret in a store (value from a hidden prompt, stdin or --from-file)',
  arguments: [['<NAME>', 'secret name (letters, digits, _ and -)']],
  options: [
    STORE_OPTION,
    ['--scopes <list>', 'comma-separated services that may use it', 'workers'],
    ['--comment <text>', 'a note about the secret'],
    ['--from-file <path>', 'read the value from a file'],
    ['--allow-empty', 'allow an empty value'],
  ],
  examples: [
    'mycli secrets-store secret create api-key --store shared-keys              # hidden prompt',
    `printf '%s' "$VALUE" | mycli secrets-store secret create api-key --comment "billing"`,
    'mycli secrets-store secret create tls-key --from-file key.txt --scopes workers,ai_gateway',
  ],
});
