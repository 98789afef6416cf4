/**
 * The claims of ARCHITECTURE.md that are not import rules (those are in cycles.test.ts): who
 * touches the real process (argv, exit, the standard streams), who turns an error into an exit
 * code, what start-up loads, how serve reaches the local store, one file per verb. Each check
 * reads the source with TypeScript's parser, and each scanner is tried on a snippet that breaks
 * its rule, so none can pass by finding nothing.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
// @ts-expect-error -- a plain .mjs script, run by node as well; no declarations
import { importGraph } from '../../scripts/check-cycles.mjs';

type Edge = { to: string; runtime: boolean; lazy: boolean; pkg?: boolean };
type Graph = Map<string, Edge[]>;

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(p);
    return /\.(ts|mjs|js)$/.test(e.name) && !e.name.endsWith('.d.ts') ? [p] : [];
  });
}

/** src/** and bin/mycli.js as `[path relative to the repo, text]`. */
const SOURCES: [string, string][] = [...sourceFiles(join(ROOT, 'src')), join(ROOT, 'bin/mycli.js')].map((f) => [
  relative(ROOT, f).split(sep).join('/'),
  readFileSync(f, 'utf8'),
]);

const parsed = new Map<string, ts.SourceFile>();
/** A file parsed once for all the checks. */
function parse(text: string, file = 'x.ts'): ts.SourceFile {
  const key = `${file}\0${text}`;
  let sf = parsed.get(key);
  if (!sf) parsed.set(key, (sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS)));
  return sf;
}

function walk(node: ts.Node, visit: (n: ts.Node) => void): void {
  visit(node);
  ts.forEachChild(node, (c) => walk(c, visit));
}

/** The members of `process` a file uses: `process.argv`, `process['exit']`, `const { exit } = process`. */
export function processMembers(text: string, file = 'x.ts'): string[] {
  const found = new Set<string>();
  const isProcess = (e: ts.Expression) =>
    (ts.isIdentifier(e) && e.text === 'process') || (ts.isPropertyAccessExpression(e) && e.name.text === 'process' && ts.isIdentifier(e.expression) && e.expression.text === 'globalThis');
  walk(parse(text, file), (n) => {
    if (ts.isPropertyAccessExpression(n) && isProcess(n.expression)) found.add(n.name.text);
    else if (ts.isElementAccessExpression(n) && isProcess(n.expression) && ts.isStringLiteralLike(n.argumentExpression)) found.add(n.argumentExpression.text);
    else if (ts.isVariableDeclaration(n) && n.initializer && isProcess(n.initializer) && ts.isObjectBindingPattern(n.name)) {
      for (const el of n.name.elements) found.add(((el.propertyName ?? el.name) as ts.Identifier).text);
    }
  });
  return [...found].sort();
}

/** Files (of SOURCES) that use any of `members` of process. */
const usersOf = (members: string[]) =>
  SOURCES.filter(([file, text]) => processMembers(text, file).some((m) => members.includes(m)))
    .map(([file]) => file)
    .sort();

/** Names of the functions a file calls (`f(...)`, `x.f(...)`). */
export function calls(text: string, file = 'x.ts'): string[] {
  const found = new Set<string>();
  walk(parse(text, file), (n) => {
    if (!ts.isCallExpression(n)) return;
    const e = n.expression;
    if (ts.isIdentifier(e)) found.add(e.text);
    else if (ts.isPropertyAccessExpression(e)) found.add(e.name.text);
  });
  return [...found].sort();
}

/**
 * Places that hand back an exit code: a `return` (or an arrow's expression body) whose value is
 * `ExitCode.<name>` or some error's `.exitCode`. Only main() may.
 */
export function exitCodesReturned(text: string, file = 'x.ts'): string[] {
  const found: string[] = [];
  const isExitCode = (e: ts.Expression | undefined): boolean => {
    if (!e) return false;
    if (ts.isParenthesizedExpression(e) || ts.isAsExpression(e) || ts.isNonNullExpression(e)) return isExitCode(e.expression);
    if (ts.isConditionalExpression(e)) return isExitCode(e.whenTrue) || isExitCode(e.whenFalse);
    if (ts.isBinaryExpression(e) && (e.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken || e.operatorToken.kind === ts.SyntaxKind.BarBarToken)) return isExitCode(e.left) || isExitCode(e.right);
    if (ts.isPropertyAccessExpression(e)) return e.name.text === 'exitCode' || (ts.isIdentifier(e.expression) && e.expression.text === 'ExitCode');
    return false;
  };
  const sf = parse(text, file);
  walk(sf, (n) => {
    if ((ts.isReturnStatement(n) && isExitCode(n.expression)) || (ts.isArrowFunction(n) && !ts.isBlock(n.body) && isExitCode(n.body))) {
      found.push(`${file}:${sf.getLineAndCharacterOfPosition(n.getStart()).line + 1}`);
    }
  });
  return found;
}

