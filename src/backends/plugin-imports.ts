/**
 * A plugin imports `mycli/backend` (the README's first line of a backend). A plugin written in a
 * folder of its own has no `mycli` in its node_modules, so that import would fail before the
 * plugin even loads. When it cannot resolve `mycli` itself, its imports of `mycli`,
 * `mycli/backend` and `mycli/conformance` are answered with the running mycli's own modules (a
 * module resolve hook that only acts when the plugin's own resolution fails). A plugin that has
 * mycli installed keeps its own copy; no hook is registered then.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const HOOK = `
let map = {};
export function initialize(data) { map = data.map; }
export async function resolve(specifier, context, next) {
  try {
    return await next(specifier, context);
  } catch (e) {
    const url = map[specifier];
    if (url && e && e.code === 'ERR_MODULE_NOT_FOUND') return { url, shortCircuit: true };
    throw e;
  }
}
`;

let registered = false;

/** The folder of the running mycli package (the one with package.json named "mycli"). */
function ownRoot(): string | undefined {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg)) {
      try {
        if ((JSON.parse(readFileSync(pkg, 'utf8')) as { name?: unknown }).name === 'mycli') return dir;
      } catch {
        // not ours; keep looking
      }
    }
    const up = dirname(dir);
    if (up === dir) return undefined;
    dir = up;
  }
}

/** Make `mycli/backend` importable by the plugin at `file` when it cannot import it itself. */
export async function letPluginImportMycli(file: string, debug: (line: string) => void): Promise<void> {
  if (registered) return;
  try {
    createRequire(file).resolve('mycli/backend');
    return; // the plugin has its own mycli (installed or linked)
  } catch {
    // not resolvable from the plugin's folder: lend it ours
  }
  const root = ownRoot();
  if (!root) return;
  const map: Record<string, string> = {};
  for (const [specifier, rel] of [
    ['mycli', 'dist/main.js'],
    ['mycli/backend', 'dist/backend.js'],
    ['mycli/conformance', 'dist/conformance.js'],
  ] as const) {
    const path = join(root, rel);
    if (existsSync(path)) map[specifier] = pathToFileURL(path).href;
  }
  if (!map['mycli/backend']) return;
  const { register } = await import('node:module');
  if (typeof register !== 'function') return; // Node < 20.6: the plugin needs mycli installed beside it
  register(`data:text/javascript,${encodeURIComponent(HOOK)}`, { data: { map } });
  registered = true;
  debug(`plugin: mycli is not installed beside ${file}; its imports of mycli/backend use this mycli (${root})`);
}
