/**
 * Output: data to stdout, everything else (notes, warnings, progress, prompts) to stderr.
 * With --json, stdout carries exactly one JSON document, errors included.
 */
import type { IO } from '../io/io.js';
import { isMycliError, type MycliError } from '../errors.js';

export interface Style {
  bold(s: string): string;
  dim(s: string): string;
  red(s: string): string;
  green(s: string): string;
  yellow(s: string): string;
  cyan(s: string): string;
}

const plain: Style = { bold: (s) => s, dim: (s) => s, red: (s) => s, green: (s) => s, yellow: (s) => s, cyan: (s) => s };

/**
 * Colour is drawn by chalk, loaded only when colour is on: its import probes the terminal
 * (supports-color loads node:tty), which a piped or CI run should not pay for at start-up. We
 * decide when colour is on ourselves (wantsColour) and give chalk that level.
 */
async function colouredStyle(): Promise<Style> {
  const { Chalk } = await import('chalk');
  const chalk = new Chalk({ level: 1 });
  return {
    bold: (s) => chalk.bold(s),
    dim: (s) => chalk.dim(s),
    red: (s) => chalk.red(s),
    green: (s) => chalk.green(s),
    yellow: (s) => chalk.yellow(s),
    cyan: (s) => chalk.cyan(s),
  };
}

export interface OutputOptions {
  json: boolean;
  color: boolean;
  debug: boolean;
}

/** An Output with colour where the terminal wants it (chalk loaded only then). */
export async function createOutput(io: IO, options: OutputOptions): Promise<Output> {
  const errColour = wantsColour(io, options.color, 'stderr');
  const outColour = !options.json && wantsColour(io, options.color, 'stdout');
  const coloured = errColour || outColour ? await colouredStyle() : plain;
  return new Output(io, options, errColour ? coloured : plain, outColour ? coloured : plain);
}

/** Colour only on a terminal, never with --no-color or NO_COLOR; FORCE_COLOR forces it on. */
export function wantsColour(io: IO, flag: boolean, stream: 'stdout' | 'stderr'): boolean {
  if (!flag) return false;
  if (io.env.NO_COLOR !== undefined && io.env.NO_COLOR !== '') return false;
  const force = io.env.FORCE_COLOR;
  if (force !== undefined && force !== '' && force !== '0' && force !== 'false') return true;
  if (io.env.TERM === 'dumb') return false;
  return stream === 'stdout' ? io.stdoutIsTTY : io.stderrIsTTY;
}

export class Output {
  readonly json: boolean;
  /** Style for stderr text. */
  readonly err: Style;
  /** Style for stdout text. */
  readonly out: Style;
  private readonly io: IO;
  private readonly debugOn: boolean;

  /** Use createOutput(), which loads colour support when it is wanted. */
  constructor(io: IO, options: OutputOptions, err: Style = plain, out: Style = plain) {
    this.io = io;
    this.json = options.json;
    this.debugOn = options.debug;
    this.err = err;
    this.out = out;
  }

  /** A line of data on stdout (human mode only). */
  data(line = ''): void {
    if (!this.json) this.io.stdout.write(line + '\n');
  }

  /** The one JSON document of a --json run. */
  document(doc: unknown): void {
    if (this.json) this.io.stdout.write(JSON.stringify(doc, null, 2) + '\n');
  }

  note(line: string): void {
    this.io.stderr.write(line + '\n');
  }

  success(line: string): void {
    this.io.stderr.write(`${this.err.green('✓')} ${line}\n`);
  }

  warn(line: string): void {
    this.io.stderr.write(`${this.err.yellow('warning:')} ${line}\n`);
  }

  debug(line: string): void {
    if (this.debugOn) this.io.stderr.write(`${this.err.dim(`debug: ${line}`)}\n`);
  }

  get debugEnabled(): boolean {
    return this.debugOn;
  }

  error(e: unknown): void {
    if (isMycliError(e)) {
      if (this.json) {
        // An error may carry the command's own document (a rollout's steps): one document, both.
        const doc = (e as { document?: Record<string, unknown> }).document;
        this.io.stdout.write(JSON.stringify({ ...doc, error: errorJson(e) }, null, 2) + '\n');
        return;
      }
      const lines = [`${this.err.red('error:')} ${e.message}`];
      if (e.hint) lines.push(`${this.err.dim('hint:')} ${e.hint}`);
      if (e.apiCode !== undefined) lines.push(this.err.dim(`(API error code ${e.apiCode})`));
      this.io.stderr.write(lines.join('\n') + '\n');
      return;
    }
    const message = e instanceof Error ? e.message : String(e);
    if (this.json) {
      this.io.stdout.write(JSON.stringify({ error: { code: 'internal', message: `unexpected failure: ${message}`, hint: 'run again with --debug and report it', exitCode: 1 } }, null, 2) + '\n');
    } else {
      this.io.stderr.write(`${this.err.red('error:')} unexpected failure: ${message}\n${this.err.dim('hint:')} run again with --debug and report it\n`);
    }
    if (this.debugOn && e instanceof Error && e.stack) this.io.stderr.write(e.stack + '\n');
  }
}

export function errorJson(e: MycliError): Record<string, unknown> {
  const out: Record<string, unknown> = { code: e.code, message: e.message, hint: e.hint ?? null, exitCode: e.exitCode };
  if (e.apiCode !== undefined) out.apiCode = e.apiCode;
  const secrets = (e as { secrets?: unknown }).secrets;
  if (Array.isArray(secrets)) out.secrets = secrets;
  return out;
}
