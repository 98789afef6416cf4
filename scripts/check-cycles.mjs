// The import graph of src/: no cycles, and each layer imports only the layers below it.
//
//   node scripts/check-cycles.mjs        prints each cycle and each forbidden import; exit 1 if any
//
// Run by the test suite (test/architecture/cycles.test.ts). The graph comes from TypeScript's own
// parser (already a devDependency), so multi-line imports, `export … from` and `import()` are all
// seen, and an import that only brings in types is told apart from one that loads a module.
//
// - Cycles are over every edge: static imports and re-exports, lazy `import()`, and imports of
//   types only. A cycle of static imports can hand a module its neighbour half-initialised; one
//   closed by a lazy `import()` or by a type import cannot, but still means modules that cannot
//   be understood (or moved, or published) apart (issue 21: a type import tied 33 modules into
//   one knot). Each is reported with what closes it.
// - Layer rules are over every edge, types included (see LAYERS below and ARCHITECTURE.md).
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, posix, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * What each layer may import: the path prefixes under src/ it may import (`only`; a folder ends
 * in `/`, a file is named whole) or those it must not (`forbidden`), the files it may take types
 * from and nothing else (`typesOnly`), and `packages: false` for no package or node: module at
 * all (a pure layer does no I/O). `except` names files of the layer the rule leaves out. An import
 * is reported once, under the first rule it breaks.
 */
export const LAYERS = [
  {
    layer: 'src/domain/',
    rule: 'domain rules are pure: they import only domain/ and types from backends/types.ts, and no package (no node: I/O)',
    only: ['domain/'],
    typesOnly: ['backends/types.ts'],
    packages: false,
  },
  {
    layer: 'src/backends/',
    rule: 'backends never import cli, commands, serve, io, config, typegen, main or crash: only backends/, domain/, errors.ts, redact.ts, version.ts',
    only: ['backends/', 'domain/', 'errors.ts', 'redact.ts', 'version.ts'],
  },
  {
    layer: 'src/serve/',
    rule: 'serve never imports cli, commands, io, config, typegen, main or crash: only serve/, backends/, domain/, errors.ts, redact.ts, version.ts',
    only: ['serve/', 'backends/', 'domain/', 'errors.ts', 'redact.ts', 'version.ts'],
  },
  {
    layer: 'src/io/',
    rule: 'io (the terminal, stdin) sits below cli and commands: only io/, backends/, domain/, errors.ts, redact.ts, version.ts',
    only: ['io/', 'backends/', 'domain/', 'errors.ts', 'redact.ts', 'version.ts'],
  },
  {
    layer: 'src/config/',
    rule: 'config (wrangler config) sits below cli and commands: only config/, backends/, domain/, errors.ts, redact.ts, version.ts',
    only: ['config/', 'backends/', 'domain/', 'errors.ts', 'redact.ts', 'version.ts'],
  },
  {
    layer: 'src/typegen/',
    rule: 'typegen (`mycli types` output) sits below commands: only typegen/, config/, domain/, errors.ts, redact.ts',
    only: ['typegen/', 'config/', 'domain/', 'errors.ts', 'redact.ts'],
  },
  {
    layer: 'src/errors.ts',
    rule: 'errors.ts and redact.ts are used by all: they import nothing else of src',
    only: ['errors.ts', 'redact.ts'],
  },
  {
    layer: 'src/redact.ts',
    rule: 'errors.ts and redact.ts are used by all: they import nothing else of src',
    only: ['errors.ts', 'redact.ts'],
  },
  {
    layer: 'src/exit.ts',
    rule: 'exit.ts (ending the process) is used by cli.ts and crash.ts: it imports nothing of src',
    only: [],
  },
  {
    layer: 'src/',
    except: ['src/cli.ts'],
    rule: 'only cli.ts (and tests) import main.ts',
    forbidden: ['main.ts'],
  },
  {
    layer: 'src/',
    except: ['src/main.ts', 'src/cli.ts', 'src/crash.ts'],
    rule: 'nothing below main.ts imports cli.ts or crash.ts (the process entry and its crash handlers)',
    forbidden: ['cli.ts', 'crash.ts'],
  },
];

