/**
 * A small Cloudflare API v4 imitation on a real HTTP server (127.0.0.1, random port): just the
 * endpoints the cloudflare backend calls, with the domain rules that matter (a secret change
 * makes and deploys a version, 10215 during a gradual rollout, 10220 unless force=true, 10007 for
 * an unknown Worker). It records every request and can misbehave on purpose (faults).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { createHash, randomUUID } from 'node:crypto';

export interface Recorded {
  method: string;
  /** Path without the /client/v4 prefix, still encoded. */
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  body: Buffer;
  /** Parsed JSON body, or the parsed metadata part of a multipart body. */
  json?: unknown;
  parts?: { name: string; filename?: string; contentType?: string; data: Buffer }[];
}

/**
 * What to do with a request: nothing special (undefined), close the connection before answering
 * ('reset'), never answer ('hang'), handle it and then close the connection ('reset-after'),
 * handle it and answer 500 ('500-after'), or answer with the given response.
 */
export type Fault = undefined | 'reset' | 'hang' | 'reset-after' | '500-after' | { status: number; headers?: Record<string, string>; body: string };

export interface Binding {
  type: string;
  name: string;
  text?: string;
  json?: unknown;
}
export interface FakeVersion {
  id: string;
  number: number;
  created_on: string;
  source: string;
  annotations: Record<string, string>;
  bindings: Binding[];
  etag: string;
}
export interface FakeDeployment {
  id: string;
  created_on: string;
  source: string;
  strategy: 'percentage';
  versions: { version_id: string; percentage: number }[];
  annotations: Record<string, string>;
}
export interface FakeWorker {
  versions: FakeVersion[];
  deployments: FakeDeployment[];
}

export const TOKEN = 'cf-test-token-0123456789abcdef';
export const ACCOUNT = '023e105f4ecef8ad9ca31a8372d0c353';
export const AUTHOR = 'dev@example.com';

export class FakeApi {
  server?: Server;
  base = '';
  port = 0;
  requests: Recorded[] = [];
  accounts: { id: string; name: string; type: string }[] = [{ id: ACCOUNT, name: 'Example Account', type: 'standard' }];
  /** The token is an account token: /user/tokens/verify refuses it (as Cloudflare does). */
  accountToken = false;
  /** The token lacks Account Settings Read: GET /accounts is refused. */
  accountsForbidden = false;
  workers = new Map<string, FakeWorker>();
  /** Page size for GET versions (pagination test); 0 = everything on one page. */
  versionsPageSize = 0;
  fault: (r: Recorded, index: number) => Fault = () => undefined;
  /** Workers Observability's telemetry query: the answer's `result` (or an error), from the test. */
  telemetry?: (r: Recorded) => { result: unknown } | { status: number; code: number; message: string };
  /** GET script-settings answers per Worker (default: observability enabled). */
  scriptSettings = new Map<string, unknown>();
  private sockets = new Set<Socket>();
  private clock = Date.parse('2025-01-01T00:00:00Z');

  async start(): Promise<string> {
    this.server = createServer((req, res) => void this.handle(req, res));
    this.server.on('connection', (s) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', () => r()));
    this.port = (this.server.address() as { port: number }).port;
    this.base = `http://127.0.0.1:${this.port}/client/v4`;
    return this.base;
  }

  /** The connections open now. */
  get openSockets(): Set<Socket> {
    return new Set(this.sockets);
  }

  async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((r) => this.server?.close(() => r()) ?? r());
  }

  reset(): void {
    this.requests = [];
    this.fault = () => undefined;
    this.versionsPageSize = 0;
    this.telemetry = undefined;
    this.scriptSettings.clear();
  }

  // ---- state helpers -------------------------------------------------------------------------

  private now(): string {
    this.clock += 1000;
    return new Date(this.clock).toISOString();
  }

  /** A Worker with one uploaded version deployed at 100% (GREETING var, one module). */
  seed(name = 'my-worker', secrets: Record<string, string> = {}): FakeWorker {
    const w: FakeWorker = { versions: [], deployments: [] };
    this.workers.set(name, w);
    const v = this.addVersion(w, [
      { type: 'plain_text', name: 'GREETING', text: 'hello' },
      ...Object.entries(secrets).map(([n, t]) => ({ type: 'secret_text', name: n, text: t })),
    ], 'upload', {});
    this.addDeployment(w, [{ version_id: v.id, percentage: 100 }], 'deployment', {});
    return w;
  }

