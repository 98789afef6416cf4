/**
 * The one fetch layer of the Cloudflare backend: credentials, account, the API envelope, typed
 * errors, retries with backoff, proxies, timeouts and redacted --debug lines.
 *
 * The HTTP transport (transport.ts: node:http/https directly, undici only through a proxy) is
 * imported only when the first request is made, so choosing this backend costs nothing until it
 * talks to the network. Answers are checked by hand (shapes.ts), not with zod: this path has a
 * start-up budget of 1.6x `node -e 0`.
 */
import {
  AuthError,
  GradualRolloutError,
  MycliError,
  NotFoundError,
  OperationError,
  SecretsChangedError,
  UsageError,
} from '../../errors.js';
import { parseEnvelope, type ApiEnvelope, type ResultInfo } from './shapes.js';
import { CONNECT_TIMEOUT, NodeTransport, RESPONSE_TOO_LARGE, UndiciProxyTransport, type Transport } from './transport.js';
import { redact as redactGlobal, rememberSecret } from '../../redact.js';
import { packageVersion } from '../../version.js';

export const DEFAULT_BASE_URL = 'https://api.cloudflare.com/client/v4';
const DEFAULT_TIMEOUT_S = 30;
const DEFAULT_RETRY_DELAY_MS = 500;
const DEFAULT_MAX_ATTEMPTS = 4;
const MAX_WAIT_MS = 10_000;
/** The largest API answer read (16 MiB; MYCLI_HTTP_MAX_BODY_BYTES overrides). */
export const DEFAULT_MAX_BODY_BYTES = 16 * 1024 * 1024;

export type Method = 'GET' | 'PUT' | 'POST' | 'PATCH' | 'DELETE';
const IDEMPOTENT: ReadonlySet<Method> = new Set(['GET', 'PUT', 'DELETE', 'PATCH']);

// ---- envelope (checked in shapes.ts) ---------------------------------------------------------

export type { ApiEnvelope, ResultInfo } from './shapes.js';

// ---- options ---------------------------------------------------------------------------------

export type Auth = { kind: 'token'; token: string } | { kind: 'key'; key: string; email: string };

export interface ClientOptions {
  env: Record<string, string | undefined>;
  /** --debug lines (already redacted by the client). */
  debug?: (line: string) => void;
}

export interface RequestOptions {
  method: Method;
  /** Path under the base URL, already encoded, starting with '/'. */
  path: string;
  query?: Record<string, string | number | boolean | undefined>;
  /** A JSON body. */
  json?: unknown;
  /** Content type of a JSON body (default application/json). */
  contentType?: string;
  /** A raw body (multipart) with its content type. */
  raw?: { data: Buffer; contentType: string };
  /** What the request is about, for error messages. */
  about?: { worker?: string; version?: string };
}

export interface ApiResponse<T = unknown> {
  status: number;
  result: T;
  resultInfo?: ResultInfo | null;
}

/**
 * A request that was sent and then failed in a way that leaves its effect unknown (5xx, reset,
 * timeout after sending). Only raised for requests that are not retried (POST).
 */
export class AmbiguousRequestError extends OperationError {
  readonly ambiguous = true;
}

/** An answer larger than the bound: reading stopped there, nothing past it was kept. */
export class ResponseTooLargeError extends OperationError {
  readonly limit: number;
  constructor(message: string, limit: number, options?: ConstructorParameters<typeof OperationError>[1]) {
    super(message, options);
    this.limit = limit;
  }
}

/** An answer that redirects elsewhere: never followed, never taken as success. */
export class RedirectError extends OperationError {}

/** Set on errors thrown after at least one retry of the same request. */
export interface RetriedFlag {
  retried?: boolean;
}

// ---- helpers ---------------------------------------------------------------------------------

