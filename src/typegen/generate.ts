/**
 * The `Env` types of a Worker, in the shape `wrangler types --include-runtime=false` (4.80) writes:
 * `declare namespace Cloudflare { interface <Name>Env {…} … interface Env {…} }` and
 * `interface Env extends Cloudflare.Env {}`. Pure: the command gathers the inputs (config
 * sections, secret names per environment) and this turns them into text.
 *
 * Follows wrangler's rules where it has them: vars as literal types (JSON of the value), a
 * union across environments, optional (`?`) where an environment lacks the binding; the same
 * binding order; `DurableObjectNamespace /* Class *\/`, `Fetcher /* service *\/`. mycli never
 * parses the Worker's code, so it never emits wrangler's `import("./src/index").Class` forms.
 */
import type { RawSection } from '../config/raw.js';

export const TOP_LEVEL = null;

export interface TypegenEnv {
  /** null: the top level. */
  name: string | null;
  section: RawSection;
  /** Secret names of this environment's Worker. */
  secrets: string[];
}

export interface TypegenInput {
  /** Environments in config order; the top level first. */
  envs: TypegenEnv[];
  /** true: one environment only (`--env`): wrangler's simple shape, no per-environment interfaces. */
  single: boolean;
  /** Import specifier of the main module from the output file (`./src/index`), when configured. */
  mainModule?: string;
  /** Top-level config keys that affect the file outside Env. */
  compatibilityDate?: string;
  compatibilityFlags?: string[];
  sqliteClasses: string[];
  interfaceName?: string;
}

interface Entry {
  name: string;
  type: string;
}

/** Bindings typed the way wrangler types them, in wrangler's order (kinds that have no `binding` key use `name`). */
const CORE: [key: string, type: string, nameKey?: string][] = [
  ['kv_namespaces', 'KVNamespace'],
  ['r2_buckets', 'R2Bucket'],
  ['d1_databases', 'D1Database'],
  ['vectorize', 'VectorizeIndex'],
  ['hyperdrive', 'Hyperdrive'],
  ['send_email', 'SendEmail', 'name'],
  ['analytics_engine_datasets', 'AnalyticsEngineDataset'],
  ['dispatch_namespaces', 'DispatchNamespace'],
  ['mtls_certificates', 'Fetcher'],
  ['queues.producers', 'Queue'],
  ['secrets_store_secrets', 'SecretsStoreSecret'],
  ['unsafe_hello_world', 'HelloWorldBinding'],
  ['ratelimits', 'RateLimit', 'name'],
  ['worker_loaders', 'WorkerLoader'],
  ['vpc_services', 'Fetcher'],
  ['vpc_networks', 'Fetcher'],
];
const SINGLE: [key: string, type: string][] = [
  ['browser', 'Fetcher'],
  ['ai', 'Ai'],
  ['images', 'ImagesBinding'],
  ['stream', 'StreamBinding'],
  ['media', 'MediaBinding'],
  ['version_metadata', 'WorkerVersionMetadata'],
];
/** Binding kinds mycli does not type: `unknown` with a comment naming the kind. */
const UNTYPED_LISTS = ['pipelines', 'ai_search_namespaces', 'ai_search'];

function list(section: RawSection, path: string): Record<string, unknown>[] {
  let v: unknown = section;
  for (const part of path.split('.')) v = v && typeof v === 'object' ? (v as Record<string, unknown>)[part] : undefined;
  return Array.isArray(v) ? (v.filter((x) => x && typeof x === 'object') as Record<string, unknown>[]) : [];
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

function coreBindings(section: RawSection): Entry[] {
  const out: Entry[] = [];
  for (const [key, type, nameKey] of CORE) {
    for (const b of list(section, key)) {
      const name = str(b[nameKey ?? 'binding']);
      if (name) out.push({ name, type });
    }
  }
  const logfwdr = section.logfwdr as { bindings?: unknown[] } | undefined;
  if (Array.isArray(logfwdr?.bindings) && logfwdr.bindings.length) out.push({ name: 'LOGFWDR_SCHEMA', type: 'any' });
  for (const [key, type] of SINGLE) {
    const name = str((section[key] as Record<string, unknown> | undefined)?.binding);
    if (name) out.push({ name, type });
  }
  const assets = str((section.assets as Record<string, unknown> | undefined)?.binding);
  if (assets) out.push({ name: assets, type: 'Fetcher' });
  for (const key of UNTYPED_LISTS) {
    for (const b of list(section, key)) {
      const name = str(b.binding) ?? str(b.name);
      if (name) out.push({ name, type: `unknown /* ${key} binding: not typed by mycli */` });
    }
  }
  return out;
}

/** wrangler's strict vars: the JSON text of the value as a literal type. */
function varType(value: unknown): string {
  if (typeof value === 'bigint') return String(value);
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' || typeof value === 'object') return JSON.stringify(value);
  return 'unknown';
}

function otherBindings(section: RawSection): Entry[] {
  const out: Entry[] = [];
  for (const d of list(section, 'durable_objects.bindings')) {
    const name = str(d.name);
    if (!name) continue;
    const script = str(d.script_name);
    out.push({ name, type: `DurableObjectNamespace /* ${d.class_name}${script ? ` from ${script}` : ''} */` });
  }
  for (const s of list(section, 'services')) {
    const name = str(s.binding);
    if (!name) continue;
    const ep = str(s.entrypoint);
    out.push({ name, type: ep ? `Service /* entrypoint ${ep} from ${s.service} */` : `Fetcher /* ${s.service} */` });
  }
  for (const w of list(section, 'workflows')) {
    const name = str(w.binding);
    if (!name) continue;
    const script = str(w.script_name);
    out.push({ name, type: `Workflow /* ${w.class_name}${script ? ` from ${script}` : ''} */` });
  }
  const unsafe = list((section.unsafe as RawSection | undefined) ?? {}, 'bindings');
  for (const u of unsafe) {
    const name = str(u.name);
    if (name) out.push({ name, type: u.type === 'ratelimit' ? 'RateLimit' : 'any' });
  }
  return out;
}

/** All entries of one environment, in wrangler's order; vars shadowed by a secret are dropped. */
function envEntries(env: TypegenEnv, stringKeys: string[]): Entry[] {
  const entries = coreBindings(env.section);
  const secrets = new Set(env.secrets);
  const vars = (env.section.vars ?? {}) as Record<string, unknown>;
  for (const [name, value] of Object.entries(vars)) {
    if (secrets.has(name)) continue;
    entries.push({ name, type: varType(value) });
    if (!stringKeys.includes(name)) stringKeys.push(name);
  }
  for (const name of env.secrets) {
    entries.push({ name, type: 'string' });
    if (!stringKeys.includes(name)) stringKeys.push(name);
  }
  entries.push(...otherBindings(env.section));
  return entries;
}

function typeKey(key: string): string {
  return /^[a-zA-Z_$][\w$]*$/.test(key) ? key : JSON.stringify(key);
}

/** `staging` -> `StagingEnv`, `prod-eu` -> `ProdEuEnv` (wrangler's naming). */
export function envInterfaceName(env: string): string {
  const pascal = env
    .split(/[-_]/)
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1).toLowerCase())
    .join('');
  return pascal.endsWith('Env') ? pascal : `${pascal}Env`;
}

