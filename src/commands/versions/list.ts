/** mycli versions list: newest first, the versions serving traffic marked with their share. */
import { defineCommand } from '../../cli/define-command.js';
import { LIMIT_HELP } from '../../cli/limit.js';

export const command = defineCommand({
  name: 'list',
  description: 'list the versions of a Worker, newest first',
  options: [['-L, --limit <N>', LIMIT_HELP]],
  examples: [
    'mycli versions list',
    'mycli versions list --json',
  ],
});
