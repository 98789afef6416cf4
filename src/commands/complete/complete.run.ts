/**
 * The run of `mycli complete`. The declarations of every command come in as a function
 * (src/commands/index.ts gives its table), so that completion offers what the program declares
 * without this file importing the table that imports it.
 */
import type { RunOf } from '../../cli/define-command.js';
import { UsageError } from '../../errors.js';
import type { command } from './index.js';
import type { Declarations } from './engine.js';

export function run(declarations: () => Declarations): RunOf<typeof command> {
  return async (ctx, [shell, words], o) => {
    if (o.words) {
      const { completeWords } = await import('./engine.js');
      ctx.out.write(await completeWords(declarations(), ctx.io, shell === undefined ? words : [shell, ...words]));
      return;
    }
    if (shell === undefined) throw new UsageError('which shell? `mycli complete` needs one of bash, zsh, fish, powershell', { hint: 'for bash: source <(mycli complete bash); see `mycli complete --help`' });
    if (words.length) throw new UsageError(`\`mycli complete ${shell}\` takes no other words`, { hint: 'the scripts pass the line to complete after --words --' });
    const { completionScript } = await import('./scripts.js');
    ctx.out.write(completionScript(shell));
  };
}
