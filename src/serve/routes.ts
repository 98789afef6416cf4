/**
 * The Cloudflare API v4 routes `mycli serve` answers, over the local store.
 *
 * Paths are relative to /client/v4. Every Worker route acts on Worker {script_name} of the
 * served folder's store, with the local backend's domain rules. Any account id is accepted in
 * paths: the store is not partitioned by account (GET /accounts lists one fake account).
 */
import type { ApplyBinding } from '../backends/local/backend.js';
import type { Target, Version } from '../backends/types.js';
import { isBindingName } from '../backends/names.js';
import { isRollback } from '../domain/deployments.js';
import { isObject, jsonObject, jsonPart, parseMultipart } from './body.js';
import { ApiError, badRequest, Codes, ok, workerNotFound, type Reply, type ResultInfo } from './envelope.js';
import type { ServeBackend } from './backend.js';
import { bindingJson, deploymentJson, versionDetail, versionItem } from './shapes.js';
import { secretsStoreTable } from './secrets-store-routes.js';

export interface ServeContext {
  backend: ServeBackend;
  /** The served folder: the config's folder, or the working directory. */
  projectDir: string;
  account: { id: string; name: string };
}

export interface RouteRequest {
  method: string;
  params: Record<string, string>;
  query: URLSearchParams;
  headers: Record<string, string | string[] | undefined>;
  body: () => Promise<Buffer>;
  contentType?: string;
}

type Handler = (ctx: ServeContext, req: RouteRequest) => Promise<Reply>;

interface Route {
  method: string;
  segments: string[];
  handler: Handler;
}

/** The module served for a Worker that has none yet (secrets only); not stored when sent back. */
export const PLACEHOLDER_MODULE = 'export default { async fetch() { return new Response("mycli serve: no module uploaded", { status: 404 }); } };\n';
const PLACEHOLDER_NAME = 'index.js';
const MODULE_MIME = 'application/javascript+module';
/** Script settings (logpush, observability, tail consumers) are kept in memory only. */
const scriptSettings = new Map<string, Record<string, unknown>>();

// ---- helpers -------------------------------------------------------------------------------

const SCRIPT_NAME = /^[A-Za-z0-9_][A-Za-z0-9_-]{0,62}$/;

function scriptName(raw: string): string {
  if (!SCRIPT_NAME.test(raw) || raw in Object.prototype) {
    throw badRequest(`"${raw}" is not a valid Worker name: use letters, digits, "-" and "_" (at most 63)`);
  }
  return raw;
}

function targetOf(ctx: ServeContext, req: RouteRequest): Target {
  const p = req.params;
  const worker = p.env !== undefined ? `${scriptName(p.script)}-${scriptName(p.env)}` : scriptName(p.script);
  return { worker, projectDir: ctx.projectDir, declared: false };
}

async function requireWorker(ctx: ServeContext, target: Target) {
  const worker = await ctx.backend.worker(target);
  if (!worker) throw workerNotFound(target.worker);
  return worker;
}

function secretName(name: unknown, where: string): string {
  if (typeof name !== 'string' || name === '') throw badRequest(`${where}: "name" must be a non-empty string`);
  if (!isBindingName(name)) {
    throw badRequest(`${where}: "${name}" is not a valid secret name (letters, digits and "_", not starting with a digit)`);
  }
  return name;
}

/** A secret binding body {name?, type: "secret_text", text}: its value. */
function secretValue(v: Record<string, unknown>, where: string): string {
  if (v.type !== undefined && v.type !== 'secret_text') {
    throw badRequest(`${where}: type "${String(v.type)}" is not supported; mycli serve stores secret_text secrets`);
  }
  if (typeof v.text !== 'string') throw badRequest(`${where}: "text" must be a string`);
  return v.text;
}

function flag(query: URLSearchParams, name: string): boolean {
  const v = query.get(name);
  return v !== null && v !== 'false' && v !== '0';
}

