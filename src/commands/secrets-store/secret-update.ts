/** mycli secrets-store secret update <SECRET>: a new value (prompt / stdin / --from-file), or --keep-value. */
import { defineCommand } from '../../cli/define-command.js';
import { STORE_OPTION } from '../options.js';

export const command = defineCommand({
  name: 'update',
  description: 'change the value (prompt, stdin or --from-file), scopes or comment of a secret; Workers see it without a redeploy',
  arguments: [['<SECRET>', 'secret name or id']],
  options: [
    STORE_OPTION,
    ['--scopes <list>', 'new comma-separated scopes'],
    ['--comment <text>', 'new comment'],
    ['--from-file <path>', 'read the new value from a file'],
    ['--allow-empty', 'allow an empty value'],
    ['--keep-value', 'change only --scopes / --comment, keep the value'],
  ],
  examples: [
    'mycli secrets-store secret update api-key                          # hidden prompt',
    `printf '%s' "$NEW" | mycli secrets-store secret update api-key --store shared-keys`,
    'mycli secrets-store secret update api-key --keep-value --comment "rotated 2026-12"',
  ],
});
