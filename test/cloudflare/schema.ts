/**
 * A small JSON Schema (OpenAPI 3.0 flavour) checker for request bodies: type, nullable, enum,
 * properties, required (readOnly properties are not required in requests), additionalProperties,
 * items, allOf/anyOf/oneOf, minimum/maximum, maxLength/minLength, pattern, format uuid.
 * Returns the problems as `path: message` strings (empty when valid).
 */
import { readFileSync } from 'node:fs';

export type Schema = Record<string, any>;

export interface Operation {
  method: string;
  path: string;
  operationId: string;
  parameters: { name: string; in: string; required: boolean; schema: Schema }[];
  requestBody: { required?: boolean; content: Record<string, { schema: Schema; encoding?: Record<string, { contentType: string }> }> } | null;
}

export const spec: { operations: Operation[] } = JSON.parse(
  readFileSync(new URL('./fixtures/cloudflare-openapi-subset.json', import.meta.url), 'utf8'),
);

/** The operation whose path template matches `path` (without the /client/v4 prefix). */
export function findOperation(method: string, path: string): { op: Operation; params: Record<string, string> } | undefined {
  for (const op of spec.operations) {
    if (op.method !== method) continue;
    const names: string[] = [];
    const re = new RegExp(
      '^' +
        op.path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{([^}]+)\}/g, (_m, n: string) => {
          names.push(n);
          return '([^/]+)';
        }) +
        '$',
    );
    const m = re.exec(path);
    if (!m) continue;
    const params: Record<string, string> = {};
    names.forEach((n, i) => (params[n] = decodeURIComponent(m[i + 1])));
    return { op, params };
  }
  return undefined;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function typeOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

export function check(schema: Schema | undefined, value: unknown, path = '$', mode: 'request' | 'response' = 'request'): string[] {
  if (!schema || Object.keys(schema).length === 0) return [];
  const problems: string[] = [];
  if (value === null) {
    if (schema.nullable || schema.type === 'null' || (Array.isArray(schema.enum) && schema.enum.includes(null))) return [];
    if (schema.type || schema.properties) return [`${path}: null is not allowed`];
  }
  if (schema.allOf) for (const s of schema.allOf) problems.push(...check(s, value, path, mode));
  if (schema.anyOf) {
    const ok = schema.anyOf.some((s: Schema) => check(s, value, path, mode).length === 0);
    if (!ok) problems.push(`${path}: matches none of anyOf (${schema.anyOf.length})`);
  }
  if (schema.oneOf) {
    const n = schema.oneOf.filter((s: Schema) => check(s, value, path, mode).length === 0).length;
    if (n !== 1) problems.push(`${path}: matches ${n} of oneOf (need exactly 1)`);
  }
  if (schema.type) {
    const t = typeOf(value);
    const want = schema.type as string;
    const fits = t === want || (want === 'number' && t === 'integer');
    if (!fits) return [...problems, `${path}: expected ${want}, got ${t}`];
  }
  if (schema.enum && !schema.enum.includes(value)) problems.push(`${path}: ${JSON.stringify(value)} is not one of ${JSON.stringify(schema.enum)}`);
  if (typeof value === 'string') {
    if (schema.maxLength !== undefined && value.length > schema.maxLength) problems.push(`${path}: longer than ${schema.maxLength}`);
    if (schema.minLength !== undefined && value.length < schema.minLength) problems.push(`${path}: shorter than ${schema.minLength}`);
    if (schema.pattern && !new RegExp(schema.pattern).test(value)) problems.push(`${path}: does not match ${schema.pattern}`);
    if (schema.format === 'uuid' && !UUID.test(value)) problems.push(`${path}: not a uuid`);
  }
  if (typeof value === 'number') {
    if (schema.minimum !== undefined && value < schema.minimum) problems.push(`${path}: below ${schema.minimum}`);
    if (schema.maximum !== undefined && value > schema.maximum) problems.push(`${path}: above ${schema.maximum}`);
  }
  if (Array.isArray(value) && schema.items) value.forEach((v, i) => problems.push(...check(schema.items, v, `${path}[${i}]`, mode)));
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    const obj = value as Record<string, unknown>;
    const props: Record<string, Schema> = schema.properties ?? {};
    for (const r of schema.required ?? []) {
      const p = props[r];
      const skip = mode === 'request' ? p?.readOnly : p?.writeOnly;
      if (!skip && !(r in obj)) problems.push(`${path}.${r}: required`);
    }
    for (const [k, v] of Object.entries(obj)) {
      if (props[k]) {
        if (mode === 'request' && props[k].readOnly && k !== 'name') problems.push(`${path}.${k}: read-only, must not be sent`);
        problems.push(...check(props[k], v, `${path}.${k}`, mode));
      } else if (schema.additionalProperties === false) problems.push(`${path}.${k}: not allowed`);
      else if (schema.additionalProperties && typeof schema.additionalProperties === 'object') {
        problems.push(...check(schema.additionalProperties, v, `${path}.${k}`, mode));
      }
    }
  }
  return problems;
}

/** Query parameters against the operation's declared ones: unknown names and bad values. */
export function checkQuery(op: Operation, query: URLSearchParams): string[] {
  const problems: string[] = [];
  for (const [k, v] of query) {
    const p = op.parameters.find((x) => x.in === 'query' && x.name === k);
    if (!p) {
      problems.push(`query ${k}: not a parameter of ${op.method} ${op.path}`);
      continue;
    }
    const t = p.schema?.type;
    if (t === 'boolean' && v !== 'true' && v !== 'false') problems.push(`query ${k}: ${v} is not a boolean`);
    if ((t === 'integer' || t === 'number') && !Number.isFinite(Number(v))) problems.push(`query ${k}: ${v} is not a number`);
    if (p.schema?.enum && !p.schema.enum.includes(v)) problems.push(`query ${k}: ${v} is not one of ${p.schema.enum}`);
  }
  return problems;
}

/** Path parameters against their schemas (pattern, maxLength). */
export function checkPathParams(op: Operation, params: Record<string, string>): string[] {
  const problems: string[] = [];
  for (const [k, v] of Object.entries(params)) {
    const p = op.parameters.find((x) => x.in === 'path' && x.name === k);
    if (!p) problems.push(`path ${k}: not declared`);
    else problems.push(...check({ ...p.schema, readOnly: undefined }, v, `path ${k}`));
  }
  return problems;
}
