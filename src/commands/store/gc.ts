/** mycli store gc: remove what no committed head reaches, safe beside live writers (docs/STORE.md, "Garbage"). */
import { defineCommand } from '../../cli/define-command.js';

/** Files younger than this are left alone: a writer's work in progress (its commit would write them again anyway). */
export const DEFAULT_GRACE = '1h';

export const command = defineCommand({
  name: 'gc',
  description: 'remove orphaned records, blobs and temp files of the local store (safe while other mycli processes write)',
  options: [
    ['--grace <duration>', `leave files younger than this (default ${DEFAULT_GRACE}; e.g. 10m, 0)`],
    ['--dry-run', 'say what would be removed, remove nothing'],
  ],
  examples: [
    'mycli store gc                # files unreachable for an hour or more',
    'mycli store gc --dry-run --json',
    'mycli store gc --grace 10m',
  ],
});
