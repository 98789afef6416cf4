/**
 * `mycli serve`: a Cloudflare API v4 compatible HTTP server (node:http, no framework) over the
 * local store of one folder. Bearer-token auth; Cloudflare envelopes; graceful close.
 */
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createHash, timingSafeEqual } from 'node:crypto';
import { appendFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { queryShape, readBody, summarizeBody } from './body.js';
import { Codes, errorReply, fail, type Reply } from './envelope.js';
import { match } from './routes.js';
import { createServeContext } from './context.js';
import { createServeBackend } from './backend.js';
import { OperationError, UsageError } from '../errors.js';

export const API_PREFIX = '/client/v4';
export const DEFAULT_ACCOUNT = { id: '00000000000000000000000000000001', name: 'mycli serve (local store)' };

export interface ServeOptions {
  /** The served folder: the store is `<projectDir>/.mycli` (or MYCLI_STATE_DIR). */
  projectDir: string;
  /** The bearer token every request must carry. */
  token: string;
  env: Record<string, string | undefined>;
  /** A line per request to stderr (method, path, status, code, time). */
  log?: (line: string) => void;
  /** A JSON line per request (with a redacted body summary) appended to this file. */
  logFile?: string;
  /** Notices from the store (a created key file). */
  notice?: (line: string) => void;
  account?: { id: string; name: string };
}

export interface RunningServer {
  server: Server;
  url: string;
  host: string;
  port: number;
  /** Stop accepting, let requests in flight finish (bounded), then close every connection. */
  close(graceMs?: number): Promise<void>;
}

function digest(s: string): Buffer {
  return createHash('sha256').update(s, 'utf8').digest();
}

export function createHandler(options: ServeOptions): (req: IncomingMessage, res: ServerResponse) => void {
  // Everything this server remembers lives on its context: two servers never share state.
  const ctx = createServeContext({
    backend: createServeBackend({ env: options.env, notice: options.notice }),
    projectDir: options.projectDir,
    account: options.account ?? DEFAULT_ACCOUNT,
  });
  const tokenDigest = digest(options.token);

  const authenticate = (req: IncomingMessage): Reply | undefined => {
    const header = req.headers.authorization;
    if (!header) {
      return fail(401, Codes.auth, 'Authentication error: missing "Authorization: Bearer <token>" header (the token of `mycli serve`)');
    }
    const m = /^Bearer\s+(.+)$/i.exec(header.trim());
    if (!m || !timingSafeEqual(digest(m[1].trim()), tokenDigest)) {
      return fail(403, Codes.auth, 'Authentication error: the bearer token is not the one of this `mycli serve`');
    }
    return undefined;
  };

  const handle = async (req: IncomingMessage, bodyRef: { body?: Buffer }): Promise<Reply> => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const path = url.pathname;
    if (path !== API_PREFIX && !path.startsWith(API_PREFIX + '/')) {
      return fail(404, Codes.noRoute, `Could not route to ${path}, perhaps your object identifier is invalid? (the API is under ${API_PREFIX})`);
    }
    const denied = authenticate(req);
    if (denied) return denied;
    let segments: string[];
    try {
      segments = path.slice(API_PREFIX.length + 1).replace(/\/+$/, '').split('/').map(decodeURIComponent);
    } catch {
      return fail(400, Codes.badRequest, `malformed percent-encoding in ${path}`);
    }
    const method = (req.method ?? 'GET').toUpperCase();
    const found = match(method, segments);
    if (!found) return fail(404, Codes.noRoute, `Could not route to ${path}, perhaps your object identifier is invalid?`);
    if ('methodNotAllowed' in found) {
      return fail(405, Codes.methodNotAllowed, `Method ${method} not allowed for ${path} (allowed: ${found.methodNotAllowed.join(', ')})`, {
        allow: found.methodNotAllowed.join(', '),
      });
    }
    return found.handler(ctx, {
      method,
      params: found.params,
      query: url.searchParams,
      headers: req.headers,
      contentType: req.headers['content-type'],
      body: async () => {
        bodyRef.body ??= await readBody(req);
        return bodyRef.body;
      },
    });
  };

  return (req, res) => {
    const started = process.hrtime.bigint();
    const bodyRef: { body?: Buffer } = {};
    void handle(req, bodyRef)
      .catch((e) => errorReply(e))
      .then(async (reply) => {
        const url = new URL(req.url ?? '/', 'http://localhost');
        const code = reply.code ?? (reply.raw ? undefined : (reply.body as { errors?: { code: number }[] }).errors?.[0]?.code);
        // The log line is written before the answer, so a client that has its answer finds it logged.
        if (options.logFile) {
          const entry = {
            time: new Date().toISOString(),
            method: req.method,
            path: url.pathname,
            query: queryShape(url.searchParams),
            contentType: req.headers['content-type'],
            userAgent: req.headers['user-agent'],
            body: bodyRef.body ? await summarizeBody(bodyRef.body, req.headers['content-type']) : undefined,
            status: reply.status,
            code,
          };
          // 0600: the log names Workers, secrets and callers (never a value), like the store beside it.
          await appendFile(options.logFile, JSON.stringify(entry) + '\n', { mode: 0o600 }).catch(() => undefined);
        }
        send(res, reply);
        const ms = Number(process.hrtime.bigint() - started) / 1e6;
        options.log?.(`${req.method} ${url.pathname}${url.search ? `?${new URLSearchParams(queryShape(url.searchParams)).toString()}` : ''} -> ${reply.status}${code ? ` (code ${code})` : ''} ${ms.toFixed(1)}ms`);
      })
      .catch(() => {
        if (!res.headersSent) send(res, errorReply(undefined));
      });
  };
}

