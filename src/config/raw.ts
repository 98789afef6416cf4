/**
 * The raw parsed config (all environments, every wrangler key), for the commands that need more
 * than `Project` carries: `mycli types` (every environment's bindings) and the Secrets Store
 * bindings (`secrets_store_secrets`). `loadProject` has validated the file already.
 */
import { ConfigError } from '../errors.js';
import { parseConfigText } from './parse.js';
import { readConfigFile } from './read.js';

export type RawSection = Record<string, unknown>;

export async function readRawConfig(configPath: string | undefined): Promise<RawSection> {
  if (!configPath) return {};
  const data = await parseConfigText(await readConfigFile(configPath), configPath);
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    throw new ConfigError(`${configPath}: the configuration must be a table/object at the top level`);
  }
  return data as RawSection;
}

/** The section of an environment (non-inheritable keys are not copied from the top level). */
export function envSection(raw: RawSection, env: string | undefined): RawSection {
  if (env === undefined) return raw;
  const envs = raw.env as Record<string, RawSection> | undefined;
  return envs?.[env] ?? {};
}

export interface SecretsStoreBindingConfig {
  binding: string;
  store_id: string;
  secret_name: string;
}

/**
 * `secrets_store_secrets` of a section, checked: each entry needs `binding`, `store_id` and
 * `secret_name` strings (exit 2 naming the entry otherwise). Not inherited by environments, as
 * in wrangler.
 */
export function secretsStoreBindings(section: RawSection, configPath: string | undefined, env: string | undefined): SecretsStoreBindingConfig[] {
  const list = section.secrets_store_secrets;
  if (list === undefined) return [];
  const where = env ? `env.${env}.secrets_store_secrets` : 'secrets_store_secrets';
  if (!Array.isArray(list)) throw new ConfigError(`${configPath}: ${where} must be an array of tables ([[${where}]])`);
  return list.map((entry, i) => {
    const e = entry as Record<string, unknown>;
    for (const key of ['binding', 'store_id', 'secret_name']) {
      if (typeof e?.[key] !== 'string' || e[key] === '') {
        throw new ConfigError(`${configPath}: ${where}[${i}].${key} must be a non-empty string`, {
          hint: 'each [[secrets_store_secrets]] needs binding, store_id and secret_name',
        });
      }
    }
    return { binding: e.binding as string, store_id: e.store_id as string, secret_name: e.secret_name as string };
  });
}

/**
 * The `secrets_store_secrets` of the project's environment (empty without a config). Cheap on the
 * everyday path: the text `loadProject` read is parsed a second time only when it mentions them.
 */
export async function projectSecretsStoreBindings(project: { configPath?: string; configText?: string; env?: string }): Promise<SecretsStoreBindingConfig[]> {
  if (!project.configPath) return [];
  const text = project.configText ?? (await readConfigFile(project.configPath));
  if (!text.includes('secrets_store_secrets')) return [];
  const data = (await parseConfigText(text, project.configPath)) as RawSection;
  return secretsStoreBindings(envSection(data, project.env), project.configPath, project.env);
}

/** As version bindings (`secrets_store_secret`, Cloudflare's shape). */
export function secretsStoreVersionBindings(list: SecretsStoreBindingConfig[]): { type: 'secrets_store_secret'; name: string; store_id: string; secret_name: string }[] {
  return list.map((b) => ({ type: 'secrets_store_secret', name: b.binding, store_id: b.store_id, secret_name: b.secret_name }));
}
