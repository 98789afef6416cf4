/** Reading argv before commander does: which command runs (to load only that one). */
import { GLOBAL_OPTIONS } from './globals.js';

type TargetKey = 'config' | 'env' | 'name' | 'backend';
/** The words of a flag: `'-c, --config <path>'` -> `['-c', '--config']`. */
const words = (flags: string) => flags.split(/[ ,]+/).filter((w) => w.startsWith('-'));
/** `-c` / `--config` -> `config`, from the global option table. */
const TARGET_KEYS: Readonly<Record<string, TargetKey>> = Object.fromEntries(
  GLOBAL_OPTIONS.flatMap((o) => ('target' in o ? words(o.flags).map((w) => [w, o.target] as const) : [])),
);

/** Global options that take a value: their value is not a command word. */
export const VALUE_OPTIONS: ReadonlySet<string> = new Set(GLOBAL_OPTIONS.filter((o) => o.flags.includes('<')).flatMap((o) => words(o.flags)));

/**
 * The words of argv that are not options or global options' values (after `--`, every word): the
 * command path and its arguments (`['secret', 'put', 'X']`). A command's own option that takes a
 * value may put that value among them: callers use the words only to find known command names.
 */
export function commandWords(argv: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') return [...out, ...argv.slice(i + 1)];
    if (a.startsWith('-')) {
      if (VALUE_OPTIONS.has(a)) i++;
      continue;
    }
    out.push(a);
  }
  return out;
}

/** The first word of argv that is not an option or an option's value: the command. */
export function commandWord(argv: string[]): string | undefined {
  return commandWords(argv)[0];
}

/**
 * The target options of argv, read before (or without) commander: for the commands printed by
 * a usage error, which is raised before any Context exists. The last occurrence wins, as in
 * commander; `--env=x` and `-cpath` forms are read too.
 */
export function targetOfArgv(argv: string[]): { config?: string; env?: string; name?: string; backend?: string } {
  const keys = TARGET_KEYS;
  const t: { config?: string; env?: string; name?: string; backend?: string } = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') break;
    const eq = a.indexOf('=');
    if (a.startsWith('--') && eq > 0 && keys[a.slice(0, eq)]) t[keys[a.slice(0, eq)]!] = a.slice(eq + 1);
    else if (keys[a] && i + 1 < argv.length) t[keys[a]!] = argv[++i];
    else if (/^-[ce]./.test(a)) t[keys[a.slice(0, 2)]!] = a.slice(2);
  }
  return t;
}
