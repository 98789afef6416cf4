/** mycli secret put <NAME>: hidden prompt | piped stdin | --from-file; deploys a new version. */
import { defineCommand } from '../../cli/define-command.js';

const PUT = [
  'mycli secret put API_KEY                                # hidden prompt on a terminal',
  `printf '%s' "$API_KEY" | mycli secret put API_KEY       # from a pipe (CI); never as an argument`,
  'mycli secret put TLS_KEY --from-file key.pem            # a file, byte for byte',
  'mycli secret put API_KEY --env production -m "rotate"   # an environment, with a message',
];
const VERSIONED_PUT = [
  'mycli versions secret put API_KEY                       # a new version, not deployed',
  `printf '%s' "$API_KEY" | mycli versions secret put API_KEY`,
];

export function command(deploy = true) {
  return defineCommand({
    name: 'put',
    description: deploy ? 'create or update a secret and deploy it (value from a hidden prompt, stdin or --from-file)' : 'create or update a secret in a new version, without deploying it',
    arguments: [['<NAME>', 'secret name, e.g. API_KEY']],
    options: [
      ['--from-file <path>', 'read the value from a file'],
      ['--allow-empty', 'allow an empty value'],
      ['-m, --message <text>', 'message of the new version'],
    ],
    examples: deploy ? PUT : VERSIONED_PUT,
  });
}
