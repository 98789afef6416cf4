/**
 * A command declared once: its name, description, arguments and options, and the `run` that gets
 * them, typed from the declaration. `'<NAME>'` gives a string, `'[FILE]'` a string or undefined,
 * `'[specs...]'` a string[]; `'-m, --message <text>'` gives `message?: string`, `'--dry-run'`
 * gives `dryRun?: boolean`, and an option with a default is always there. Nothing is typed by
 * hand in an action callback, and nothing is copied from commander's result into `run` by hand.
 *
 * `attach()` turns a declaration into commander calls, in the order commander prints them, with
 * the examples (and notes) shown after the command's help. A parse-only test attaches a
 * declaration whose `run` records what it is given.
 *
 * Start-up: a declaration is light (names, words, option rows) and sits in the main bundle; its
 * `run` lives in a module of its own (`<verb>.run.ts`, typed `RunOf<typeof command>` from the
 * declaration) that the group's index links with `withRun(declaration, () => import(...))`, so it
 * is loaded (one file of the build) only when that command runs.
 */
import { Option, type Command } from 'commander';
import type { App } from './app.js';
import type { Context } from './context.js';
import { addGlobalOptions } from './globals.js';
import { UsageError } from '../errors.js';

/** `[spec, description]`: `<NAME>` required, `[NAME]` optional, `...` variadic. */
export type ArgSpec = readonly [spec: string, description: string];
/** `[flags, description, default?]`, as commander's `.option()` takes them. */
export type OptSpec = readonly [flags: string, description: string, defaultValue?: string | boolean | string[]];

type ArgValue<S> = S extends `${string}...${string}` ? string[] : S extends `<${string}>` ? string : string | undefined;
/** The values of the arguments, in order: `[string, string | undefined, string[]]`. */
export type ArgsOf<A extends readonly ArgSpec[]> = { -readonly [K in keyof A]: A[K] extends readonly [infer S, ...unknown[]] ? ArgValue<S> : never };

type Camel<S extends string> = S extends `${infer H}-${infer T}` ? `${H}${Capitalize<Camel<T>>}` : S;
/** `'-m, --message <text>'` -> `'message <text>'`. */
type Long<F extends string> = F extends `${string}--${infer L}` ? L : F extends `-${infer S}` ? S : F;
type Word<L extends string> = L extends `${infer W} ${string}` ? W : L;
type Key<F extends string> = Word<Long<F>> extends `no-${infer N}` ? Camel<N> : Camel<Word<Long<F>>>;
type Value<F extends string> = Word<Long<F>> extends `no-${string}`
  ? boolean
  : Long<F> extends `${string} <${string}...>`
    ? string[]
    : Long<F> extends `${string} <${string}>`
      ? string
      : Long<F> extends `${string} [${string}]`
        ? string | true
        : boolean;
/** Always present: a default, or a `--no-x` flag (true unless given). */
type Present<O extends OptSpec> = O extends readonly [string, string, unknown] ? true : Word<Long<O[0]>> extends `no-${string}` ? true : false;
type Simplify<T> = { [K in keyof T]: T[K] } & {};
/** The parsed options: `{ message?: string; dryRun?: boolean; port: string }`. */
export type OptsOf<O extends readonly OptSpec[]> = Simplify<
  { [S in O[number] as Present<S> extends true ? Key<S[0]> : never]: Value<S[0]> } & {
    [S in O[number] as Present<S> extends true ? never : Key<S[0]>]?: Value<S[0]>;
  }
>;

export interface CommandDef<A extends readonly ArgSpec[] = readonly ArgSpec[], O extends readonly OptSpec[] = readonly OptSpec[]> {
  name: string;
  description: string;
  arguments?: A;
  options?: O;
  /** Shown after the help, each as `  $ <line>` (a test requires them on every leaf command). */
  examples?: readonly string[];
  /** Text after the help, `before` or `after` the examples. */
  notes?: { before?: string; after?: string };
  /** What the command does with its parsed arguments and options. A group has none. */
  run?: Run<A, O>;
  /** Subcommands (a group, or a command that also runs, like `versions rollout`). */
  commands?: readonly AnyCommand[];
}

/** The `run` of a command with arguments `A` and options `O`. */
export type Run<A extends readonly ArgSpec[], O extends readonly OptSpec[]> = (ctx: Context, args: ArgsOf<A>, opts: OptsOf<O>) => Promise<void>;

/** The `run` of a declared command, typed from its declaration: `RunOf<typeof command>`. */
export type RunOf<D> = D extends CommandDef<infer A, infer O> ? Run<A, O> : never;

/**
 * The declaration `def` with its `run`, loaded by `load` when the command runs (and not before):
 * `withRun(put.command(), () => import('./put.run.js').then((m) => m.run))`.
 */
export function withRun<A extends readonly ArgSpec[], O extends readonly OptSpec[]>(def: CommandDef<A, O>, load: () => Promise<Run<A, O>>): CommandDef<A, O> {
  return { ...def, run: async (ctx, args, opts) => (await load())(ctx, args, opts) };
}

/** A declaration of any arguments and options (what a group and the command table hold). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyCommand = CommandDef<any, any>;

/** Declares a command; the types of `run`'s arguments and options come from the declaration. */
export function defineCommand<const A extends readonly ArgSpec[] = readonly [], const O extends readonly OptSpec[] = readonly []>(def: CommandDef<A, O>): CommandDef<A, O> {
  return def;
}