function positiveInt(query: URLSearchParams, name: string, fallback: number, max: number): number {
  const raw = query.get(name);
  if (raw === null || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > max) throw badRequest(`query parameter ${name} must be an integer from 1 to ${max}`);
  return n;
}

function message(annotations: unknown, where: string): { message?: string; tag?: string } {
  if (annotations === undefined || annotations === null) return {};
  if (!isObject(annotations)) throw badRequest(`${where}: "annotations" must be an object`);
  const out: { message?: string; tag?: string } = {};
  const m = annotations['workers/message'];
  const t = annotations['workers/tag'];
  if (m !== undefined && m !== null) {
    if (typeof m !== 'string' || m.length > 1000) throw badRequest(`${where}: annotations."workers/message" must be a string of at most 1000 characters`);
    if (m !== '') out.message = m;
  }
  if (t !== undefined && t !== null) {
    if (typeof t !== 'string' || t.length > 100) throw badRequest(`${where}: annotations."workers/tag" must be a string of at most 100 characters`);
    if (t !== '') out.tag = t;
  }
  return out;
}

/**
 * API bindings to the store's: a binding given by name and type only (no value) inherits the
 * latest version's binding of that name, as Cloudflare does for settings PATCH.
 */
function toApplyBindings(list: unknown, where: string): ApplyBinding[] {
  if (list === undefined || list === null) return [];
  if (!Array.isArray(list)) throw badRequest(`${where}: "bindings" must be an array`);
  return list.map((b, i) => {
    if (!isObject(b) || typeof b.type !== 'string' || typeof b.name !== 'string') {
      throw badRequest(`${where}: bindings[${i}] must be an object with string "type" and "name"`);
    }
    if (!isBindingName(b.name)) throw badRequest(`${where}: bindings[${i}]: "${b.name}" is not a valid binding name`);
    switch (b.type) {
      case 'inherit':
        return { type: 'inherit', name: b.name };
      case 'secret_text':
        if (b.text === undefined) return { type: 'inherit', name: b.name };
        if (typeof b.text !== 'string') throw badRequest(`${where}: bindings[${i}] ("${b.name}"): "text" must be a string`);
        return { type: 'secret_text', name: b.name, text: b.text };
      case 'plain_text':
        if (b.text === undefined) return { type: 'inherit', name: b.name };
        if (typeof b.text !== 'string') throw badRequest(`${where}: bindings[${i}] ("${b.name}"): "text" must be a string`);
        return { type: 'plain_text', name: b.name, text: b.text };
      case 'json':
        if (!('json' in b)) return { type: 'inherit', name: b.name };
        return { type: 'json', name: b.name, json: b.json };
      case 'secret_key':
        throw badRequest(`${where}: bindings[${i}] ("${b.name}"): secret_key bindings are not supported by mycli serve`);
      default: {
        const keys = Object.keys(b).filter((k) => k !== 'type' && k !== 'name');
        if (keys.length === 0) return { type: 'inherit', name: b.name };
        return { ...b } as ApplyBinding;
      }
    }
  });
}

function keepTypes(v: unknown, where: string): string[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) throw badRequest(`${where}: "keep_bindings" must be an array of strings`);
  return v as string[];
}

/** The main module of an upload: the part named by main_module (or body_part). */
async function uploadedModule(
  ctx: ServeContext,
  target: Target,
  form: FormData,
  metadata: Record<string, unknown>,
): Promise<{ name: string; content: Uint8Array } | undefined> {
  const main = metadata.main_module ?? metadata.body_part;
  if (typeof main !== 'string' || main === '') throw badRequest('metadata: "main_module" must name the part that holds the main module');
  const part = form.get(main);
  if (part === null) throw badRequest(`metadata: main_module "${main}" names no part of the upload`);
  const content = typeof part === 'string' ? Buffer.from(part, 'utf8') : Buffer.from(await part.arrayBuffer());
  // The placeholder served for a Worker without a module comes back unchanged: keep "no module".
  if (content.toString('utf8') === PLACEHOLDER_MODULE) {
    const latest = (await ctx.backend.listVersions(target, { limit: 1 }).catch(() => []))[0];
    if (latest && !latest.scriptHash) return undefined;
  }
  return { name: main, content };
}

