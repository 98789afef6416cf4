/**
 * A fake of Cloudflare's Secrets Store API (/client/v4/accounts/{account_id}/secrets_store/...) on
 * a real HTTP server (127.0.0.1, random port), for the cloudflare backend's tests. Every request
 * body is checked against the operation's schema in fixtures/secrets-store-openapi.json (copied
 * from the shared API reference), and every request is recorded. One Worker's versions list is
 * served too, so the Workers that bind a secret can be found.
 */
import { createServer, type Server } from 'node:http';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';

export const ACCOUNT = '023e105f4ecef8ad9ca31a8372d0c353';
export const TOKEN = 'cf-ss-test-token-0123456789';

interface Op {
  method: string;
  path: string;
  successStatus: number;
  requestBody: Schema | null;
}
interface Schema {
  type?: string;
  items?: Schema;
  required?: string[];
  properties?: Record<string, Schema>;
  enum?: string[];
  maxLength?: number;
}

const SPEC = JSON.parse(readFileSync(new URL('./fixtures/secrets-store-openapi.json', import.meta.url), 'utf8')) as { operations: Op[] };

/** Problems of `v` against `schema` (types, required fields, enums, unknown fields). */
export function schemaProblems(v: unknown, schema: Schema, at = 'body'): string[] {
  const out: string[] = [];
  if (schema.type === 'array' || schema.items) {
    if (!Array.isArray(v)) return [`${at}: must be an array`];
    v.forEach((x, i) => out.push(...schemaProblems(x, schema.items!, `${at}[${i}]`)));
    return out;
  }
  if (schema.properties) {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return [`${at}: must be an object`];
    const o = v as Record<string, unknown>;
    for (const r of schema.required ?? []) if (!(r in o)) out.push(`${at}.${r}: required`);
    for (const [k, x] of Object.entries(o)) {
      const p = schema.properties[k];
      if (!p) out.push(`${at}.${k}: not in the schema`);
      else out.push(...schemaProblems(x, p, `${at}.${k}`));
    }
    return out;
  }
  if (schema.type === 'string' && typeof v !== 'string') out.push(`${at}: must be a string`);
  if (schema.type === 'string' && typeof v === 'string' && schema.maxLength !== undefined && v.length > schema.maxLength) out.push(`${at}: too long`);
  if (schema.enum && !schema.enum.includes(v as string)) out.push(`${at}: not one of ${schema.enum.join(', ')}`);
  return out;
}

export interface Sent {
  method: string;
  /** Path under /client/v4/accounts/{ACCOUNT}/secrets_store, or the full path otherwise. */
  path: string;
  query: string;
  json?: unknown;
  raw: string;
}

export interface FakeSecretsStore {
  base: string;
  sent: Sent[];
  /** Secret values as stored (the API never returns them; tests check them here). */
  values: Map<string, string>;
  /** The latest version's bindings of Worker name -> list. */
  workerBindings: Map<string, unknown[]>;
  /** Workers listed whose versions answer 500 (a Worker that cannot be read). */
  brokenWorkers: Set<string>;
  close(): Promise<void>;
}

