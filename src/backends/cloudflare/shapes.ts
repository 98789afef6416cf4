/**
 * The shapes of the Cloudflare API answers (the envelope, versions, deployments, secrets),
 * checked by hand as everything from outside is (backends/shape.ts, which says why): objects
 * are lenient (extra fields are kept), `nullish` fields accept null and undefined, required ones
 * must be present with the right type; the first problem is reported as "path: message".
 */
// The basics are shape.ts's, the one hand-written approach (its header says why not zod).
import { conforms, expected, isObject, ShapeError } from '../shape.js';

type Obj = Record<string, unknown>;

function object(v: unknown, path: (string | number)[]): Obj {
  if (!isObject(v)) expected(path, 'object', v);
  return v;
}

function string(o: Obj, key: string, path: (string | number)[]): string {
  const v = o[key];
  if (typeof v !== 'string') expected([...path, key], 'string', v);
  return v;
}

function nullishString(o: Obj, key: string, path: (string | number)[]): string | null | undefined {
  const v = o[key];
  if (v !== undefined && v !== null && typeof v !== 'string') expected([...path, key], 'string', v);
  return v;
}

function nullishNumber(o: Obj, key: string, path: (string | number)[]): number | null | undefined {
  const v = o[key];
  if (v !== undefined && v !== null && (typeof v !== 'number' || !Number.isFinite(v))) expected([...path, key], 'number', v);
  return v;
}

function optionalNumber(o: Obj, key: string, path: (string | number)[]): number | undefined {
  const v = o[key];
  if (v !== undefined && (typeof v !== 'number' || !Number.isFinite(v))) expected([...path, key], 'number', v);
  return v;
}

function nullishArray(o: Obj, key: string, path: (string | number)[]): unknown[] | null | undefined {
  const v = o[key];
  if (v !== undefined && v !== null && !Array.isArray(v)) expected([...path, key], 'array', v);
  return v;
}

function nullishObject(o: Obj, key: string, path: (string | number)[]): Obj | null | undefined {
  const v = o[key];
  if (v !== undefined && v !== null && !isObject(v)) expected([...path, key], 'object', v);
  return v;
}

// ---- the envelope ----------------------------------------------------------------------------

export interface ResultInfo {
  page?: number;
  per_page?: number;
  total_pages?: number;
  count?: number;
  total_count?: number;
  [k: string]: unknown;
}

export interface ApiMessage {
  /** A number, or a numeric string turned into one. */
  code: number;
  message: string;
  [k: string]: unknown;
}

export interface ApiEnvelope {
  success: boolean;
  errors: ApiMessage[];
  messages: unknown[];
  result?: unknown;
  result_info?: ResultInfo | null;
  [k: string]: unknown;
}

function apiMessage(v: unknown, path: (string | number)[]): ApiMessage {
  const o = object(v, path);
  const code = o.code;
  if (typeof code !== 'number' && typeof code !== 'string') expected([...path, 'code'], 'number | string', code);
  const message = o.message === undefined ? '' : string(o, 'message', path);
  return { ...o, code: Number(code), message };
}

function resultInfo(v: unknown, path: (string | number)[]): ResultInfo {
  const o = object(v, path);
  for (const k of ['page', 'per_page', 'total_pages', 'count', 'total_count']) optionalNumber(o, k, path);
  return o as ResultInfo;
}

/** The API envelope, or undefined when the value is not one (the caller treats it as not JSON). */
export function parseEnvelope(v: unknown): ApiEnvelope | undefined {
  try {
    const o = object(v, []);
    if (typeof o.success !== 'boolean') expected(['success'], 'boolean', o.success);
    const errors = (nullishArray(o, 'errors', []) ?? []).map((e, i) => apiMessage(e, ['errors', i]));
    const messages = nullishArray(o, 'messages', []) ?? [];
    const info = o.result_info;
    const out: ApiEnvelope = { ...o, success: o.success, errors, messages };
    if (info !== undefined) out.result_info = info === null ? null : resultInfo(info, ['result_info']);
    return out;
  } catch (e) {
    if (e instanceof ShapeError) return undefined;
    throw e;
  }
}

