/**
 * `--backend <spec>` > MYCLI_BACKEND > `[mycli] backend` > 'local'. Each backend's code is
 * imported only when chosen, so one backend never slows another's start-up.
 */
import { UsageError } from '../errors.js';
import type { Backend, Target } from './types.js';
// The default backend is part of the core bundle; the others load only when chosen.
import { LocalBackend } from './local/backend.js';

export interface ResolveOptions {
  spec: string;
  target: Target;
  options: Record<string, unknown>;
  env: Record<string, string | undefined>;
  log: (line: string) => void;
  debug: (line: string) => void;
  /** Folder that a relative module path is resolved from (the config's folder for a spec from the config). */
  baseDir?: string;
  /**
   * A plugin's results are validated but not stripped of secret material: only for the
   * conformance kit (`backend check`), which must see — and report — what the plugin returns.
   */
  unstripped?: boolean;
}

export async function resolveBackend(o: ResolveOptions): Promise<Backend> {
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
