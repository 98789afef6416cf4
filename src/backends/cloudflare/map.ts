/**
 * Cloudflare's answers -> the Backend's types: each answer checked by hand against its shape
 * (shapes.ts: lenient, extra fields are kept; a wrong shape is a clear error, never a crash), then
 * mapped to a Version, a Deployment or a Binding. Secret material never crosses: a secret binding
 * keeps its name and type only.
 */
import { OperationError } from '../../errors.js';
import type { Binding, Deployment, Version } from '../types.js';
import { conforms, type CfDeployment, type CfVersion } from './shapes.js';

export function parseShape<T>(check: (v: unknown) => T, value: unknown, what: string): T {
  const r = conforms(check, value);
  if (!r.ok) {
    throw new OperationError(`unexpected answer from the Cloudflare API for ${what}: ${r.error.message}`, {
      hint: 'check CLOUDFLARE_API_BASE_URL; run with --debug to see the requests',
    });
  }
  return r.value;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/** Secret material never leaves the backend: secret bindings keep name and type only. */
function publicBinding(b: { type: string; name: string; [k: string]: unknown }): Binding {
  if (b.type === 'secret_text') return { type: 'secret_text', name: b.name };
  if (b.type === 'secret_key') {
    const { key_base64: _k, key_jwk: _j, text: _t, ...rest } = b;
    return rest as Binding;
  }
  if (b.type === 'plain_text') return { type: 'plain_text', name: b.name, text: typeof b.text === 'string' ? b.text : '' };
  if (b.type === 'json') return { type: 'json', name: b.name, json: b.json };
  const { text: _t, ...rest } = b;
  return rest as Binding;
}

export function mapVersion(v: CfVersion): Version {
  const a = v.annotations ?? {};
  return {
    id: v.id,
    number: v.number ?? 0,
    createdOn: v.metadata?.created_on ?? '',
    author: v.metadata?.author_email ?? undefined,
    source: str(a['workers/triggered_by']) ?? v.metadata?.source ?? undefined,
    message: str(a['workers/message']),
    tag: str(a['workers/tag']),
    scriptHash: v.resources?.script?.etag ?? undefined,
    bindings: (v.resources?.bindings ?? []).map(publicBinding),
  };
}

export function mapDeployment(d: CfDeployment): Deployment {
  const a = d.annotations ?? {};
  return {
    id: d.id,
    createdOn: d.created_on ?? '',
    author: d.author_email ?? undefined,
    source: str(a['workers/triggered_by']) ?? d.source ?? undefined,
    message: str(a['workers/message']),
    versions: d.versions.map((x) => ({ versionId: x.version_id, percentage: x.percentage })),
  };
}