/** The `defineCommand({...})` calls of a file that declare a leaf (a command without `commands`), by name. */
export function leafCommands(text: string, file = 'x.ts'): string[] {
  const found: string[] = [];
  walk(parse(text, file), (n) => {
    if (!ts.isCallExpression(n) || !ts.isIdentifier(n.expression) || n.expression.text !== 'defineCommand') return;
    const decl = n.arguments[0];
    if (!decl || !ts.isObjectLiteralExpression(decl)) return;
    const prop = (name: string) => decl.properties.find((p) => p.name && ts.isIdentifier(p.name) && p.name.text === name);
    if (prop('commands')) return;
    const name = prop('name');
    found.push(name && ts.isPropertyAssignment(name) && ts.isStringLiteralLike(name.initializer) ? name.initializer.text : '?');
  });
  return found;
}

/** The names the modules of SOURCES export (declarations and `export { x }`), with their files. */
function exportedNames(): Map<string, string[]> {
  const names = new Map<string, string[]>();
  const add = (name: string, file: string) => names.set(name, [...(names.get(name) ?? []), file]);
  for (const [file, text] of SOURCES) {
    for (const st of parse(text, file).statements) {
      const exported = ts.canHaveModifiers(st) && ts.getModifiers(st)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
      if (exported && (ts.isFunctionDeclaration(st) || ts.isClassDeclaration(st) || ts.isInterfaceDeclaration(st) || ts.isTypeAliasDeclaration(st)) && st.name) add(st.name.text, file);
      else if (exported && ts.isVariableStatement(st)) {
        for (const d of st.declarationList.declarations) if (ts.isIdentifier(d.name)) add(d.name.text, file);
      } else if (ts.isExportDeclaration(st) && st.exportClause && ts.isNamedExports(st.exportClause)) {
        for (const e of st.exportClause.elements) add(e.name.text, file);
      }
    }
  }
  return names;
}

/**
 * Imports of src modules that take another name (`import { a as b } from './x.js'`), where that
 * is not needed to avoid a clash (`a` means nothing else in the file) or where `b` is a name
 * another module exports (so it already means something else). `exported` maps such names to
 * their files.
 */
export function needlessRenames(text: string, file: string, exported: Map<string, string[]>): string[] {
  const found: string[] = [];
  const sf = parse(text, file);
  for (const st of sf.statements) {
    if (!ts.isImportDeclaration(st) || !ts.isStringLiteral(st.moduleSpecifier) || !st.moduleSpecifier.text.startsWith('.')) continue;
    const named = st.importClause?.namedBindings;
    if (!named || !ts.isNamedImports(named)) continue;
    for (const el of named.elements) {
      if (!el.propertyName) continue;
      const from = el.propertyName.text;
      const to = el.name.text;
      let elsewhere = false;
      walk(sf, (n) => {
        if (ts.isIdentifier(n) && n.text === from && n !== el.propertyName) elsewhere = true;
      });
      const means = (exported.get(to) ?? []).filter((f) => f !== file);
      if (means.length) found.push(`${file}: ${from} as ${to} (${to} is exported by ${means.join(', ')})`);
      else if (!elsewhere) found.push(`${file}: ${from} as ${to} (no other ${from} in the file: use its name)`);
    }
  }
  return found;
}

/** Everything `start` loads before any lazy `import()`: the static, run-time imports, followed. */
export function loadedEagerly(graph: Graph, start: string): Set<string> {
  const seen = new Set([start]);
  const todo = [start];
  while (todo.length) {
    for (const e of graph.get(todo.pop()!) ?? []) {
      if (!e.runtime || e.lazy || seen.has(e.to)) continue;
      seen.add(e.to);
      if (!e.pkg) todo.push(e.to);
    }
  }
  return seen;
}