  addVersion(w: FakeWorker, bindings: Binding[], source: string, annotations: Record<string, string>): FakeVersion {
    const prev = w.versions[w.versions.length - 1];
    const v: FakeVersion = {
      id: randomUUID(),
      number: (prev?.number ?? 0) + 1,
      created_on: this.now(),
      source,
      annotations: { ...annotations, 'workers/triggered_by': source },
      bindings,
      etag: prev?.etag ?? createHash('sha256').update('module').digest('hex'),
    };
    w.versions.push(v);
    return v;
  }

  addDeployment(w: FakeWorker, versions: FakeDeployment['versions'], source: string, annotations: Record<string, string>): FakeDeployment {
    const d: FakeDeployment = {
      id: randomUUID(),
      created_on: this.now(),
      source: 'api',
      strategy: 'percentage',
      versions,
      annotations: { ...annotations, 'workers/triggered_by': source },
    };
    w.deployments.push(d);
    return d;
  }

  latest(w: FakeWorker): FakeVersion | undefined {
    return w.versions[w.versions.length - 1];
  }

  live(w: FakeWorker): FakeDeployment | undefined {
    return w.deployments[w.deployments.length - 1];
  }

  secretsOf(v: FakeVersion | undefined): Map<string, string> {
    return new Map((v?.bindings ?? []).filter((b) => b.type === 'secret_text').map((b) => [b.name, b.text ?? '']));
  }

