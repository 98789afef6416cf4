/** mycli store verify: read the whole local store, every blob opened with the key (docs/STORE.md). */
import { defineCommand } from '../../cli/define-command.js';

export const command = defineCommand({
  name: 'verify',
  description: 'read the whole local store: every version, deployment and secret blob (opened with the key); writes nothing',
  examples: [
    'mycli store verify          # every record and blob read; exit 1 naming what is wrong',
    'mycli store verify --json',
  ],
});
