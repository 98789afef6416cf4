/**
 * The plugin edge: what a plugin returns is rebuilt from the fields the Backend interface
 * defines, never passed on as it came. A secret binding becomes `{type, name}`; a field that
 * could carry a value (`text`, `value`, `secret`, key material) on anything but a plain_text
 * var is dropped; whatever was dropped is remembered by the redactor (so it cannot be printed
 * by any other path either) and noted under --debug, naming the plugin.
 */
import type { Binding, Deployment, SecretChangeResult, SecretInfo, Version } from './types.js';
import { rememberSecret } from '../redact.js';
import { publicBinding, publicDeployment, VALUE_FIELDS, versionWith } from './public.js';

export type Note = (what: string) => void;

function rememberAny(v: unknown, depth = 0): void {
  if (typeof v === 'string') rememberSecret(v);
  else if (v && typeof v === 'object' && depth < 8) for (const x of Object.values(v)) rememberAny(x, depth + 1);
}

const opt = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** publicBinding, and what it dropped remembered by the redactor and noted (a plugin's var keeps its value). */
export function stripBinding(b: Record<string, unknown>, note: Note, where: string): Binding {
  const type = String(b.type);
  const name = String(b.name);
  const out = publicBinding({ ...b, type, name });
  if (type === 'plain_text' || type === 'json') return out;
  const dropped = Object.keys(b).filter((k) => !(k in out));
  for (const k of dropped) if (type === 'secret_text' ? k !== 'visibility' : true) rememberAny(b[k]);
  if (dropped.length) note(`${where}: dropped ${dropped.join(', ')} of ${type} binding ${name} (a backend must never return secret values)`);
  return out;
}

export function stripVersion(v: Record<string, unknown>, note: Note, where: string): Version {
  const out = versionWith(v as unknown as Version, (b) => stripBinding(b as unknown as Record<string, unknown>, note, where));
  dropExtra(v, ['id', 'number', 'createdOn', 'author', 'source', 'message', 'tag', 'scriptHash', 'bindings'], note, `${where} version ${out.id}`);
  return out;
}

export function stripDeployment(d: Record<string, unknown>, note: Note, where: string): Deployment {
  const out = publicDeployment(d as unknown as Deployment);
  dropExtra(d, ['id', 'createdOn', 'author', 'source', 'message', 'versions'], note, `${where} deployment ${out.id}`);
  return out;
}

export function stripSecretInfo(s: Record<string, unknown>, note: Note, where: string): SecretInfo {
  dropExtra(s, ['name', 'type'], note, `${where} secret ${String(s.name)}`);
  return { name: String(s.name), type: 'secret_text' };
}

export function stripChangeResult(r: Record<string, unknown>, note: Note, where: string): SecretChangeResult {
  const out: SecretChangeResult = {
    changes: (r.changes as { name: string; action: SecretChangeResult['changes'][number]['action'] }[]).map((c) => ({ name: c.name, action: c.action })),
  };
  if (r.version) out.version = stripVersion(r.version as Record<string, unknown>, note, where);
  if (r.deployment) out.deployment = stripDeployment(r.deployment as Record<string, unknown>, note, where);
  if (typeof r.workerCreated === 'boolean') out.workerCreated = r.workerCreated;
  dropExtra(r, ['changes', 'version', 'deployment', 'workerCreated'], note, where);
  return out;
}

/** Fields the interface does not define: dropped, remembered, and noted. */
function dropExtra(v: Record<string, unknown>, known: string[], note: Note, where: string): void {
  const extra = Object.keys(v).filter((k) => !known.includes(k));
  if (!extra.length) return;
  // Only fields named like a value are remembered as secrets (an ordinary word would be erased everywhere).
  for (const k of extra) if (VALUE_FIELDS.has(k)) rememberAny(v[k]);
  note(`${where}: ignored field${extra.length === 1 ? '' : 's'} ${extra.join(', ')} (not part of the Backend interface)`);
}
