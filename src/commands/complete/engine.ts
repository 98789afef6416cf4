/**
 * The candidates of shell completion: what `mycli complete --words -- <words...>` prints for the
 * scripts of `mycli complete bash|zsh|fish|powershell` (scripts.ts).
 *
 * Commands, subcommands and options come from the commander tree built from the same
 * declarations the program runs (completionTree, the one function that reads them); values come
 * from the two tables below (fixed sets, and what kind of name an argument or option takes) and
 * from the project: environments from the config, and — only when the backend is `local` — secret
 * names, version numbers and tags, Secrets Store names, read from the store without writing to it
 * (no key made, no upgrade of an old store: then nothing is offered). Never the network, never a
 * plugin, never a prompt, never a value. Any failure offers nothing.
 */
import { Command, type Help, type Option } from 'commander';
import type { App } from '../../cli/app.js';
import type { AnyCommand } from '../../cli/define-command.js';
import { commandTree } from '../../cli/tree.js';
import { oneLine } from '../../cli/format.js';
import type { IO } from '../../io/io.js';
import { loadProject, type Project } from '../../config/load.js';
import { chooseBackend } from '../../backends/spec.js';
import { LocalBackend } from '../../backends/local/backend.js';
import type { Target } from '../../backends/types.js';
import { Context } from '../../cli/context.js';
import { resolveStore } from '../secrets-store/common.js';
import { SHELLS } from './scripts.js';

/** The declarations of the top-level commands, by name (the table of src/commands/index.ts). */
export type Declarations = Readonly<Record<string, AnyCommand>>;

export interface Candidate {
  value: string;
  description?: string;
  /** A version's tag (`versions()` offers numbers and tags; `--version-tag` takes tags only). */
  tag?: boolean;
  /** A tag that a version number or id prefix reads as another version (offered after --version-tag only). */
  shadowed?: boolean;
}

export interface Completion {
  candidates: Candidate[];
  /** `files`: let the shell complete file names; `nospace`: no space after the candidate (`5@`). */
  directive?: 'files' | 'nospace';
}

/** What a value is: a fixed set, or a kind of name looked up in the project. */
export type ValueKind = readonly string[] | 'env' | 'backend' | 'file' | 'secret' | 'version' | 'tag' | 'deploy-spec' | 'store' | 'store-secret' | 'shell';

/**
 * Values of options, by long flag (on whichever command has it). A test checks that each flag
 * exists and that each fixed value is one mycli accepts.
 */
export const OPTION_VALUES: Readonly<Record<string, ValueKind>> = {
  '--env': 'env',
  '--backend': 'backend',
  '--config': 'file',
  '--format': ['json', 'pretty'],
  '--inconclusive': ['hold', 'rollback', 'continue'],
  '--on-fail': ['rollback', 'hold'],
  '--version-id': 'version',
  '--version-tag': 'tag',
  '--store': 'store',
  '--from-file': 'file',
  '--secrets-file': 'file',
  '--out': 'file',
};

/** Values of arguments, by command path, one entry per declared argument (a test checks they exist). */
export const ARGUMENT_VALUES: Readonly<Record<string, readonly (ValueKind | undefined)[]>> = {
  'secret put': ['secret'],
  'secret delete': ['secret'],
  'secret bulk': ['file'],
  'secret sync': ['file'],
  'versions secret put': ['secret'],
  'versions secret delete': ['secret'],
  'versions secret bulk': ['file'],
  'versions view': ['version'],
  'versions deploy': ['deploy-spec'],
  'versions rollback': ['version'],
  'versions rollout': ['version'],
  rollback: ['version'],
  'backend check': ['backend'],
  'secrets-store store delete': ['store'],
  'secrets-store secret get': ['store-secret'],
  'secrets-store secret update': ['store-secret'],
  'secrets-store secret delete': ['store-secret'],
  'secrets-store secret duplicate': ['store-secret', undefined],
  complete: ['shell', undefined],
};