  // ---- HTTP ----------------------------------------------------------------------------------

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const url = new URL(req.url ?? '/', 'http://x');
    const rec: Recorded = {
      method: req.method ?? 'GET',
      path: url.pathname.replace(/^\/client\/v4/, ''),
      query: url.searchParams,
      headers: req.headers,
      body: Buffer.concat(chunks),
    };
    const type = String(req.headers['content-type'] ?? '');
    if (/json/.test(type) && rec.body.length) {
      try {
        rec.json = JSON.parse(rec.body.toString('utf8'));
      } catch {
        rec.json = undefined;
      }
    } else if (type.startsWith('multipart/form-data')) {
      rec.parts = parseMultipart(rec.body, type);
      const md = rec.parts.find((p) => p.name === 'metadata');
      if (md) rec.json = JSON.parse(md.data.toString('utf8'));
    }
    const index = this.requests.length;
    this.requests.push(rec);
    const fault = this.fault(rec, index);
    if (fault === 'reset') {
      req.socket.destroy();
      return;
    }
    if (fault === 'hang') return;
    if (fault && typeof fault === 'object') {
      res.writeHead(fault.status, fault.headers ?? { 'content-type': 'application/json' });
      res.end(fault.body);
      return;
    }
    const out = this.route(rec);
    if (fault === 'reset-after') {
      req.socket.destroy();
      return;
    }
    if (fault === '500-after') {
      res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ success: false, errors: [{ code: 10013, message: 'An unknown error has occurred' }], messages: [], result: null }));
      return;
    }
    res.writeHead(out.status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(out.body));
  }

  private route(r: Recorded): { status: number; body: unknown } {
    const ok = (result: unknown, result_info?: unknown) => ({ status: 200, body: { success: true, errors: [], messages: [], result, ...(result_info ? { result_info } : {}) } });
    const fail = (status: number, code: number, message: string) => ({ status, body: { success: false, errors: [{ code, message }], messages: [], result: null } });

    const auth = r.headers.authorization;
    const keyAuth = r.headers['x-auth-key'] === 'legacy-key-abcdef' && r.headers['x-auth-email'] === 'me@example.com';
    if (auth !== `Bearer ${TOKEN}` && !keyAuth) return fail(403, 10000, 'Authentication error');

    // Token verification (GET /user/tokens/verify; account tokens: /accounts/{id}/tokens/verify).
    if (r.method === 'GET' && (r.path === '/user/tokens/verify' || r.path === `/accounts/${ACCOUNT}/tokens/verify`)) {
      if (this.accountToken && r.path === '/user/tokens/verify') return fail(401, 1000, 'Invalid API Token');
      return ok({ id: 'fake-token-id', status: 'active', expires_on: '2030-01-01T00:00:00Z' });
    }
    if (r.method === 'GET' && r.path === '/accounts') {
      if (this.accountsForbidden) return fail(403, 9109, 'Unauthorized to access requested resource');
      return ok(this.accounts, { page: 1, per_page: 50, count: this.accounts.length, total_count: this.accounts.length, total_pages: 1 });
    }
    const tq = /^\/accounts\/([^/]+)\/workers\/observability\/telemetry\/query$/.exec(r.path);
    if (tq && r.method === 'POST') {
      if (tq[1] !== ACCOUNT) return fail(404, 7003, 'Could not route to the account, perhaps your object identifier is invalid?');
      const t = this.telemetry?.(r) ?? { result: { calculations: [] } };
      return 'result' in t ? ok(t.result) : fail(t.status, t.code, t.message);
    }
    const m = /^\/accounts\/([^/]+)\/workers\/(scripts|workers)\/([^/]+)(\/.*)?$/.exec(r.path);
    if (!m) return fail(404, 7003, 'No route for the URI');
    const [, account, kind, rawName, rest = ''] = m;
    if (account !== ACCOUNT) return fail(404, 7003, 'Could not route to the account, perhaps your object identifier is invalid?');
    const w = this.workers.get(decodeURIComponent(rawName));
    if (!w) return fail(404, 10007, 'This Worker does not exist on your account.');
    const body = (r.json ?? {}) as Record<string, any>;

    const secretChange = (apply: (s: Map<string, string>) => { status: number; body: unknown } | undefined, source = 'secret') => {
      const latest = this.latest(w)!;
      const live = this.live(w);
      const fully = live && live.versions.length === 1 && live.versions[0].version_id === latest.id;
      if (!fully) return fail(400, 10215, 'Secret edit failed. You attempted to modify a secret, but the latest version of your Worker isn\'t currently deployed.');
      const secrets = this.secretsOf(latest);
      const err = apply(secrets);
      if (err) return err;
      const bindings = [...latest.bindings.filter((b) => b.type !== 'secret_text'), ...[...secrets].map(([name, text]) => ({ type: 'secret_text', name, text }))];
      const v = this.addVersion(w, bindings, source, {});
      this.addDeployment(w, [{ version_id: v.id, percentage: 100 }], source, {});
      return undefined;
    };

    if (kind === 'scripts') {
      if (r.method === 'GET' && rest === '/secrets') {
        return ok([...this.secretsOf(this.latest(w)).keys()].map((name) => ({ name, type: 'secret_text' })));
      }
      if (r.method === 'PUT' && rest === '/secrets') {
        const e = secretChange((s) => void s.set(body.name, body.text));
        return e ?? ok({ name: body.name, type: 'secret_text' });
      }
      const del = /^\/secrets\/([^/]+)$/.exec(rest);
      if (r.method === 'DELETE' && del) {
        const name = decodeURIComponent(del[1]);
        const e = secretChange((s) => (s.delete(name) ? undefined : fail(404, 10056, `Secret ${name} not found`)));
        return e ?? ok(null);
      }
      if (r.method === 'PATCH' && rest === '/secrets-bulk') {
        const e = secretChange((s) => {
          for (const [name, v] of Object.entries(body.secrets ?? {})) {
            if (v === null) s.delete(name);
            else s.set(name, (v as { text: string }).text);
          }
          return undefined;
        });
        return e ?? ok([...this.secretsOf(this.latest(w)).keys()].map((name) => ({ name, type: 'secret_text' })));
      }
      if (r.method === 'GET' && rest === '/script-settings') {
        return ok(this.scriptSettings.get(decodeURIComponent(rawName)) ?? { logpush: false, observability: { enabled: true, head_sampling_rate: 1 }, tail_consumers: null });
      }
      if (r.method === 'GET' && rest === '/versions') {
        const all = w.versions.slice().reverse().map((v) => this.versionJson(v, false));
        // Pages when asked for (per_page), or always when versionsPageSize is set; deployable=true ignores pagination.
        const asked = r.query.get('deployable') !== 'true' && r.query.get('per_page') !== null;
        if (!this.versionsPageSize && !asked) return ok({ items: all });
        const page = Number(r.query.get('page') ?? '1');
        const per = Number(r.query.get('per_page') ?? String(this.versionsPageSize));
        const total_pages = Math.ceil(all.length / per);
        return ok({ items: all.slice((page - 1) * per, page * per) }, { page, per_page: per, total_pages, count: Math.min(per, all.length), total_count: all.length });
      }
      const ver = /^\/versions\/([^/]+)$/.exec(rest);
      if (r.method === 'GET' && ver) {
        const v = w.versions.find((x) => x.id === decodeURIComponent(ver[1]));
        return v ? ok(this.versionJson(v, true)) : fail(404, 10007, 'This version does not exist.');
      }
      if (r.method === 'POST' && rest === '/versions') {
        const md = body as { bindings?: Binding[]; keep_bindings?: string[]; annotations?: Record<string, string>; main_module?: string };
        const keep = new Set(md.keep_bindings ?? []);
        // As the API does: a binding given in the metadata wins over a kept one of the same name.
        const given = new Set((md.bindings ?? []).map((b) => b.name));
        const kept = (this.latest(w)?.bindings ?? []).filter((b) => keep.has(b.type) && !given.has(b.name));
        const v = this.addVersion(w, [...(md.bindings ?? []), ...kept], 'upload', md.annotations ?? {});
        const mod = r.parts?.find((p) => p.name === md.main_module);
        if (mod) v.etag = createHash('sha256').update(mod.data).digest('hex');
        return ok(this.versionJson(v, true));
      }
      if (r.method === 'GET' && rest === '/deployments') {
        return ok({ deployments: w.deployments.slice().reverse().map((d) => ({ ...d, author_email: AUTHOR })) });
      }
      if (r.method === 'POST' && rest === '/deployments') {
        const wanted = (body.versions ?? []) as { version_id: string; percentage: number }[];
        const chosen = wanted.map((x) => w.versions.find((v) => v.id === x.version_id));
        if (chosen.some((v) => !v)) return fail(400, 10007, 'version not found');
        const live = this.live(w);
        if (r.query.get('force') !== 'true' && live && chosen.length === 1) {
          const liveVersions = live.versions.map((lv) => w.versions.find((v) => v.id === lv.version_id)!);
          const newest = liveVersions.reduce((a, v) => (v.number > a.number ? v : a));
          if (chosen[0]!.number < newest.number) {
            const a = this.secretsOf(chosen[0]);
            const b = this.secretsOf(newest);
            const changed = [...new Set([...a.keys(), ...b.keys()])].filter((n) => a.get(n) !== b.get(n)).sort();
            if (changed.length) return fail(400, 10220, `A deployment could not be created because the following secrets have changed since the target version: ${changed.join(', ')}`);
          }
        }
        const d = this.addDeployment(w, wanted, body.annotations?.['workers/triggered_by'] ?? 'deployment', body.annotations ?? {});
        return ok({ ...d, author_email: AUTHOR });
      }
    }
    if (kind === 'workers' && r.method === 'PATCH' && rest === '/versions/latest') {
      const latest = this.latest(w)!;
      const secrets = this.secretsOf(latest);
      for (const [name, v] of Object.entries((body.env ?? {}) as Record<string, { text: string } | null>)) {
        if (v === null) secrets.delete(name);
        else secrets.set(name, v.text);
      }
      const bindings = [...latest.bindings.filter((b) => b.type !== 'secret_text'), ...[...secrets].map(([name, text]) => ({ type: 'secret_text', name, text }))];
      const v = this.addVersion(w, bindings, 'secret', body.annotations ?? {});
      return ok(this.versionJson(v, true));
    }
    return fail(404, 7003, 'No route for the URI');
  }

  versionJson(v: FakeVersion, full: boolean): unknown {
    const base = {
      id: v.id,
      number: v.number,
      metadata: { author_email: AUTHOR, created_on: v.created_on, modified_on: v.created_on, source: 'wrangler' },
      annotations: v.annotations,
    };
    if (!full) return base;
    return {
      ...base,
      resources: {
        bindings: v.bindings.map((b) => (b.type === 'secret_text' ? { type: b.type, name: b.name } : b)),
        script: { etag: v.etag, handlers: ['fetch'] },
        script_runtime: { compatibility_date: '2025-01-01' },
      },
    };
  }
}

function parseMultipart(body: Buffer, contentType: string): NonNullable<Recorded['parts']> {
  const boundary = /boundary=(?:"([^"]+)"|([^;]+))/.exec(contentType);
  if (!boundary) return [];
  const sep = `--${boundary[1] ?? boundary[2]}`;
  const text = body.toString('latin1');
  const parts: NonNullable<Recorded['parts']> = [];
  for (const raw of text.split(sep).slice(1)) {
    if (raw.startsWith('--')) break;
    const chunk = raw.replace(/^\r\n/, '').replace(/\r\n$/, '');
    const i = chunk.indexOf('\r\n\r\n');
    if (i < 0) continue;
    const head = chunk.slice(0, i);
    const data = Buffer.from(chunk.slice(i + 4), 'latin1');
    parts.push({
      name: /name="([^"]*)"/.exec(head)?.[1] ?? '',
      filename: /filename="([^"]*)"/.exec(head)?.[1],
      contentType: /content-type:\s*([^\r\n]+)/i.exec(head)?.[1],
      data,
    });
  }
  return parts;
}
