import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/** In wrangler's order of precedence when several sit in one folder. */
export const CONFIG_NAMES = ['wrangler.json', 'wrangler.jsonc', 'wrangler.toml'] as const;

/** The nearest wrangler.toml / wrangler.json / wrangler.jsonc from `cwd` upward, or undefined. */
export function findConfig(cwd: string): string | undefined {
  let dir = resolve(cwd);
  for (;;) {
    for (const name of CONFIG_NAMES) {
      const candidate = join(dir, name);
      if (existsSync(candidate)) return candidate;
    }
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}