/** Versions offered at most (newest first): a long history is not read for a keystroke. */
const VERSIONS_OFFERED = 100;

/**
 * The command tree completion reads: the tree `buildProgram` (src/cli/program.ts) builds for
 * `help`, made by the same function (cli/tree.ts `commandTree`) from every declaration
 * (test/commands/complete.test.ts compares what it offers with the real program).
 */
export function completionTree(declarations: Declarations): Command {
  const app = { io: undefined, version: '', action: () => async () => undefined } as unknown as App;
  return commandTree(app, Object.entries(declarations));
}

/** "secret put": a command's path below the program. */
function pathOf(cmd: Command): string {
  const names: string[] = [];
  for (let c: Command | null = cmd; c?.parent; c = c.parent) names.unshift(c.name());
  return names.join(' ');
}

const help = (cmd: Command): Help => cmd.createHelp();
const takesValue = (o: Option) => o.required || o.optional;

/** The option `flag` names for `cmd`: its own, else a parent's (global options work anywhere). */
function findOption(cmd: Command, flag: string): Option | undefined {
  for (let c: Command | null = cmd; c; c = c.parent) {
    const o = help(c).visibleOptions(c).find((x) => x.long === flag || x.short === flag);
    if (o) return o;
  }
  return undefined;
}

/** The options offered after `cmd`: its own and, on a group, the global ones. */
function optionsOf(cmd: Command): Option[] {
  const own = help(cmd).visibleOptions(cmd);
  if (cmd.commands.length === 0 || !cmd.parent) return own;
  let root = cmd;
  while (root.parent) root = root.parent;
  const globals = help(root).visibleOptions(root).filter((o) => o.helpGroupHeading === 'Global options:');
  return [...own, ...globals.filter((g) => !own.some((o) => o.long === g.long))];
}

/** Where the words typed so far lead: the command, its operands, the options given and their values. */
interface Walk {
  cmd: Command;
  operands: string[];
  used: Set<string>;
  /** Option values typed, by long flag (the last one wins, as in commander). */
  values: Map<string, string>;
  /** The option whose value the current word is. */
  pending?: Option;
  /** A variadic option given a value already (`--version-id 5 4`): the next word may be another. */
  variadic?: Option;
  /** After `help`: the words are command names. */
  helpMode: boolean;
  afterDashDash: boolean;
}

function walk(root: Command, words: string[]): Walk {
  const w: Walk = { cmd: root, operands: [], used: new Set(), values: new Map(), helpMode: false, afterDashDash: false };
  for (const word of words) {
    if (w.pending) {
      if (word === '=') continue; // bash splits `--env=x` at the `=`
      w.values.set(w.pending.long ?? '', word);
      w.variadic = w.pending.variadic ? w.pending : undefined;
      w.pending = undefined;
      continue;
    }
    if (!w.afterDashDash && word === '--') {
      w.afterDashDash = true;
      continue;
    }
    if (!w.afterDashDash && word.startsWith('-') && word.length > 1) {
      w.variadic = undefined;
      const eq = word.startsWith('--') ? word.indexOf('=') : -1;
      const flag = eq > 0 ? word.slice(0, eq) : word.startsWith('--') ? word : word.slice(0, 2);
      const option = findOption(w.cmd, flag);
      if (!option) continue;
      w.used.add(option.long ?? flag);
      if (!takesValue(option)) continue;
      const inline = eq > 0 ? word.slice(eq + 1) : !word.startsWith('--') && word.length > 2 ? word.slice(2) : undefined;
      if (inline !== undefined) w.values.set(option.long ?? flag, inline);
      else w.pending = option;
      continue;
    }
    if (w.variadic && !w.afterDashDash) continue; // another value of `--version-id 5 4`
    const sub = w.afterDashDash || (w.operands.length > 0 && !w.helpMode) ? undefined : w.cmd.commands.find((c) => c.name() === word || c.aliases().includes(word));
    if (sub) w.cmd = sub;
    else if (word === 'help' && !w.helpMode && w.operands.length === 0 && w.cmd.commands.length > 0) w.helpMode = true;
    else w.operands.push(word);
  }
  return w;
}

