/** Request bodies: bounded reads, JSON and multipart parsing, and a redacted summary for logs. */
import type { IncomingMessage } from 'node:http';
import { ApiError, badRequest, Codes } from './envelope.js';

export const MAX_BODY_BYTES = 10 * 1024 * 1024;

export function readBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    req.on('data', (chunk: Buffer) => {
      if (failed) return;
      size += chunk.length;
      if (size > limit) {
        failed = true;
        reject(new ApiError(413, Codes.tooLarge, `request body is larger than ${limit} bytes`));
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (!failed) resolve(Buffer.concat(chunks));
    });
    req.on('error', (e) => {
      if (!failed) reject(e);
    });
  });
}

export function mediaType(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0].trim().toLowerCase();
}

/**
 * Where JSON.parse failed, without its message: V8 quotes the text around the error ("Unexpected
 * token 'c', "..."text":c0rrupt..." is not valid JSON"), and a body may carry a secret value that
 * must never come back in an error (wrangler prints it; CI logs keep it).
 */
function whereJsonFails(e: unknown): string {
  const message = (e as Error)?.message ?? '';
  const at = /at position (\d+)/.exec(message)?.[1];
  if (at !== undefined) return `it is not valid JSON (at character ${at})`;
  if (/end of JSON input/.test(message)) return 'it ends before the JSON is complete';
  return 'it is not valid JSON';
}

export function parseJson(body: Buffer): unknown {
  if (body.length === 0) throw new ApiError(400, Codes.badJson, 'Malformed JSON in request body: the body is empty');
  try {
    return JSON.parse(body.toString('utf8'));
  } catch (e) {
    throw new ApiError(400, Codes.badJson, `Malformed JSON in request body: ${whereJsonFails(e)}`);
  }
}

/** A JSON object body (application/json or application/merge-patch+json). */
export function jsonObject(body: Buffer): Record<string, unknown> {
  const data = parseJson(body);
  if (!isObject(data)) throw badRequest('the request body must be a JSON object');
  return data;
}

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** multipart/form-data, parsed by the runtime's own (undici) parser. */
export async function parseMultipart(body: Buffer, contentType: string | undefined): Promise<FormData> {
  if (mediaType(contentType) !== 'multipart/form-data') {
    throw badRequest(`expected a multipart/form-data body, got ${contentType ?? 'no content type'}`);
  }
  try {
    return await new Response(body, { headers: { 'content-type': contentType! } }).formData();
  } catch (e) {
    throw badRequest(`malformed multipart/form-data body: ${(e as Error).message}`);
  }
}

/** A JSON part of a multipart body (a plain field or a file). */
export async function jsonPart(form: FormData, name: string): Promise<Record<string, unknown> | undefined> {
  const part = form.get(name);
  if (part === null) return undefined;
  const text = typeof part === 'string' ? part : await part.text();
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new ApiError(400, Codes.badJson, `Malformed JSON in the "${name}" part: ${whereJsonFails(e)}`);
  }
  if (!isObject(data)) throw badRequest(`the "${name}" part must be a JSON object`);
  return data;
}

/**
 * The request log (MYCLI_SERVE_LOG) records the shape of a body, never a value: a secret may
 * arrive under any key (`{"secrets":{"DB_PASSWORD":"…"}}`, `{"secret":"…"}`, a `secret_text`
 * binding, a value put in `name`), so every string becomes its length. Kept as they are: object
 * keys (the structure: binding and field names), numbers, booleans, null, the words of the
 * API's `type` enums (which kind of binding a client sent) and id-shaped values of `id`/`*_id`.
 */
const TYPE_WORDS = new Set([
  'secret_text', 'plain_text', 'json', 'inherit', 'secret_key', 'secrets_store_secret', 'kv_namespace', 'd1', 'r2_bucket',
  'durable_object_namespace', 'service', 'queue', 'analytics_engine', 'ai', 'browser', 'vectorize', 'hyperdrive',
  'version_metadata', 'wasm_module', 'text_blob', 'data_blob', 'mtls_certificate', 'dispatch_namespace', 'workflow', 'assets',
  'percentage', 'workers', 'ai_gateway', 'dmarc_management',
]);

const ID_SHAPE = /^(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[0-9a-f]{32})$/i;

export function shapeOf(v: unknown, key?: string): unknown {
  if (Array.isArray(v)) return v.map((x) => shapeOf(x));
  if (isObject(v)) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = shapeOf(x, k);
    return out;
  }
  if (typeof v === 'string') {
    if ((key === 'type' || key === 'strategy' || key === 'scopes') && TYPE_WORDS.has(v)) return v;
    // Ids (a deployment's version_id) say which versions a client named; only id-shaped ones.
    if (key !== undefined && (key === 'id' || key.endsWith('_id')) && ID_SHAPE.test(v)) return v;
    return `[${v.length} chars]`;
  }
  return v;
}

/**
 * A query string's shape for the log: every key; the values of the API's own paging, sorting and
 * switch parameters (and any plain number or true/false); any other value only as its length.
 */
const SAFE_QUERY = new Set([
  'page', 'per_page', 'order', 'direction', 'limit', 'force', 'latest', 'deployable', 'url_encoded', 'exclude_script_content',
  'include_subdomain_availability', 'excludeScript', 'deployment_id', 'version_id', 'version', 'scopes', 'cursor',
]);
export function queryShape(params: URLSearchParams): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of params) {
    const plain = /^(?:\d{1,10}|true|false)$/.test(v) || (SAFE_QUERY.has(k) && /^[A-Za-z0-9_,-]{0,64}$/.test(v));
    out[k] = plain ? v : `[${v.length} chars]`;
  }
  return out;
}

export async function summarizeBody(body: Buffer, contentType: string | undefined): Promise<unknown> {
  if (body.length === 0) return undefined;
  const type = mediaType(contentType);
  if (type === 'application/json' || type === 'application/merge-patch+json') {
    try {
      return shapeOf(JSON.parse(body.toString('utf8')));
    } catch {
      return '[malformed json]';
    }
  }
  if (type === 'multipart/form-data') {
    try {
      const form = await new Response(body, { headers: { 'content-type': contentType! } }).formData();
      const parts: unknown[] = [];
      for (const [name, part] of form.entries()) {
        if (typeof part === 'string') {
          let json: unknown;
          try {
            json = shapeOf(JSON.parse(part));
          } catch {
            json = undefined;
          }
          parts.push({ name, json: json ?? `[${part.length} chars]` });
        } else {
          parts.push({ name, file: part.name, type: part.type, size: part.size });
        }
      }
      return { multipart: parts };
    } catch {
      return '[malformed multipart]';
    }
  }
  return `[${body.length} bytes of ${type || 'unknown type'}]`;
}
