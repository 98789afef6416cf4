/**
 * What the Worker routes of `mycli serve` share: the target of a path, request checks, bindings
 * and uploads as the Cloudflare API sends them, the script shape.
 */
import type { ApplyBinding, ApplyBindingsInput } from '../backend-types.js';
import type { Target, Version } from '../../backends/types.js';
import { isBindingName } from '../../backends/names.js';
import { API_SCRIPT_NAME } from '../../domain/names.js';
import { isObject, jsonPart, parseMultipart } from '../body.js';
import { badRequest, workerNotFound } from '../envelope.js';
import type { RouteRequest, ServeContext } from '../context.js';
import { ANNOTATION, readAnnotations } from '../../backends/cloudflare/annotations.js';

/** The module served for a Worker that has none yet (secrets only); not stored when sent back. */
export const PLACEHOLDER_MODULE = 'export default { async fetch() { return new Response("mycli serve: no module uploaded", { status: 404 }); } };\n';
export const PLACEHOLDER_NAME = 'index.js';
export const MODULE_MIME = 'application/javascript+module';

// ---- helpers -------------------------------------------------------------------------------


export function scriptName(raw: string): string {
  if (!API_SCRIPT_NAME.test(raw) || raw in Object.prototype) {
    throw badRequest(`"${raw}" is not a valid Worker name: use letters, digits, "-" and "_" (at most 63)`);
  }
  return raw;
}

export function targetOf(ctx: ServeContext, req: RouteRequest): Target {
  const p = req.params;
  const worker = p.env !== undefined ? `${scriptName(p.script)}-${scriptName(p.env)}` : scriptName(p.script);
  return { worker, projectDir: ctx.projectDir, declared: false };
}

export async function requireWorker(ctx: ServeContext, target: Target) {
  const worker = await ctx.backend.worker(target);
  if (!worker) throw workerNotFound(target.worker);
  return worker;
}

export function secretName(name: unknown, where: string): string {
  if (typeof name !== 'string' || name === '') throw badRequest(`${where}: "name" must be a non-empty string`);
  if (!isBindingName(name)) {
    throw badRequest(`${where}: the name given (${name.length} characters) is not a valid secret name (letters, digits and "_", not starting with a digit); it is not repeated here, in case it was a value`);
  }
  return name;
}

/** A secret binding body {name?, type: "secret_text", text}: its value. */
export function secretValue(v: Record<string, unknown>, where: string): string {
  if (v.type !== undefined && v.type !== 'secret_text') {
    throw badRequest(`${where}: type "${String(v.type)}" is not supported; mycli serve stores secret_text secrets`);
  }
  if (typeof v.text !== 'string') throw badRequest(`${where}: "text" must be a string`);
  return v.text;
}

export function flag(query: URLSearchParams, name: string): boolean {
  const v = query.get(name);
  return v !== null && v !== 'false' && v !== '0';
}

export function message(annotations: unknown, where: string): { message?: string; tag?: string } {
  if (annotations === undefined || annotations === null) return {};
  if (!isObject(annotations)) throw badRequest(`${where}: "annotations" must be an object`);
  const out: { message?: string; tag?: string } = {};
  const m = annotations[ANNOTATION.message];
  const t = annotations[ANNOTATION.tag];
  if (m !== undefined && m !== null) {
    if (typeof m !== 'string' || m.length > 1000) throw badRequest(`${where}: annotations."${ANNOTATION.message}" must be a string of at most 1000 characters`);
  }
  if (t !== undefined && t !== null) {
    if (typeof t !== 'string' || t.length > 100) throw badRequest(`${where}: annotations."${ANNOTATION.tag}" must be a string of at most 100 characters`);
  }
  const { message: msg, tag } = readAnnotations(annotations);
  if (msg !== undefined) out.message = msg;
  if (tag !== undefined) out.tag = tag;
  return out;
}

/**
 * API bindings to the store's: a binding given by name and type only (no value) inherits the
 * latest version's binding of that name, as Cloudflare does for settings PATCH.
 */
export function toApplyBindings(list: unknown, where: string): ApplyBinding[] {
  if (list === undefined || list === null) return [];
  if (!Array.isArray(list)) throw badRequest(`${where}: "bindings" must be an array`);
  return list.map((b, i) => {
    if (!isObject(b) || typeof b.type !== 'string' || typeof b.name !== 'string') {
      throw badRequest(`${where}: bindings[${i}] must be an object with string "type" and "name"`);
    }
    if (!isBindingName(b.name)) throw badRequest(`${where}: bindings[${i}]: the name given (${b.name.length} characters) is not a valid binding name; it is not repeated here, in case it was a value`);
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

/** A multipart upload (script PUT, version POST) as the new version it asks for: its bindings, kept types, main module. */
export async function uploadInput(
  ctx: ServeContext,
  target: Target,
  form: FormData,
  metadata: Record<string, unknown>,
  options: { deploy: boolean },
): Promise<ApplyBindingsInput> {
  const mainModule = await uploadedModule(ctx, target, form, metadata);
  return {
    bindings: toApplyBindings(metadata.bindings, 'metadata'),
    keepTypes: keepTypes(metadata.keep_bindings, 'metadata'),
    mainModule,
    deploy: options.deploy,
    checkRollout: false,
    createWorker: true,
    source: 'upload',
    ...message(metadata.annotations, 'metadata'),
  };
}

export async function uploadForm(req: RouteRequest): Promise<{ form: FormData; metadata: Record<string, unknown> }> {
  const form = await parseMultipart(await req.body(), req.contentType);
  const metadata = await jsonPart(form, 'metadata');
  if (!metadata) throw badRequest('the upload has no "metadata" part');
  return { form, metadata };
}

export function scriptJson(name: string, v: Version | undefined, createdOn: string): Record<string, unknown> {
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
