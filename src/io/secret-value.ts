/**
 * Where a secret value comes from: --from-file, piped stdin, or a hidden prompt when
 * interactive. Never argv. A missing value is an error at once, never a hang.
 */
import { resolve } from 'node:path';
import { UsageError } from '../errors.js';
import { rememberSecret } from '../redact.js';
import { isInteractive, whyNotInteractive, type IO } from './io.js';
import { decodeValue, describeWarning, readAllStdin, readPathBounded, stripSingleTrailingNewline, valueWarnings } from './stdin.js';

export interface ValueOptions {
  name: string;
  fromFile?: string;
  allowEmpty?: boolean;
  /** The command the hints show, built for the target (`ctx.command('secret put NAME')`). */
  command: string;
  /** Another way out, added to the hints of a missing or empty value (update: `--keep-value`). */
  otherwise?: string;
  /**
   * The backend's limit per value, in bytes. Input is read up to a few bytes past it (room for a
   * trailing newline) and no further: reading that far is `{ overLimit: true }` (its size is not
   * known). The limit itself is checked where it lives (the backend edge, the Secrets Store's
   * rules), which also refuses a value between the limit and that bound, naming its size.
   */
  maxBytes?: number;
}

export interface ReadValue {
  overLimit?: false;
  value: string;
  source: 'file' | 'stdin' | 'prompt';
  warnings: string[];
}

/** Input that went past `maxBytes` (and a trailing newline): read no further, certainly too long. */
export interface OverLimit {
  overLimit: true;
}

/** How many times an empty value typed at the prompt is asked again before giving up. */
const EMPTY_REASKS = 3;

export function stdinTimeoutMs(env: Record<string, string | undefined>): number {
  const s = Number(env.MYCLI_STDIN_TIMEOUT);
  return Number.isFinite(s) && s > 0 ? s * 1000 : 30_000;
}

export async function readSecretValue(io: IO, o: ValueOptions): Promise<ReadValue | OverLimit> {
  let value: string;
  let source: ReadValue['source'];
  // The value was a newline alone ("\n" or "\r\n"), which the one dropped newline emptied.
  let onlyNewline = false;
  const cmd = o.command;
  const otherwise = o.otherwise ? `; ${o.otherwise}` : '';
  // A value of at most maxBytes, plus "\r\n": reading this many bytes proves it is too long.
  const cap = o.maxBytes !== undefined ? o.maxBytes + 3 : Infinity;
  const timeoutMs = stdinTimeoutMs(io.env);
  if (o.fromFile !== undefined) {
    const path = resolve(io.cwd, o.fromFile);
    const bytes = await readFileBounded(path, o.fromFile, cap, timeoutMs);
    if (bytes.length >= cap) return { overLimit: true };
    value = stripSingleTrailingNewline(decodeValue(bytes, `--from-file ${o.fromFile}`));
    onlyNewline = bytes.length > 0 && value === '';
    source = 'file';
  } else if (!io.stdinIsTTY) {
    const bytes = await readAllStdin(io, timeoutMs, `pipe the value in (\`printf '%s' "$VALUE" | ${cmd}\`) or use --from-file <path>`, cap);
    if (bytes.length >= cap) return { overLimit: true };
    value = stripSingleTrailingNewline(decodeValue(bytes, 'stdin'));
    onlyNewline = bytes.length > 0 && value === '';
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
      hint: `pipe the value (\`printf '%s' "$VALUE" | ${cmd}\`) or use --from-file <path>${otherwise}`,
    });
  }
  // From here on, nothing mycli prints can hold this value (src/redact.ts).
  rememberSecret(value);
  if (value === '' && !o.allowEmpty) {
    const what = source === 'stdin' ? 'stdin' : o.fromFile;
    const where =
      source === 'prompt' ? '' : onlyNewline ? ` (${what} held only a newline)` : source === 'stdin' ? ' (stdin was empty)' : ` (${o.fromFile} is empty)`;
    throw new UsageError(`refusing to store an empty value for secret ${o.name}${where}`, {
      hint:
        source === 'stdin'
          ? `pipe the value in (\`printf '%s' "$VALUE" | ${cmd}\`) or use --from-file <path>; pass --allow-empty only if an empty secret is intended${otherwise}`
          : `pass --allow-empty if an empty secret is really what you want${otherwise}`,
    });
  }
  return { value, source, warnings: valueWarnings(value).map((w) => describeWarning(w, o.name)) };
}

/** --from-file, read up to `cap` bytes; a FIFO or device that never delivers times out. */
async function readFileBounded(path: string, given: string, cap: number, timeoutMs: number): Promise<Buffer> {
  try {
    return await readPathBounded(path, cap, timeoutMs, () =>
      new UsageError(`nothing could be read from --from-file ${given} within ${+(timeoutMs / 1000).toFixed(1)}s`, {
        hint: 'is it a FIFO or device with no writer? give a regular file (MYCLI_STDIN_TIMEOUT sets the wait, in seconds)',
      }),
    );
  } catch (e) {
    if (e instanceof UsageError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    throw new UsageError(`cannot read --from-file ${given} (${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a folder' : code})`, {
      hint: 'check the path',
    });
  }
}
