/** Small text helpers for human output. */

// ---- text from elsewhere, made safe for a terminal ----------------------------------------------

/** What a control character looks like when it is shown instead of acted on. */
const shown = (c: string) => ({ '\n': '\\n', '\r': '\\r', '\t': '\\t' })[c] ?? `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`;

/**
 * Every control character that could act on a terminal, shown as an escape (`\x1b`, `\x07`):
 * everything but newline, tab and the colour codes (SGR, `\x1b[…m`) mycli's own styles write.
 * Human output passes through it (cli/output.ts), whatever it holds: a message written by someone
 * else in the account, a plugin's reason, a name from an API cannot clear the screen, retitle the
 * window, move the cursor or write to the clipboard (OSC 52).
 */
export function terminalSafe(text: string): string {
  return text.replace(/\u001b(?!\[[0-9;]*m)|[\u0000-\u0008\u000b-\u001a\u001c-\u001f\u007f-\u009f]/g, shown);
}

/**
 * A free-text field (a version's message, tag or author, a comment) as one line of plain text:
 * newlines, tabs, escapes (colour codes too) and every other control character are shown as
 * escapes, so the field cannot split a table row or a line it is part of, or style what follows.
 */
export function oneLine(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, shown);
}

/** A table cell is one line: a newline in it is shown, not followed. */
const cellLine = (c: string) => c.replace(/[\n\r]/g, shown);

/** Left-aligned columns separated by two spaces. ANSI codes are ignored when measuring. */
export function table(headers: string[], allRows: string[][]): string {
  const rows = allRows.map((r) => r.map(cellLine));
  const visible = (s: string) => s.replace(/\u001b\[[0-9;]*m/g, '').length;
  const widths = headers.map((h, i) => Math.max(visible(h), ...rows.map((r) => visible(r[i] ?? ''))));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c + ' '.repeat(widths[i] - visible(c))))
      .join('  ')
      .trimEnd();
  return [line(headers), ...rows.map(line)].join('\n');
}

/** 2026-11-26 06:18 UTC */
export function when(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toISOString().replace('T', ' ').slice(0, 16) + ' UTC';
}

/** A 20-cell bar for a percentage. */
export function bar(pct: number, width = 20): string {
  const filled = Math.round((pct / 100) * width);
  return '█'.repeat(filled) + '░'.repeat(width - filled);
}

export function pct(n: number): string {
  return `${+n.toFixed(3)}%`;
}

// ---- tables that fit the terminal ---------------------------------------------------------------

