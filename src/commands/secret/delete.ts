/** mycli secret delete <NAME>: confirm when interactive, --yes otherwise. */
import { defineCommand } from '../../cli/define-command.js';
import { FORCE_MISSING_SECRETS } from '../options.js';

const DELETE = [
  'mycli secret delete OLD_TOKEN',
  'mycli secret delete OLD_TOKEN --yes          # no prompt (CI)',
];
const VERSIONED_DELETE = [
  'mycli versions secret delete OLD_TOKEN --yes',
];

export function command(deploy = true) {
  return defineCommand({
    name: 'delete',
    description: deploy ? 'delete a secret and deploy the change' : 'delete a secret in a new version, without deploying it',
    arguments: [['<NAME>', 'secret name']],
    options: [['-m, --message <text>', 'message of the new version'], FORCE_MISSING_SECRETS],
    examples: deploy ? DELETE : VERSIONED_DELETE,
  });
}
