/** The parts of wrangler's configuration that mycli reads, validated with zod. */
import { z } from 'zod';

const WORKER_NAME = /^[a-z0-9](?:[a-z0-9_-]{0,62})$/;
const workerName = z
  .string()
  .regex(WORKER_NAME, 'must be 1-63 lowercase letters, digits, "-" or "_", starting with a letter or digit');

const jsonValue: z.ZodType<unknown> = z.lazy(() =>
  z.union([z.string(), z.number(), z.boolean(), z.null(), z.array(jsonValue), z.record(z.string(), jsonValue)]),
);

const vars = z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'is not a valid binding name'), jsonValue);

const mycliSection = z.looseObject({
  backend: z.string().min(1, 'must not be empty').optional(),
  options: z.record(z.string(), z.unknown()).optional(),
});

const envSection = z.looseObject({
  name: workerName.optional(),
  main: z.string().min(1).optional(),
  account_id: z.string().min(1).optional(),
  vars: vars.optional(),
});

export const configSchema = z.looseObject({
  name: workerName.optional(),
  main: z.string().min(1, 'must not be empty').optional(),
  account_id: z.string().min(1).optional(),
  compatibility_date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date like 2025-01-31').optional(),
  vars: vars.optional(),
  env: z.record(z.string(), envSection).optional(),
  mycli: mycliSection.optional(),
});

export type RawConfig = z.infer<typeof configSchema>;

/** Keys wrangler knows: not warned about even though mycli does not use them. */
export const WRANGLER_KEYS = new Set([
  '$schema', 'name', 'main', 'compatibility_date', 'compatibility_flags', 'account_id', 'workers_dev',
  'preview_urls', 'routes', 'route', 'vars', 'env', 'kv_namespaces', 'd1_databases', 'r2_buckets',
  'durable_objects', 'migrations', 'services', 'queues', 'triggers', 'build', 'rules', 'site', 'assets',
  'observability', 'placement', 'limits', 'tail_consumers', 'streaming_tail_consumers', 'send_metrics',
  'keep_vars', 'logpush', 'minify', 'node_compat', 'no_bundle', 'find_additional_modules', 'base_dir',
  'preserve_file_names', 'upload_source_maps', 'analytics_engine_datasets', 'ai', 'browser', 'hyperdrive',
  'vectorize', 'dispatch_namespaces', 'mtls_certificates', 'unsafe', 'wasm_modules', 'text_blobs',
  'data_blobs', 'dev', 'define', 'alias', 'jsx_factory', 'jsx_fragment', 'tsconfig', 'usage_model',
  'version_metadata', 'workflows', 'pipelines', 'secrets_store_secrets', 'containers', 'cloudchamber',
  'send_email', 'logfwdr', 'legacy_env', 'first_party_worker', 'zone_id', 'python_modules', 'images',
  'media', 'vpc_services', 'worker_loaders', 'ratelimits', 'secrets', 'unsafe_hello_world', 'mycli',
  'compliance_region', 'upload_source_maps', 'keep_names', 'wasm_modules', 'event_subscriptions',
]);

export const MYCLI_KEYS = new Set(['backend', 'options']);
