/**
 * Reading a secret value from stdin or a file, and the rules that make it correct to the byte:
 * a single line followed by one `\n` or `\r\n` loses that newline; anything else is kept exactly.
 */
import { UsageError } from '../errors.js';
import type { IO } from './io.js';

/**
 * Read all of stdin as bytes. Fails (never hangs) when nothing arrives in `timeoutMs`. With
 * `maxBytes`, stops after that many bytes (the caller sees the input was longer when it gets
 * exactly `maxBytes`): memory stays flat whatever is piped in.
 */
export async function readAllStdin(io: IO, timeoutMs: number, hint: string, maxBytes = Infinity): Promise<Buffer> {
  return readBounded(io.stdin, timeoutMs, maxBytes, () => new UsageError(`no value arrived on stdin within ${+(timeoutMs / 1000).toFixed(1)}s`, { hint }));
}

/** Read a stream up to `maxBytes`; fail with `onTimeout()` when nothing arrives in `timeoutMs`. */
export async function readBounded(stream: NodeJS.ReadableStream, timeoutMs: number, maxBytes: number, onTimeout: () => Error): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  return await new Promise<Buffer>((resolve, reject) => {
    let gotData = false;
    const timer = setTimeout(() => {
      cleanup();
      stream.pause();
      reject(onTimeout());
    }, timeoutMs);
    timer.unref?.();
    const onData = (chunk: Buffer | string) => {
      if (!gotData) {
        gotData = true;
        clearTimeout(timer);
      }
      const b = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      if (total + b.length >= maxBytes) {
        chunks.push(b.subarray(0, maxBytes - total));
        cleanup();
        stream.pause();
        (stream as { destroy?: () => void }).destroy?.();
        resolve(Buffer.concat(chunks));
        return;
      }
      total += b.length;
      chunks.push(b);
    };
    const onEnd = () => {
      cleanup();
      resolve(Buffer.concat(chunks));
    };
    const onError = (err: NodeJS.ErrnoException) => {
      cleanup();
      // A closed or unreadable stdin is the same as an empty one.
      if (err.code === 'EBADF' || err.code === 'EINVAL' || err.code === 'ENOTCONN') resolve(Buffer.alloc(0));
      else reject(err);
    };
    const cleanup = () => {
      clearTimeout(timer);
      stream.off('data', onData);
      stream.off('end', onEnd);
      stream.off('error', onError);
    };
    stream.on('data', onData);
    stream.once('end', onEnd);
    stream.once('error', onError);
    stream.resume();
  });
}

/** Decode bytes as UTF-8, refusing bytes that are not text rather than silently altering them. */
export function decodeValue(bytes: Uint8Array, source: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    throw new UsageError(`the value from ${source} is not valid UTF-8 text`, {
      hint: 'secret values are text; encode binary data first (for example with base64)',
    });
  }
}

/** One line followed by exactly one `\n` or `\r\n`: drop that newline. Otherwise keep every byte. */
export function stripSingleTrailingNewline(value: string): string {
  let body: string;
  if (value.endsWith('\r\n')) body = value.slice(0, -2);
  else if (value.endsWith('\n')) body = value.slice(0, -1);
  else return value;
  return body.includes('\n') || body.includes('\r') ? value : body;
}

export type ValueWarning = 'quotes' | 'literal-newline' | 'whitespace';

/** Shapes that are usually a mistake. Stored anyway; the caller warns without printing the value. */
export function valueWarnings(value: string): ValueWarning[] {
  const out: ValueWarning[] = [];
  if (value.length >= 2 && /^(["'`]).*\1$/s.test(value)) out.push('quotes');
  if (value.includes('\\n')) out.push('literal-newline');
  if (/^[ \t]/.test(value) || /[ \t](\r?\n)?$/.test(value)) out.push('whitespace');
  return out;
}

export function describeWarning(w: ValueWarning, name: string): string {
  switch (w) {
    case 'quotes':
      return `the value of ${name} is wrapped in quotes; the quotes are part of the stored value`;
    case 'literal-newline':
      return `the value of ${name} contains a literal \\n (backslash, n), not a line break`;
    case 'whitespace':
      return `the value of ${name} starts or ends with spaces or tabs; they are part of the stored value`;
  }
}

/**
 * Read the file at `path` up to `cap` bytes. A FIFO is opened without blocking and read as a
 * pipe, so one that nobody writes to is bounded by `timeoutMs` (a blocking open would hold a
 * thread that even process exit waits for); a device like /dev/zero is read only up to `cap`.
 * File errors are thrown as they are (ENOENT, EACCES, EISDIR...), for the caller to name.
 */
export async function readPathBounded(path: string, cap: number, timeoutMs: number, onTimeout: () => Error): Promise<Buffer> {
  const fs = await import('node:fs');
  const st = await fs.promises.stat(path);
  if (st.isDirectory()) throw Object.assign(new Error('is a folder'), { code: 'EISDIR' });
  let stream: NodeJS.ReadableStream & { destroy(): void };
  if (st.isFIFO() || st.isSocket()) {
    const fd = fs.openSync(path, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
    const { Socket } = await import('node:net');
    stream = new Socket({ fd, readable: true, writable: false });
  } else {
    stream = fs.createReadStream(path, Number.isFinite(cap) ? { end: cap - 1, highWaterMark: Math.min(65_536, Math.max(cap, 16)) } : {});
  }
  const failed = new Promise<never>((_, reject) => stream.once('error', reject));
  try {
    return await Promise.race([failed, readBounded(stream, timeoutMs, cap, onTimeout)]);
  } finally {
    stream.destroy();
  }
}
