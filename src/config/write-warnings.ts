/**
 * Warnings about the config that matter only when a command uploads or changes something (they
 * are printed by `Context.announce`, before any prompt or write — never on `secret list`):
 *
 * - `[vars]` entries that look like credentials: vars are plain text committed with the code.
 *   The hint works as written: the name must leave `[vars]` first (a secret may not share a
 *   var's name), then it is put as a secret.
 * - The config defines environments and none was chosen (wrangler warns the same way): the
 *   change goes to the top-level Worker; `--env <name>` picks one, `--env ""` says "top level".
 */
import type { Project } from './load.js';
import { credentialLookingVars } from './credentials.js';

/** `command('secret put X')` -> `mycli secret put X --env …`: the caller's target (cli/hint.ts). */
export function writeWarnings(p: Project, envOption: string | undefined, command: (words: string) => string): string[] {
  const warnings: string[] = [];
  const suspicious = credentialLookingVars(p.vars);
  if (suspicious.length) {
    const where = p.env ? `[env.${p.env}.vars]` : '[vars]';
    const one = suspicious.length === 1;
    const file = p.configPath ?? 'the config';
    warnings.push(
      `${where} ${one ? 'entry' : 'entries'} ${suspicious.join(', ')} ${one ? 'looks like a credential' : 'look like credentials'}: ` +
        `vars are plain text, committed with your code and uploaded with every version.\n` +
        `  to keep ${one ? 'it' : 'them'} secret: remove ${one ? 'it' : 'them'} from ${where} in ${file}, then put ${one ? 'it' : 'each'} as a secret: ` +
        `\`printf '%s' "$${suspicious[0]}" | ${command(`secret put ${suspicious[0]}`)}\``,
    );
  }
  if (envOption === undefined && p.environments.length > 0) {
    warnings.push(
      `${p.configPath ?? 'the config'} defines environments (${p.environments.join(', ')}) and none was chosen: this acts on the top-level Worker ${p.worker}.\n` +
        `  to avoid changing the wrong environment, pass --env <name> (or --env "" for the top level)`,
    );
  }
  return warnings;
}