export function authFromEnv(env: Record<string, string | undefined>): Auth {
  const token = env.CLOUDFLARE_API_TOKEN?.trim();
  if (token) return { kind: 'token', token };
  const key = env.CLOUDFLARE_API_KEY?.trim();
  const email = env.CLOUDFLARE_EMAIL?.trim();
  if (key && email) return { kind: 'key', key, email };
  if (key || email) {
    throw new AuthError(`${key ? 'CLOUDFLARE_API_KEY' : 'CLOUDFLARE_EMAIL'} is set but ${key ? 'CLOUDFLARE_EMAIL' : 'CLOUDFLARE_API_KEY'} is not`, {
      hint: 'set both CLOUDFLARE_API_KEY and CLOUDFLARE_EMAIL, or (better) an API token in CLOUDFLARE_API_TOKEN',
    });
  }
  throw new AuthError('no Cloudflare credentials: the cloudflare backend needs an API token', {
    hint: 'set CLOUDFLARE_API_TOKEN (or CLOUDFLARE_API_KEY and CLOUDFLARE_EMAIL); credentials are never read from the config file',
  });
}

/** Retry-After: delta seconds or an HTTP date. Returns milliseconds, or undefined. */
export function parseRetryAfter(value: string | string[] | undefined, now = Date.now()): number | undefined {
  const v = Array.isArray(value) ? value[0] : value;
  if (v === undefined || v.trim() === '') return undefined;
  const t = v.trim();
  if (/^\d+(\.\d+)?$/.test(t)) return Math.round(Number(t) * 1000);
  const date = Date.parse(t);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

function numberEnv(env: Record<string, string | undefined>, name: string, fallback: number, min = 0): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < min) throw new UsageError(`${name}=${raw} is not a valid number`, { hint: `unset ${name}, or give a number` });
  return n;
}

const AUTH_CODES = new Set([10000, 10001, 9103, 9106, 9107, 9109, 6003, 6111, 6102, 6103]);

