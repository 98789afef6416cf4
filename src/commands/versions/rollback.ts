/**
 * mycli versions rollback [<ID>] (and `mycli rollback`): deploy an older version at 100% as it
 * was. Default target: the newest earlier deployment that served one version at 100%. Shows
 * what changes (vars, secret names) before confirming; changed secrets need confirmation or --yes.
 */
import { SUMMARY } from '../summary.js';
import { defineCommand } from '../../cli/define-command.js';
import { FORCE_MISSING_SECRETS } from '../options.js';

const VERSIONS_ROLLBACK = [
  'mycli versions rollback                          # back to the previous version at 100%',
  'mycli versions rollback a1b2c3d4 -m "bad deploy" --yes',
  'mycli versions rollback --dry-run                # what would change; nothing is deployed',
];
const ROLLBACK = [
  'mycli rollback                                   # back to the previous version at 100%',
  'mycli rollback a1b2c3d4 -m "bad deploy" --yes',
  'mycli rollback --dry-run                         # what would change; nothing is deployed',
];

/** `top`: `mycli rollback` (wrangler's spelling); otherwise `mycli versions rollback`. */
export function command(top = false) {
  return defineCommand({
    name: 'rollback',
    description: SUMMARY.rollback,
    arguments: [['[ID]', 'version to roll back to: its number, id, 4+ characters of the id, or a tag']],
    options: [
      ['-m, --message <text>', 'why you are rolling back (recorded on the deployment)'],
      ['--dry-run', 'show what the rollback would change, change nothing'],
      FORCE_MISSING_SECRETS,
    ],
    examples: top ? ROLLBACK : VERSIONS_ROLLBACK,
  });
}
