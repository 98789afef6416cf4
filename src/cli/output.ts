/**
 * Output: data to stdout, everything else (notes, warnings, progress, prompts) to stderr.
 * With --json, stdout carries exactly one JSON document, errors included.
 *
 * This is the choke point of the redaction rule (src/redact.ts): every line and every document
 * written here passes through the process-wide redactor, whatever its origin (our own text,
 * a plugin's error, an API message, a parse error, a --debug line). JSON documents are
 * redacted string by string, so they stay valid JSON.
 */
import type { IO } from '../io/io.js';
import { isMycliError, type MycliError } from '../errors.js';
import { redact, redactor } from '../redact.js';
import { withTarget, type HintTarget } from './hint.js';
import { terminalSafe } from './format.js';

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
  /** What the command acts on: the `mycli …` commands an error names carry it (cli/hint.ts). */
  target?: HintTarget;
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

let writtenDocuments = 0;
/** How many JSON documents this process has written on stdout (for the crash handlers). */
export function documentsWritten(): number {
  return writtenDocuments;
}

export class Output {
  readonly json: boolean;
  /** Style for stderr text. */
  readonly err: Style;
  /** Style for stdout text. */
  readonly out: Style;
  private readonly io: IO;
  private readonly debugOn: boolean;
  private readonly target?: HintTarget;
  private documents = 0;

  /** Use createOutput(), which loads colour support when it is wanted. */
  constructor(io: IO, options: OutputOptions, err: Style = plain, out: Style = plain) {
    this.io = io;
    this.json = options.json;
    this.debugOn = options.debug;
    this.target = options.target;
    this.err = err;
    this.out = out;
  }

  // Redacted first (a value is matched as it is), then made safe for a terminal (cli/format.ts).
  private toStdout(text: string): void {
    this.io.stdout.write(terminalSafe(redact(text)));
  }

  private toStderr(text: string): void {
    this.io.stderr.write(terminalSafe(redact(text)));
  }

  /** A line of data on stdout (human mode only). */
  data(line = ''): void {
    if (!this.json) this.toStdout(line + '\n');
  }

  /** Raw data on stdout (human mode only), e.g. a help text or a report line. */
  write(text: string): void {
    if (!this.json) this.toStdout(text);
  }

  /** Whether the one JSON document of this run has been written. */
  get documentWritten(): boolean {
    return this.documents > 0;
  }

  /** The one JSON document of a --json run. A second one is never written. */
  document(doc: unknown): void {
    if (!this.json || this.documents > 0) return;
    this.documents++;
    writtenDocuments++;
    this.io.stdout.write(JSON.stringify(redactor.redactDeep(doc), null, 2) + '\n');
  }

  note(line: string): void {
    this.toStderr(line + '\n');
  }

  success(line: string): void {
    this.toStderr(`${this.err.green('✓')} ${line}\n`);
  }

  warn(line: string): void {
    this.toStderr(`${this.err.yellow('warning:')} ${line}\n`);
  }

  debug(line: string): void {
    if (this.debugOn) this.toStderr(`${this.err.dim(`debug: ${line}`)}\n`);
  }

  get debugEnabled(): boolean {
    return this.debugOn;
  }

  /**
   * A failure. Under --json it is the document (when a document was already written — a
   * report before the failure — the error goes to stderr instead, so stdout keeps one document).
   */
  error(e: unknown): void {
    // An error may carry the command's own document (a rollout's steps): one document, both.
    const carried = isMycliError(e) ? e.details.document : undefined;
    const doc = isMycliError(e)
      ? { ...carried, error: errorJson(e, this.target) }
      : { error: { code: 'internal', message: `unexpected failure: ${messageOf(e)}`, hint: 'run again with --debug and report it', exitCode: 1 } };
    if (this.json && this.documents === 0) {
      this.document(doc);
    } else if (isMycliError(e)) {
      const lines = [`${this.err.red('error:')} ${withTarget(e.message, this.target)}`];
      if (e.hint) lines.push(`${this.err.dim('hint:')} ${withTarget(e.hint, this.target)}`);
      if (e.apiCode !== undefined) lines.push(this.err.dim(`(API error code ${e.apiCode})`));
      this.toStderr(lines.join('\n') + '\n');
    } else {
      this.toStderr(`${this.err.red('error:')} unexpected failure: ${messageOf(e)}\n${this.err.dim('hint:')} run again with --debug and report it\n`);
    }
    if (this.debugOn && !isMycliError(e) && e instanceof Error && e.stack) this.toStderr(e.stack + '\n');
  }
}

function messageOf(e: unknown): string {
  try {
    return e instanceof Error ? e.message : String(e);
  } catch {
    return 'an unprintable value was thrown';
  }
}

export function errorJson(e: MycliError, target?: HintTarget): Record<string, unknown> {
  const out: Record<string, unknown> = {
    code: e.code,
    message: withTarget(e.message, target),
    hint: e.hint === undefined ? null : withTarget(e.hint, target),
    exitCode: e.exitCode,
  };
  if (e.apiCode !== undefined) out.apiCode = e.apiCode;
  if (e.details.secrets) out.secrets = e.details.secrets;
  return out;
}
