/**
 * `mycli complete bash|zsh|fish|powershell` (wrangler's command): prints the shell's completion
 * script. The script calls `mycli complete --words -- <words...>`, which prints the candidates of
 * the line being typed (engine.ts). The run (complete.run.ts), the engine and the scripts load
 * only when this command runs.
 */
import { defineCommand } from '../../cli/define-command.js';

export const command = defineCommand({
  name: 'complete',
  description: 'print the shell completion script of bash, zsh, fish or powershell (install: see --help)',
  arguments: [
    ['[shell]', 'bash | zsh | fish | powershell'],
    ['[words...]', 'with --words: the words after `mycli` on the line being completed, the current one last'],
  ],
  options: [['--words', 'print the candidates for the words after -- (what the scripts run), one per line']],
  examples: [
    'source <(mycli complete bash)                          # bash: this shell (add the line to ~/.bashrc)',
    'source <(mycli complete zsh)                           # zsh, after compinit (or save it as _mycli in $fpath)',
    'mycli complete fish > ~/.config/fish/completions/mycli.fish',
    'mycli complete powershell | Out-String | Invoke-Expression   # PowerShell (add it to $PROFILE)',
  ],
  notes: {
    before:
      '\nWhat it completes: commands, options, fixed values (--format, --backend), environments of the\n' +
      'config (--env), and on the local backend secret names, version numbers and tags and Secrets Store\n' +
      'names, read from the store without writing. Other backends: no network, names from the config only.\n' +
      'The script runs `mycli complete --words -- <words>` for each completion.',
  },
});
