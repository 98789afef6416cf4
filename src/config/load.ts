/**
 * Find, parse, validate and normalise the project configuration, then resolve the Worker that a
 * command acts on (`--env`, `--name`) following wrangler's rules.
 */
import { dirname, resolve } from 'node:path';
import { readConfigFile } from './read.js';
import { ConfigError, UsageError } from '../errors.js';
import { findConfig } from './find.js';
import { parseConfigText } from './parse.js';
import { validateConfig, WRANGLER_KEYS, MYCLI_KEYS, type RawConfig } from './schema.js';
import { isWorkerName } from '../domain/names.js';
import { closest } from '../domain/similar.js';

export interface ProjectOptions {
  cwd: string;
  config?: string;
  env?: string;
  name?: string;
}

export interface Project {
  configPath?: string;
  /** The config file's folder, else the working directory. */
  projectDir: string;
  worker: string;
  env?: string;
  /** `[vars]` (or `[env.X.vars]`): not inherited by environments. */
  vars: Record<string, unknown>;
  /** Absolute path of the main module, if configured. */
  main?: string;
  accountId?: string;
  backendSpec?: string;
  backendOptions: Record<string, unknown>;
  warnings: string[];
  /** The names of the config's [env.X] sections (for the "no --env chosen" warning before writes). */
  environments: string[];
  /**
   * `[secrets] required` (or `[env.X.secrets] required`; not inherited, as `[vars]`): the secret
   * names every version of the Worker must carry. Empty when not configured.
   */
  requiredSecrets: string[];
  /** Where `requiredSecrets` is declared, for messages: `[secrets] required in /path/wrangler.toml`. */
  requiredSecretsFrom?: string;
  /** The config file's text as read once at start (`config/raw.ts` looks in it instead of reading the file again). */
  configText?: string;
}

export async function loadProject(opts: ProjectOptions): Promise<Project> {
  const configPath = opts.config ? resolve(opts.cwd, opts.config) : findConfig(opts.cwd);
  const warnings: string[] = [];
  let raw: RawConfig = {};
  let configText: string | undefined;
  if (configPath) {
    const text = (configText = await readConfigFile(configPath));
    const data = await parseConfigText(text, configPath);
    raw = await validate(data, configPath, warnings);
  }

  const projectDir = configPath ? dirname(configPath) : resolve(opts.cwd);
  let worker = raw.name;
  let vars: Record<string, unknown> = raw.vars ?? {};
  let main = raw.main;
  let accountId = raw.account_id;
  let secrets = raw.secrets;
  // `--env ""` chooses the top level explicitly, as in wrangler.
  if (opts.env === '') opts = { ...opts, env: undefined };
  if (opts.env !== undefined) {
    if (!/^[A-Za-z0-9_-]+$/.test(opts.env)) {
      throw new UsageError(`--env "${opts.env}" is not a valid environment name`, {
        hint: 'use letters, digits, "-" and "_"',
      });
    }
    // Own properties only: `--env constructor` (or toString, __proto__, ...) is not an environment.
    const section = raw.env && Object.prototype.hasOwnProperty.call(raw.env, opts.env) ? raw.env[opts.env] : undefined;
    if (!section && !opts.name) {
      const known = Object.keys(raw.env ?? {});
      const meant = closest(opts.env, known);
      throw new ConfigError(
        `environment "${opts.env}" is not defined in ${configPath ?? 'any config file'}${meant ? `; did you mean "${meant}"?` : ''}`,
        { hint: known.length ? `defined environments: ${known.join(', ')}` : `add an [env.${opts.env}] section, or drop --env` },
      );
    }
    worker = section?.name ?? (raw.name ? `${raw.name}-${opts.env}` : undefined);
    vars = section?.vars ?? {};
    main = section?.main ?? main;
    accountId = section?.account_id ?? accountId;
    secrets = section?.secrets;
  }
  if (opts.name !== undefined) {
    if (!isWorkerName(opts.name)) {
      throw new UsageError(`--name "${opts.name}" is not a valid Worker name`, {
        hint: 'use 1-63 lowercase letters, digits, "-" or "_"',
      });
    }
    worker = opts.name;
  }
  if (!worker) {
    throw new ConfigError(
      configPath ? `no Worker name: ${configPath} has no "name"` : 'no wrangler.json, wrangler.jsonc or wrangler.toml found here or in any parent folder',
      { hint: configPath ? 'add name = "my-worker" to the config, or pass --name <worker>' : 'run in your project folder, pass --config <path>, or pass --name <worker>' },
    );
  }

  return {
    configPath,
    configText,
    projectDir,
    worker,
    env: opts.env,
    vars,
    main: main ? resolve(projectDir, main) : undefined,
    accountId,
    backendSpec: raw.mycli?.backend,
    backendOptions: (raw.mycli?.options as Record<string, unknown> | undefined) ?? {},
    warnings,
    environments: Object.keys(raw.env ?? {}),
    requiredSecrets: secrets?.required ?? [],
    requiredSecretsFrom: secrets?.required ? `${opts.env !== undefined ? `[env.${opts.env}.secrets]` : '[secrets]'} required in ${configPath}` : undefined,
  };
}

async function validate(data: unknown, file: string, warnings: string[]) {
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    throw new ConfigError(`${file}: the configuration must be a table/object at the top level`);
  }
  const obj = data as Record<string, unknown>;
  const problems = validateConfig(obj);
  if (problems.length) {
    throw new ConfigError(`${file} has ${problems.length} problem${problems.length === 1 ? '' : 's'}:\n${problems.map((p) => `  ${p}`).join('\n')}`, {
      hint: 'fix the fields listed above',
    });
  }
  const unknown: string[] = Object.keys(obj).filter((k) => !WRANGLER_KEYS.has(k));
  const env = obj.env as Record<string, Record<string, unknown>> | undefined;
  for (const [envName, section] of Object.entries(env ?? {})) {
    for (const k of Object.keys(section ?? {})) if (!WRANGLER_KEYS.has(k)) unknown.push(`env.${envName}.${k}`);
  }
  const mycli = obj.mycli as Record<string, unknown> | undefined;
  for (const k of Object.keys(mycli ?? {})) if (!MYCLI_KEYS.has(k)) unknown.push(`mycli.${k}`);
  if (unknown.length) warnings.push(`${file}: unknown ${unknown.length === 1 ? 'key' : 'keys'} ignored: ${unknown.join(', ')}`);
  return obj as RawConfig;
}
