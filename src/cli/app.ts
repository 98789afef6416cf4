/**
 * What the program gives each command it attaches: the terminal, the version, and the wrapper
 * that builds a command's Context. A module of its own: program.ts imports the command table,
 * whose declarations (define-command.ts) take an App, and nothing here imports them back.
 */
import type { IO } from '../io/io.js';
import type { Context } from './context.js';

export interface App {
  io: IO;
  version: string;
  /** Wraps a command body: builds its Context from the parsed global options. */
  action<A extends unknown[]>(fn: (ctx: Context, ...args: A) => Promise<void>): (...args: unknown[]) => Promise<void>;
  /** The context of the command that ran, for error rendering. */
  context?: Context;
}