describe('the real process', () => {
  it('only bin/mycli.js reads process.argv', () => {
    expect(usersOf(['argv', 'argv0', 'execArgv'])).toEqual(['bin/mycli.js']);
  });

  it('only src/exit.ts ends the process (exitWhenFlushed), called by bin/mycli.js and the crash handlers', () => {
    expect(usersOf(['exit', 'exitCode', 'abort', 'reallyExit'])).toEqual(['src/exit.ts']);
    const callers = SOURCES.filter(([file, text]) => calls(text, file).includes('exitWhenFlushed')).map(([f]) => f);
    expect(callers.sort()).toEqual(['bin/mycli.js', 'src/crash.ts']);
  });

  it('the real standard streams: createProcessIO (io.ts), the --version line (cli.ts), the crash line (crash.ts), the flush at exit (exit.ts)', () => {
    expect(usersOf(['stdin', 'stdout', 'stderr'])).toEqual(['src/cli.ts', 'src/crash.ts', 'src/exit.ts', 'src/io/io.ts']);
  });

  it('main() is the only function that hands back an exit code', () => {
    const found = SOURCES.filter(([file]) => file !== 'src/main.ts').flatMap(([file, text]) => exitCodesReturned(text, file));
    expect(found, `exit codes returned outside main.ts:\n${found.join('\n')}`).toEqual([]);
    expect(exitCodesReturned(readFileSync(join(ROOT, 'src/main.ts'), 'utf8')).length).toBeGreaterThan(0);
  });
});

describe('start-up', () => {
  const graph: Graph = importGraph();
  const lazyOnly = [
    'src/backends/cloudflare/',
    'src/backends/plugin.ts',
    'src/backends/plugin-resolve.ts',
    'src/backends/plugin-secrets-store.ts',
    'src/backends/conformance.ts',
    'src/serve/',
    'src/io/inquirer.ts',
    'undici',
    'zod',
    '@inquirer/prompts',
    'jsonc-parser',
    'node:http',
    'node:https',
    'node:child_process',
    'node:readline',
  ];
  const eagerHits = (loaded: Set<string>) => [...loaded].filter((m) => lazyOnly.some((p) => (p.endsWith('/') ? m.startsWith(p) : m === p))).sort();

  it('what every command loads (main.ts and its static imports) leaves out the cloudflare backend, plugins, serve, prompts, the JSONC parser and the HTTP stack', () => {
    const loaded = loadedEagerly(graph, 'src/main.ts');
    expect(loaded.has('src/backends/local/backend.ts')).toBe(true); // only local is imported eagerly
    expect(eagerHits(loaded)).toEqual([]);
  });

  it('`mycli --version` loads nothing but cli.ts and exit.ts: main.ts is imported lazily, by cli.ts alone', () => {
    const into = [...graph].flatMap(([from, edges]) => edges.filter((e) => e.to === 'src/main.ts').map((e) => ({ from, lazy: e.lazy })));
    expect(into).toEqual([{ from: 'src/cli.ts', lazy: true }]);
  });

  it('the checker sees an eager import of a lazy-only module', () => {
    const g: Graph = new Map([
      ['src/main.ts', [{ to: 'src/cli/program.ts', runtime: true, lazy: false }, { to: 'src/io/inquirer.ts', runtime: true, lazy: true }]],
      ['src/cli/program.ts', [{ to: 'src/serve/server.ts', runtime: true, lazy: false }, { to: 'src/backends/cloudflare/backend.ts', runtime: false, lazy: false }]],
      ['src/serve/server.ts', [{ to: 'node:http', runtime: true, lazy: false, pkg: true }]],
    ]);
    expect(eagerHits(loadedEagerly(g, 'src/main.ts'))).toEqual(['node:http', 'src/serve/server.ts']);
  });
});

describe('serve', () => {
  it('reaches the local store only through the local backend\'s serve extension (local/serve-extension.ts)', () => {
    const graph: Graph = importGraph();
    const reach = [...graph]
      .filter(([from]) => from.startsWith('src/serve/'))
      .flatMap(([from, edges]) => edges.filter((e) => e.to.startsWith('src/backends/local/') && e.to !== 'src/backends/local/serve-extension.ts').map((e) => `${from} -> ${e.to}`));
    expect(reach).toEqual([]);
    expect(graph.get('src/serve/backend.ts')?.map((e) => e.to)).toContain('src/backends/local/serve-extension.ts');
  });
});

describe('commands', () => {
  /** Files that declare more than one verb, and why. */
  const SHARED: Record<string, string> = {
    'src/commands/versions/rollout/command.ts': '`versions rollout status|abort` are declared beside `rollout` (their runs are status.ts and abort.ts)',
  };

  it('one file per verb: no file under src/commands declares two leaf commands (but those named in SHARED)', () => {
    const files = SOURCES.filter(([f]) => f.startsWith('src/commands/'));
    const many = files.map(([f, text]) => [f, leafCommands(text, f)] as const).filter(([f, leaves]) => leaves.length > 1 && !(f in SHARED));
    expect(many.map(([f, leaves]) => `${f}: ${leaves.join(', ')}`)).toEqual([]);
    expect(files.reduce((n, [f, text]) => n + leafCommands(text, f).length, 0)).toBeGreaterThan(25); // it sees the declarations
  });
});

