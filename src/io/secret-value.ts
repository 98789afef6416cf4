/**
 * Where a secret value comes from: --from-file, piped stdin, or a hidden prompt when
 * interactive. Never argv. A missing value is an error at once, never a hang.
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { UsageError } from '../errors.js';
import { isInteractive, whyNotInteractive, type IO } from './io.js';
import { decodeValue, describeWarning, readAllStdin, stripSingleTrailingNewline, valueWarnings } from './stdin.js';

export interface ValueOptions {
  name: string;
  fromFile?: string;
  allowEmpty?: boolean;
}

export interface ReadValue {
  value: string;
  source: 'file' | 'stdin' | 'prompt';
  warnings: string[];
}

/** How many times an empty value typed at the prompt is asked again before giving up. */
const EMPTY_REASKS = 3;

export function stdinTimeoutMs(env: Record<string, string | undefined>): number {
  const s = Number(env.MYCLI_STDIN_TIMEOUT);
  return Number.isFinite(s) && s > 0 ? s * 1000 : 30_000;
}

export async function readSecretValue(io: IO, o: ValueOptions): Promise<ReadValue> {
  let value: string;
  let source: ReadValue['source'];
  if (o.fromFile !== undefined) {
    const path = resolve(io.cwd, o.fromFile);
    let bytes: Buffer;
    try {
      bytes = await readFile(path);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      throw new UsageError(`cannot read --from-file ${o.fromFile} (${code === 'ENOENT' ? 'no such file' : code})`, {
        hint: 'check the path',
      });
    }
    value = stripSingleTrailingNewline(decodeValue(bytes, `--from-file ${o.fromFile}`));
    source = 'file';
  } else if (!io.stdinIsTTY) {
    const bytes = await readAllStdin(io, stdinTimeoutMs(io.env), `pipe the value in (\`printf '%s' "$VALUE" | mycli secret put ${o.name}\`) or use --from-file <path>`);
    value = stripSingleTrailingNewline(decodeValue(bytes, 'stdin'));
    source = 'stdin';
  } else if (isInteractive(io)) {
    value = await io.prompter.password({ message: `Enter the value of secret ${o.name}:` });
    // An empty value typed at the prompt (Enter by mistake) is asked again, a few times.
    for (let again = 0; value === '' && !o.allowEmpty && again < EMPTY_REASKS; again++) {
      value = await io.prompter.password({ message: `The value is empty; enter the value of secret ${o.name} (Ctrl+C to cancel):` });
    }
    source = 'prompt';
  } else {
    throw new UsageError(`no value for secret ${o.name}: nothing is piped on stdin, and ${whyNotInteractive(io)}`, {
      hint: `pipe the value (\`printf '%s' "$VALUE" | mycli secret put ${o.name}\`) or use --from-file <path>`,
    });
  }
  if (value === '' && !o.allowEmpty) {
    const where = source === 'stdin' ? ' (stdin was empty)' : source === 'file' ? ` (${o.fromFile} is empty)` : '';
    throw new UsageError(`refusing to store an empty value for secret ${o.name}${where}`, {
      hint:
        source === 'stdin'
          ? `pipe the value in (\`printf '%s' "$VALUE" | mycli secret put ${o.name}\`) or use --from-file <path>; pass --allow-empty only if an empty secret is intended`
          : 'pass --allow-empty if an empty secret is really what you want',
    });
  }
  return { value, source, warnings: valueWarnings(value).map((w) => describeWarning(w, o.name)) };
}
