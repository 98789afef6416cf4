/**
 * How the Cloudflare client sends one HTTP request: the bytes go out, the status, headers and
 * whole body (as text) come back, or an error with a Node-style `code` is thrown. Everything
 * above (retries, the envelope, typed errors, --debug) is shared by both transports:
 *
 * - direct (no proxy configured): node:http / node:https, imported when the first request is
 *   made, with one keep-alive agent. undici would cost 20-65 ms of start-up (and its llhttp
 *   WASM compile holds the process exit and ~50 MB), against a budget of ~10 ms for this path.
 * - through a proxy (HTTP_PROXY / HTTPS_PROXY in the environment we were given, NO_PROXY
 *   honoured): undici's EnvHttpProxyAgent, loaded only then.
 *
 * Timeouts: one deadline per request bounds connect + headers + body; it fails with an error
 * named TimeoutError (code CONNECT_TIMEOUT when no connection was made yet, so that a request
 * that was certainly not sent is not reported as ambiguous).
 */
import type { Agent as HttpAgent, IncomingHttpHeaders, IncomingMessage } from 'node:http';

export interface TransportRequest {
  url: URL;
  method: string;
  headers: Record<string, string>;
  body?: Buffer;
  timeoutMs: number;
  /** The largest body read; past it reading stops and the request fails with RESPONSE_TOO_LARGE. */
  maxBodyBytes: number;
}

/** The code of an answer whose body is larger than maxBodyBytes (nothing past it was kept). */
export const RESPONSE_TOO_LARGE = 'RESPONSE_TOO_LARGE';

function tooLarge(limit: number): Error {
  return Object.assign(new Error(`the answer is larger than ${limit} bytes`), { code: RESPONSE_TOO_LARGE, limit });
}

function declaredLength(headers: Record<string, string | string[] | undefined>): number | undefined {
  const v = headers['content-length'];
  const n = Number(Array.isArray(v) ? v[0] : v);
  return v !== undefined && Number.isFinite(n) ? n : undefined;
}

export interface TransportResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

export interface Transport {
  send(request: TransportRequest): Promise<TransportResponse>;
  /** Release the connections (keep-alive sockets). */
  close(): Promise<void>;
}

/** The code of a timeout that fired before a connection was made (the request was not sent). */
export const CONNECT_TIMEOUT = 'CONNECT_TIMEOUT';

function timeoutError(ms: number, connected: boolean): Error {
  return Object.assign(new Error(`no answer within ${ms} ms`), { name: 'TimeoutError', code: connected ? 'ETIMEDOUT' : CONNECT_TIMEOUT });
}

// ---- direct: node:http / node:https ------------------------------------------------------------

type HttpModule = typeof import('node:http') | typeof import('node:https');

export class NodeTransport implements Transport {
  private agent?: Promise<{ mod: HttpModule; agent: HttpAgent }>;

  constructor(
    private readonly protocol: string,
    private readonly keepAliveMs: number,
  ) {}

  private load(): Promise<{ mod: HttpModule; agent: HttpAgent }> {
    // One agent per client, even when the first requests start together.
    if (!this.agent) {
      this.agent = (async () => {
        const mod: HttpModule = this.protocol === 'https:' ? await import('node:https') : await import('node:http');
        // Idle sockets are closed after keepAliveMs (and unref'd meanwhile: they never hold the
        // process open); a server's Keep-Alive: timeout= hint shortens that.
        const agent = new mod.Agent({ keepAlive: true, timeout: this.keepAliveMs });
        return { mod, agent };
      })();
    }
    return this.agent;
  }

