/** Reading argv before commander does: which command runs (to load only that one). */

/** Global options that take a value: their value is not a command word. */
export const VALUE_OPTIONS: ReadonlySet<string> = new Set(['-c', '--config', '-e', '--env', '--name', '--backend']);

/** The first word of argv that is not an option or an option's value: the command. */
export function commandWord(argv: string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') return argv[i + 1];
    if (a.startsWith('-')) {
      if (VALUE_OPTIONS.has(a)) i++;
      continue;
    }
    return a;
  }
  return undefined;
}