// ---- versions, deployments, secrets -------------------------------------------------------------

export interface CfBinding {
  type: string;
  name: string;
  [k: string]: unknown;
}

export interface CfVersion {
  id: string;
  number?: number | null;
  metadata?: { created_on?: string | null; author_email?: string | null; source?: string | null; [k: string]: unknown } | null;
  annotations?: Record<string, unknown> | null;
  resources?: {
    bindings?: CfBinding[] | null;
    script?: { etag?: string | null; [k: string]: unknown } | null;
    [k: string]: unknown;
  } | null;
  [k: string]: unknown;
}

export interface CfDeployment {
  id: string;
  created_on?: string | null;
  author_email?: string | null;
  source?: string | null;
  strategy?: string | null;
  versions: { version_id: string; percentage: number; [k: string]: unknown }[];
  annotations?: Record<string, unknown> | null;
  [k: string]: unknown;
}

export interface CfSecret {
  name: string;
  type: string;
  [k: string]: unknown;
}

export function checkVersion(v: unknown, path: (string | number)[] = []): CfVersion {
  const o = object(v, path);
  string(o, 'id', path);
  nullishNumber(o, 'number', path);
  const metadata = nullishObject(o, 'metadata', path);
  if (metadata) for (const k of ['created_on', 'author_email', 'source']) nullishString(metadata, k, [...path, 'metadata']);
  nullishObject(o, 'annotations', path);
  const resources = nullishObject(o, 'resources', path);
  if (resources) {
    const rp = [...path, 'resources'];
    const bindings = nullishArray(resources, 'bindings', rp);
    bindings?.forEach((b, i) => {
      const bo = object(b, [...rp, 'bindings', i]);
      string(bo, 'type', [...rp, 'bindings', i]);
      string(bo, 'name', [...rp, 'bindings', i]);
    });
    const script = nullishObject(resources, 'script', rp);
    if (script) nullishString(script, 'etag', [...rp, 'script']);
  }
  return o as CfVersion;
}

export function checkDeployment(v: unknown, path: (string | number)[] = []): CfDeployment {
  const o = object(v, path);
  string(o, 'id', path);
  for (const k of ['created_on', 'author_email', 'source', 'strategy']) nullishString(o, k, path);
  const versions = o.versions;
  if (!Array.isArray(versions)) expected([...path, 'versions'], 'array', versions);
  versions.forEach((x, i) => {
    const vp = [...path, 'versions', i];
    const vo = object(x, vp);
    string(vo, 'version_id', vp);
    const p = vo.percentage;
    if (typeof p !== 'number' || !Number.isFinite(p)) expected([...vp, 'percentage'], 'number', p);
  });
  nullishObject(o, 'annotations', path);
  return o as CfDeployment;
}

export function checkSecrets(v: unknown): CfSecret[] {
  if (!Array.isArray(v)) expected([], 'array', v);
  return v.map((s, i) => {
    const o = object(s, [i]);
    string(o, 'name', [i]);
    string(o, 'type', [i]);
    return o as CfSecret;
  });
}

/** `{ items: CfVersion[] | null | undefined }` (a page of the version list). */
export function checkVersionItems(v: unknown): CfVersion[] {
  const o = object(v, []);
  const items = nullishArray(o, 'items', []);
  return (items ?? []).map((x, i) => checkVersion(x, ['items', i]));
}

/** The Worker list (GET /workers/scripts): `[{ id: string, ... }]`; the ids, which are the names. */
export function checkScriptList(v: unknown): string[] {
  if (!Array.isArray(v)) expected([], 'array', v);
  return v.map((x, i) => string(object(x, [i]), 'id', [i]));
}

/** `{ deployments: CfDeployment[] | null | undefined }`. */
export function checkDeploymentList(v: unknown): CfDeployment[] {
  const o = object(v, []);
  const list = nullishArray(o, 'deployments', []);
  return (list ?? []).map((x, i) => checkDeployment(x, ['deployments', i]));
}

/** Whether `check` accepts the value (the safeParse of the schemas this file replaces). */
export { conforms };