const ANSI = /\u001b\[[0-9;]*m/g;

/** Visible length: ANSI codes do not count. */
export function visibleLength(s: string): number {
  return [...s.replace(ANSI, '')].length;
}

/** Cut a plain text to `width` visible characters, ending in "…" when something was cut. */
export function truncate(s: string, width: number): string {
  const plainText = s.replace(ANSI, '');
  const chars = [...plainText];
  if (chars.length <= width) return s;
  if (width <= 1) return chars.slice(0, Math.max(0, width)).join('');
  return chars.slice(0, width - 1).join('') + '…';
}

/**
 * A column of a fitted table. `text` columns (messages, authors) are cut with "…" to make room;
 * `id` columns fall back to each cell's short form (a UUID's first 8 characters, still a usable
 * reference) when full ids do not fit; `fixed` columns are never changed.
 */
export interface Column {
  header: string;
  kind?: 'fixed' | 'text' | 'id';
  /** The narrowest a `text` column gets (default: its header's width, at least 6). */
  min?: number;
  /** Text columns with a lower `keep` are cut first (default 0): a message outlives an author. */
  keep?: number;
  /** May be left out entirely when the table does not fit even with every text column at its minimum. */
  optional?: boolean;
  /** The header when the ids are shortened ("DEPLOYMENT ID" → "ID"). */
  shortHeader?: string;
}

/** A cell: its text, or its text and a short form for narrow terminals. */
export type Cell = string | { text: string; short: string };

/**
 * Left-aligned columns separated by two spaces, fitted to `width` visible columns (no fitting
 * when width is undefined, e.g. when stdout is not a terminal). When the table is too wide, ids
 * are shortened first; then free-text columns are cut (never below their titles), then
 * optional columns left out.
 */
export function fitTable(allColumns: Column[], allRows: Cell[][], width?: number): string {
  let columns = allColumns;
  let rows = allRows.map((r) => r.map((c) => (typeof c === 'string' ? cellLine(c) : { text: cellLine(c.text), short: cellLine(c.short) })));
  const full = (c: Cell | undefined) => (c === undefined ? '' : typeof c === 'string' ? c : c.text);
  const short = (c: Cell | undefined, kind: Column['kind']) =>
    c === undefined ? '' : typeof c === 'string' ? (kind === 'id' ? c.slice(0, 8) : c) : c.short;
  let useShort = false;
  const header = (col: Column) => (useShort && col.shortHeader ? col.shortHeader : col.header);
  const content = (c: Cell | undefined, col: Column) => (useShort && col.kind === 'id' ? short(c, col.kind) : full(c));
  const natural = () => columns.map((col, i) => Math.max(visibleLength(header(col)), ...rows.map((r) => visibleLength(content(r[i], col)))));
  const gaps = () => 2 * (columns.length - 1);
  const isText = (i: number) => columns[i].kind === 'text';
  // Never narrower than the column's title: a table does not cut its own titles.
  const minOf = (i: number, nat: number) => Math.max(visibleLength(header(columns[i])), Math.min(nat, columns[i].min ?? Math.max(6, visibleLength(columns[i].header))));
  const sum = (ws: number[]) => ws.reduce((a, b) => a + b, 0) + gaps();
  const atMins = (ws: number[]) => ws.reduce((a, w, i) => a + (isText(i) ? minOf(i, w) : w), 0) + gaps();

  let widths = natural();
  if (width !== undefined && sum(widths) > width) {
    // Ids are shortened before any free text is cut: an 8-character id is still a usable
    // reference, a cut message is lost.
    if (columns.some((c) => c.kind === 'id')) {
      useShort = true;
      widths = natural();
    }
    // Still too wide with every text column at its minimum: leave out optional columns, least kept first.
    while (atMins(widths) > width) {
      const drop = columns
        .map((c, i) => ({ c, i }))
        .filter(({ c }) => c.optional)
        .sort((a, b) => (a.c.keep ?? 0) - (b.c.keep ?? 0) || b.i - a.i)[0];
      if (!drop) break;
      columns = columns.filter((_, i) => i !== drop.i);
      rows = rows.map((r) => r.filter((_, i) => i !== drop.i));
      widths = natural();
    }
    // Water-fill the text columns, lowest `keep` first: the widest are cut first, none below its minimum.
    const nat = [...widths];
    const textIdx = widths.map((_, i) => i).filter(isText);
    const levels = [...new Set(textIdx.map((i) => columns[i].keep ?? 0))].sort((a, b) => a - b);
    for (const level of levels) {
      const idx = textIdx.filter((i) => (columns[i].keep ?? 0) === level);
      const available = width - (sum(widths) - idx.reduce((a, i) => a + widths[i], 0));
      const at = (c: number) => idx.reduce((a, i) => a + Math.max(minOf(i, nat[i]), Math.min(nat[i], c)), 0);
      let cap = Math.max(0, ...idx.map((i) => nat[i]));
      while (cap > 0 && at(cap) > available) cap--;
      for (const i of idx) widths[i] = Math.max(minOf(i, nat[i]), Math.min(nat[i], cap));
      if (sum(widths) <= width) break;
    }
  }
  const cell = (c: Cell | undefined, i: number) => {
    const text = content(c, columns[i]);
    return visibleLength(text) > widths[i] ? truncate(text, widths[i]) : text;
  };
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c + ' '.repeat(Math.max(0, widths[i] - visibleLength(c)))))
      .join('  ')
      .trimEnd();
  return [line(columns.map(header)), ...rows.map((r) => line(columns.map((_, i) => cell(r[i], i))))].join('\n');
}
