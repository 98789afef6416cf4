import { password, confirm, select, input } from '@inquirer/prompts';
import type { Readable, Writable } from 'node:stream';
import { CancelledError } from '../errors.js';
import type { Prompter } from './prompter.js';

/**
 * Prompts drawn on stderr, so stdout stays data only. Ctrl+C becomes CancelledError (exit 130).
 * Takes the two streams it uses, not an IO: io.ts imports this module (lazily).
 */
export function inquirerPrompter(io: { stdin: Readable; stderr: Writable }): Prompter {
  const context = { input: io.stdin, output: io.stderr, clearPromptOnDone: false };
  const guard = async <T>(p: Promise<T>): Promise<T> => {
    try {
      return await p;
    } catch (e) {
      if (e instanceof Error && (e.name === 'ExitPromptError' || e.name === 'AbortPromptError')) {
        throw new CancelledError('cancelled at the prompt; nothing was changed');
      }
      throw e;
    }
  };
  return {
    password: (o) => guard(password({ message: o.message, mask: false }, context)),
    confirm: (o) => guard(confirm({ message: o.message, default: o.default ?? false }, context)),
    select: <T>(o: { message: string; choices: { name: string; value: T; description?: string }[]; default?: T; clear?: boolean }) =>
      guard(select<T>({ message: o.message, choices: o.choices, default: o.default, pageSize: 10 }, { ...context, clearPromptOnDone: Boolean(o.clear) })),
    input: (o) => guard(input({ message: o.message, default: o.default, validate: o.validate }, context)),
  };
}