async function uploadForm(req: RouteRequest): Promise<{ form: FormData; metadata: Record<string, unknown> }> {
  const form = await parseMultipart(await req.body(), req.contentType);
  const metadata = await jsonPart(form, 'metadata');
  if (!metadata) throw badRequest('the upload has no "metadata" part');
  return { form, metadata };
}

function scriptJson(name: string, v: Version | undefined, createdOn: string): Record<string, unknown> {
  return {
    id: name,
    tag: v?.scriptHash?.slice(0, 32) ?? '',
    etag: v?.scriptHash ?? '',
    handlers: ['fetch'],
    created_on: createdOn,
    modified_on: v?.createdOn ?? createdOn,
    usage_model: 'standard',
    compatibility_flags: [],
    last_deployed_from: 'api',
    has_modules: true,
    has_assets: false,
    // The script upload's answer names the version it made here (wrangler prints it as
    // "Current Version ID").
    ...(v ? { deployment_id: v.id } : {}),
  };
}

function settingsKey(target: Target): string {
  return `${target.projectDir}\0${target.worker}`;
}

function currentScriptSettings(target: Target): Record<string, unknown> {
  return { logpush: false, observability: null, tail_consumers: null, ...scriptSettings.get(settingsKey(target)) };
}

// ---- handlers ------------------------------------------------------------------------------

const accounts: Handler = async (ctx) =>
  ok([{ id: ctx.account.id, name: ctx.account.name, type: 'standard', created_on: '2025-01-01T00:00:00Z', settings: {} }], {
    page: 1,
    per_page: 20,
    count: 1,
    total_count: 1,
    total_pages: 1,
  });

const memberships: Handler = async (ctx) =>
  ok([{ id: 'mycli-serve', status: 'accepted', account: { id: ctx.account.id, name: ctx.account.name }, roles: ['Administrator'] }], {
    page: 1,
    per_page: 20,
    count: 1,
    total_count: 1,
    total_pages: 1,
  });

const verifyToken: Handler = async () => ok({ id: 'mycli-serve-token', status: 'active' });

const listScripts: Handler = async (ctx) => {
  const target: Target = { worker: '', projectDir: ctx.projectDir, declared: false };
  const workers = await ctx.backend.workerNames(target);
  return ok(
    workers.map(({ name, createdOn, latest }) => {
      return { id: name, etag: latest?.scriptHash ?? '', created_on: createdOn, modified_on: latest?.createdOn ?? createdOn };
    }),
  );
};

const getScript: Handler = async (ctx, req) => {
  const target = targetOf(ctx, req);
  await requireWorker(ctx, target);
  const [latest] = await ctx.backend.listVersions(target, { limit: 1 });
  const module = latest ? await ctx.backend.getModule(target, latest.id) : undefined;
  return {
    status: 200,
    raw: true,
    headers: { 'content-type': MODULE_MIME },
    body: module?.content ?? Buffer.from(PLACEHOLDER_MODULE),
  };
};

/** PUT a script: upload a version and deploy it at 100% (`wrangler deploy`, draft Workers). */
const putScript: Handler = async (ctx, req) => {
  const target = targetOf(ctx, req);
  const { form, metadata } = await uploadForm(req);
  const existed = await ctx.backend.worker(target);
  const mainModule = await uploadedModule(ctx, target, form, metadata);
  const result = await ctx.backend.applyBindings(target, {
    bindings: toApplyBindings(metadata.bindings, 'metadata'),
    keepTypes: keepTypes(metadata.keep_bindings, 'metadata'),
    mainModule,
    deploy: true,
    checkRollout: false,
    createWorker: true,
    source: 'upload',
    ...message(metadata.annotations, 'metadata'),
  });
  return ok(scriptJson(target.worker, result.version, existed?.createdOn ?? result.version.createdOn));
};

