/**
 * mycli versions deploy [<ID>@<PCT>%]...: 1 or 2 versions summing to 100. A single version below
 * 100% gives the rest to the version serving 100% now. On a terminal with no arguments, pick
 * versions and percentages with prompts.
 */
import { defineCommand } from '../../cli/define-command.js';
import { FORCE_MISSING_SECRETS } from '../options.js';

export const command = defineCommand({
  name: 'deploy',
  description: 'deploy 1 or 2 versions with traffic percentages, e.g. `versions deploy a1b2@90% c3d4@10%`',
  arguments: [['[specs...]', '<VERSION>@<PERCENT>%, VERSION a number, an id or 4+ characters of one, or a tag (1 or 2 of them)']],
  options: [
    ['-m, --message <text>', 'a message for the deployment'],
    ['--dry-run', 'show what would be deployed, change nothing'],
    FORCE_MISSING_SECRETS,
    ['--version-id <ids...>', "wrangler's form: the versions (paired in order with --percentage)"],
    ['--percentage <pcts...>', "wrangler's form: the percentage of each --version-id, in order"],
    ['--version-tag <tags...>', 'versions named by their tag (`versions upload --tag`), each TAG or TAG@PERCENT%; a tag several versions carry is refused'],
  ],
  examples: [
    'mycli versions deploy a1b2c3d4@10%              # 10% to a1b2c3d4, 90% to the version at 100% now',
    'mycli versions deploy a1b2c3d4@10% e5f6a7b8@90%',
    'mycli versions deploy a1b2c3d4@100% --dry-run   # show the plan, change nothing',
    'mycli versions deploy                           # on a terminal: pick versions from a list',
    `mycli versions deploy --version-id 5 4 --percentage 10 90   # wrangler's flags`,
    'mycli versions deploy --version-tag v2.3.0@10%              # by its tag (versions upload --tag v2.3.0)',
  ],
});
