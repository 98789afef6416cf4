/**
 * What resolving a backend is given. A module of its own: resolve.ts imports plugin.ts (lazily),
 * and plugin.ts takes these options too.
 */
import type { Target } from './types.js';

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