/** DELETE a script: the Worker with all its versions and deployments (what `wrangler delete` sends). */
const deleteScript: Handler = async (ctx, req) => {
  const target = targetOf(ctx, req);
  await requireWorker(ctx, target);
  await ctx.backend.deleteWorker(target);
  return ok(null);
};

const getSettings: Handler = async (ctx, req) => {
  const target = targetOf(ctx, req);
  await requireWorker(ctx, target);
  const [latest] = await ctx.backend.listVersions(target, { limit: 1 });
  return ok({
    ...currentScriptSettings(target),
    bindings: (latest?.bindings ?? []).map(bindingJson),
    compatibility_flags: [],
    usage_model: 'standard',
    placement: {},
    annotations: latest?.message !== undefined ? { 'workers/message': latest.message } : {},
  });
};

/** PATCH settings (multipart "settings" part, or JSON): the binding list replaces the latest's. */
const patchSettings: Handler = async (ctx, req) => {
  const target = targetOf(ctx, req);
  let settings: Record<string, unknown>;
  const type = (req.contentType ?? '').toLowerCase();
  if (type.startsWith('multipart/form-data')) {
    const form = await parseMultipart(await req.body(), req.contentType);
    const part = await jsonPart(form, 'settings');
    if (!part) throw badRequest('the request has no "settings" part');
    settings = part;
  } else {
    settings = jsonObject(await req.body());
  }
  const { bindings, annotations, ...rest } = settings;
  const nonVersioned: Record<string, unknown> = {};
  for (const k of ['logpush', 'observability', 'tail_consumers']) if (k in rest) nonVersioned[k] = rest[k];
  if (bindings !== undefined) {
    const list = toApplyBindings(bindings, 'settings');
    const latest = (await ctx.backend.worker(target)) ? (await ctx.backend.listVersions(target, { limit: 1 }))[0] : undefined;
    const before = new Set((latest?.bindings ?? []).filter((b) => b.type === 'secret_text').map((b) => b.name));
    const secretChange = list.some((b) => b.type === 'secret_text') || [...before].some((n) => !list.some((b) => b.name === n));
    await ctx.backend.applyBindings(target, {
      bindings: list,
      deploy: true,
      checkRollout: true,
      createWorker: true,
      source: secretChange ? 'secret' : 'settings',
      ...message(annotations, 'settings'),
    });
  } else {
    await requireWorker(ctx, target);
  }
  if (Object.keys(nonVersioned).length) scriptSettings.set(settingsKey(target), { ...scriptSettings.get(settingsKey(target)), ...nonVersioned });
  return getSettings(ctx, req);
};

const getScriptSettings: Handler = async (ctx, req) => {
  const target = targetOf(ctx, req);
  await requireWorker(ctx, target);
  return ok(currentScriptSettings(target));
};

const patchScriptSettings: Handler = async (ctx, req) => {
  const target = targetOf(ctx, req);
  const body = jsonObject(await req.body());
  await requireWorker(ctx, target);
  const next: Record<string, unknown> = {};
  for (const k of ['logpush', 'observability', 'tail_consumers', 'streaming_tail_consumers']) if (k in body) next[k] = body[k];
  if ('logpush' in next && typeof next.logpush !== 'boolean') throw badRequest('"logpush" must be a boolean');
  scriptSettings.set(settingsKey(target), { ...scriptSettings.get(settingsKey(target)), ...next });
  return ok(currentScriptSettings(target));
};

// workers.dev: `wrangler deploy` asks for the account's subdomain and the script's setting.
// There is no real workers.dev here; the answers let a deploy finish (kept in memory).
const workersDev = new Map<string, { enabled: boolean; previews_enabled: boolean }>();

// No KV here: `wrangler delete` lists namespaces (to remove a Workers Sites one); there are none.
const listKvNamespaces: Handler = async () => ok([]);

const getAccountSubdomain: Handler = async () => ok({ subdomain: 'mycli-serve' });

