/**
 * `--limit N` on list commands: on a terminal a default keeps the newest rows on one screen and
 * says how many more there are (on stderr); piped output and --json give everything unless
 * --limit is given.
 */
import { UsageError } from '../errors.js';
import type { Context } from './context.js';

/** Rows shown on a terminal when --limit is not given. */
export const DEFAULT_TERMINAL_LIMIT = 20;

export const LIMIT_HELP = `show at most N rows (default on a terminal: ${DEFAULT_TERMINAL_LIMIT}; all when piped or with --json), or "all"`;

/** undefined: no limit given. */
export function parseLimit(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (text.trim().toLowerCase() === 'all') return Infinity;
  if (!/^\d+$/.test(text.trim()) || Number(text) < 1) {
    throw new UsageError(`--limit must be a whole number of rows, at least 1, or "all" (got "${text}")`, { hint: 'for example --limit 50' });
  }
  return Number(text);
}

/** The limit in force for this run. */
export function effectiveLimit(ctx: Context, given: string | undefined): number {
  const n = parseLimit(given);
  if (n !== undefined) return n;
  return !ctx.out.json && ctx.io.stdoutIsTTY ? DEFAULT_TERMINAL_LIMIT : Infinity;
}

/** The first `limit` items; a note on stderr when some were left out (human output only). */
export function limitRows<T>(_ctx: Context, items: T[], limit: number): T[] {
  return items.length <= limit ? items : items.slice(0, limit);
}

/** "… N more versions not shown (…)" on stderr, printed after the table it is about. */
export function moreNote(ctx: Context, shown: number, total: number, singular: string): void {
  const more = total - shown;
  if (more <= 0 || ctx.out.json) return;
  ctx.out.note(ctx.out.err.dim(`… ${more} more ${more === 1 ? singular : `${singular}s`} not shown (--limit ${total} or --limit all shows them, --json gives everything)`));
}
