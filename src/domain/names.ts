/**
 * What a name may look like (pure; no I/O). The one home of these patterns: the config checks,
 * `--name`, the backends and the argv hints all test names here.
 */

/** A binding name (a var, a secret): letters, digits and "_", not starting with a digit. */
export const BINDING_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** A Worker name: 1-63 lowercase letters, digits, "-" or "_", starting with a letter or digit. */
export const WORKER_NAME = /^[a-z0-9][a-z0-9_-]{0,62}$/;

export function isBindingName(name: string): boolean {
  return BINDING_NAME.test(name);
}

export function isWorkerName(name: string): boolean {
  return WORKER_NAME.test(name);
}

/**
 * A script name as the API path accepts it (`mycli serve`): looser than WORKER_NAME (upper case
 * and a leading "_" pass), as the Cloudflare API is; mycli's own commands check WORKER_NAME.
 */
export const API_SCRIPT_NAME = /^[A-Za-z0-9_][A-Za-z0-9_-]{0,62}$/;