/** Where dynamic values come from (ProjectValues below; tests may give others). */
export interface ValueSource {
  environments(): Promise<string[]>;
  backends(): Promise<string[]>;
  secrets(): Promise<Candidate[]>;
  versions(): Promise<Candidate[]>;
  stores(): Promise<Candidate[]>;
  storeSecrets(): Promise<Candidate[]>;
}

/**
 * The candidates for `words` (what follows `mycli` on the line; the last word is the one being
 * completed, `""` when the cursor is after a space).
 */
export async function complete(tree: Command, words: readonly string[], source: (w: Walk) => ValueSource): Promise<Completion> {
  const typed = words.slice(0, -1);
  let cur = words.at(-1) ?? '';
  const w = walk(tree, typed);
  const valueOf = w.pending ?? (w.variadic && !cur.startsWith('-') ? w.variadic : undefined);
  if (valueOf) {
    if (cur === '=') cur = '';
    return valuesOf(OPTION_VALUES[valueOf.long ?? ''], cur, source(w), '');
  }
  if (!w.afterDashDash && cur.startsWith('--') && cur.includes('=')) {
    const flag = cur.slice(0, cur.indexOf('='));
    const option = findOption(w.cmd, flag);
    if (!option || !takesValue(option)) return { candidates: [] };
    const done = await valuesOf(OPTION_VALUES[option.long ?? ''], cur.slice(flag.length + 1), source(w), `${flag}=`);
    return done.directive === 'files' ? { candidates: [] } : done;
  }
  if (!w.afterDashDash && cur.startsWith('-')) {
    const out: Candidate[] = [];
    for (const o of optionsOf(w.cmd)) {
      if (w.used.has(o.long ?? '') && !o.variadic) continue;
      for (const flag of [o.long, o.short]) if (flag && flag.startsWith(cur)) out.push({ value: flag, description: o.description });
    }
    return { candidates: out };
  }
  const subcommands = (cmd: Command) =>
    help(cmd)
      .visibleCommands(cmd)
      .filter((c) => !w.helpMode || c.name() !== 'help')
      .map((c) => ({ value: c.name(), description: c.description() }))
      .filter((c) => c.value.startsWith(cur));
  if (w.helpMode) return { candidates: subcommands(w.cmd) };
  const out: Candidate[] = w.operands.length === 0 && !w.afterDashDash ? subcommands(w.cmd) : [];
  const args = w.cmd.registeredArguments;
  const index = args.length && args.at(-1)!.variadic ? Math.min(w.operands.length, args.length - 1) : w.operands.length;
  if (index < args.length && w.cmd.parent) {
    const kind = ARGUMENT_VALUES[pathOf(w.cmd)]?.[index];
    const values = await valuesOf(kind, cur, source(w), '');
    if (values.directive === 'files' && out.length === 0) return values;
    out.push(...values.candidates);
    if (values.directive === 'nospace') return { candidates: out, directive: 'nospace' };
  }
  return { candidates: out };
}

