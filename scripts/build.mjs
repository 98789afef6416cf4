// Build: type declarations with tsc (dist/types/), and the runtime bundled with esbuild.
//
// Why a bundle: start-up is part of the product. Node 20 loads an ES module graph file by file
// (about 1 ms each); an everyday command loads bin/mycli.js, dist/cli.js, dist/exit.js and
// dist/main.js, and each part it loads with `await import()` (a backend, the prompt library,
// the HTTP client, a command's run) is one more file in dist/chunks/. See `npm run bench`.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

// From scratch: a module moved or removed must not leave its old declarations in the package.
rmSync(join(root, 'dist/types'), { recursive: true, force: true });
execFileSync(process.execPath, [fileURLToPath(new URL('../node_modules/typescript/bin/tsc', import.meta.url)), '-p', 'tsconfig.json', '--emitDeclarationOnly', '--declarationDir', 'dist/types'], {
  cwd: root,
  stdio: 'inherit',
});

// commander requires node:child_process at load time, for executable subcommands mycli never
// uses; loading it brings net, dgram and their bindings into every start-up (measured ~5 ms,
// issue 21). In the bundle, commander gets a stand-in that loads it on first use.
const lazyChildProcess = {
  name: 'lazy-child-process',
  setup(b) {
    b.onResolve({ filter: /^(node:)?child_process$/ }, (args) =>
      /[\\/]node_modules[\\/]commander[\\/]/.test(args.importer) ? { path: 'child_process', namespace: 'lazy-child-process' } : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'lazy-child-process' }, () => ({
      contents: "module.exports = { spawn: (...args) => require('node:child_process').spawn(...args) };",
      loader: 'js',
    }));
  },
};

const common = {
  plugins: [lazyChildProcess],
  absWorkingDir: root,
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'bundle',
  // Prefer a package's ES module build: some (jsonc-parser) ship a UMD "main" whose dynamic
  // require()s cannot work inside a bundle.
  mainFields: ['module', 'main'],
  metafile: true,
  // wrangler is a test-only client, never part of mycli.
  external: ['wrangler'],
  // __filename/__dirname (read by bundled CommonJS, e.g. undici) come from the banner.
  define: { __MYCLI_VERSION__: JSON.stringify(pkg.version), __filename: '__mycliFilename', __dirname: '__mycliDirname' },
  // Bundled CommonJS dependencies (commander, undici) call require() for Node built-ins.
  banner: {
    js:
      "import { createRequire as __mycliCreateRequire } from 'node:module'; const require = __mycliCreateRequire(import.meta.url);" +
      " import { fileURLToPath as __mycliFileURLToPath } from 'node:url'; const __mycliFilename = __mycliFileURLToPath(import.meta.url);" +
      " const __mycliDirname = __mycliFileURLToPath(new URL('.', import.meta.url));",
  },
  // Smaller source parses faster (V8 pre-parses every byte it loads); names are kept so that
  // error names and stack traces stay readable.
  minify: true,
  keepNames: true,
  legalComments: 'none',
  logLevel: 'warning',
};

const outputs = {};
const rel = (p) => relative(root, p).split(sep).join('/');
const isSrc = (p) => p.startsWith(join(root, 'src') + sep);
/** The file name of a lazy part: `src/backends/cloudflare/backend.ts` -> `backends-cloudflare-backend`. */
const lazyName = (abs) => {
  const r = rel(abs);
  if (r.startsWith('src/')) return r.slice(4).replace(/\.ts$/, '').replace(/[\\/]/g, '-');
  return 'pkg-' + (/node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(r)?.[1] ?? r).replace(/[@/]/g, '-').replace(/^-+/, '');
};
const REGISTRY = "globalThis[Symbol.for('mycli.modules')]";

// The CLI is two builds, so that everything a command needs at start-up is ONE file (dist/main.js)
// and each part loaded with `await import()` is one more (issue 21: with esbuild's splitting
// alone, every module shared by main and a lazy part became a chunk of its own, and main.js
// loaded 13 of them on every run; each ES module file costs about 1 ms on Node 20).
//
// 1. The core: src/cli.ts and src/main.ts with what they import statically. A dynamic
//    `import()` of anything else becomes an import of `./chunks/<name>.js`.
// 2. The lazy parts: each target of such an `import()` is an entry of a second build, in which
//    an import of a core module reads it from the core instead of bundling a second copy (one
//    class per error, one redactor): main.js registers the namespaces of the modules the lazy
//    parts use under `Symbol.for('mycli.modules')`, before any lazy part can load.
async function coreBuild({ lazyTargets, register = new Set(), core }) {
  const exitTs = join(root, 'src', 'exit.ts');
  const mainTs = join(root, 'src', 'main.ts');
  const plugin = {
    name: 'lazy-parts',
    setup(b) {
      b.onResolve({ filter: /.*/ }, async (args) => {
        if (args.pluginData?.inner || args.kind === 'entry-point' || args.path.startsWith('node:')) return undefined;
        const r = await b.resolve(args.path, { kind: args.kind, resolveDir: args.resolveDir, importer: args.importer, pluginData: { inner: true } });
        if (r.errors.length || r.external) return undefined;
        // exit.ts keeps the state of the process's one exit: cli.js and main.js share dist/exit.js.
        if (r.path === exitTs) return { path: './exit.js', external: true };
        if (r.path === mainTs) return { path: './main.js', external: true };
        if (args.kind !== 'dynamic-import' || core?.has(r.path)) return undefined; // a module loaded already stays inside the core
        lazyTargets.add(r.path);
        return { path: `./chunks/${lazyName(r.path)}.js`, external: true };
      });
      // main.ts registers what the lazy parts import from the core.
      b.onLoad({ filter: /[\\/]src[\\/]main\.ts$/ }, (args) => {
        const text = readFileSync(args.path, 'utf8');
        if (register.size === 0) return { contents: text, loader: 'ts' };
        const mods = [...register].sort();
        const imports = mods.map((m, i) => `import * as __mycliM${i} from ${JSON.stringify('./' + relative(join(root, 'src'), m).split(sep).join('/'))};`).join('\n');
        const table = mods.map((m, i) => `${JSON.stringify(rel(m))}: __mycliM${i}`).join(', ');
        return { contents: `${text}\n${imports}\n${REGISTRY} = { ${table} };\n`, loader: 'ts' };
      });
    },
  };
  // No splitting: each of the three is one file.
  return build({ ...common, splitting: false, plugins: [...common.plugins, plugin], entryPoints: { cli: 'src/cli.ts', main: 'src/main.ts', exit: 'src/exit.ts' } });
}

