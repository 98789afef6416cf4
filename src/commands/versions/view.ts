/** mycli versions view <ID>: one version, its vars and secret names (never values). */
import { defineCommand } from '../../cli/define-command.js';

export const command = defineCommand({
  name: 'view',
  description: 'show one version: metadata, vars and secret names',
  arguments: [['<ID>', 'version number, id, 4+ characters of the id, or a tag']],
  examples: [
    'mycli versions view a1b2c3d4',
    'mycli versions view a1b2c3d4 --json',
  ],
});