async function valuesOf(kind: ValueKind | undefined, cur: string, source: ValueSource, prefix: string): Promise<Completion> {
  if (kind === undefined) return { candidates: [] };
  const named = (values: readonly string[]): Candidate[] => values.map((value) => ({ value }));
  const keep = (list: Candidate[]) => list.filter((c) => c.value.startsWith(cur)).map((c) => ({ ...c, value: prefix + c.value }));
  if (typeof kind !== 'string') return { candidates: keep(named(kind)) };
  switch (kind) {
    case 'file':
      return { candidates: [], directive: 'files' };
    case 'shell':
      return { candidates: keep(named(SHELLS)) };
    case 'env':
      return { candidates: keep(named(await source.environments())) };
    case 'backend':
      return { candidates: keep(named(await source.backends())) };
    case 'secret':
      return { candidates: keep(await source.secrets()) };
    case 'version':
      return { candidates: keep((await source.versions()).filter((c) => !c.shadowed).map(({ tag: _, shadowed: _s, ...c }) => c)) };
    case 'tag':
      return { candidates: keep((await source.versions()).filter((c) => c.tag).map(({ tag: _, shadowed: _s, ...c }) => c)) };
    case 'store':
      return { candidates: keep(await source.stores()) };
    case 'store-secret':
      return { candidates: keep(await source.storeSecrets()) };
    case 'deploy-spec': {
      // `5@` first (the percentage follows, no space), then `5@100%` ... once the `@` is typed.
      const at = cur.indexOf('@');
      if (at < 0) return { candidates: keep((await source.versions()).filter((v) => !v.shadowed).map(({ tag: _, shadowed: _s, ...v }) => ({ ...v, value: `${v.value}@` }))), directive: 'nospace' };
      const ref = cur.slice(0, at);
      return { candidates: keep(['100', '50', '10', '0'].map((p) => ({ value: `${ref}@${p}%` }))) };
    }
  }
}

/** Any failure (no config, a damaged store, a bad flag typed so far) offers nothing. */
const quietly = async <T>(fn: () => Promise<T[]>): Promise<T[]> => {
  try {
    return await fn();
  } catch {
    return [];
  }
};

/** The project's values for the words typed: environments always; names only on the local backend. */
export class ProjectValues implements ValueSource {
  private projectRead?: Promise<Project>;
  private localRead?: Promise<{ backend: LocalBackend; target: Target; project: Project } | undefined>;

  constructor(
    private readonly io: IO,
    private readonly typed: ReadonlyMap<string, string>,
  ) {}

  private project(withEnv = true): Promise<Project> {
    const load = (env?: string) => loadProject({ cwd: this.io.cwd, config: this.typed.get('--config'), env, name: this.typed.get('--name') });
    if (!withEnv) return load(undefined);
    this.projectRead ??= load(this.typed.get('--env'));
    return this.projectRead;
  }

  environments(): Promise<string[]> {
    return quietly(async () => (await this.project(false)).environments);
  }

  backends(): Promise<string[]> {
    return quietly(async () => {
      const configured = (await this.project(false).catch(() => undefined))?.backendSpec;
      return [...new Set(['local', 'cloudflare', ...(configured ? [configured] : []), ...(this.io.env.MYCLI_BACKEND ? [this.io.env.MYCLI_BACKEND] : [])])];
    });
  }

  /** The local backend and the target, or undefined when the chosen backend is another one. */
  private local() {
    this.localRead ??= (async () => {
      const project = await this.project();
      const { spec } = chooseBackend({ flag: this.typed.get('--backend'), env: this.io.env, config: project.backendSpec, cwd: this.io.cwd, projectDir: project.projectDir });
      if (spec.trim() !== 'local') return undefined;
      const target: Target = {
        worker: project.worker,
        env: project.env,
        configPath: project.configPath,
        projectDir: project.projectDir,
        accountId: project.accountId,
        declared: this.typed.get('--name') === undefined,
      };
      return { backend: new LocalBackend({ env: this.io.env, readOnly: true }), target, project };
    })();
    return this.localRead;
  }

  secrets(): Promise<Candidate[]> {
    return quietly(async () => {
      const l = await this.local();
      if (!l) return [];
      return (await l.backend.listSecrets(l.target)).map((s) => ({ value: s.name, description: `secret of ${l.target.worker}` }));
    });
  }