/**
 * The lazy parts, each one file (no splitting): an import of a core module reads it from the
 * core; an import of another lazy part, or a dynamic import of anything else, imports that part's
 * own file. Returns the parts found along the way (built by the next round).
 */
async function lazyBuild(entries, core, register, found) {
  const plugin = {
    name: 'from-the-core',
    setup(b) {
      b.onResolve({ filter: /.*/ }, async (args) => {
        if (args.pluginData?.inner || args.kind === 'entry-point' || args.path.startsWith('node:')) return undefined;
        const r = await b.resolve(args.path, { kind: args.kind, resolveDir: args.resolveDir, importer: args.importer, pluginData: { inner: true } });
        if (r.errors.length || r.external) return undefined;
        if (core.has(r.path)) {
          register.add(r.path);
          return { path: r.path, namespace: 'mycli-core' };
        }
        if (entries.has(r.path) || args.kind === 'dynamic-import') {
          found.add(r.path);
          return { path: `./${lazyName(r.path)}.js`, external: true };
        }
        return undefined;
      });
      b.onLoad({ filter: /.*/, namespace: 'mycli-core' }, (args) => ({
        contents: `module.exports = ${REGISTRY}[${JSON.stringify(rel(args.path))}];`,
        loader: 'js',
      }));
    },
  };
  return build({
    ...common,
    splitting: false,
    plugins: [...common.plugins, plugin],
    entryPoints: Object.fromEntries([...entries].map((p) => [`chunks/${lazyName(p)}`, p])),
  });
}

// Pass 1 finds the core (what cli.ts and main.ts reach statically) and the lazy parts; the lazy
// builds find what they take from the core (and further lazy parts); pass 2 is the core that
// registers it.
const candidates = new Set();
const first = await coreBuild({ lazyTargets: candidates });
const core = new Set(
  Object.values(first.metafile.outputs)
    .flatMap((o) => Object.keys(o.inputs))
    .map((p) => join(root, p))
    .filter(isSrc),
);
const register = new Set();
const lazyEntries = new Set([...candidates].filter((p) => !core.has(p)));
let lazy;
for (;;) {
  const found = new Set();
  lazy = await lazyBuild(lazyEntries, core, register, found);
  const more = [...found].filter((p) => !lazyEntries.has(p));
  if (more.length === 0) break;
  for (const p of more) lazyEntries.add(p);
}
// A module bundled into two lazy parts has two instances: only stateless ones may be (checked).
const owners = new Map();
for (const [file, o] of Object.entries(lazy.metafile.outputs)) {
  for (const input of Object.keys(o.inputs)) if (input.startsWith('src/')) owners.set(input, [...(owners.get(input) ?? []), file]);
}
// Stateless helpers (format.ts, refs.ts) may be copied; one that keeps module state (a top-level
// `let`, a Map or Set) must not be.
const keepsState = (input) => /^(export )?(let|var) |^(export )?const \w+ = new (Map|Set|WeakMap)\b/m.test(readFileSync(join(root, input), 'utf8'));
const twice = [...owners].filter(([input, files]) => files.length > 1 && keepsState(input)).map(([input, files]) => `${input} (${files.join(', ')})`);
if (twice.length) throw new Error(`modules that keep state are bundled into several lazy parts (one instance each); import them from the core or make each a lazy part of its own:\n  ${twice.join('\n  ')}`);
const cli = await coreBuild({ lazyTargets: new Set(), register, core });
Object.assign(outputs, cli.metafile.outputs, lazy.metafile.outputs);
// MYCLI_BUILD_META=file: esbuild's metafiles of the CLI (which modules went into which file), for start-up work.
if (process.env.MYCLI_BUILD_META) writeFileSync(process.env.MYCLI_BUILD_META, JSON.stringify({ inputs: {}, outputs }));
// The public plugin API (mycli/backend, mycli/conformance), built on its own so that its entry
// points do not split the CLI's start-up path into more files. Plugins' errors are recognised by
// shape at the plugin edge, so a separate copy of the error classes is fine.
const api = await build({ ...common, entryPoints: { backend: 'src/backends/backend-api.ts', conformance: 'src/backends/conformance.ts' }, chunkNames: 'chunks/api-[name]-[hash]' });
Object.assign(outputs, api.metafile.outputs);

// Built in place (tests may be running the binary meanwhile); then drop chunks no longer produced.
const produced = new Set(Object.keys(outputs).map((f) => relative(root, join(root, f))));
const chunksDir = join(root, 'dist', 'chunks');
mkdirSync(chunksDir, { recursive: true });
for (const f of readdirSync(chunksDir)) {
  const rel = relative(root, join(chunksDir, f));
  if (!produced.has(rel)) rmSync(join(chunksDir, f), { force: true });
}
