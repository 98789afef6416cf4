/**
 * `--backend <spec>` > MYCLI_BACKEND > `[mycli] backend` > 'local'. Each backend's code is
 * imported only when chosen, so one backend never slows another's start-up.
 */
import { UsageError } from '../errors.js';
import type { Backend } from './types.js';
import type { ResolveOptions } from './resolve-options.js';
import { guardEdge } from './edge.js';
// The default backend is part of the core bundle; the others load only when chosen.
import { LocalBackend } from './local/backend.js';

export type { ResolveOptions };

/** The backend `o.spec` names, behind the edge every backend passes through (edge.ts). */
export async function resolveBackend(o: ResolveOptions): Promise<Backend> {
  return guardEdge(await load(o), { shape: !o.unstripped });
}

async function load(o: ResolveOptions): Promise<Backend> {
  const spec = o.spec.trim();
  if (spec === 'local') {
    return new LocalBackend({ env: o.env, notice: o.log });
  }
  if (spec === 'cloudflare') {
    const { createCloudflareBackend } = await import('./cloudflare/backend.js');
    return createCloudflareBackend({ target: o.target, env: o.env, debug: o.debug, log: o.log });
  }
  if (spec === '') throw new UsageError('the backend name is empty', { hint: 'use local, cloudflare, a module path or a package name' });
  const { loadPlugin } = await import('./plugin.js');
  return loadPlugin(spec, o);
}
