/**
 * What a name may look like (pure; no I/O). The one home of these patterns: the config checks,
 * `--name`, the backends and the argv hints all test names here.
 */

/** A binding name (a var, a secret): letters, digits and "_", not starting with a digit (see isBindingName). */
export const BINDING_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** A Worker name: 1-63 lowercase letters, digits, "-" or "_", starting with a letter or digit. */
export const WORKER_NAME = /^[a-z0-9][a-z0-9_-]{0,62}$/;

/**
 * Names that match BINDING_NAME but are properties of every JavaScript object: as a key they
 * would become (or shadow) an object's prototype, so no binding may have them.
 */
export const RESERVED_NAMES: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

export function isReservedName(name: string): boolean {
  return RESERVED_NAMES.has(name);
}

/** A valid binding name: the pattern, and not a reserved name. */
export function isBindingName(name: string): boolean {
  return BINDING_NAME.test(name) && !RESERVED_NAMES.has(name);
}

export function isWorkerName(name: string): boolean {
  return WORKER_NAME.test(name);
}

/**
 * A script name as the API path accepts it (`mycli serve`): looser than WORKER_NAME (upper case
 * and a leading "_" pass), as the Cloudflare API is; mycli's own commands check WORKER_NAME.
 */
export const API_SCRIPT_NAME = /^[A-Za-z0-9_][A-Za-z0-9_-]{0,62}$/;
