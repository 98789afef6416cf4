/**
 * mycli secret sync <FILE|->: make the Worker's secrets equal to a JSON or .env file in one
 * version, after showing the plan by name (added, changed, unchanged, removed; `set` where the
 * backend cannot compare values). Names not in the file are left alone unless --prune.
 * --dry-run prints the plan; with --exit-code it exits 6 when changes are pending (CI drift
 * checks, as `terraform plan -detailed-exitcode`).
 */
import { defineCommand } from '../../cli/define-command.js';
import { FORCE_MISSING_SECRETS } from '../options.js';

export const command = defineCommand({
  name: 'sync',
  description: "make the Worker's secrets equal to a JSON or .env file, in one version (shows the plan first)",
  arguments: [['<FILE>', 'JSON object or .env file of NAME and value; - reads stdin']],
  options: [
    ['--prune', 'delete the secrets that are not in the file (named, and confirmed like `secret delete`)'],
    ['--dry-run', 'print the plan and change nothing'],
    ['--exit-code', 'with --dry-run: exit 0 when in sync, 6 when changes are pending (for CI drift checks)'],
    ['--no-deploy', 'make the new version only, do not deploy it (like `versions secret bulk`)'],
    ['--allow-empty', 'allow empty values'],
    ['-m, --message <text>', 'message of the new version'],
    FORCE_MISSING_SECRETS,
  ],
  examples: [
    'mycli secret sync secrets.json --dry-run                  # the plan: added, changed, unchanged, removed',
    'mycli secret sync .env.production --dry-run --exit-code  # CI drift check: exit 6 when changes are pending',
    'mycli secret sync .env.production --prune --yes           # make the Worker equal to the file (one version)',
  ],
});
