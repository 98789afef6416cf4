/** The local store's versions and deployments in the shapes of the Cloudflare API. */
import type { Binding, Deployment, Version } from '../backends/types.js';
import { publicBinding } from '../backends/public.js';
import { writeAnnotations } from '../backends/cloudflare/annotations.js';

/** Bindings as the API shows them: secrets by name and type only, never a value (backends/public.ts). */
export function bindingJson(b: Binding): Record<string, unknown> {
  return { ...publicBinding(b) };
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
    annotations: writeAnnotations(v),
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
  return {
    id: d.id,
    source: 'api',
    strategy: 'percentage',
    author_email: d.author ?? '',
    created_on: d.createdOn,
    annotations: writeAnnotations({ message: d.message, source: d.source }),
    versions: d.versions.map((v) => ({ version_id: v.versionId, percentage: v.percentage })),
  };
}
