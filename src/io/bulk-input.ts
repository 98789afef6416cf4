/**
 * The text of `secret bulk`: a JSON object of NAME: value (null deletes) or a .env file.
 *
 * Both parsers are strict on purpose: anything they would have to alter or guess at — an
 * unquoted value with `#` in it, an unterminated quote, a duplicate name, `__proto__` /
 * `constructor` / `prototype` — is refused with exit 2, naming the line (and column), never
 * the text: the text around a secret is the secret. JSON.parse is not used, because Node's
 * parse errors quote the input; jsonc-parser's visitor gives positions and error kinds, and lets
 * us see duplicate keys, which a parsed object hides. The .env parser is written by hand
 * instead of dotenv, which drops `#...` from unquoted values, skips lines it cannot read, keeps
 * an unterminated quote as part of the value and lets the last duplicate win — each of those
 * silently stores something other than what the file says.
 *
 * Every value read is handed to the redactor before anything else can print.
 */
import { UsageError } from '../errors.js';
import { isReservedName } from '../domain/names.js';
import { reservedNameError } from '../backends/names.js';
import { rememberSecret } from '../redact.js';
import type { SecretPatch } from '../backends/types.js';

const HINT_JSON = 'give a JSON object like {"API_KEY": "...", "OLD": null}, or a .env file';
const HINT_ENV = 'write one NAME=value per line; quote values that hold # or span lines ("..." or \'...\'); comments start with # on their own line';

/** Parse bulk text: JSON when it looks like JSON (or `forceJson`), else .env. */
export async function parseBulk(text: string, source: string, forceJson: boolean): Promise<SecretPatch> {
  // A UTF-8 byte order mark is not part of the first name.
  const body = text.startsWith('\uFEFF') ? text.slice(1) : text;
  const trimmed = body.trimStart();
  const patch = forceJson || trimmed.startsWith('{') || trimmed.startsWith('[') ? await parseJsonBulk(body, source) : parseEnvBulk(body, source);
  for (const v of Object.values(patch)) if (typeof v === 'string') rememberSecret(v);
  return patch;
}

function reservedError(source: string, name: string, line: number): UsageError {
  return reservedNameError(name, `in ${source}, line ${line}: `);
}

function duplicateError(source: string, name: string, first: number, again: number): UsageError {
  return new UsageError(`in ${source}, line ${again}: ${safeName(name)} is given twice (first on line ${first})`, {
    hint: 'keep one of them; nothing was stored',
  });
}

/** A name as it may appear in a message: a binding-like name, else only its length. */
function safeName(name: string): string {
  return /^[A-Za-z_][A-Za-z0-9_.-]{0,63}$/.test(name) ? `"${name}"` : `a name (${name.length} characters)`;
}

// ---- JSON ------------------------------------------------------------------------------------

const JSON_ERRORS: Record<number, string> = {
  1: 'invalid symbol',
  2: 'invalid number format',
  3: 'a property name was expected',
  4: 'a value was expected',
  5: 'a colon was expected',
  6: 'a comma was expected',
  7: 'a closing brace was expected',
  8: 'a closing bracket was expected',
  9: 'the text ends too early',
  10: 'a comment is not allowed',
  11: 'the text ends inside a comment',
  12: 'the text ends inside a string',
  13: 'the text ends inside a number',
  14: 'invalid unicode escape',
  15: 'invalid escape character',
  16: 'invalid character in a string',
};

async function parseJsonBulk(text: string, source: string): Promise<SecretPatch> {
  const { visit } = await import('jsonc-parser');
  const out: Record<string, string | null> = Object.create(null) as Record<string, string | null>;
  const firstLine = new Map<string, number>();
  let depth = 0;
  let rootKind: 'object' | 'array' | 'value' | undefined;
  let pendingKey: { name: string; line: number } | undefined;
  let problem: UsageError | undefined;
  const wrongTypes: string[] = [];
  const fail = (e: UsageError) => {
    if (!problem) problem = e;
  };
  const valueFor = (v: string | null | 'nested' | 'other', kind: string) => {
    if (depth !== 1 || !pendingKey) return;
    const { name, line } = pendingKey;
    pendingKey = undefined;
    if (v === 'nested' || v === 'other') {
      wrongTypes.push(`${safeName(name).replace(/^"(.*)"$/, '$1')} (${kind})`);
      return;
    }
    // A lone surrogate escape (\ud800) has no UTF-8 form: storing it would alter it to U+FFFD.
    if (typeof v === 'string' && /[\uD800-\uDFFF]/u.test(v)) {
      fail(
        new UsageError(`in ${source}, line ${line}: the value of ${safeName(name)} is not valid UTF-8 text (it holds a lone \\uD800-\\uDFFF escape)`, {
          hint: 'secret values are text; encode binary data first (for example with base64); nothing was stored',
        }),
      );
    }
    out[name] = v;
  };
  visit(
    text,
    {
      onObjectBegin: () => {
        if (depth === 0 && rootKind === undefined) rootKind = 'object';
        else valueFor('nested', 'object');
        depth++;
      },
      onObjectEnd: () => {
        depth--;
      },
      onArrayBegin: () => {
        if (depth === 0 && rootKind === undefined) rootKind = 'array';
        else valueFor('nested', 'array');
        depth++;
      },
      onArrayEnd: () => {
        depth--;
      },
      onObjectProperty: (name, _offset, _length, startLine) => {
        if (depth !== 1) return;
        const line = startLine + 1;
        if (isReservedName(name)) fail(reservedError(source, name, line));
        const first = firstLine.get(name);
        if (first !== undefined) fail(duplicateError(source, name, first, line));
        else firstLine.set(name, line);
        pendingKey = { name, line };
      },
      onLiteralValue: (value) => {
        if (depth === 0 && rootKind === undefined) {
          rootKind = 'value';
          return;
        }
        if (value === null || typeof value === 'string') valueFor(value as string | null, '');
        else valueFor('other', typeof value);
      },
      onError: (error, _offset, _length, startLine, startCharacter) => {
        fail(
          new UsageError(`${source} is not valid JSON: line ${startLine + 1}, column ${startCharacter + 1}: ${JSON_ERRORS[error] ?? 'syntax error'}`, {
            hint: HINT_JSON,
          }),
        );
      },
    },
    { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false },
  );
  if (problem) throw problem;
  if (rootKind !== 'object') {
    throw new UsageError(`${source} must hold a JSON object of NAME: value`, { hint: 'for example {"API_KEY": "...", "OLD": null}' });
  }
  if (wrongTypes.length) {
    throw new UsageError(`in ${source}, values must be strings (or null to delete): ${wrongTypes.join(', ')}`, {
      hint: 'quote numbers and booleans; JSON-encode structured values into a string',
    });
  }
  return { ...out };
}