export async function startFakeSecretsStore(): Promise<FakeSecretsStore> {
  const stores: { id: string; name: string; created: string; modified: string; secrets: Record<string, unknown>[] }[] = [];
  const values = new Map<string, string>();
  const workerBindings = new Map<string, unknown[]>();
  const versionIds = new Map<string, string>();
  const brokenWorkers = new Set<string>();
  const sent: Sent[] = [];
  const id = () => randomUUID().replace(/-/g, '');
  const now = () => new Date().toISOString();

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url!, 'http://x');
      const raw = Buffer.concat(chunks).toString('utf8');
      let json: unknown;
      try {
        json = raw ? JSON.parse(raw) : undefined;
      } catch {
        json = undefined;
      }
      const prefix = `/client/v4/accounts/${ACCOUNT}/secrets_store`;
      const path = url.pathname.startsWith(prefix) ? url.pathname.slice(prefix.length) : url.pathname;
      sent.push({ method: req.method!, path, query: url.searchParams.toString(), json, raw });
      const reply = (status: number, result: unknown, errors: { code: number; message: string }[] = [], info?: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ success: errors.length === 0, errors, messages: [], result, ...(info ? { result_info: info } : {}) }));
      };
      if (req.headers.authorization !== `Bearer ${TOKEN}`) return reply(403, null, [{ code: 10000, message: 'Authentication error' }]);

      // Workers and their versions (for "bound by"), as the API gives them: the Worker list, a
      // version list without bindings, and each version with its bindings.
      if (req.method === 'GET' && /^\/client\/v4\/accounts\/[^/]+\/workers\/scripts$/.test(url.pathname)) {
        return reply(200, [...workerBindings.keys(), ...brokenWorkers].map((name) => ({ id: name, etag: 'e', created_on: now(), modified_on: now() })));
      }
      const vm = /^\/client\/v4\/accounts\/[^/]+\/workers\/scripts\/([^/]+)\/versions(?:\/([^/]+))?$/.exec(url.pathname);
      if (vm && req.method === 'GET') {
        if (brokenWorkers.has(vm[1]!)) return reply(500, null, [{ code: 10013, message: 'An unknown error has occurred' }]);
        const b = workerBindings.get(vm[1]!);
        if (!b) return reply(404, null, [{ code: 10007, message: 'workers.api.error.script_not_found' }]);
        const vid = versionIds.get(vm[1]!) ?? id();
        versionIds.set(vm[1]!, vid);
        const item = { id: vid, number: 1, metadata: { created_on: now(), source: 'wrangler' }, annotations: {} };
        if (!vm[2]) return reply(200, { items: [item] });
        if (vm[2] !== vid) return reply(404, null, [{ code: 10222, message: 'version not found' }]);
        return reply(200, { ...item, resources: { bindings: b } });
      }

      // Match the operation of the reference, and check the body against its schema.
      const op = SPEC.operations.find((o) => {
        if (o.method !== req.method) return false;
        const re = new RegExp('^' + o.path.replace('/accounts/{account_id}/secrets_store', '').replace(/\{[a-z_]+\}/g, '[^/]+') + '$');
        return re.test(path) && url.pathname.startsWith(prefix);
      });
      if (!op) return reply(404, null, [{ code: 7003, message: 'No route for the URI' }]);
      if (op.requestBody) {
        const problems = json === undefined ? ['body: not JSON'] : schemaProblems(json, op.requestBody);
        if (problems.length) return reply(400, null, [{ code: 1001, message: `invalid request: ${problems.join('; ')}` }]);
      }
      const parts = path.split('/').filter(Boolean); // stores, <id>, secrets, <id>, duplicate
      const store = parts[1] ? stores.find((s) => s.id === parts[1]) : undefined;
      if (parts[1] && !store) return reply(404, null, [{ code: 1002, message: 'store not found' }]);
      const secret = parts[3] ? store!.secrets.find((s) => s.id === parts[3]) : undefined;
      if (parts[3] && !secret) return reply(404, null, [{ code: 1003, message: 'secret not found' }]);
      const pub = (s: Record<string, unknown>) => ({ ...s, store_id: store!.id, status: 'active' });
      const page = (items: unknown[]) => reply(op.successStatus, items, [], { page: 1, per_page: 100, count: items.length, total_count: items.length, total_pages: 1 });

      const key = `${req.method} ${op.path}`;
      switch (key) {
        case 'GET /accounts/{account_id}/secrets_store/stores':
          return page(stores.map(({ secrets: _s, ...x }) => ({ ...x, account_id: ACCOUNT })));
        case 'POST /accounts/{account_id}/secrets_store/stores': {
          const s = { id: id(), name: (json as { name: string }).name, created: now(), modified: now(), secrets: [] };
          stores.push(s);
          const { secrets: _s, ...x } = s;
          return reply(200, { ...x, account_id: ACCOUNT });
        }
        case 'DELETE /accounts/{account_id}/secrets_store/stores/{store_id}':
          if (store!.secrets.length && url.searchParams.get('force') !== 'true') return reply(409, null, [{ code: 1004, message: 'store_not_empty' }]);
          stores.splice(stores.indexOf(store!), 1);
          return reply(200, null);
        case 'GET /accounts/{account_id}/secrets_store/stores/{store_id}/secrets':
          return page(store!.secrets.map(pub));
        case 'POST /accounts/{account_id}/secrets_store/stores/{store_id}/secrets': {
          const made = (json as { name: string; value: string; scopes: string[]; comment?: string }[]).map((x) => {
            const s = { id: id(), name: x.name, scopes: x.scopes, comment: x.comment ?? '', created: now(), modified: now() };
            values.set(s.id, x.value);
            store!.secrets.push(s);
            return pub(s);
          });
          return reply(200, made);
        }
        case 'GET /accounts/{account_id}/secrets_store/stores/{store_id}/secrets/{secret_id}':
          return reply(200, pub(secret!));
        case 'PATCH /accounts/{account_id}/secrets_store/stores/{store_id}/secrets/{secret_id}': {
          const p = json as { value?: string; scopes?: string[]; comment?: string };
          if (p.value !== undefined) values.set(secret!.id as string, p.value);
          if (p.scopes) secret!.scopes = p.scopes;
          if (p.comment !== undefined) secret!.comment = p.comment;
          secret!.modified = now();
          return reply(200, pub(secret!));
        }
        case 'DELETE /accounts/{account_id}/secrets_store/stores/{store_id}/secrets/{secret_id}':
          store!.secrets.splice(store!.secrets.indexOf(secret!), 1);
          return reply(202, null);
        case 'POST /accounts/{account_id}/secrets_store/stores/{store_id}/secrets/{secret_id}/duplicate': {
          const d = json as { name: string; scopes: string[]; comment?: string };
          const s = { id: id(), name: d.name, scopes: d.scopes, comment: d.comment ?? '', created: now(), modified: now() };
          values.set(s.id, values.get(secret!.id as string)!);
          store!.secrets.push(s);
          return reply(200, pub(s));
        }
        default:
          return reply(501, null, [{ code: 7003, message: `the fake does not implement ${key}` }]);
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  return {
    base: `http://127.0.0.1:${port}/client/v4`,
    sent,
    values,
    workerBindings,
    brokenWorkers,
    close: () => new Promise((r) => server.close(() => r())),
  };
}
