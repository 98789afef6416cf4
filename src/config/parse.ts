/** Text -> plain object, with `file:line:col` on syntax errors. */
import { parse } from 'smol-toml';
import { ConfigError } from '../errors.js';

export async function parseConfigText(text: string, file: string): Promise<unknown> {
  if (file.endsWith('.toml')) return parseToml(text, file);
  return parseJsonc(text, file);
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
  const { parse, printParseErrorCode } = await import('jsonc-parser');
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