// ---- .env ------------------------------------------------------------------------------------

const ASSIGNMENT = /^[ \t]*(?:export[ \t]+)?([\w.-]+)[ \t]*(?:=|:[ \t])[ \t]*/;

/**
 * A strict .env reader: `NAME=value`, `export NAME=value`, `NAME: value`; blank lines and `#`
 * comment lines. Values: unquoted (trimmed; no `#`), '...' and `...` (literal, may span lines),
 * "..." (may span lines; \n \r \t \" \\ are escapes, any other backslash is kept as written).
 * After a closing quote only spaces and a `# comment` may follow.
 */
export function parseEnvBulk(text: string, source: string): SecretPatch {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const out: Record<string, string> = Object.create(null) as Record<string, string>;
  const firstLine = new Map<string, number>();
  const stray: number[] = [];
  for (let i = 0; i < lines.length; i++) {
    const lineNo = i + 1;
    const line = lines[i];
    if (/^[ \t]*(#.*)?$/.test(line)) continue;
    const m = ASSIGNMENT.exec(line);
    if (!m) {
      stray.push(lineNo);
      continue;
    }
    const name = m[1];
    let rest = line.slice(m[0].length);
    let value: string;
    const quote = rest[0];
    if (quote === '"' || quote === "'" || quote === '`') {
      // Find the closing quote, possibly on a later line.
      let buf = rest.slice(1);
      let endLine = i;
      let close = findClose(buf, quote);
      while (close < 0 && endLine + 1 < lines.length) {
        endLine++;
        buf += '\n' + lines[endLine];
        close = findClose(buf, quote);
      }
      if (close < 0) {
        throw new UsageError(`in ${source}, line ${lineNo}: the value of ${safeName(name)} opens a quote (${quote}) that is never closed`, {
          hint: `close the quote; nothing was stored`,
        });
      }
      const raw = buf.slice(0, close);
      const after = buf.slice(close + 1);
      const afterLine = endLine + 1;
      if (!/^[ \t]*(#.*)?$/.test(after)) {
        throw new UsageError(`in ${source}, line ${afterLine}: unexpected text after the closing quote of ${safeName(name)}`, {
          hint: 'put the whole value inside the quotes; a comment after it must start with #',
        });
      }
      value = quote === '"' ? unescapeDouble(raw) : raw;
      i = endLine;
    } else {
      rest = rest.replace(/[ \t]+$/, '');
      if (rest.includes('#')) {
        throw new UsageError(`in ${source}, line ${lineNo}: the unquoted value of ${safeName(name)} contains #, which .env readers disagree on (a comment, or part of the value)`, {
          hint: 'quote the value ("..." or \'...\') if # is part of it, or put the comment on its own line; nothing was stored',
        });
      }
      value = rest;
    }
    if (isReservedName(name)) throw reservedError(source, name, lineNo);
    const first = firstLine.get(name);
    if (first !== undefined) throw duplicateError(source, name, first, lineNo);
    firstLine.set(name, lineNo);
    out[name] = value;
  }
  if (stray.length) {
    const many = stray.length > 1;
    throw new UsageError(`in ${source}, line${many ? 's' : ''} ${stray.join(', ')} ${many ? 'are' : 'is'} not NAME=value`, { hint: HINT_ENV });
  }
  return { ...out };
}

/** Index of the closing quote in `s` (a backslash escapes a double quote), or -1. */
function findClose(s: string, quote: string): number {
  for (let i = 0; i < s.length; i++) {
    if (quote === '"' && s[i] === '\\') {
      i++;
      continue;
    }
    if (s[i] === quote) return i;
  }
  return -1;
}

function unescapeDouble(raw: string): string {
  return raw.replace(/\\([nrt"\\])/g, (_m, c: string) => (c === 'n' ? '\n' : c === 'r' ? '\r' : c === 't' ? '\t' : c));
}