  versions(): Promise<Candidate[]> {
    return quietly(async () => {
      const l = await this.local();
      if (!l) return [];
      const versions = await l.backend.listVersions(l.target, { limit: VERSIONS_OFFERED });
      // A description is one line of the completion protocol (value, tab, description).
      const about = (v: (typeof versions)[number]) => oneLine([`version ${v.number}`, v.tag && `tag ${v.tag}`, v.message, v.createdOn.slice(0, 10)].filter(Boolean).join(' · '));
      const numbers = versions.map((v) => ({ value: String(v.number), description: about(v) }));
      // A tag names its version only when no number or id prefix reads the same (commands/versions/
      // refs.ts), and only when one version carries it: others would complete to another version,
      // or to a refusal. After --version-tag (tags only) a shadowed tag still names its version.
      const count = new Map<string, number>();
      for (const v of versions) if (v.tag) count.set(v.tag, (count.get(v.tag) ?? 0) + 1);
      const shadowed = (t: string) => versions.some((v) => String(v.number) === t || (t.length >= 4 && v.id.startsWith(t.toLowerCase())));
      const tags = versions.filter((v) => v.tag && count.get(v.tag) === 1).map((v) => ({ value: v.tag!, description: about(v), tag: true, shadowed: shadowed(v.tag!) }));
      return [...numbers, ...tags];
    });
  }

  stores(): Promise<Candidate[]> {
    return quietly(async () => {
      const l = await this.local();
      if (!l) return [];
      return (await l.backend.secretsStore.listStores(l.target)).map((s) => ({ value: s.name, description: `store ${s.id}` }));
    });
  }

  /** The secrets of the store `--store` names, else of the store the config names or the only one. */
  storeSecrets(): Promise<Candidate[]> {
    return quietly(async () => {
      const l = await this.local();
      if (!l) return [];
      const api = l.backend.secretsStore;
      // A Context that writes nowhere and never prompts, for the commands' own store resolution.
      const silent = { write: () => true } as unknown as IO['stdout'];
      const io: IO = { ...this.io, stdout: silent, stderr: silent, stdinIsTTY: false, stdoutIsTTY: false, stderrIsTTY: false, env: { ...this.io.env, CI: '1' } };
      const ctx = await Context.create(io, { config: this.typed.get('--config'), env: this.typed.get('--env'), name: this.typed.get('--name'), json: false, color: false, yes: false, debug: false });
      const store = await resolveStore(ctx, { backend: l.backend, api, target: l.target }, this.typed.get('--store'));
      return (await api.listSecrets(l.target, store.id)).map((s) => ({ value: s.name, description: `in store ${store.name}` }));
    });
  }
}

/** The lines the scripts read: `value<TAB>description`, then `:files` / `:nospace` when so. */
/**
 * What a candidate may hold to be offered: the shells insert a candidate into the command line as
 * typed (bash unquoted), so a tag or store name holding `$(...)`, a quote, a space or a control
 * character would run or split when Enter is pressed. Such a name is not offered (type it, quoted).
 */
const SAFE_CANDIDATE = /^[A-Za-z0-9_.,:@%+=/-]+$/;

export function formatCompletion(c: Completion): string {
  const clean = (s: string) => s.replace(/[\x00-\x1f\x7f]+/g, ' ');
  const lines = c.candidates.filter((x) => SAFE_CANDIDATE.test(x.value)).map((x) => (x.description ? `${clean(x.value)}\t${clean(x.description)}` : clean(x.value)));
  if (c.directive) lines.push(`:${c.directive}`);
  return lines.length ? lines.join('\n') + '\n' : '';
}

/** `mycli complete --words -- <words...>`: the candidates, or nothing on any failure. */
export async function completeWords(declarations: Declarations, io: IO, words: readonly string[]): Promise<string> {
  try {
    // PowerShell before 7.3 drops an empty argument: its script sends `""` for "nothing typed yet".
    const line = words.length && words.at(-1) === '""' ? [...words.slice(0, -1), ''] : words.length ? words : [''];
    return formatCompletion(await complete(completionTree(declarations), line, (w) => new ProjectValues(io, w.values)));
  } catch {
    return '';
  }
}