const getScriptSubdomain: Handler = async (ctx, req) => {
  const target = targetOf(ctx, req);
  await requireWorker(ctx, target);
  return ok(workersDev.get(settingsKey(target)) ?? { enabled: true, previews_enabled: false });
};

const postScriptSubdomain: Handler = async (ctx, req) => {
  const target = targetOf(ctx, req);
  const body = jsonObject(await req.body());
  await requireWorker(ctx, target);
  if (typeof body.enabled !== 'boolean') throw badRequest('"enabled" must be a boolean');
  const next = { enabled: body.enabled, previews_enabled: typeof body.previews_enabled === 'boolean' ? body.previews_enabled : false };
  workersDev.set(settingsKey(target), next);
  return ok(next);
};

const listSecrets: Handler = async (ctx, req) => {
  const target = targetOf(ctx, req);
  await requireWorker(ctx, target);
  return ok((await ctx.backend.listSecrets(target)).map((s) => ({ name: s.name, type: s.type })));
};

/** PUT a secret: a new version with it, deployed at 100% (10215 during a gradual rollout). */
const putSecret: Handler = async (ctx, req) => {
  const target = targetOf(ctx, req);
  const body = jsonObject(await req.body());
  const name = secretName(body.name, 'secret');
  const value = secretValue(body, `secret "${name}"`);
  await ctx.backend.updateSecrets(target, { [name]: value }, { deploy: true });
  return ok({ name, type: 'secret_text' });
};

const getSecret: Handler = async (ctx, req) => {
  const target = targetOf(ctx, req);
  await requireWorker(ctx, target);
  const name = secretName(req.params.secret, 'secret');
  const found = (await ctx.backend.listSecrets(target)).find((s) => s.name === name);
  if (!found) throw new ApiError(404, Codes.notFound, `secret "${name}" does not exist on Worker "${target.worker}"`);
  return ok({ name, type: 'secret_text' });
};

const deleteSecret: Handler = async (ctx, req) => {
  const target = targetOf(ctx, req);
  await requireWorker(ctx, target);
  const name = secretName(req.params.secret, 'secret');
  await ctx.backend.updateSecrets(target, { [name]: null }, { deploy: true });
  return ok(null);
};

/** PATCH secrets-bulk: {"secrets": {NAME: {type, text} | null}} as one change, deployed at 100%. */
const patchSecretsBulk: Handler = async (ctx, req) => {
  const target = targetOf(ctx, req);
  const body = jsonObject(await req.body());
  if (!isObject(body.secrets)) throw badRequest('"secrets" must be an object of NAME: {"type": "secret_text", "text": ...} or null');
  const patch: Record<string, string | null> = {};
  for (const [key, v] of Object.entries(body.secrets)) {
    const name = secretName(key, 'secrets');
    if (v === null) {
      patch[name] = null;
      continue;
    }
    if (!isObject(v)) throw badRequest(`secrets."${name}" must be an object or null`);
    if (v.name !== undefined && v.name !== name) throw badRequest(`secrets."${name}": "name" is "${String(v.name)}", not "${name}"`);
    patch[name] = secretValue(v, `secrets."${name}"`);
  }
  if (Object.keys(patch).length === 0) throw badRequest('"secrets" is empty: nothing to change');
  await ctx.backend.updateSecrets(target, patch, { deploy: true });
  const all = await ctx.backend.listSecrets(target);
  return ok(Object.fromEntries(all.map((s) => [s.name, { name: s.name, type: s.type }])));
};

