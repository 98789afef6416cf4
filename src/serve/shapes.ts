/** The local store's versions and deployments in the shapes of the Cloudflare API. */
import type { Binding, Deployment, Version } from '../backends/types.js';

/** Bindings as the API shows them: secrets by name and type only, never a value. */
export function bindingJson(b: Binding): Record<string, unknown> {
  if (b.type === 'secret_text') return { name: b.name, type: 'secret_text' };
  return { ...b };
}

function annotations(v: { message?: string; tag?: string; source?: string }): Record<string, string> {
  const a: Record<string, string> = {};
  if (v.message !== undefined) a['workers/message'] = v.message;
  if (v.tag !== undefined) a['workers/tag'] = v.tag;
  if (v.source !== undefined) a['workers/triggered_by'] = triggeredBy(v.source);
  return a;
}

/** The local store's `source` words to Cloudflare's `workers/triggered_by` values. */
export function triggeredBy(source: string): string {
  switch (source) {
    case 'secret':
      return 'secret';
    case 'rollback':
      return 'rollback';
    case 'deployment':
    case 'deploy':
      // `versions deploy`: wrangler shows Cloudflare's "promotion" as "Promotion".
      return 'promotion';
    default:
      return 'upload';
  }
}

/** An item of GET .../versions. */
export function versionItem(v: Version): Record<string, unknown> {
  return {
    id: v.id,
    number: v.number,
    metadata: {
      author_email: v.author ?? '',
      author_id: v.author ?? '',
      created_on: v.createdOn,
      modified_on: v.createdOn,
      source: 'api',
      hasPreview: false,
    },
    annotations: annotations(v),
  };
}

/** GET .../versions/{id}: the item plus its resources (bindings, script, runtime). */
export function versionDetail(v: Version): Record<string, unknown> {
  return {
    ...versionItem(v),
    resources: {
      bindings: v.bindings.map(bindingJson),
      script: {
        etag: v.scriptHash ?? '',
        handlers: ['fetch'],
        last_deployed_from: 'api',
      },
      script_runtime: {
        compatibility_flags: [],
        usage_model: 'standard',
        limits: {},
      },
    },
  };
}

export function deploymentJson(d: Deployment): Record<string, unknown> {
  const a: Record<string, string> = {};
  if (d.message !== undefined) a['workers/message'] = d.message;
  if (d.source !== undefined) a['workers/triggered_by'] = triggeredBy(d.source);
  return {
    id: d.id,
    source: 'api',
    strategy: 'percentage',
    author_email: d.author ?? '',
    created_on: d.createdOn,
    annotations: a,
    versions: d.versions.map((v) => ({ version_id: v.versionId, percentage: v.percentage })),
  };
}
