/** Text -> plain object, with `file:line:col` on syntax errors. */
import { parse } from 'smol-toml';
import { ConfigError } from '../errors.js';

/** Deeper than this, a config is refused (no wrangler config comes close; a parser's stack would). */
export const MAX_CONFIG_DEPTH = 64;

export async function parseConfigText(text: string, file: string): Promise<unknown> {
  const toml = file.endsWith('.toml');
  checkBracketDepth(text, file, toml);
  let data: unknown;
  try {
    data = toml ? await parseToml(text, file) : await parseJsonc(text, file);
  } catch (e) {
    if (e instanceof RangeError) throw tooDeep(file, 1, 1);
    throw e;
  }
  checkValueDepth(data, file);
  return data;
}

function tooDeep(file: string, line: number, col: number, path?: string): ConfigError {
  return new ConfigError(`${file}:${line}:${col}: nesting deeper than ${MAX_CONFIG_DEPTH} levels${path ? ` (at ${path})` : ''}`, {
    hint: 'a wrangler configuration is a few levels deep; check the file for a runaway of brackets or dotted keys',
  });
}

/**
 * Before parsing: the depth of brackets ({ and [) outside strings and comments, so that no
 * parser recurses into a file nested thousands of levels deep. Refused at the position.
 */
function checkBracketDepth(text: string, file: string, toml: boolean): void {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"' || (toml && c === "'")) {
      const triple = toml && text.startsWith(c.repeat(3), i);
      const close = triple ? c.repeat(3) : c;
      i += close.length;
      while (i < text.length && !text.startsWith(close, i)) {
        if (c === '"' && text[i] === '\\') i++;
        else if (!triple && text[i] === '\n') break;
        i++;
      }
      i += close.length - 1;
    } else if (toml && c === '#') {
      while (i < text.length && text[i] !== '\n') i++;
    } else if (!toml && c === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n') i++;
    } else if (!toml && c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      i = end < 0 ? text.length : end + 1;
    } else if (c === '{' || c === '[') {
      if (++depth > MAX_CONFIG_DEPTH) {
        const { line, col } = lineCol(text, i);
        throw tooDeep(file, line, col);
      }
    } else if (c === '}' || c === ']') {
      depth = Math.max(0, depth - 1);
    }
  }
}

/** After parsing: the depth of the value itself (TOML dotted keys nest without brackets). Iterative. */
function checkValueDepth(data: unknown, file: string): void {
  const stack: { v: unknown; depth: number; path: string }[] = [{ v: data, depth: 0, path: '' }];
  while (stack.length) {
    const { v, depth, path } = stack.pop()!;
    if (v === null || typeof v !== 'object' || v instanceof Date) continue;
    if (depth > MAX_CONFIG_DEPTH) throw tooDeep(file, 1, 1, path.length > 80 ? `${path.slice(0, 80)}…` : path);
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) stack.push({ v: x, depth: depth + 1, path: path ? `${path}.${k}` : k });
  }
}

async function parseToml(text: string, file: string): Promise<unknown> {
  try {
    return parse(text);
  } catch (e) {
    const err = e as { line?: number; column?: number; message?: string };
    const firstLine = String(err.message ?? e).split('\n')[0];
    const reason = firstLine.replace(/^Invalid TOML document:\s*/i, '');
    throw new ConfigError(`${file}:${err.line ?? 1}:${err.column ?? 1}: invalid TOML: ${reason}`, {
      hint: 'fix the syntax at that position (see https://toml.io)',
    });
  }
}

async function parseJsonc(text: string, file: string): Promise<unknown> {
  const { parse, printParseErrorCode, visit } = await import('jsonc-parser');
  // A "__proto__" key would become the object's prototype (and its fields inherited ones).
  let proto: { line: number; col: number } | undefined;
  visit(text, {
    onObjectProperty: (name, _o, _l, startLine, startCharacter) => {
      if (name === '__proto__' && !proto) proto = { line: startLine + 1, col: startCharacter + 1 };
    },
  });
  if (proto) {
    throw new ConfigError(`${file}:${proto.line}:${proto.col}: "__proto__" cannot be a key`, { hint: 'remove or rename that key' });
  }
  const errors: { error: number; offset: number; length: number }[] = [];
  const value = parse(text, errors, { allowTrailingComma: true, disallowComments: false });
  if (errors.length > 0) {
    const first = errors[0];
    const { line, col } = lineCol(text, first.offset);
    throw new ConfigError(`${file}:${line}:${col}: invalid JSON: ${humanJsonError(printParseErrorCode(first.error as never))}`, {
      hint: 'fix the syntax at that position',
    });
  }
  return value;
}

function humanJsonError(code: string): string {
  return code.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
}

export function lineCol(text: string, offset: number): { line: number; col: number } {
  let line = 1;
  let col = 1;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text[i] === '\n') {
      line++;
      col = 1;
    } else col++;
  }
  return { line, col };
}