/** Names of secrets in a 10220 message: the list after the last ':' or quoted names. */
export function secretNamesFromMessage(message: string): string[] {
  const quoted = [...message.matchAll(/["'`]([A-Za-z_][A-Za-z0-9_]*)["'`]/g)].map((m) => m[1]);
  if (quoted.length) return [...new Set(quoted)];
  const i = message.lastIndexOf(':');
  if (i < 0) return [];
  const tail = message.slice(i + 1).replace(/\.\s*$/, '');
  const words = tail.split(/\s*,\s*|\s+and\s+/).map((w) => w.trim()).filter(Boolean);
  if (!words.length || !words.every((w) => /^[A-Za-z_][A-Za-z0-9_]*$/.test(w))) return [];
  return [...new Set(words)];
}

function describeNetworkError(e: unknown): { code: string; text: string } {
  const err = e as { code?: string; message?: string; cause?: { code?: string } };
  const code = err?.code ?? err?.cause?.code ?? 'UNKNOWN';
  return { code, text: err?.message ?? String(e) };
}

const CONNECT_FAILURES = new Set(['ECONNREFUSED', CONNECT_TIMEOUT, 'UND_ERR_CONNECT_TIMEOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);
const NOT_RETRIED_NETWORK = new Set(['ENOTFOUND', 'CERT_HAS_EXPIRED', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'ERR_TLS_CERT_ALTNAME_INVALID', 'SELF_SIGNED_CERT_IN_CHAIN']);

/** How long an idle keep-alive connection is kept. */
const KEEP_ALIVE_MS = 4_000;

// ---- the client ------------------------------------------------------------------------------

export class CloudflareClient {
  readonly baseUrl: URL;
  readonly auth: Auth;
  readonly timeoutMs: number;
  readonly retryDelayMs: number;
  readonly maxAttempts: number;
  readonly maxBodyBytes: number;
  private readonly env: Record<string, string | undefined>;
  private readonly debugSink?: (line: string) => void;
  private readonly redactions = new Set<string>();
  private transportInstance?: Transport;
  private closed = false;

  constructor(options: ClientOptions) {
    this.env = options.env;
    this.debugSink = options.debug;
    this.auth = authFromEnv(options.env);
    if (this.auth.kind === 'token') this.addRedaction(this.auth.token);
    else this.addRedaction(this.auth.key);
    const base = options.env.CLOUDFLARE_API_BASE_URL?.trim() || DEFAULT_BASE_URL;
    try {
      this.baseUrl = new URL(base.replace(/\/+$/, ''));
    } catch {
      throw new UsageError(`CLOUDFLARE_API_BASE_URL is not a URL: ${base}`, { hint: `unset it to use ${DEFAULT_BASE_URL}` });
    }
    if (this.baseUrl.protocol !== 'https:' && this.baseUrl.protocol !== 'http:') {
      throw new UsageError(`CLOUDFLARE_API_BASE_URL must be an http(s) URL, not ${this.baseUrl.protocol}`);
    }
    this.timeoutMs = Math.max(1, Math.round(numberEnv(options.env, 'MYCLI_HTTP_TIMEOUT', DEFAULT_TIMEOUT_S) * 1000));
    this.retryDelayMs = numberEnv(options.env, 'MYCLI_HTTP_RETRY_DELAY_MS', DEFAULT_RETRY_DELAY_MS);
    this.maxAttempts = Math.max(1, Math.floor(numberEnv(options.env, 'MYCLI_HTTP_MAX_ATTEMPTS', DEFAULT_MAX_ATTEMPTS, 1)));
    this.maxBodyBytes = Math.max(1024, Math.floor(numberEnv(options.env, 'MYCLI_HTTP_MAX_BODY_BYTES', DEFAULT_MAX_BODY_BYTES, 1)));
  }

  /** Values never to appear in debug lines or error messages (secrets, credentials). */
  addRedaction(value: string | undefined | null): void {
    if (typeof value === 'string' && value.length >= 3) this.redactions.add(value);
    // The process-wide rule (src/redact.ts) also removes any 8-character run of the value.
    rememberSecret(value);
  }

  redact(text: string): string {
    let out = text;
    for (const v of this.redactions) if (out.includes(v)) out = out.split(v).join('[redacted]');
    return redactGlobal(out);
  }

  debug(line: string): void {
    this.debugSink?.(this.redact(line));
  }

  get host(): string {
    return this.baseUrl.host;
  }

  /** One transport per client: undici's proxy agent when a proxy is configured, else node:http(s). */
  /** The proxy the API is reached through, for error messages (NO_PROXY may still bypass it). */
  private proxyLabel?: string;

  private transport(): Transport {
    if (this.transportInstance) return this.transportInstance;
    const env = this.env;
    const httpProxy = env.http_proxy ?? env.HTTP_PROXY;
    const httpsProxy = env.https_proxy ?? env.HTTPS_PROXY;
    const noProxy = env.no_proxy ?? env.NO_PROXY;
    if (httpProxy || httpsProxy) {
      const proxy = this.baseUrl.protocol === 'https:' ? httpsProxy : httpProxy;
      if (proxy) this.proxyLabel = safeUrl(proxy);
      this.debug(`proxy:${httpsProxy ? ` https via ${safeUrl(httpsProxy)}` : ''}${httpProxy ? ` http via ${safeUrl(httpProxy)}` : ''}${noProxy ? ` (NO_PROXY=${noProxy})` : ''}`);
      this.transportInstance = new UndiciProxyTransport({ httpProxy, httpsProxy, noProxy }, this.timeoutMs, KEEP_ALIVE_MS);
    } else {
      this.transportInstance = new NodeTransport(this.baseUrl.protocol, KEEP_ALIVE_MS);
    }
    return this.transportInstance;
  }

  private headers(extra: Record<string, string>): Record<string, string> {
    const h: Record<string, string> = { 'user-agent': `mycli/${packageVersion()}`, accept: 'application/json', ...extra };
    if (this.auth.kind === 'token') h.authorization = `Bearer ${this.auth.token}`;
    else {
      h['x-auth-key'] = this.auth.key;
      h['x-auth-email'] = this.auth.email;
    }
    return h;
  }

  url(path: string, query?: RequestOptions['query']): URL {
    const u = new URL(this.baseUrl.href + path);
    for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined) u.searchParams.set(k, String(v));
    return u;
  }

  /**
   * Send a request; parse the envelope; throw typed errors. GET/PUT/PATCH/DELETE are retried on
   * 429, 5xx and network errors; POST only when it was certainly not processed (429, refused
   * connection), and otherwise fails with AmbiguousRequestError.
   */
  async request<T = unknown>(o: RequestOptions): Promise<ApiResponse<T>> {
    if (this.closed) throw new OperationError('the Cloudflare client was already closed');
    const transport = this.transport();
    const url = this.url(o.path, o.query);
    const label = `${o.method} ${url.pathname}${url.search}`;
    const idempotent = IDEMPOTENT.has(o.method);
    let body: Buffer | undefined;
    const extra: Record<string, string> = {};
    if (o.raw) {
      body = o.raw.data;
      extra['content-type'] = o.raw.contentType;
    } else if (o.json !== undefined) {
      body = Buffer.from(JSON.stringify(o.json), 'utf8');
      extra['content-type'] = o.contentType ?? 'application/json';
    }
    const headers = this.headers(extra);

    for (let attempt = 1; ; attempt++) {
      const started = Date.now();
      this.debug(`→ ${label}${attempt > 1 ? ` (attempt ${attempt} of ${this.maxAttempts})` : ''}`);
      let failure: { error: MycliError; retry: boolean; waitMs?: number };
      try {
        const res = await transport.send({ url, method: o.method, headers, body, timeoutMs: this.timeoutMs, maxBodyBytes: this.maxBodyBytes });
        const text = res.text;
        const ms = Date.now() - started;
        const ray = headerOf(res.headers['cf-ray']);
        this.debug(`← ${res.status} ${label} (${ms} ms${ray ? `, cf-ray ${ray}` : ''})`);
        const outcome = this.interpret<T>(res.status, res.headers, text, o, label);
        if ('ok' in outcome) return outcome.ok;
        failure = outcome.fail;
        if (failure.retry && !idempotent && res.status !== 429) {
          // A POST that reached the server and failed with 5xx: its effect is unknown.
          throw markRetried(new AmbiguousRequestError(failure.error.message, { hint: failure.error.hint, apiCode: failure.error.apiCode }), attempt);
        }
      } catch (e) {
        if (e instanceof MycliError) throw markRetried(e, attempt);
        const { code } = describeNetworkError(e);
        if (code === RESPONSE_TOO_LARGE) {
          this.debug(`✗ ${label}: answer larger than ${this.maxBodyBytes} bytes, reading stopped`);
          throw markRetried(
            new ResponseTooLargeError(
              `the answer of ${this.host} to ${label.split('?')[0]} is larger than ${formatBytes(this.maxBodyBytes)}; mycli stopped reading it`,
              this.maxBodyBytes,
              {
                hint: `check CLOUDFLARE_API_BASE_URL (${this.baseUrl.href}) and any proxy in between${idempotent ? '' : '; the change may or may not have been made'} (MYCLI_HTTP_MAX_BODY_BYTES raises the bound)`,
              },
            ),
            attempt,
          );
        }
        const timedOut = isTimeout(e);
        const connectFailed = CONNECT_FAILURES.has(code);
        const error = this.networkError(e, label, timedOut);
        this.debug(`✗ ${label}: ${timedOut ? 'timeout' : code}`);
        if (!idempotent && !connectFailed) {
          throw markRetried(new AmbiguousRequestError(error.message, { hint: error.hint, cause: e }), attempt);
        }
        // A timeout is not retried: the answer must come in bounded time.
        failure = { error, retry: !timedOut && !NOT_RETRIED_NETWORK.has(code) };
      }
      if (!failure.retry || attempt >= this.maxAttempts) {
        if (failure.retry && attempt > 1) failure.error.message = `${failure.error.message} (gave up after ${attempt} attempts)`;
        throw markRetried(failure.error, attempt);
      }
      const backoff = Math.min(MAX_WAIT_MS, this.retryDelayMs * 2 ** (attempt - 1)) * (0.5 + Math.random() * 0.5);
      const wait = Math.min(MAX_WAIT_MS, failure.waitMs ?? backoff);
      this.debug(`  retrying in ${Math.round(wait)} ms: ${failure.error.message}`);
      await sleep(wait);
    }
  }

  private interpret<T>(
    status: number,
    headers: Record<string, string | string[] | undefined>,
    text: string,
    o: RequestOptions,
    label: string,
  ): { ok: ApiResponse<T> } | { fail: { error: MycliError; retry: boolean; waitMs?: number } } {
    const transient = status === 429 || status >= 500;
    const waitMs = transient ? parseRetryAfter(headers['retry-after']) : undefined;
    if (status >= 300 && status < 400) {
      // Never followed (credentials would go wherever it points) and never success, whatever the body says.
      const location = headerOf(headers.location);
      return {
        fail: {
          error: new RedirectError(
            `${this.host} answered ${label.split('?')[0]} with a redirect (HTTP ${status}${location ? ` to ${safeUrl(location, this.baseUrl)}` : ''}); mycli does not follow redirects`,
            { hint: `check CLOUDFLARE_API_BASE_URL (${this.baseUrl.href}): it must be the API's own address, e.g. ${DEFAULT_BASE_URL}` },
          ),
          retry: false,
        },
      };
    }
    let parsed: ApiEnvelope | undefined;
    let json: unknown;
    try {
      json = text.length ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    if (json !== undefined) parsed = parseEnvelope(json);
    if (!parsed) {
      return { fail: { error: this.nonJsonError(status, headers, text, label), retry: transient, waitMs } };
    }
    if (parsed.success && status >= 200 && status < 300) {
      return { ok: { status, result: parsed.result as T, resultInfo: parsed.result_info } };
    }
    const error = this.apiError(status, parsed.errors, o, label);
    return { fail: { error, retry: transient, waitMs } };
  }

  private nonJsonError(status: number, headers: Record<string, string | string[] | undefined>, text: string, label: string): MycliError {
    const type = headerOf(headers['content-type']) ?? 'no content type';
    const title = /<title[^>]*>([^<]{1,120})<\/title>/i.exec(text)?.[1]?.replace(/\s+/g, ' ').trim();
    const ray = headerOf(headers['cf-ray']);
    const what = /html/i.test(type) || /^\s*</.test(text) ? 'an HTML page' : text.trim() === '' ? 'an empty body' : `a body that is not JSON (${type})`;
    const extra = [title ? `"${this.redact(title)}"` : '', ray ? `cf-ray ${ray}` : ''].filter(Boolean).join(', ');
    const detail = extra ? ` (${extra})` : '';
    if (status === 403) {
      return new OperationError(`the request was blocked: HTTP 403 with ${what} instead of the API's JSON${detail}`, {
        hint: 'a firewall (WAF) or proxy between you and the API refused the request; check HTTPS_PROXY and the network, or try again from another network',
      });
    }
    if (status === 429) {
      return new OperationError(`rate limited: HTTP 429 with ${what}${detail}`, { hint: 'wait a minute and try again' });
    }
    return new OperationError(`unexpected answer from ${this.host} to ${label.split('?')[0]}: HTTP ${status} with ${what}${detail}`, {
      hint: status >= 500
        ? 'the API or a proxy in between is having trouble; try again shortly'
        : `check CLOUDFLARE_API_BASE_URL (${this.baseUrl.href}) and any proxy settings`,
    });
  }

  /** API error codes -> typed errors (DESIGN.md exit codes), the code kept as apiCode. */
  apiError(status: number, errors: { code: number; message: string }[], o: RequestOptions, label: string): MycliError {
    const apiMessage = this.redact(errors.map((e) => e.message).filter(Boolean).join('; ')) || `HTTP ${status}`;
    const codes = errors.map((e) => e.code);
    const has = (c: number) => codes.includes(c);
    const first = codes[0];
    const worker = o.about?.worker;
    if (has(10215)) {
      // The API's own text says the same at length (and mycli serve's adds a hint): --debug shows it.
      this.debug(`  API message (10215): ${apiMessage}`);
      return new GradualRolloutError(
        `the latest version of Worker "${worker ?? '?'}" is not fully deployed (a gradual rollout may be in progress): a secret change cannot be deployed now`,
      );
    }
    if (has(10220)) {
      const message = errors.find((e) => e.code === 10220)?.message ?? '';
      const names = secretNamesFromMessage(message);
      return new SecretsChangedError(
        names,
        `the secrets of the target version differ from the live version's${names.length ? `: ${names.join(', ')}` : ` (${this.redact(message) || 'the API did not name them'})`}`,
      );
    }
    const authCode = codes.find((c) => AUTH_CODES.has(c));
    if (authCode !== undefined || ((status === 401 || status === 403) && !has(10007))) {
      const how = this.auth.kind === 'token' ? 'CLOUDFLARE_API_TOKEN' : 'CLOUDFLARE_API_KEY and CLOUDFLARE_EMAIL';
      return new AuthError(`the Cloudflare API refused the credentials: ${apiMessage}`, {
        apiCode: authCode ?? first,
        hint: `check ${how}: the token must be valid and allowed to edit Workers scripts (Workers Scripts: Edit) on this account`,
      });
    }
    if (has(10007)) {
      if (o.about?.version && !/\b(worker|script)\b/i.test(apiMessage)) {
        return new NotFoundError(`version ${o.about.version} does not exist on Worker "${worker}"`, {
          apiCode: 10007,
          hint: 'see the versions with `mycli versions list`',
        });
      }
      return new NotFoundError(`Worker "${worker ?? '?'}" not found in this Cloudflare account`, {
        apiCode: 10007,
        hint:
          'check the name (`name` in the config, --name, --env) and the account (CLOUDFLARE_ACCOUNT_ID or account_id); ' +
          'mycli never creates a Worker: deploy it once with `wrangler deploy`',
      });
    }
    if (has(7003) || has(7000)) {
      return new NotFoundError(`the API has no route for ${label.split('?')[0]}: ${apiMessage}`, {
        apiCode: first,
        hint: `check the account id (CLOUDFLARE_ACCOUNT_ID or account_id) and CLOUDFLARE_API_BASE_URL (${this.baseUrl.href})`,
      });
    }
    if (status === 404) {
      if (o.about?.version) {
        return new NotFoundError(`version ${o.about.version} does not exist on Worker "${worker}": ${apiMessage}`, {
          apiCode: first,
          hint: 'see the versions with `mycli versions list`',
        });
      }
      return new NotFoundError(`not found: ${apiMessage}`, { apiCode: first });
    }
    if (status === 429) {
      return new OperationError(`rate limited by the Cloudflare API: ${apiMessage}`, { apiCode: first, hint: 'wait a minute and try again' });
    }
    return new OperationError(`the Cloudflare API refused ${label.split('?')[0]}: ${apiMessage}`, {
      apiCode: first,
      hint: status >= 500 ? 'the API is having trouble; try again shortly' : undefined,
    });
  }

  private networkError(e: unknown, label: string, timedOut: boolean): MycliError {
    const { code } = describeNetworkError(e);
    const where = this.proxyLabel ? `${this.host} through the proxy ${this.proxyLabel}` : this.host;
    if (timedOut) {
      return new OperationError(`no answer from ${where} within ${this.timeoutMs / 1000} s (${label.split('?')[0]})`, {
        hint: 'the network or the API is slow or unreachable; try again, or set MYCLI_HTTP_TIMEOUT (seconds) to wait longer',
        cause: e,
      });
    }
    if (code === 'ECONNREFUSED') {
      return new OperationError(`cannot connect to ${where}: connection refused`, {
        hint: `check CLOUDFLARE_API_BASE_URL (${this.baseUrl.href}) and the proxy settings (HTTPS_PROXY, NO_PROXY)`,
        cause: e,
      });
    }
    if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
      return new OperationError(`cannot resolve ${this.baseUrl.hostname} (${code})`, { hint: 'check the network, DNS and CLOUDFLARE_API_BASE_URL', cause: e });
    }
    if (code === 'UND_ERR_SOCKET' || code === 'ECONNRESET' || code === 'EPIPE' || code === 'UND_ERR_CLOSED') {
      return new OperationError(`the connection to ${where} was closed before the answer arrived (${label.split('?')[0]})`, {
        hint: 'a network problem or a proxy dropped the connection; try again',
        cause: e,
      });
    }
    const msg = this.redact(describeNetworkError(e).text).split('\n')[0];
    return new OperationError(`request to ${where} failed: ${msg} (${code})`, { hint: 'check the network and the proxy settings (HTTPS_PROXY, NO_PROXY)', cause: e });
  }

  /** Follow result_info pagination, bounded. `pick` extracts the items of one page. */
  async paginate<I>(o: RequestOptions, pick: (result: unknown) => I[], key: (item: I) => string, maxPages = 50): Promise<I[]> {
    const all: I[] = [];
    const seen = new Set<string>();
    let query = { ...o.query };
    for (let page = 1; page <= maxPages; page++) {
      const res = await this.request({ ...o, query });
      const items = pick(res.result);
      let fresh = 0;
      for (const item of items) {
        const k = key(item);
        if (seen.has(k)) continue;
        seen.add(k);
        all.push(item);
        fresh++;
      }
      const info = res.resultInfo;
      const current = info?.page ?? page;
      const total = info?.total_pages ?? (info?.total_count !== undefined && info?.per_page ? Math.ceil(info.total_count / info.per_page) : undefined);
      if (!info || total === undefined || current >= total || fresh === 0 || items.length === 0) break;
      query = { ...o.query, page: current + 1, ...(info.per_page ? { per_page: info.per_page } : {}) };
    }
    return all;
  }

  private accountPromise?: Promise<string>;

  /**
   * The account: CLOUDFLARE_ACCOUNT_ID, else `account_id` from the config, else the one account
   * the credentials can see (GET /accounts). Several: a usage error listing them.
   */
  account(configured?: string): Promise<string> {
    const fromEnv = this.env.CLOUDFLARE_ACCOUNT_ID?.trim();
    if (fromEnv) return Promise.resolve(fromEnv);
    if (configured?.trim()) return Promise.resolve(configured.trim());
    if (!this.accountPromise) {
      this.accountPromise = (async () => {
        const accounts = await this.paginate(
          { method: 'GET', path: '/accounts', query: { per_page: 50 } },
          (r) => (Array.isArray(r) ? (r as { id?: unknown; name?: unknown }[]) : []).filter((a) => typeof a?.id === 'string'),
          (a) => String(a.id),
        );
        if (accounts.length === 1) {
          this.debug(`account: ${String(accounts[0].id)} (the only one these credentials can see)`);
          return String(accounts[0].id);
        }
        if (accounts.length === 0) {
          throw new AuthError('these Cloudflare credentials cannot see any account', {
            hint: 'give the token access to the account of the Worker (Account resources), or set CLOUDFLARE_ACCOUNT_ID',
          });
        }
        const list = accounts.map((a) => `${typeof a.name === 'string' ? a.name : '(no name)'} (${String(a.id)})`).join(', ');
        throw new UsageError(`these credentials can use ${accounts.length} accounts: ${list}; which one is meant?`, {
          hint: 'set CLOUDFLARE_ACCOUNT_ID to the id of one of them (or account_id in the config)',
        });
      })();
      this.accountPromise.catch(() => undefined);
    }
    return this.accountPromise;
  }

  /** The account when known without a request (for `describe`). */
  knownAccount(configured?: string): string | undefined {
    return this.env.CLOUDFLARE_ACCOUNT_ID?.trim() || configured?.trim() || undefined;
  }

  async close(): Promise<void> {
    this.closed = true;
    const t = this.transportInstance;
    this.transportInstance = undefined;
    await t?.close().catch(() => undefined);
  }
}

function markRetried<E extends MycliError>(e: E, attempt: number): E {
  if (attempt > 1) (e as RetriedFlag).retried = true;
  return e;
}

function headerOf(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}

function isTimeout(e: unknown): boolean {
  const err = e as { name?: string; code?: string; cause?: { name?: string } };
  return (
    err?.name === 'TimeoutError' ||
    err?.cause?.name === 'TimeoutError' ||
    err?.code === 'UND_ERR_HEADERS_TIMEOUT' ||
    err?.code === 'UND_ERR_BODY_TIMEOUT' ||
    err?.code === 'UND_ERR_CONNECT_TIMEOUT' ||
    err?.code === CONNECT_TIMEOUT ||
    err?.code === 'ETIMEDOUT' ||
    err?.code === 'UND_ERR_ABORTED' ||
    err?.code === 'ABORT_ERR'
  );
}

function formatBytes(n: number): string {
  return n % (1024 * 1024) === 0 ? `${n / (1024 * 1024)} MiB` : `${n} bytes`;
}

function safeUrl(u: string, base?: URL): string {
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

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