  async send(r: TransportRequest): Promise<TransportResponse> {
    const { mod, agent } = await this.load();
    const headers = r.body ? { ...r.headers, 'content-length': String(r.body.length) } : r.headers;
    return new Promise<TransportResponse>((resolve, reject) => {
      let connected = false;
      let settled = false;
      const finish = (e: unknown, res?: TransportResponse) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (e) reject(e);
        else resolve(res!);
      };
      const req = mod.request(r.url, { method: r.method, headers, agent });
      const timer = setTimeout(() => {
        const e = timeoutError(r.timeoutMs, connected);
        req.destroy(e);
        finish(e);
      }, r.timeoutMs);
      req.on('socket', (socket) => {
        // A pooled socket is already connected (and its TLS set up); a new one is not yet.
        if (!(socket as { connecting?: boolean }).connecting) connected = true;
        else socket.once(this.protocol === 'https:' ? 'secureConnect' : 'connect', () => (connected = true));
      });
      req.on('error', (e) => finish(e));
      req.on('response', (res: IncomingMessage) => {
        const chunks: Buffer[] = [];
        let received = 0;
        const refuse = () => {
          // Stop reading at once: the socket is destroyed, nothing more is buffered.
          finish(tooLarge(r.maxBodyBytes));
          res.destroy();
          req.destroy();
        };
        if ((declaredLength(res.headers) ?? 0) > r.maxBodyBytes) {
          refuse();
          return;
        }
        res.on('data', (c: Buffer) => {
          if (settled) return;
          received += c.length;
          if (received > r.maxBodyBytes) {
            chunks.length = 0;
            refuse();
            return;
          }
          chunks.push(c);
        });
        res.on('error', (e) => finish(e));
        res.on('aborted', () => finish(Object.assign(new Error('the connection closed before the whole answer arrived'), { code: 'ECONNRESET' })));
        res.on('end', () => {
          if (!res.complete) {
            finish(Object.assign(new Error('the connection closed before the whole answer arrived'), { code: 'ECONNRESET' }));
            return;
          }
          finish(undefined, { status: res.statusCode ?? 0, headers: res.headers as IncomingHttpHeaders, text: Buffer.concat(chunks).toString('utf8') });
        });
      });
      req.end(r.body);
    });
  }

  async close(): Promise<void> {
    const pending = this.agent;
    this.agent = undefined;
    const a = pending ? await pending.catch(() => undefined) : undefined;
    a?.agent.destroy();
  }
}

// ---- through a proxy: undici -----------------------------------------------------------------

type Undici = typeof import('undici');

/** undici is CommonJS: its exports may arrive as the namespace's default export (bundled or not). */
function undiciExports(m: Undici | { default: Undici }): Undici {
  return typeof (m as Undici).EnvHttpProxyAgent === 'function' ? (m as Undici) : (m as { default: Undici }).default;
}

export interface ProxySettings {
  httpProxy?: string;
  httpsProxy?: string;
  noProxy?: string;
}

export class UndiciProxyTransport implements Transport {
  private dispatcher?: Promise<{ undici: Undici; agent: import('undici').Dispatcher }>;

  constructor(
    private readonly proxy: ProxySettings,
    private readonly connectTimeoutMs: number,
    private readonly keepAliveMs: number,
  ) {}

  private load() {
    if (!this.dispatcher) {
      this.dispatcher = (async () => {
        // The proxy agents need the whole package (it installs the dispatcher API they use).
        const undici = undiciExports(await import('undici'));
        const p = this.proxy;
        // Explicit values (even empty) so that only the environment we were given counts.
        const agent = new undici.EnvHttpProxyAgent({
          connect: { timeout: this.connectTimeoutMs },
          keepAliveTimeout: this.keepAliveMs,
          httpProxy: p.httpProxy ?? '',
          httpsProxy: p.httpsProxy ?? '',
          noProxy: p.noProxy ?? '',
        });
        return { undici, agent };
      })();
    }
    return this.dispatcher;
  }

  async send(r: TransportRequest): Promise<TransportResponse> {
    const { undici, agent } = await this.load();
    const res = await undici.request(r.url, {
      dispatcher: agent,
      method: r.method as import('undici').Dispatcher.HttpMethod,
      headers: r.headers,
      body: r.body,
      headersTimeout: r.timeoutMs,
      bodyTimeout: r.timeoutMs,
      signal: AbortSignal.timeout(r.timeoutMs),
    });
    if ((declaredLength(res.headers) ?? 0) > r.maxBodyBytes) {
      res.body.destroy();
      throw tooLarge(r.maxBodyBytes);
    }
    const chunks: Buffer[] = [];
    let received = 0;
    for await (const chunk of res.body) {
      received += (chunk as Buffer).length;
      if (received > r.maxBodyBytes) {
        res.body.destroy();
        throw tooLarge(r.maxBodyBytes);
      }
      chunks.push(chunk as Buffer);
    }
    return { status: res.statusCode, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') };
  }

  async close(): Promise<void> {
    const pending = this.dispatcher;
    this.dispatcher = undefined;
    const d = pending ? await pending.catch(() => undefined) : undefined;
    if (d) await d.agent.destroy().catch(() => undefined);
  }
}

// ---- URLs in messages ------------------------------------------------------------------------

/** A URL (a proxy's, a redirect's target) fit to print: no credentials, no query. */
export function safeUrl(u: string, base?: URL): string {
  try {
    const x = new URL(u, base);
    x.search = x.search ? '?…' : '';
    if (x.password) x.password = '***';
    if (x.username) x.username = '***';
    return x.href;
  } catch {
    return '(unparsable proxy URL)';
  }
}
