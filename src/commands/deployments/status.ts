/** mycli deployments status: the live split, a small bar per version. */
import { defineCommand } from '../../cli/define-command.js';

export const command = defineCommand({
  name: 'status',
  description: 'show the live deployment: which versions serve traffic, and how much',
  examples: [
    'mycli deployments status',
    'mycli deployments status --json   # each live version id and percentage',
  ],
});