const listVersions: Handler = async (ctx, req) => {
  const target = targetOf(ctx, req);
  await requireWorker(ctx, target);
  if (flag(req.query, 'deployable') && !req.query.has('page') && !req.query.has('per_page')) {
    const all = await ctx.backend.listVersions(target);
    return ok({ items: all.map(versionItem) }, { page: 1, per_page: Math.max(all.length, 1), count: all.length, total_count: all.length, total_pages: 1 });
  }
  const page = positiveInt(req.query, 'page', 1, 1_000_000);
  const perPage = positiveInt(req.query, 'per_page', 20, 1000);
  // Read only up to the page asked for; the total is the number of the latest version.
  const upTo = await ctx.backend.listVersions(target, { limit: page * perPage });
  const total = (await ctx.backend.versionCount(target)) ?? upTo.length;
  const items = upTo.slice((page - 1) * perPage, page * perPage);
  const info: ResultInfo = {
    page,
    per_page: perPage,
    count: items.length,
    total_count: total,
    total_pages: Math.max(1, Math.ceil(total / perPage)),
  };
  return ok({ items: items.map(versionItem) }, info);
};

const getVersion: Handler = async (ctx, req) => {
  const target = targetOf(ctx, req);
  await requireWorker(ctx, target);
  return ok(versionDetail(await ctx.backend.getVersion(target, req.params.version)));
};

/** POST a version (multipart, not deployed): bindings, keep_bindings, the main module. */
const postVersion: Handler = async (ctx, req) => {
  const target = targetOf(ctx, req);
  const { form, metadata } = await uploadForm(req);
  const mainModule = await uploadedModule(ctx, target, form, metadata);
  const result = await ctx.backend.applyBindings(target, {
    bindings: toApplyBindings(metadata.bindings, 'metadata'),
    keepTypes: keepTypes(metadata.keep_bindings, 'metadata'),
    mainModule,
    deploy: false,
    checkRollout: false,
    createWorker: true,
    source: 'upload',
    ...message(metadata.annotations, 'metadata'),
  });
  return ok({ ...versionDetail(result.version), startup_time_ms: 0 });
};

/** A version's content as wrangler reads it back: multipart, entry named by cf-entrypoint. */
const getContent: Handler = async (ctx, req) => {
  const target = targetOf(ctx, req);
  await requireWorker(ctx, target);
  const id = req.query.get('version');
  const version = id ? await ctx.backend.getVersion(target, id) : (await ctx.backend.listVersions(target, { limit: 1 }))[0];
  if (!version) throw new ApiError(404, Codes.notFound, `Worker "${target.worker}" has no versions yet`);
  const module = await ctx.backend.getModule(target, version.id);
  const name = PLACEHOLDER_NAME;
  const form = new FormData();
  form.set(name, new File([module?.content ?? Buffer.from(PLACEHOLDER_MODULE)], name, { type: MODULE_MIME }));
  const res = new Response(form);
  return {
    status: 200,
    raw: true,
    headers: { 'content-type': res.headers.get('content-type')!, 'cf-entrypoint': name },
    body: Buffer.from(await res.arrayBuffer()),
  };
};

const listDeployments: Handler = async (ctx, req) => {
  const target = targetOf(ctx, req);
  await requireWorker(ctx, target);
  return ok({ deployments: (await ctx.backend.listDeployments(target)).map(deploymentJson) });
};

const getDeployment: Handler = async (ctx, req) => {
  const target = targetOf(ctx, req);
  await requireWorker(ctx, target);
  const found = (await ctx.backend.listDeployments(target)).find((d) => d.id === req.params.deployment);
  if (!found) throw new ApiError(404, Codes.notFound, `deployment ${req.params.deployment} does not exist on Worker "${target.worker}"`);
  return ok(deploymentJson(found));
};

