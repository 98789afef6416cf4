/**
 * In-process runs of mycli with a fake terminal: choose TTY flags, stdin content, env and
 * prompt answers; get stdout, stderr and the exit code back.
 */
import { PassThrough, Readable, Writable } from 'node:stream';
import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { main, type MainDeps } from '../../src/main.js';
import type { IO } from '../../src/io/io.js';
import type { Prompter } from '../../src/io/prompter.js';
import { CancelledError } from '../../src/errors.js';

export type Answer = string | boolean | ((message: string) => unknown) | { cancel: true };

export interface RunOptions {
  /** Text piped on stdin. Omit for "nothing piped" (with stdinIsTTY true by default when tty). */
  stdin?: string | Buffer;
  /** A stdin that never ends and never sends anything (a pipe nobody writes to). */
  stdinNeverEnds?: boolean;
  /** Shorthand: stdin, stdout and stderr are terminals. */
  tty?: boolean;
  stdinIsTTY?: boolean;
  stdoutIsTTY?: boolean;
  env?: Record<string, string | undefined>;
  cwd?: string;
  /** Answers to prompts, in order. A prompt with no answer left fails the test. */
  answers?: Answer[];
  /** A backend given to main() (MainDeps.backend) instead of the one the spec names. */
  backend?: MainDeps['backend'];
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
  /** The messages of the prompts that were shown. */
  prompts: string[];
  /** What stderr showed when each prompt appeared (to check what is said before asking). */
  stderrAtPrompt: string[];
  /** The choices each select prompt showed (their names), the default and whether it clears. */
  selects: { message: string; choices: string[]; default?: unknown; clear?: boolean }[];
  /** stdout and stderr together, for "never printed" assertions. */
  all: string;
  json<T = any>(): T;
}

class Sink extends Writable {
  chunks: Buffer[] = [];
  _write(chunk: Buffer, _enc: BufferEncoding, cb: () => void) {
    this.chunks.push(Buffer.from(chunk));
    cb();
  }
  text() {
    return Buffer.concat(this.chunks).toString('utf8');
  }
}

export async function run(argv: string[], o: RunOptions = {}): Promise<RunResult> {
  const stdout = new Sink();
  const stderr = new Sink();
  let stdin: Readable;
  if (o.stdinNeverEnds) stdin = new PassThrough();
  else if (o.stdin !== undefined) stdin = Readable.from([Buffer.from(o.stdin)]);
  else stdin = Readable.from([]);
  const tty = o.tty ?? false;
  const prompts: string[] = [];
  const stderrAtPrompt: string[] = [];
  const selects: RunResult['selects'] = [];
  const answers = [...(o.answers ?? [])];
  const next = (message: string): unknown => {
    prompts.push(message);
    stderrAtPrompt.push(stderr.text());
    if (answers.length === 0) throw new Error(`unexpected prompt: ${message}`);
    const a = answers.shift()!;
    if (typeof a === 'object' && a !== null && 'cancel' in a) throw new CancelledError('cancelled at the prompt; nothing was changed');
    return typeof a === 'function' ? a(message) : a;
  };
  const prompter: Prompter = {
    password: async ({ message }) => String(next(message)),
    confirm: async ({ message }) => Boolean(next(message)),
    select: async ({ message, choices, default: def, clear }) => {
      selects.push({ message, choices: choices.map((c) => c.name), default: def, clear });
      const a = next(message);
      const found = choices.find((c) => c.value === a || c.name === a || (typeof a === 'string' && String(c.value).startsWith(a)));
      if (!found) throw new Error(`answer ${String(a)} is not a choice of "${message}"`);
      return found.value;
    },
    input: async ({ message, validate }) => {
      const a = String(next(message));
      const ok = validate ? validate(a) : true;
      if (ok !== true) throw new Error(`answer "${a}" rejected by validation: ${ok}`);
      return a;
    },
  };
  const io: IO = {
    stdin,
    stdout,
    stderr,
    stdinIsTTY: o.stdinIsTTY ?? (tty && o.stdin === undefined),
    stdoutIsTTY: o.stdoutIsTTY ?? tty,
    stderrIsTTY: tty,
    env: { PATH: process.env.PATH, ...o.env },
    cwd: o.cwd ?? process.cwd(),
    prompter,
  };
  const code = await main(argv, { io, backend: o.backend });
  const out = stdout.text();
  const err = stderr.text();
  return {
    code,
    stdout: out,
    stderr: err,
    prompts,
    stderrAtPrompt,
    selects,
    all: out + err,
    json() {
      return JSON.parse(out);
    },
  };
}

/** A throwaway project folder with a wrangler.toml (and files), plus an env for it. */
export interface Project {
  dir: string;
  env: Record<string, string>;
  run(argv: string[], o?: RunOptions): Promise<RunResult>;
  write(rel: string, content: string): void;
}

export const EXAMPLE_TOML = `name = "my-worker"
main = "src/index.js"
compatibility_date = "2025-01-01"

[vars]
GREETING = "hello"
LIMITS = { max = 10 }

[env.staging]
name = "my-worker-staging"
[env.staging.vars]
GREETING = "hello from staging"

[env.production]
[env.production.vars]
GREETING = "hello from production"
`;

export function makeProject(files: Record<string, string> = {}, envOverrides: Record<string, string> = {}): Project {
  const dir = mkdtempSync(join(tmpdir(), 'mycli-test-'));
  const all: Record<string, string> = {
    'wrangler.toml': EXAMPLE_TOML,
    'src/index.js': 'export default { async fetch() { return new Response("ok"); } };\n',
    ...files,
  };
  const write = (rel: string, content: string) => {
    mkdirSync(dirname(join(dir, rel)), { recursive: true });
    writeFileSync(join(dir, rel), content);
  };
  for (const [rel, content] of Object.entries(all)) write(rel, content);
  const env = {
    HOME: dir,
    XDG_CONFIG_HOME: join(dir, '.config'),
    MYCLI_LOCAL_KEY: '0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef',
    MYCLI_AUTHOR: 'tester@example.com',
    ...envOverrides,
  };
  return {
    dir,
    env,
    write,
    run: (argv, o = {}) => run(argv, { cwd: dir, ...o, env: { ...env, ...o.env } }),
  };
}
