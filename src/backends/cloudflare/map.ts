/**
 * Cloudflare's answers -> the Backend's types: each answer checked by hand against its shape
 * (shapes.ts: lenient, extra fields are kept; a wrong shape is a clear error, never a crash), then
 * mapped to a Version, a Deployment or a Binding. Secret material never crosses: a secret binding
 * keeps its name and type only.
 */
import { OperationError } from '../../errors.js';
import type { Deployment, Version } from '../types.js';
import { publicBinding } from '../public.js';
import { readAnnotations } from './annotations.js';
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

export function mapVersion(v: CfVersion): Version {
  const a = readAnnotations(v.annotations);
  return {
    id: v.id,
    number: v.number ?? 0,
    createdOn: v.metadata?.created_on ?? '',
    author: v.metadata?.author_email ?? undefined,
    source: a.source ?? v.metadata?.source ?? undefined,
    message: a.message,
    tag: a.tag,
    scriptHash: v.resources?.script?.etag ?? undefined,
    bindings: (v.resources?.bindings ?? []).map(publicBinding),
  };
}

export function mapDeployment(d: CfDeployment): Deployment {
  const a = readAnnotations(d.annotations);
  return {
    id: d.id,
    createdOn: d.created_on ?? '',
    author: d.author_email ?? undefined,
    source: a.source ?? d.source ?? undefined,
    message: a.message,
    versions: d.versions.map((x) => ({ versionId: x.version_id, percentage: x.percentage })),
  };
}