/** POST a deployment: 1 or 2 versions summing to 100%; 10220 on a rollback with changed secrets. */
const postDeployment: Handler = async (ctx, req) => {
  const target = targetOf(ctx, req);
  const body = jsonObject(await req.body());
  if (body.strategy !== undefined && body.strategy !== 'percentage') throw badRequest('"strategy" must be "percentage"');
  if (!Array.isArray(body.versions) || body.versions.length === 0) {
    throw badRequest('"versions" must be a non-empty array of {"version_id", "percentage"}');
  }
  const versions = body.versions.map((v: unknown, i: number) => {
    if (!isObject(v) || typeof v.version_id !== 'string' || typeof v.percentage !== 'number') {
      throw badRequest(`versions[${i}] must be {"version_id": string, "percentage": number}`);
    }
    return { versionId: v.version_id, percentage: v.percentage };
  });
  const { message: msg } = message(body.annotations, 'deployment');
  await requireWorker(ctx, target);
  // One version at 100% that is older than the newest live one: a rollback.
  let kind: 'deploy' | 'rollback' = 'deploy';
  const live = await ctx.backend.liveDeployment(target);
  if (versions.length === 1 && live) {
    const number = async (id: string) => ({ number: (await ctx.backend.versionNumber(target, id)) ?? 0 });
    const liveNumbers = await Promise.all(live.versions.map((v) => number(v.versionId)));
    if (isRollback([await number(versions[0].versionId)], liveNumbers)) kind = 'rollback';
  }
  const deployment = await ctx.backend.deploy(target, { versions, message: msg, force: flag(req.query, 'force'), kind });
  return ok(deploymentJson(deployment));
};

/**
 * PATCH workers/workers/{name}/versions/latest (merge-patch): a new version from the latest with
 * `env` changes (NAME: binding | null), not deployed.
 */
const patchLatestVersion: Handler = async (ctx, req) => {
  const target = targetOf(ctx, req);
  const body = jsonObject(await req.body());
  await requireWorker(ctx, target);
  const [latest] = await ctx.backend.listVersions(target, { limit: 1 });
  if (!latest) throw new ApiError(404, Codes.notFound, `Worker "${target.worker}" has no versions yet`);
  const env = body.env ?? {};
  if (!isObject(env)) throw badRequest('"env" must be an object of NAME: binding | null');
  const current = new Map(latest.bindings.map((b) => [b.name, b]));
  const changes = new Map<string, ApplyBinding | null>();
  for (const [name, v] of Object.entries(env)) {
    secretName(name, 'env');
    const existing = current.get(name);
    if (v === null) {
      if (!existing) throw new ApiError(404, Codes.notFound, `binding "${name}" does not exist on the latest version of Worker "${target.worker}"`);
      changes.set(name, null);
      continue;
    }
    if (!isObject(v)) throw badRequest(`env."${name}" must be an object or null`);
    const [b] = toApplyBindings([{ name, ...v }], 'env');
    if (b.type === 'secret_text' && existing && existing.type !== 'secret_text') {
      throw badRequest(`"${name}" is already a ${existing.type} binding of Worker "${target.worker}"; secrets and vars share one namespace`);
    }
    changes.set(name, b);
  }
  if (changes.size === 0 && body.annotations === undefined) throw badRequest('nothing to change: give "env" or "annotations"');
  const bindings: ApplyBinding[] = [];
  for (const b of latest.bindings) {
    if (!changes.has(b.name)) bindings.push({ type: 'inherit', name: b.name });
  }
  for (const b of changes.values()) if (b) bindings.push(b);
  const result = await ctx.backend.applyBindings(target, {
    bindings,
    deploy: false,
    checkRollout: false,
    createWorker: false,
    source: [...changes.values()].every((b) => b === null || b.type === 'secret_text') ? 'secret' : 'upload',
    ...message(body.annotations, 'annotations'),
  });
  return ok(versionDetail(result.version));
};

const getService: Handler = async (ctx, req) => {
  const target = targetOf(ctx, req);
  const worker = await requireWorker(ctx, target);
  const [latest] = await ctx.backend.listVersions(target, { limit: 1 });
  return ok({
    id: target.worker,
    created_on: worker.createdOn,
    modified_on: latest?.createdOn ?? worker.createdOn,
    default_environment: {
      environment: 'production',
      created_on: worker.createdOn,
      modified_on: latest?.createdOn ?? worker.createdOn,
      script: scriptJson(target.worker, latest, worker.createdOn),
    },
    environments: [{ environment: 'production', created_on: worker.createdOn, modified_on: latest?.createdOn ?? worker.createdOn }],
  });
};

