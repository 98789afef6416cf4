/**
 * The Secrets Store's rules, shared by every side that enforces them (the commands before any
 * request, the local backend, `mycli serve`): names, scopes and the value limit.
 */
import { ConflictError, UsageError } from '../errors.js';

/**
 * Cloudflare's limit on a Secrets Store value: 65,536 bytes (UTF-8) — the API reference's
 * `maxLength` and "Maximum 64 KiB (65,536 bytes)" (it was 1,024 during the beta); backends may
 * declare their own (`SecretsStoreApi.maxValueBytes`, in bytes).
 */
export const SECRETS_STORE_VALUE_LIMIT = 65_536;

export const SCOPES = ['workers', 'ai_gateway', 'dex', 'access', 'containers', 'websearch'] as const;

/** wrangler's rule for Secrets Store secret names. */
export const SECRET_NAME = /^[A-Za-z0-9_-]+$/;

export function assertStoreSecretName(name: string, what = 'secret name'): void {
  if (typeof name !== 'string' || !SECRET_NAME.test(name) || name.length > 255) {
    throw new UsageError(`${what} "${String(name)}" is not valid: use letters, digits, "_" and "-" (at most 255)`);
  }
}

export function assertStoreName(name: string): void {
  // eslint-disable-next-line no-control-regex
  if (typeof name !== 'string' || name.trim() === '' || name.length > 100 || /[\u0000-\u001f\u007f/]/.test(name)) {
    throw new UsageError(`store name "${String(name)}" is not valid: 1-100 characters, no "/" or control characters`);
  }
}

/** `workers,ai_gateway` -> ['workers', 'ai_gateway'], checked. */
export function parseScopes(text: string | string[]): string[] {
  const list = (Array.isArray(text) ? text : text.split(',')).map((s) => String(s).trim()).filter(Boolean);
  if (list.length === 0) throw new UsageError('--scopes needs at least one scope', { hint: `choose from ${SCOPES.join(', ')}` });
  const bad = list.filter((s) => !(SCOPES as readonly string[]).includes(s));
  if (bad.length) throw new UsageError(`unknown scope${bad.length === 1 ? '' : 's'} ${bad.join(', ')}`, { hint: `choose from ${SCOPES.join(', ')}` });
  return [...new Set(list)];
}

export function assertValueLength(value: string, limit: number, name: string): void {
  const bytes = Buffer.byteLength(value, 'utf8');
  if (bytes > limit) throw valueTooLong(name, limit, bytes);
}

/** The error for a value over `limit` bytes (`bytes` when known: input reading stops at the limit). */
export function valueTooLong(name: string, limit: number, bytes?: number): UsageError {
  const size = bytes === undefined ? 'over the limit' : `${bytes} bytes`;
  return new UsageError(`the value of secret ${name} is ${size}; the Secrets Store takes at most ${limit} bytes`, {
    hint: 'store a shorter value (split a larger key or certificate, or keep it in a file the Worker does not need)',
  });
}

export function assertComment(comment: string | undefined): void {
  if (comment !== undefined && comment.length > 1024) throw new UsageError(`--comment is ${comment.length} characters; the limit is 1024`);
}

/** A change a Secrets Store refuses because of what it holds (exit 5; `mycli serve` answers 409, not "busy"). */
export class SecretsStoreConflict extends ConflictError {}

/**
 * A secret name already taken in a store (exit 5), with the command that changes it: the name and
 * the store given (`store` is its name or id, as `--store` takes both), quoted for a shell.
 */
export function storeSecretTaken(storeLabel: string, name: string, store: string): ConflictError {
  const word = (s: string) => (/^[A-Za-z0-9_./:@%+=,-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);
  return new SecretsStoreConflict(`store ${storeLabel} has a secret named "${name}" already`, {
    hint: `change it with \`mycli secrets-store secret update ${word(name)} --store ${word(store)}\``,
  });
}
