/** mycli deployments list: newest first. */
import { defineCommand } from '../../cli/define-command.js';
import { LIMIT_HELP } from '../../cli/limit.js';

export const command = defineCommand({
  name: 'list',
  description: 'list the deployments of a Worker, newest (live) first',
  options: [['-L, --limit <N>', LIMIT_HELP]],
  examples: [
    'mycli deployments list',
    'mycli deployments list --env production --json',
  ],
});