// ---- the table -----------------------------------------------------------------------------

const A = 'accounts/:account';
const S = `${A}/workers/scripts/:script`;
const E = `${A}/workers/services/:script/environments/:env`;

const table: [string, string, Handler][] = [
  ['GET', 'accounts', accounts],
  ['GET', 'memberships', memberships],
  ['GET', 'user/tokens/verify', verifyToken],
  ['GET', `${A}/tokens/verify`, verifyToken],
  ['GET', `${A}/workers/scripts`, listScripts],
  ['GET', S, getScript],
  ['PUT', S, putScript],
  ['DELETE', S, deleteScript],
  ['GET', `${S}/settings`, getSettings],
  ['PATCH', `${S}/settings`, patchSettings],
  ['GET', `${S}/script-settings`, getScriptSettings],
  ['GET', `${A}/workers/subdomain`, getAccountSubdomain],
  ['GET', `${A}/storage/kv/namespaces`, listKvNamespaces],
  ['GET', `${S}/subdomain`, getScriptSubdomain],
  ['POST', `${S}/subdomain`, postScriptSubdomain],
  ['PATCH', `${S}/script-settings`, patchScriptSettings],
  ['GET', `${S}/secrets`, listSecrets],
  ['PUT', `${S}/secrets`, putSecret],
  ['GET', `${S}/secrets/:secret`, getSecret],
  ['DELETE', `${S}/secrets/:secret`, deleteSecret],
  ['PATCH', `${S}/secrets-bulk`, patchSecretsBulk],
  ['GET', `${S}/versions`, listVersions],
  ['POST', `${S}/versions`, postVersion],
  ['GET', `${S}/versions/:version`, getVersion],
  ['GET', `${S}/content/v2`, getContent],
  ['GET', `${S}/deployments`, listDeployments],
  ['POST', `${S}/deployments`, postDeployment],
  ['GET', `${S}/deployments/:deployment`, getDeployment],
  ['PATCH', `${A}/workers/workers/:script/versions/latest`, patchLatestVersion],
  ['GET', `${A}/workers/services/:script`, getService],
  ['DELETE', `${A}/workers/services/:script`, deleteScript], // `wrangler delete`
  // Service environments (wrangler with `--env` and legacy_env = false): Worker "<name>-<env>".
  ['PUT', E, putScript],
  ['GET', `${E}/secrets`, listSecrets],
  ['PUT', `${E}/secrets`, putSecret],
  ['DELETE', `${E}/secrets/:secret`, deleteSecret],
  ['GET', `${E}/settings`, getSettings],
  ['PATCH', `${E}/settings`, patchSettings],
  ...secretsStoreTable, // /accounts/{account_id}/secrets_store/...
];

export const routes: Route[] = table.map(([method, path, handler]) => ({ method, segments: path.split('/'), handler }));

export type Match = { handler: Handler; params: Record<string, string> } | { methodNotAllowed: string[] } | undefined;

/** `segments` are the decoded path segments after /client/v4. */
export function match(method: string, segments: string[]): Match {
  const allowed: string[] = [];
  for (const r of routes) {
    if (r.segments.length !== segments.length) continue;
    const params: Record<string, string> = {};
    let hit = true;
    for (let i = 0; i < segments.length; i++) {
      const want = r.segments[i];
      if (want.startsWith(':')) {
        if (segments[i] === '') {
          hit = false;
          break;
        }
        params[want.slice(1)] = segments[i];
      } else if (want !== segments[i]) {
        hit = false;
        break;
      }
    }
    if (!hit) continue;
    if (r.method === method) return { handler: r.handler, params };
    allowed.push(r.method);
  }
  return allowed.length ? { methodNotAllowed: allowed } : undefined;
}

/** Method + path of every route, for documentation and tests. */
export function routeList(): string[] {
  return table.map(([m, p]) => `${m} /client/v4/${p.replace(/:([a-z]+)/g, '{$1}')}`);
}
