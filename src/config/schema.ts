/**
 * The parts of wrangler's configuration that mycli reads, and their validation.
 *
 * Checked by hand, the one approach mycli uses for what comes from outside (backends/shape.ts
 * says why, with the measurement). Unlike a plugin's results or an API answer, where the first
 * problem is enough, every problem of a config is collected, so the user sees all of them at
 * once as `dotted.path: message`, in the words of TOML/JSON (a table, an array).
 */

import { isBindingName, isWorkerName } from '../domain/names.js';

export interface EnvSection {
  name?: string;
  main?: string;
  account_id?: string;
  vars?: Record<string, unknown>;
  /** wrangler's `[secrets]`: `required` names the secrets the Worker's code needs. */
  secrets?: { required?: string[] };
}

export interface RawConfig extends EnvSection {
  compatibility_date?: string;
  env?: Record<string, EnvSection>;
  mycli?: { backend?: string; options?: Record<string, unknown> };
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

type Problems = string[];

function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (v instanceof Date) return 'a date';
  return typeof v === 'object' ? 'a table' : `a ${typeof v}`;
}

function isTable(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Date);
}

function optionalString(obj: Record<string, unknown>, key: string, path: string, problems: Problems, check?: (s: string) => string | undefined): void {
  const v = obj[key];
  if (v === undefined) return;
  if (typeof v !== 'string') {
    problems.push(`${path}${key}: must be a string, not ${typeName(v)}`);
    return;
  }
  if (v === '') {
    problems.push(`${path}${key}: must not be empty`);
    return;
  }
  const msg = check?.(v);
  if (msg) problems.push(`${path}${key}: ${msg}`);
}

const workerName = (s: string) =>
  isWorkerName(s) ? undefined : 'must be 1-63 lowercase letters, digits, "-" or "_", starting with a letter or digit';

/** TOML dates and other non-JSON values have no place in [vars]. */
function jsonProblem(v: unknown): string | undefined {
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return undefined;
  if (typeof v === 'number') return Number.isFinite(v) ? undefined : 'must be a finite number';
  if (typeof v === 'bigint') return undefined;
  if (v instanceof Date) return 'must be a string, number, boolean, array or table (a TOML date is not allowed; quote it)';
  if (Array.isArray(v)) return v.map(jsonProblem).find(Boolean);
  if (isTable(v)) return Object.values(v).map(jsonProblem).find(Boolean);
  return `cannot be ${typeName(v)}`;
}

function checkVars(v: unknown, path: string, problems: Problems): void {
  if (v === undefined) return;
  if (!isTable(v)) {
    problems.push(`${path}: must be a table of NAME = value, not ${typeName(v)}`);
    return;
  }
  for (const [name, value] of Object.entries(v)) {
    if (!isBindingName(name)) problems.push(`${path}.${name}: is not a valid binding name (letters, digits and _, not starting with a digit)`);
    const p = jsonProblem(value);
    if (p) problems.push(`${path}.${name}: ${p}`);
  }
}

/** `[secrets] required = ["NAME", ...]`: binding names, each once. */
function checkSecrets(v: unknown, path: string, problems: Problems): void {
  if (v === undefined) return;
  if (!isTable(v)) {
    problems.push(`${path}: must be a table like [secrets] required = ["API_KEY"], not ${typeName(v)}`);
    return;
  }
  const required = v.required;
  if (required === undefined) return;
  if (!Array.isArray(required)) {
    problems.push(`${path}.required: must be an array of secret names, not ${typeName(required)}`);
    return;
  }
  const seen = new Set<string>();
  required.forEach((name, i) => {
    if (typeof name !== 'string' || !isBindingName(name)) problems.push(`${path}.required[${i}]: must be a secret name (letters, digits and _, not starting with a digit)`);
    else if (seen.has(name)) problems.push(`${path}.required[${i}]: ${name} is listed twice`);
    else seen.add(name);
  });
}

function checkSection(obj: Record<string, unknown>, path: string, problems: Problems): void {
  optionalString(obj, 'name', path, problems, workerName);
  optionalString(obj, 'main', path, problems);
  optionalString(obj, 'account_id', path, problems);
  checkVars(obj.vars, `${path}vars`, problems);
  checkSecrets(obj.secrets, `${path}secrets`, problems);
}

/** All problems of a parsed config, as `dotted.path: message` lines (empty when valid). */
export function validateConfig(data: Record<string, unknown>): Problems {
  const problems: Problems = [];
  checkSection(data, '', problems);
  // TOML reads an unquoted 2025-01-31 as a date: accept it as wrangler does.
  if (!(data.compatibility_date instanceof Date)) {
    optionalString(data, 'compatibility_date', '', problems, (s) => (DATE.test(s) ? undefined : 'must be a date like 2025-01-31'));
  }
  if (data.env !== undefined) {
    if (!isTable(data.env)) problems.push(`env: must be a table of environments, not ${typeName(data.env)}`);
    else
      for (const [name, section] of Object.entries(data.env)) {
        if (!isTable(section)) problems.push(`env.${name}: must be a table, not ${typeName(section)}`);
        else checkSection(section, `env.${name}.`, problems);
      }
  }
  if (data.mycli !== undefined) {
    if (!isTable(data.mycli)) problems.push(`mycli: must be a table, not ${typeName(data.mycli)}`);
    else {
      optionalString(data.mycli, 'backend', 'mycli.', problems);
      const o = data.mycli.options;
      if (o !== undefined && !isTable(o)) problems.push(`mycli.options: must be a table, not ${typeName(o)}`);
    }
  }
  return problems;
}

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
  'compliance_region', 'keep_names', 'event_subscriptions',
]);

export const MYCLI_KEYS = new Set(['backend', 'options']);