function processEnvPopulated(date: string | undefined, flags: string[]): boolean {
  if (flags.includes('nodejs_compat_populate_process_env') && flags.includes('nodejs_compat')) return true;
  if (flags.includes('nodejs_compat_do_not_populate_process_env')) return false;
  return flags.includes('nodejs_compat') && !!date && date >= '2025-04-01';
}

/** The body of the file (everything after the header lines). */
export function generateTypes(input: TypegenInput): string {
  const stringKeys: string[] = [];
  const envName = input.interfaceName ?? 'Env';
  let envBlock: string;
  let perEnv = '';
  if (input.single) {
    const entries = envEntries(input.envs[0], stringKeys);
    envBlock = `\tinterface Env {${entries.map((e) => `\n\t\t${typeKey(e.name)}: ${e.type};`).join('')}\n\t}`;
  } else {
    // wrangler's aggregation: named environments first (each its own interface), then the top
    // level; a binding's types are unioned, and it is required only where every environment has it.
    const types = new Map<string, Set<string>>();
    const presence = new Map<string, Set<string>>();
    const track = (e: Entry, env: string) => {
      if (!types.has(e.name)) {
        types.set(e.name, new Set());
        presence.set(e.name, new Set());
      }
      types.get(e.name)!.add(e.type);
      presence.get(e.name)!.add(env);
    };
    const interfaces: string[] = [];
    const named = input.envs.filter((e) => e.name !== TOP_LEVEL);
    for (const env of named) {
      const entries = envEntries(env, stringKeys);
      for (const e of entries) track(e, env.name!);
      interfaces.push(
        entries.length
          ? `\tinterface ${envInterfaceName(env.name!)} {\n${entries.map((e) => `\t\t${typeKey(e.name)}: ${e.type};`).join('\n')}\n\t}`
          : `\tinterface ${envInterfaceName(env.name!)} {}`,
      );
    }
    const top = input.envs.find((e) => e.name === TOP_LEVEL);
    if (top) for (const e of envEntries(top, stringKeys)) track(e, '');
    const all = ['', ...named.map((e) => e.name!)];
    const lines = [...types.entries()].map(([name, set]) => {
      const required = all.every((env) => presence.get(name)!.has(env));
      return `\t\t${typeKey(name)}${required ? '' : '?'}: ${[...set].join(' | ')};`;
    });
    perEnv = `\n${interfaces.join('\n')}`;
    envBlock = `\tinterface Env {\n${lines.join('\n')}\n\t}`;
  }
  const globalProps = input.mainModule
    ? `\n\tinterface GlobalProps {\n\t\tmainModule: typeof import("${input.mainModule}");${
        input.sqliteClasses.length ? `\n\t\tdurableNamespaces: ${input.sqliteClasses.map((c) => `"${c}"`).join(' | ')};` : ''
      }\n\t}`
    : '';
  let processEnv = '';
  if (processEnvPopulated(input.compatibilityDate, input.compatibilityFlags ?? []) && stringKeys.length) {
    processEnv =
      '\ntype StringifyValues<EnvType extends Record<string, unknown>> = {\n' +
      '\t[Binding in keyof EnvType]: EnvType[Binding] extends string ? EnvType[Binding] : string;\n' +
      '};\n' +
      'declare namespace NodeJS {\n' +
      `\tinterface ProcessEnv extends StringifyValues<Pick<Cloudflare.Env, ${stringKeys.map((k) => `"${k}"`).join(' | ')}>> {}\n` +
      '}';
  }
  return `declare namespace Cloudflare {${globalProps}${input.single ? '' : perEnv}\n${envBlock}\n}\ninterface ${envName} extends Cloudflare.Env {}${processEnv}\n`;
}
