/**
 * The one place that builds the commands mycli prints for the user to run.
 *
 * A command copied from a hint must act on the same target as the command that printed it: it
 * carries `--env`, `-c/--config`, `--name` and `--backend` when they were given. Commands built
 * in the command line layer use `commandHint()` (through `ctx.command()`); texts written in
 * lower layers (a backend's error hint names `mycli secret list` in backticks without knowing
 * the target) are completed by `withTarget()` where they are printed (cli/output.ts).
 */

/** The options that name what a command acts on. */
export interface HintTarget {
  config?: string;
  env?: string;
  name?: string;
  backend?: string;
}

/** A word as the shell reads it back unchanged: bare when safe, else in single quotes. */
export function shellWord(word: string): string {
  if (word !== '' && /^[A-Za-z0-9_./:@%+=,-]+$/.test(word)) return word;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

/** The flags that carry the target, in a fixed order; only those that were given. */
export function targetFlags(t: HintTarget | undefined): string[] {
  if (!t) return [];
  const flags: string[] = [];
  if (t.env !== undefined) flags.push('--env', shellWord(t.env));
  if (t.config !== undefined) flags.push('-c', shellWord(t.config));
  if (t.name !== undefined) flags.push('--name', shellWord(t.name));
  if (t.backend !== undefined) flags.push('--backend', shellWord(t.backend));
  return flags;
}

/** Commands that act on no target: nothing to carry. */
const TARGETLESS = /^(?:help\b|--help\b|-h\b|--version\b|-v\b|complete\b)/;

/**
 * `mycli <command>` with the target's flags added after it (flags already in the command are
 * not repeated). `command` is what follows `mycli`, with its words already quoted as needed.
 */
export function commandHint(t: HintTarget | undefined, command: string): string {
  const trimmed = command.trim();
  if (TARGETLESS.test(trimmed) || /(?:^|\s)--help\b/.test(trimmed)) return `mycli ${trimmed}`;
  const present = (flag: string, short?: string) =>
    new RegExp(`(?:^|\\s)(?:${flag}${short ? `|${short}` : ''})(?:[\\s=]|$)`).test(trimmed);
  const flags = targetFlags(t);
  const add: string[] = [];
  for (let i = 0; i < flags.length; i += 2) {
    const flag = flags[i]!;
    const short = flag === '--env' ? '-e' : flag === '-c' ? '--config' : undefined;
    if (!present(flag, short)) add.push(flag, flags[i + 1]!);
  }
  return `mycli ${trimmed}${add.length ? ' ' + add.join(' ') : ''}`;
}

/**
 * A text with every backticked `mycli …` command completed with the target's flags. Text
 * outside backticks is left as it is (a lower layer marks its commands with backticks).
 */
export function withTarget(text: string, t: HintTarget | undefined): string {
  if (!t || targetFlags(t).length === 0) return text;
  return text.replace(/`mycli ([^`]+)`/g, (_, rest: string) => `\`${commandHint(t, rest)}\``);
}
