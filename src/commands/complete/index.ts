/**
 * `mycli complete bash|zsh|fish|powershell` (wrangler's command): prints the shell's completion
 * script. The script calls `mycli complete --words -- <words...>`, which prints the candidates of
 * the line being typed (engine.ts). Both load only when this command runs.
 *
 * The declarations of every command come in as a function (src/commands/index.ts gives its
 * table), so that completion offers what the program declares without this file importing the
 * table that imports it.
 */
import { defineCommand } from '../../cli/define-command.js';
import { UsageError } from '../../errors.js';
import type { Declarations } from './engine.js';

export function command(declarations: () => Declarations) {
  return defineCommand({
    name: 'complete',
    description: 'print the shell completion script of bash, zsh, fish or powershell (install: see --help)',
    arguments: [
      ['[shell]', 'bash | zsh | fish | powershell'],
      ['[words...]', 'with --words: the words after `mycli` on the line being completed, the current one last'],
    ],
    options: [['--words', 'print the candidates for the words after -- (what the scripts run), one per line']],
    async run(ctx, [shell, words], o) {
      if (o.words) {
        const { completeWords } = await import('./engine.js');
        ctx.out.write(await completeWords(declarations(), ctx.io, shell === undefined ? words : [shell, ...words]));
        return;
      }
      if (shell === undefined) throw new UsageError('which shell? `mycli complete` needs one of bash, zsh, fish, powershell', { hint: 'for bash: source <(mycli complete bash); see `mycli complete --help`' });
      if (words.length) throw new UsageError(`\`mycli complete ${shell}\` takes no other words`, { hint: 'the scripts pass the line to complete after --words --' });
      const { completionScript } = await import('./scripts.js');
      ctx.out.write(completionScript(shell));
    },
  });
}