function send(res: ServerResponse, reply: Reply): void {
  if (res.headersSent || res.destroyed) return;
  const body = reply.raw ? (reply.body as Buffer) : Buffer.from(JSON.stringify(reply.body));
  res.writeHead(reply.status, {
    'content-type': reply.raw ? 'application/octet-stream' : 'application/json; charset=utf-8',
    ...reply.headers,
    'content-length': String(body.length),
    'cache-control': 'no-store',
  });
  res.end(body);
}

/** Start listening; resolves once the port is bound (port 0: a free port is chosen). */
export async function startServer(options: ServeOptions & { host: string; port: number }): Promise<RunningServer> {
  const { createServer } = await import('node:http');
  const server = createServer({ keepAliveTimeout: 5_000, requestTimeout: 60_000 }, createHandler(options));
  await new Promise<void>((resolve, reject) => {
    const onError = (e: NodeJS.ErrnoException) => reject(listenError(e, options.host, options.port));
    server.once('error', onError);
    server.listen(options.port, options.host, () => {
      server.off('error', onError);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const hostForUrl = address.family === 'IPv6' || address.address.includes(':') ? `[${address.address}]` : address.address;
  return {
    server,
    host: address.address,
    port: address.port,
    url: `http://${hostForUrl}:${address.port}${API_PREFIX}`,
    close: (graceMs = 5_000) =>
      new Promise<void>((resolve) => {
        const timer = setTimeout(() => server.closeAllConnections(), graceMs);
        timer.unref();
        server.close(() => {
          clearTimeout(timer);
          resolve();
        });
        server.closeIdleConnections();
      }),
  };
}

/** Why the server could not listen, as a typed error with a hint. */
function listenError(e: NodeJS.ErrnoException, host: string, port: number): Error {
  const where = `${host}:${port}`;
  switch (e.code) {
    case 'EADDRINUSE':
      return new OperationError(`cannot listen on ${where}: the port is already in use`, { hint: 'pick another with --port (0 picks a free one), or stop what is using it' });
    case 'EACCES':
      return new OperationError(`cannot listen on ${where}: permission denied`, { hint: 'ports below 1024 need privileges; use --port 8787 or --port 0' });
    case 'EADDRNOTAVAIL':
    case 'ENOTFOUND':
      return new UsageError(`cannot listen on ${where}: no such address on this machine`, { hint: 'use --host 127.0.0.1 (the default)' });
    default:
      return new OperationError(`cannot listen on ${where} (${e.code ?? e.message})`);
  }
}

/** Loopback addresses: 127.0.0.0/8, ::1, localhost. */
export function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || /^127(\.\d{1,3}){3}$/.test(h) || h === '::ffff:127.0.0.1';
}
