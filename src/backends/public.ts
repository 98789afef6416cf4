/**
 * What may leave a backend: the one list of fields that can carry secret material, and the one
 * function that makes a binding public. Every backend's output passes through it at the edge
 * (edge.ts), and every place that prints or answers with a binding (`versions view`, `mycli
 * serve`, the Cloudflare mapping, the local store's records) calls it instead of keeping a list
 * of its own. A field added to VALUE_FIELDS is dropped everywhere at once
 * (test/backends/public-fields.test.ts).
 */
import type { Binding } from './types.js';

/**
 * Fields that may carry secret material on any binding that is not a plain_text / json var (a
 * secret_text binding keeps its type and name only, whatever else it has).
 */
export const VALUE_FIELDS: ReadonlySet<string> = new Set([
  'text',
  'value',
  'secret',
  'secret_text',
  'key',
  'key_base64',
  'key_jwk',
  'password',
  'token',
  'private_key',
]);

/** A binding as it may be shown: a var keeps its value, a secret its name, anything else loses VALUE_FIELDS. */
export function publicBinding(binding: Binding | { type: string; name: string }): Binding {
  const b = binding as { type: string; name: string; [k: string]: unknown };
  const { type, name } = b;
  if (type === 'secret_text') return { type, name };
  if (type === 'plain_text') return { type, name, text: typeof b.text === 'string' ? b.text : '' };
  if (type === 'json') return { type, name, json: b.json };
  const out: Record<string, unknown> = { type, name };
  for (const [k, v] of Object.entries(b)) if (!(k in out) && !VALUE_FIELDS.has(k)) out[k] = v;
  return out as Binding;
}
