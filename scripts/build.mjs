// Build: type declarations with tsc (dist/types/), and the runtime bundled with esbuild.
//
// Why a bundle: start-up is part of the product. Node 20 loads an ES module graph file by file;
// bundling our modules and dependencies into a few chunks (split so that each backend, the
// prompt library and the HTTP client still load only when needed) roughly halves the time of
// `mycli secret list`. See `npm run bench`.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
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
// The CLI. bin/mycli.js imports dist/cli.js; dist/main.js is the package's main export.
const cli = await build({ ...common, entryPoints: { cli: 'src/cli.ts', main: 'src/main.ts' }, chunkNames: 'chunks/[name]-[hash]' });
Object.assign(outputs, cli.metafile.outputs);
// MYCLI_BUILD_META=file: esbuild's metafile of the CLI (which modules went into which chunk), for start-up work.
if (process.env.MYCLI_BUILD_META) writeFileSync(process.env.MYCLI_BUILD_META, JSON.stringify(cli.metafile));
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
