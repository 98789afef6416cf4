/**
 * What may leave a backend: the one list of fields that can carry secret material, the one
 * function that makes a binding public, and the one list of a version's and a deployment's fields. Every backend's output passes through it at the edge
 * (edge.ts), and every place that prints or answers with a binding (`versions view`, `mycli
 * serve`, the Cloudflare mapping, the local store's records) calls it instead of keeping a list
 * of its own. A field added to VALUE_FIELDS is dropped everywhere at once
 * (test/backends/public-fields.test.ts).
 */
import type { Binding, Deployment, SecretChangeResult, SecretInfo, Version } from './types.js';

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

/** What a version is made public from: a Version, or a stored record with more fields (local). */
type VersionLike = Omit<Version, 'bindings'> & { bindings: readonly { type: string; name: string }[] };
type DeploymentLike = Deployment;

/** The interface's fields of a version (its one list), bindings through publicBinding. */
export function publicVersion(v: VersionLike): Version {
  return versionWith(v, publicBinding);
}

/** publicVersion with another way of making a binding public (the plugin edge notes what it drops). */
export function versionWith(v: VersionLike, binding: (b: Binding) => Binding): Version {
  const out: Version = {
    id: v.id,
    number: v.number,
    createdOn: v.createdOn,
    author: v.author,
    source: v.source,
    message: v.message,
    tag: v.tag,
    scriptHash: v.scriptHash,
    bindings: v.bindings.map((b) => binding(b as Binding)),
  };
  for (const k of Object.keys(out) as (keyof Version)[]) if (out[k] === undefined) delete out[k];
  return out;
}

/** The interface's fields of a deployment (its one list). */
export function publicDeployment(d: DeploymentLike): Deployment {
  const out: Deployment = {
    id: d.id,
    createdOn: d.createdOn,
    author: d.author,
    source: d.source,
    message: d.message,
    versions: d.versions.map((x) => ({ versionId: x.versionId, percentage: x.percentage })),
  };
  for (const k of Object.keys(out) as (keyof Deployment)[]) if (out[k] === undefined) delete out[k];
  return out;
}

export const publicSecretInfo = (s: SecretInfo): SecretInfo => ({ name: s.name, type: 'secret_text' });

export function publicChangeResult(r: SecretChangeResult): SecretChangeResult {
  const out: SecretChangeResult = { changes: r.changes.map((c) => ({ name: c.name, action: c.action })) };
  if (r.version) out.version = publicVersion(r.version);
  if (r.deployment) out.deployment = publicDeployment(r.deployment);
  if (typeof r.workerCreated === 'boolean') out.workerCreated = r.workerCreated;
  return out;
}
