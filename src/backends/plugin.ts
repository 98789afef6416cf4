/**
 * Third-party backends: `--backend ./path/to/module.mjs` or an installed package name. The
 * module's default export is a factory `(context) => Backend`. What a plugin returns is checked
 * here, at the edge, so a malformed result is a clear error naming the plugin and the field,
 * never a crash deep inside a command. This file is loaded only for plugin specs.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { anything, array, boolean, nullish, number, object, oneOf, optional, refine, string, type Check } from './shape.js';
import { PluginError, UsageError } from '../errors.js';
import { BACKEND_API_VERSION, type Backend, type BackendFactoryContext, type Capabilities, type DeployInput, type HealthReport, type Limits, type Target } from './types.js';
import { assertLive } from './live.js';
import type { ResolveOptions } from './resolve-options.js';
import { guardSecretsStore, secretsStoreProblems } from './plugin-secrets-store.js';
import { redact } from '../redact.js';
import { callPlugin, translate } from './plugin-call.js';
import { stripChangeResult, stripDeployment, stripSecretInfo, stripVersion, type Note } from './strip.js';
import { installMycliResolver, missingPackage } from './plugin-resolve.js';
import { CAPABILITY_NAMES, capabilityProblems } from './capabilities.js';

export function isPathSpec(spec: string): boolean {
  return spec.startsWith('./') || spec.startsWith('../') || isAbsolute(spec) || /\.(m?js|cjs)$/.test(spec);
}

/** Where a package plugin lives, looking in node_modules from `base` upward. */
function resolvePackage(spec: string, base: string): string | undefined {
  try {
    return createRequire(join(base, 'package.json')).resolve(spec);
  } catch {
    // ESM-only packages may not resolve with the "require" condition: read package.json ourselves.
  }
  const [scopeOrName, maybeName, ...rest] = spec.split('/');
  const pkgName = scopeOrName.startsWith('@') ? `${scopeOrName}/${maybeName}` : scopeOrName;
  const subpath = scopeOrName.startsWith('@') ? rest.join('/') : [maybeName, ...rest].filter(Boolean).join('/');
  let dir = base;
  for (;;) {
    const pkgDir = join(dir, 'node_modules', pkgName);
    if (existsSync(join(pkgDir, 'package.json'))) {
      if (subpath) return join(pkgDir, subpath);
      const pkg = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8')) as {
        exports?: unknown;
        module?: string;
        main?: string;
      };
      const entry = exportEntry(pkg.exports) ?? pkg.module ?? pkg.main ?? 'index.js';
      return join(pkgDir, entry);
    }
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

function exportEntry(exports: unknown): string | undefined {
  if (typeof exports === 'string') return exports;
  if (!exports || typeof exports !== 'object') return undefined;
  const e = exports as Record<string, unknown>;
  const root = '.' in e ? e['.'] : e;
  if (typeof root === 'string') return root;
  if (root && typeof root === 'object') {
    const r = root as Record<string, unknown>;
    for (const k of ['import', 'node', 'default']) {
      const v = r[k];
      if (typeof v === 'string') return v;
      const nested = exportEntry(v);
      if (nested) return nested;
    }
  }
  return undefined;
}

export async function loadPlugin(spec: string, o: ResolveOptions): Promise<Backend> {
  const base = o.baseDir ?? o.target.projectDir;
  let file: string | undefined;
  if (isPathSpec(spec)) {
    file = resolve(base, spec);
    if (!existsSync(file)) {
      throw new UsageError(`backend module ${spec} does not exist (looked for ${file})`, {
        hint: 'check the path given to --backend, MYCLI_BACKEND or [mycli] backend',
      });
    }
  } else {
    if (!/^(@[a-z0-9][\w.-]*\/)?[a-z0-9][\w.-]*(\/[\w./-]+)?$/i.test(spec)) {
      throw new UsageError(`unknown backend "${spec}"`, { hint: 'use local, cloudflare, a module path (./backend.mjs) or an installed package name' });
    }
    file = resolvePackage(spec, base);
    if (!file) {
      throw new UsageError(`backend package "${spec}" is not installed (searched node_modules from ${base} upward)`, {
        hint: `install it (npm install ${spec}) or give a path such as ./backends/${spec}.mjs`,
      });
    }
  }
  o.debug(`plugin: loading ${file}`);
  // `import ... from 'mycli/backend'` in the plugin resolves to this mycli, wherever it is installed.
  o.debug(installMycliResolver());
  let mod: { default?: unknown };
  try {
    mod = (await import(pathToFileURL(file).href)) as { default?: unknown };
  } catch (e) {
    const missing = missingPackage(e);
    if (missing) {
      throw new PluginError(`backend plugin "${spec}" needs the package "${missing.pkg}", which is not installed`, {
        hint: `install it where the plugin lives: cd ${missing.folder} && npm install ${missing.pkg}`,
        cause: e,
      });
    }
    throw new PluginError(`backend plugin "${spec}" failed to load: ${(e as Error).message}`, {
      hint: 'fix the module, or run with --debug for details',
      cause: e,
    });
  }
  const factory = mod.default;
  if (typeof factory !== 'function') {
    throw new PluginError(`backend plugin "${spec}" must have a default export that is a function (the backend factory); it is ${describe(factory)}`, {
      hint: 'export default (context) => ({ name, capabilities, listSecrets, updateSecrets, ... })',
    });
  }
  const context: BackendFactoryContext = {
    target: o.target,
    options: o.options,
    env: o.env,
    log: o.log,
  };
  let made: unknown;
  try {
    made = await (factory as (c: BackendFactoryContext) => unknown)(context);
  } catch (e) {
    throw translate(spec, 'the factory', e);
  }
  return guardBackend(spec, made, o.debug, o.unstripped);
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  return typeof v === 'object' ? 'an object' : typeof v;
}

/** Check the shape of the plugin's Backend and wrap it so every result is validated. */
export function guardBackend(spec: string, made: unknown, debug?: (line: string) => void, unstripped = false): Backend {
  if (!made || typeof made !== 'object') {
    throw new PluginError(`backend plugin "${spec}": the factory returned ${describe(made)}, not a backend object`);
  }
  const b = made as Record<string, unknown>;
  const problems: string[] = [];
  if (typeof b.name !== 'string' || b.name.trim() === '') problems.push('name: must be a non-empty string');
  if (b.apiVersion !== undefined && b.apiVersion !== BACKEND_API_VERSION) {
    throw new PluginError(
      `backend plugin "${spec}" was written for Backend API version ${String(b.apiVersion)}; this mycli implements version ${BACKEND_API_VERSION}`,
      { hint: 'upgrade mycli or the plugin so that they match' },
    );
  }
  const caps = b.capabilities as Record<string, unknown> | undefined;
  if (!caps || typeof caps !== 'object') problems.push('capabilities: must be an object of booleans');
  else for (const c of CAPABILITY_NAMES) if (caps[c] !== undefined && typeof caps[c] !== 'boolean') problems.push(`capabilities.${c}: must be a boolean`);
  const capabilities = Object.fromEntries(CAPABILITY_NAMES.map((c) => [c, caps?.[c] === true])) as unknown as Capabilities;
  // The members each declared capability requires (one table: capabilities.ts), checked now, at load.
  problems.push(...capabilityProblems(b, capabilities));
  if (capabilities.secretsStore) problems.push(...secretsStoreProblems(b.secretsStore));
  if (problems.length) {
    throw new PluginError(`backend plugin "${spec}" does not implement the Backend interface:\n  ${[...new Set(problems)].join('\n  ')}`, {
      hint: 'see "Writing a backend" in the README, and run `mycli backend check <spec>`',
    });
  }
  return wrapBackend({ spec, inner: b as unknown as Backend, capabilities, note: (what) => debug?.(`plugin "${spec}": ${what}`), unstripped });
}

// ---- result validation -----------------------------------------------------------------------

const binding = object({ type: string(), name: string() });
const version = object({
  id: string({ min: 1 }),
  number: number(),
  createdOn: string(),
  bindings: array(binding),
});
const deployment = object({
  id: string({ min: 1 }),
  createdOn: string(),
  versions: array(object({ versionId: string({ min: 1 }), percentage: number() }), { min: 1 }),
});
const secretInfo = object({ name: string({ min: 1 }), type: oneOf('secret_text') });
const changeResult = object({
  changes: array(object({ name: string(), action: oneOf('added', 'updated', 'set', 'deleted') })),
  version: optional(version),
  deployment: optional(deployment),
  workerCreated: optional(boolean()),
});

const versionHealth = refine(
  object({
    versionId: string({ min: 1 }),
    invocations: number({ int: true, nonnegative: true }),
    failures: number({ int: true, nonnegative: true }),
    wallTimeP99Ms: nullish(number({ nonnegative: true })),
    cpuTimeP99Ms: nullish(number({ nonnegative: true })),
    sampled: optional(boolean()),
  }),
  (v) => v.failures <= v.invocations,
  'failures must not exceed invocations',
  ['failures'],
);
const healthReport = object({
  versions: array(versionHealth),
  unavailable: optional(
    object({ reason: oneOf('observability_disabled', 'permission', 'no_data', 'unavailable'), message: string({ min: 1 }), hint: optional(string()) }),
  ),
});
type HealthData = ReturnType<typeof healthReport>;

/** A health report rebuilt from the interface's fields only (numbers, ids and the plugin's own words). */
function stripHealth(d: HealthData): HealthReport {
  return {
    versions: d.versions.map((v) => ({
      versionId: v.versionId,
      invocations: v.invocations,
      failures: v.failures,
      wallTimeP99Ms: v.wallTimeP99Ms ?? null,
      cpuTimeP99Ms: v.cpuTimeP99Ms ?? null,
      sampled: v.sampled ?? false,
    })),
    ...(d.unavailable ? { unavailable: { reason: d.unavailable.reason, message: redact(d.unavailable.message), ...(d.unavailable.hint ? { hint: redact(d.unavailable.hint) } : {}) } } : {}),
  };
}

/** A plugin's results are rebuilt from the interface's fields (strip.ts): secret material never passes. */
type Strip = (data: never, note: Note, where: string) => unknown;
const each = (f: (d: Record<string, unknown>, n: Note, w: string) => unknown) => (d: Record<string, unknown>[], n: Note, w: string) => d.map((x) => f(x, n, w));

/** What the wrapper knows while it makes each member: the plugin, what it declared, how to report. */
interface Edge {
  spec: string;
  inner: Backend;
  capabilities: Capabilities;
  note: (what: string) => void;
  unstripped: boolean;
}

type MethodName = { [K in keyof Backend]-?: NonNullable<Backend[K]> extends (...a: never[]) => unknown ? K : never }[keyof Backend];

/**
 * A method forwarded to the plugin: errors translated, the result validated against `result`
 * and rebuilt by `strip`. Absent from the plugin: absent from the wrapper too (a `required`
 * member becomes a clear error when called). The values of a call are known to the redactor,
 * and errors redacted, at the edge every backend passes (edge.ts).
 */
function forward<M extends MethodName>(method: M, result: Check<unknown>, o: { strip?: Strip; required?: boolean } = {}) {
  return (e: Edge): Backend[M] => {
    const fn = e.inner[method] as ((...a: unknown[]) => unknown) | undefined;
    if (typeof fn !== 'function' && !o.required) return undefined as Backend[M];
    const wrapped = async (...args: unknown[]): Promise<unknown> => {
      if (typeof fn !== 'function') throw new PluginError(`backend plugin "${e.spec}" has no ${method} method`);
      const got = await callPlugin(e.spec, method, () => fn.apply(e.inner, args), result, 'the plugin does not follow the Backend interface; run `mycli backend check` against it');
      if (e.unstripped || !o.strip) return got;
      return o.strip(got as never, e.note, `${method}()`);
    };
    return wrapped as unknown as Backend[M];
  };
}


/**
 * Every member of Backend, and how the wrapper makes it from the plugin's: the one table that
 * drives forwarding and validation. Typed so that a member added to Backend and missing here
 * fails to compile — no member can be dropped silently (test/plugins/forwarding.test.ts calls
 * each one through the wrapper).
 */
export const MEMBERS: { readonly [K in keyof Backend]-?: (e: Edge) => Backend[K] } = {
  name: (e) => e.inner.name,
  apiVersion: (e) => e.inner.apiVersion,
  capabilities: (e) => e.capabilities,
  limits: (e) => limitsFrom(e.inner.limits),
  describe: (e) => (target: Target) => {
    try {
      const d = e.inner.describe?.(target);
      return typeof d === 'string' ? d : `plugin ${e.spec}`;
    } catch {
      return `plugin ${e.spec}`;
    }
  },
  listSecrets: forward('listSecrets', array(secretInfo), { strip: each(stripSecretInfo), required: true }),
  updateSecrets: forward('updateSecrets', changeResult, { strip: (d: Record<string, unknown>, n, w) => stripChangeResult(d, n, w), required: true }),
  listVersions: forward('listVersions', array(version), { strip: each(stripVersion) }),
  getVersion: forward('getVersion', version, { strip: (d: Record<string, unknown>, n, w) => stripVersion(d, n, w) }),
  uploadVersion: forward('uploadVersion', version, { strip: (d: Record<string, unknown>, n, w) => stripVersion(d, n, w) }),
  listDeployments: forward('listDeployments', array(deployment), { strip: each(stripDeployment) }),
  // DeployInput.expectLive: forwarded to a plugin that declares capabilities.expectLive (it checks
  // it as part of its commit); for any other, the wrapper reads the live deployment just before
  // deploy and refuses on a mismatch (exit 5) — a narrower check, the plugin's commit stays blind.
  deploy: (e) => {
    const call = forward('deploy', deployment, { strip: (d: Record<string, unknown>, n, w) => stripDeployment(d, n, w) })(e);
    const list = MEMBERS.listDeployments(e) as Backend['listDeployments'];
    if (!call || e.capabilities.expectLive || !list) return call;
    return async (target: Target, input: DeployInput) => {
      if (input?.expectLive === undefined) return call(target, input);
      await assertLive(list, target, input.expectLive);
      const { expectLive: _checked, ...rest } = input;
      return call(target, rest);
    };
  },
  changedSecrets: forward('changedSecrets', array(string())),
  differentSecrets: forward('differentSecrets', array(string())),
  createWorker: forward('createWorker', anything(), { strip: () => undefined }),
  deleteWorker: forward('deleteWorker', anything(), { strip: () => undefined }),
  listWorkers: forward('listWorkers', object({ workers: array(string()), cursor: optional(string()) }), { strip: (d: { workers: string[]; cursor?: string }) => ({ workers: d.workers, ...(d.cursor !== undefined ? { cursor: d.cursor } : {}) }) }),
  // A hint, never required for correctness: a plugin that fails in it is noted, not fatal.
  prepareWrite: (e) => {
    const fn = e.inner.prepareWrite;
    if (typeof fn !== 'function') return undefined;
    return () => {
      try {
        fn.call(e.inner);
      } catch (err) {
        e.note(`prepareWrite failed (ignored): ${redact(err instanceof Error ? err.message : String(err))}`);
      }
    };
  },
  // Only for a plugin that declares `health` (its members are checked at load).
  queryHealth: (e) => (e.capabilities.health ? forward('queryHealth', healthReport, { strip: (d: HealthData) => stripHealth(d) })(e) : undefined),
  secretsStore: (e) => (e.capabilities.secretsStore && e.inner.secretsStore ? guardSecretsStore(e.spec, e.inner.secretsStore) : undefined),
  close: (e) => async () => {
    try {
      await e.inner.close?.();
    } catch (err) {
      throw translate(e.spec, 'close', err);
    }
  },
};

/** The plugin's limits, numbers only (limits.ts falls back to Cloudflare's for the rest). */
function limitsFrom(l: unknown): Limits | undefined {
  if (!l || typeof l !== 'object') return undefined;
  const { secretValueBytes, bindingsPerWorker } = l as Record<string, unknown>;
  const num = (n: unknown) => (typeof n === 'number' ? n : undefined);
  return { secretValueBytes: num(secretValueBytes), bindingsPerWorker: num(bindingsPerWorker) };
}

/** The plugin's backend as mycli sees it: every member made by MEMBERS; absent ones stay absent. */
function wrapBackend(e: Edge): Backend {
  const out: Record<string, unknown> = {};
  for (const [member, make] of Object.entries(MEMBERS) as [keyof Backend, (e: Edge) => unknown][]) {
    const value = make(e);
    if (value !== undefined) out[member] = value;
  }
  return out as unknown as Backend;
}