describe('names', () => {
  /** Renames left for the owner of the file to make (issue 21 item 6), by the finding's text. */
  /** Renames waiting for their owner, each named (none now). */
  const PENDING = new Set<string>([]);

  it('an import of a src module keeps its name, unless that name is taken in the file; it never takes a name another module exports', () => {
    const exported = exportedNames();
    const found = SOURCES.flatMap(([file, text]) => needlessRenames(text, file, exported)).filter((f) => !PENDING.has(f));
    expect(found, found.join('\n')).toEqual([]);
  });
});

describe('ARCHITECTURE.md', () => {
  /** The repository paths a page names: its links, and backticked paths under src/, test/, scripts/, bin/, docs/, examples/. */
  const namedPaths = (md: string): string[] => {
    const links = [...md.matchAll(/\]\(([^)#\s]+)(?:#[^)\s]*)?\)/g)].map((m) => m[1]).filter((p) => !/^[a-z]+:/.test(p));
    const ticked = [...md.matchAll(/`((?:src|test|scripts|bin|docs|examples)\/[^`\s]+)`/g)].map((m) => m[1]).filter((p) => !p.includes('<'));
    return [...new Set([...links, ...ticked])].sort();
  };

  it('names only files and folders that exist', () => {
    const named = namedPaths(readFileSync(join(ROOT, 'ARCHITECTURE.md'), 'utf8'));
    expect(named.length).toBeGreaterThan(50);
    const missing = named.filter((p) => !existsSync(join(ROOT, p)));
    expect(missing, `ARCHITECTURE.md names paths that do not exist:\n${missing.join('\n')}`).toEqual([]);
  });

  it('the reader of paths sees links and backticked paths, not placeholders or URLs', () => {
    expect(namedPaths('[a](src/a.ts) `src/b.ts` `src/commands/<noun>/<verb>.ts` [c](https://x.y/z) [d](README.md#x)')).toEqual(['README.md', 'src/a.ts', 'src/b.ts']);
  });
});

describe('the scanners', () => {
  it('find each way of reaching process', () => {
    expect(processMembers("process.exit(1); globalThis.process.argv; process['stdout'].write(''); const { exitCode: c } = process;")).toEqual([
      'argv',
      'exit',
      'exitCode',
      'stdout',
    ]);
    expect(processMembers('const process = 1; io.stdout.write(x); // process.exit')).toEqual([]);
  });

  it('find an exit code handed back', () => {
    expect(exitCodesReturned('function f(e) { return e.exitCode; }\nconst g = () => ExitCode.usage;\nfunction h(e) { return ok ? 0 : (e as X).exitCode ?? 1; }')).toEqual([
      'x.ts:1',
      'x.ts:2',
      'x.ts:3',
    ]);
    expect(exitCodesReturned('if (e.exitCode === 3) return;\nconst n = new MycliError(c, like.exitCode, m);\nreturn e.exitCode === ExitCode.notFound;')).toEqual([]);
  });

  it('count the leaf declarations of a file, not its groups', () => {
    const text = "defineCommand({ name: 'g', commands: [defineCommand({ name: 'a', run }), defineCommand({ name: 'b', run })] });";
    expect(leafCommands(text)).toEqual(['a', 'b']);
    expect(leafCommands("export const command = defineCommand({ name: 'put', run });")).toEqual(['put']);
  });

  it('find an import renamed for no clash, or onto a name another module exports', () => {
    const exported = new Map([['sameSplit', ['src/domain/deployments.ts']]]);
    const text = [
      "import { deploymentServes as sameSplit } from '../domain/deployments.js';",
      "import { newestVersion as newestByNumber } from '../domain/versions.js';",
      "import { run as status } from './status.js';",
      "import { run } from './run.js';",
      "import { redact as redactAll } from '../redact.js';",
      "import { Agent as HttpAgent } from 'node:http';",
      'class C { redact() { return redactAll(run(status, sameSplit, newestByNumber)); } }',
    ].join('\n');
    expect(needlessRenames(text, 'src/x.ts', exported)).toEqual([
      'src/x.ts: deploymentServes as sameSplit (sameSplit is exported by src/domain/deployments.ts)',
      'src/x.ts: newestVersion as newestByNumber (no other newestVersion in the file: use its name)',
    ]);
  });

  it('find the callers of a function', () => {
    expect(calls('await exitWhenFlushed(1); x.exitWhenFlushed(2); const f = exitWhenFlushed;')).toEqual(['exitWhenFlushed']);
    expect(calls('const f = exitWhenFlushed;')).toEqual([]);
  });
});