/**
 * Which subcommands to declare in full (`attach`'s `only`): `path` is the words of argv after this
 * command's name. When its first word names one of the subcommands, only that one is declared in
 * full and its siblings are stubs (a name and a description, added to `stubs`, never run): the
 * command that runs does not pay for building the others (start-up, issue 21). Otherwise (a
 * group's help, an unknown subcommand) every subcommand is declared in full.
 */
export interface AttachOnly {
  path: readonly string[];
  stubs: Set<Command>;
}

/** The commander command of a declaration (and of its subcommands), added below `parent`. */
export function attach(parent: Command, app: App, def: AnyCommand, only?: AttachOnly): Command {
  const cmd = parent.command(def.name).description(def.description);
  const args: readonly ArgSpec[] = def.arguments ?? [];
  for (const [spec, description] of args) cmd.argument(spec, description);
  const own: Option[] = [];
  for (const [flags, description, defaultValue] of (def.options ?? []) as readonly OptSpec[]) {
    const option = new Option(flags, description);
    if (defaultValue !== undefined) option.default(defaultValue);
    cmd.addOption(option);
    own.push(option);
  }
  if (def.run) {
    const run = def.run;
    cmd.action(
      app.action(async (ctx, ...values: unknown[]) => {
        refuseFlagsAsValues(cmd);
        refuseControlCharacters(cmd);
        // commander passes one value per argument, then all options (global ones included): run gets its own.
        const opts: Record<string, unknown> = {};
        for (const o of own) {
          const value = cmd.getOptionValue(o.attributeName()) ?? shadowed(cmd, o);
          if (value !== undefined) opts[o.attributeName()] = value;
        }
        await run(ctx, values.slice(0, args.length) as never, opts as never);
      }),
    );
    // A command with subcommands is not a leaf, so the program does not add these for it.
    if (def.commands?.length) addGlobalOptions(cmd);
  }
  if (def.notes?.before) cmd.addHelpText('after', def.notes.before);
  if (def.examples?.length) cmd.addHelpText('after', '\nExamples:\n' + def.examples.map((l) => (l ? `  $ ${l}` : l)).join('\n'));
  if (def.notes?.after) cmd.addHelpText('after', def.notes.after);
  const subs = def.commands ?? [];
  const chosen = only && subs.find((sub) => sub.name === only.path[0]);
  for (const sub of subs) {
    if (!chosen) attach(cmd, app, sub, only && { path: [], stubs: only.stubs });
    else if (sub === chosen) attach(cmd, app, sub, { path: only.path.slice(1), stubs: only.stubs });
    else only.stubs.add(cmd.command(sub.name).description(sub.description));
  }
  return cmd;
}

/**
 * commander gives a value-taking option the next word whatever it is, so `versions upload --tag
 * --dry-run` tagged a real upload "--dry-run". A value that is itself one of the command's flags
 * is a forgotten value: refused (exit 2) before anything runs.
 */
function refuseFlagsAsValues(cmd: Command): void {
  const flags = new Set<string>();
  for (let c: Command | null = cmd; c; c = c.parent) for (const o of c.options) for (const f of [o.long, o.short]) if (f) flags.add(f);
  for (let c: Command | null = cmd; c; c = c.parent) {
    for (const o of c.options) {
      if (!(o.required || o.optional) || c.getOptionValueSource(o.attributeName()) !== 'cli') continue;
      const value: unknown = c.getOptionValue(o.attributeName());
      for (const v of Array.isArray(value) ? value : [value]) {
        if (typeof v === 'string' && flags.has(v.split('=')[0]!)) {
          throw new UsageError(`${o.long ?? o.short} needs a value, but it was given the option ${v}`, { hint: `put the value right after the flag: ${o.flags}` });
        }
      }
    }
  }
}

/**
 * A message (`-m, --message`) is one line of text, recorded on a version or deployment and shown
 * in tables, prompts and Cloudflare's dashboard: an escape, a newline or another control
 * character in it is refused (exit 2) before anything runs, as a tag's is at the backends' edge.
 * (What others wrote is shown with its control characters escaped: cli/format.ts.)
 */
function refuseControlCharacters(cmd: Command): void {
  for (let c: Command | null = cmd; c; c = c.parent) {
    const value: unknown = c.getOptionValueSource('message') === 'cli' ? c.getOptionValue('message') : undefined;
    if (typeof value === 'string' && /[\u0000-\u001f\u007f-\u009f]/.test(value)) {
      throw new UsageError('--message holds a control character (an escape, a tab or a newline)', { hint: 'give a message of one line of printable text, e.g. -m "rotate the API key"' });
    }
  }
}

/**
 * The value of `option` taken by a parent that declares the same flag. commander lets a command
 * read its options after a subcommand's name, so in `versions rollout abort -m why` the `-m` is
 * rollout's; rollout does not run then, so it was meant for abort.
 */
function shadowed(cmd: Command, option: Option): unknown {
  for (let p = cmd.parent; p; p = p.parent) {
    if (p.options.some((o) => o.long === option.long && o.attributeName() === option.attributeName()) && p.getOptionValueSource(option.attributeName()) === 'cli') {
      return p.getOptionValue(option.attributeName());
    }
  }
  return undefined;
}
