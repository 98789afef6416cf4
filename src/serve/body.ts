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

const SECRET_KEYS = new Set(['text', 'value', 'key_base64', 'key_jwk']);

/** A copy with every value that could be a secret replaced: for request logs. */
export function redact(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(redact);
  if (isObject(v)) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = SECRET_KEYS.has(k) ? '[redacted]' : redact(x);
    return out;
  }
  return v;
}

/** What a request carried, without secret values: for the request log. */
export async function summarizeBody(body: Buffer, contentType: string | undefined): Promise<unknown> {
  if (body.length === 0) return undefined;
  const type = mediaType(contentType);
  if (type === 'application/json' || type === 'application/merge-patch+json') {
    try {
      return redact(JSON.parse(body.toString('utf8')));
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
            json = redact(JSON.parse(part));
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
