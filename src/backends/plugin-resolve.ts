/**
 * Plugins import `mycli/backend` (and `mycli/conformance`). Node resolves a bare specifier from
 * the importing file's folder upward, so a plugin in a project folder would not find a mycli
 * that is installed globally, run by npx or installed in another project. A module resolve hook
 * maps these specifiers to the files of the mycli that is running, wherever it is installed —
 * so a plugin always talks to the API of the mycli that loads it.
 *
 * `module.registerHooks` (Node 22.15+, 23.5+) runs the hook in this thread; `module.register`
 * (Node 20.6+) runs it in Node's loader thread, so its module is a data: URL with the mapping
 * written into it. Installed once, and only when a plugin is loaded.
 */
import { existsSync, readFileSync } from 'node:fs';
import * as nodeModule from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** The folder of the running mycli package (the one whose package.json is named "mycli"). */
export function mycliRoot(from: string = fileURLToPath(import.meta.url)): string | undefined {
  let dir = dirname(from);
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg)) {
      try {
        if ((JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'mycli') return dir;
      } catch {
        // not ours; keep looking
      }
    }
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/** Specifier -> file URL, for the public entry points that exist in the running mycli. */
export function mycliSpecifiers(root: string): Record<string, string> {
  const map: Record<string, string> = {};
  const entries: [string, string][] = [
    ['mycli/backend', 'dist/backend.js'],
    ['mycli/conformance', 'dist/conformance.js'],
    ['mycli', 'dist/main.js'],
  ];
  for (const [spec, file] of entries) {
    const path = join(root, file);
    if (existsSync(path)) map[spec] = pathToFileURL(path).href;
  }
  return map;
}

type ResolveFn = (specifier: string, context: unknown, next: (s: string, c?: unknown) => unknown) => unknown;

let installed = false;

/** Install the hook (once). Returns a line for --debug saying what was done. */
export function installMycliResolver(): string {
  if (installed) return 'plugin: mycli/backend resolver already installed';
  const root = mycliRoot();
  const map = root ? mycliSpecifiers(root) : {};
  if (Object.keys(map).length === 0) return 'plugin: no built mycli entry points found; mycli/backend resolves as Node does';
  const m = nodeModule as unknown as {
    registerHooks?: (hooks: { resolve: ResolveFn }) => unknown;
    register?: (specifier: string, parentURL?: string) => void;
  };
  if (typeof m.registerHooks === 'function') {
    m.registerHooks({
      resolve: (specifier, context, next) => (specifier in map ? { url: map[specifier], format: 'module', shortCircuit: true } : next(specifier, context)),
    });
  } else if (typeof m.register === 'function') {
    const source =
      `const map = ${JSON.stringify(map)};\n` +
      'export async function resolve(specifier, context, next) {\n' +
      "  if (Object.hasOwn(map, specifier)) return { url: map[specifier], format: 'module', shortCircuit: true };\n" +
      '  return next(specifier, context);\n' +
      '}\n';
    m.register('data:text/javascript,' + encodeURIComponent(source));
  } else {
    return 'plugin: this Node has no module hooks (needs 20.6+); mycli/backend resolves as Node does';
  }
  installed = true;
  return `plugin: mycli/backend resolves to ${map['mycli/backend'] ?? '(not built)'}`;
}

/**
 * A package a plugin imports but that is not installed: "Cannot find package 'dotenv' imported
 * from /p/backends/dev-vars.mjs". Returns the package and the folder to install it in (the
 * nearest folder above the importing file with a package.json, else the file's own folder).
 */
export function missingPackage(e: unknown): { pkg: string; folder: string } | undefined {
  const err = e as { code?: string; message?: string };
  if (err?.code !== 'ERR_MODULE_NOT_FOUND' || typeof err.message !== 'string') return undefined;
  const m = /Cannot find package '([^']+)' imported from (.+)$/m.exec(err.message);
  if (!m) return undefined;
  const importer = m[2].trim().startsWith('file:') ? fileURLToPath(m[2].trim()) : m[2].trim();
  const own = dirname(importer);
  let dir = own;
  for (;;) {
    if (existsSync(join(dir, 'package.json'))) return { pkg: m[1], folder: dir };
    const parent = dirname(dir);
    if (parent === dir) return { pkg: m[1], folder: own };
    dir = parent;
  }
}