function sourceFiles(dir) {
  const out = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...sourceFiles(p));
    else if (e.name.endsWith('.ts') && !e.name.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

/** `{ type A, type B }` (every named import or export a type) is erased like `import type`. */
function onlyTypes(elements) {
  return elements !== undefined && elements.length > 0 && elements.every((e) => e.isTypeOnly);
}

/**
 * The relative module specifiers of one file, each with whether it loads the module at run time.
 * `{ packages: true }`: the other specifiers instead (`node:fs`, `zod`, ...).
 */
export function importsOf(text, fileName = 'x.ts', { packages = false } = {}) {
  const sf = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  const found = [];
  const visit = (node) => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      const c = node.importClause;
      const typeOnly = Boolean(c && (c.isTypeOnly || (!c.name && c.namedBindings && ts.isNamedImports(c.namedBindings) && onlyTypes(c.namedBindings.elements))));
      found.push({ spec: node.moduleSpecifier.text, runtime: !typeOnly, lazy: false });
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      const typeOnly = node.isTypeOnly || Boolean(node.exportClause && ts.isNamedExports(node.exportClause) && onlyTypes(node.exportClause.elements));
      found.push({ spec: node.moduleSpecifier.text, runtime: !typeOnly, lazy: false });
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword && node.arguments[0] && ts.isStringLiteralLike(node.arguments[0])) {
      found.push({ spec: node.arguments[0].text, runtime: true, lazy: true });
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) {
      found.push({ spec: node.argument.literal.text, runtime: false, lazy: false }); // `import('x').T` in a type
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return packages ? found.filter((f) => !f.spec.startsWith('.')) : found.filter((f) => f.spec.startsWith('.'));
}

/** The import graph of `src/`: file (relative to the repo, posix) -> its imports of other files in src. */
export function importGraph(root = ROOT) {
  const src = join(root, 'src');
  const files = sourceFiles(src);
  const known = new Set(files.map((f) => relative(root, f).split(sep).join('/')));
  const graph = new Map();
  for (const file of files) {
    const from = relative(root, file).split(sep).join('/');
    const edges = [];
    for (const { spec, runtime, lazy } of importsOf(readFileSync(file, 'utf8'), file)) {
      // NodeNext: `./x.js` names the compiled file of `./x.ts`.
      const base = posix.normalize(posix.join(posix.dirname(from), spec));
      const to = [base.replace(/\.js$/, '.ts'), base, `${base}.ts`, `${base}/index.ts`].find((c) => known.has(c));
      if (to) edges.push({ to, runtime, lazy });
    }
    // Packages and node: modules, as `to` without a path (the layer rules read them; no cycles).
    for (const { spec, runtime, lazy } of importsOf(readFileSync(file, 'utf8'), file, { packages: true })) edges.push({ to: spec, runtime, lazy, pkg: true });
    graph.set(from, edges);
  }
  return graph;
}

/**
 * Each cycle once, as a path `a -> b -> a`: a depth-first walk reports a cycle for each edge back
 * to a module still on its stack (what madge reports too). Every edge counts; `{ lazy: false }`
 * leaves out lazy `import()`s, `{ types: false }` imports of types only (to tell what closes one).
 */
export function findCycles(graph, { lazy = true, types = true } = {}) {
  const cycles = [];
  const state = new Map(); // undefined: unseen, 1: on the stack, 2: done
  const stack = [];
  const walk = (node) => {
    state.set(node, 1);
    stack.push(node);
    for (const e of graph.get(node) ?? []) {
      if (e.pkg || (!e.runtime && !types) || (e.lazy && !lazy)) continue;
      const to = e.to;
      if (state.get(to) === 1) cycles.push([...stack.slice(stack.indexOf(to)), to]);
      else if (state.get(to) === undefined) walk(to);
    }
    stack.pop();
    state.set(node, 2);
  };
  for (const node of [...graph.keys()].sort()) if (state.get(node) === undefined) walk(node);
  return cycles;
}

/** Imports that cross a layer rule, as `from -> to (rule)`: each import once, under the first rule it breaks. */
export function layerViolations(graph) {
  const problems = [];
  const breaks = (l, { to, runtime, pkg }) => {
    if (pkg) return l.packages === false;
    const inSrc = to.slice('src/'.length);
    const under = (f) => (f.endsWith('/') ? inSrc.startsWith(f) : inSrc === f);
    if (!runtime && l.typesOnly?.some(under)) return false;
    return l.only ? !l.only.some(under) : (l.forbidden ?? []).some(under);
  };
  for (const [from, edges] of graph) {
    const rules = LAYERS.filter((l) => from.startsWith(l.layer) && !l.except?.includes(from));
    for (const edge of edges) {
      const broken = rules.find((l) => breaks(l, edge));
      if (broken) problems.push(`${from} -> ${edge.to} (${broken.rule})`);
    }
  }
  return problems.sort();
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const graph = importGraph();
  const cycles = findCycles(graph);
  const layers = layerViolations(graph);
  const eager = new Set(findCycles(graph, { lazy: false, types: false }).map((c) => c.join(' -> ')));
  const loading = new Set(findCycles(graph, { types: false }).map((c) => c.join(' -> ')));
  const kind = (c) => (eager.has(c) ? 'cycle' : loading.has(c) ? 'cycle (closed by a lazy import())' : 'cycle (closed by a type import)');
  for (const c of cycles) console.log(`${kind(c.join(' -> '))}: ${c.join(' -> ')}`);
  for (const v of layers) console.log(`layer: ${v}`);
  console.log(`${graph.size} modules, ${cycles.length} import cycle${cycles.length === 1 ? '' : 's'}, ${layers.length} layer violation${layers.length === 1 ? '' : 's'}`);
  process.exitCode = cycles.length || layers.length ? 1 : 0;
}
