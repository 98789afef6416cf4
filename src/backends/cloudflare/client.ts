/**
 * The one fetch layer of the Cloudflare backend, composed of one file per job:
 *
 *   settings.ts   credentials, base URL and request bounds, from the environment
 *   transport.ts  one HTTP request (node:http/https directly, undici only through a proxy)
 *   request.ts    the request loop: body, retries with backoff, the answer's envelope
 *   error-map.ts  API codes, statuses and network failures -> the typed errors of src/errors.ts
 *   paging.ts     result_info pagination, bounded
 *   account.ts    which account: CLOUDFLARE_ACCOUNT_ID, account_id, or the only one visible
 *
 * This file holds what they share: the credentials' headers, the redaction of --debug lines and
 * messages, and the transport (chosen and made on the first request, so choosing this backend
 * costs nothing until it talks to the network). Answers are checked by hand (shapes.ts), not
 * with zod: this path has a start-up budget of 1.6x `node -e 0`.
 */
import { OperationError } from '../../errors.js';
import { AccountLookup } from './account.js';
import type { ErrorContext } from './error-map.js';
import { paginate } from './paging.js';
import { requestBody, sendWithRetries, type ApiResponse, type RequestContext, type RequestOptions } from './request.js';
import { authFromEnv, settingsFromEnv, type Auth } from './settings.js';
import { NodeTransport, safeUrl, UndiciProxyTransport, type Transport } from './transport.js';
import { redact as redactGlobal, rememberSecret } from '../../redact.js';
import { packageVersion } from '../../version.js';

// Kept for test/cloudflare/units.test.ts, which tests them as the client's; mycli's own modules
// import each name from its home.
export { authFromEnv } from './settings.js';
export { parseRetryAfter } from './request.js';
export { secretNamesFromMessage } from './error-map.js';

export interface ClientOptions {
  env: Record<string, string | undefined>;
  /** --debug lines (already redacted by the client). */
  debug?: (line: string) => void;
}

/** How long an idle keep-alive connection is kept. */
const KEEP_ALIVE_MS = 4_000;

export class CloudflareClient implements RequestContext, ErrorContext {
  readonly baseUrl: URL;
  readonly auth: Auth;
  readonly timeoutMs: number;
  readonly retryDelayMs: number;
  readonly maxAttempts: number;
  readonly maxBodyBytes: number;
  private readonly env: Record<string, string | undefined>;
  private readonly debugSink?: (line: string) => void;
  private readonly redactions = new Set<string>();
  private readonly accounts: AccountLookup;
  private transportInstance?: Transport;
  private closed = false;
  private proxy?: string;

  constructor(options: ClientOptions) {
    this.env = options.env;
    this.debugSink = options.debug;
    this.auth = authFromEnv(options.env);
    if (this.auth.kind === 'token') this.addRedaction(this.auth.token);
    else this.addRedaction(this.auth.key);
    const settings = settingsFromEnv(options.env);
    this.baseUrl = settings.baseUrl;
    this.timeoutMs = settings.timeoutMs;
    this.retryDelayMs = settings.retryDelayMs;
    this.maxAttempts = settings.maxAttempts;
    this.maxBodyBytes = settings.maxBodyBytes;
    this.accounts = new AccountLookup(options.env, (o, pick, key) => this.paginate(o, pick, key), (line) => this.debug(line));
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

  /** The proxy the API is reached through, for error messages (NO_PROXY may still bypass it). */
  get proxyLabel(): string | undefined {
    return this.proxy;
  }

  /** One transport per client: undici's proxy agent when a proxy is configured, else node:http(s). */
  private transport(): Transport {
    if (this.transportInstance) return this.transportInstance;
    const env = this.env;
    const httpProxy = env.http_proxy ?? env.HTTP_PROXY;
    const httpsProxy = env.https_proxy ?? env.HTTPS_PROXY;
    const noProxy = env.no_proxy ?? env.NO_PROXY;
    if (httpProxy || httpsProxy) {
      const proxy = this.baseUrl.protocol === 'https:' ? httpsProxy : httpProxy;
      if (proxy) this.proxy = safeUrl(proxy);
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

  /** Send a request; parse the envelope; throw typed errors; retry what may be retried (request.ts). */
  async request<T = unknown>(o: RequestOptions): Promise<ApiResponse<T>> {
    if (this.closed) throw new OperationError('the Cloudflare client was already closed');
    const transport = this.transport();
    const url = this.url(o.path, o.query);
    const { body, headers: extra } = requestBody(o);
    return sendWithRetries<T>(this, transport, o, url, this.headers(extra), body);
  }

  /** Follow result_info pagination, bounded (paging.ts). `pick` extracts the items of one page. */
  paginate<I>(o: RequestOptions, pick: (result: unknown) => I[], key: (item: I) => string, maxPages = 50): Promise<I[]> {
    return paginate((r) => this.request(r), o, pick, key, maxPages);
  }

  /**
   * The account: CLOUDFLARE_ACCOUNT_ID, else `account_id` from the config, else the one account
   * the credentials can see (GET /accounts). Several: a usage error listing them.
   */
  account(configured?: string): Promise<string> {
    return this.accounts.account(configured);
  }

  /** The account when known without a request (for `describe`). */
  knownAccount(configured?: string): string | undefined {
    return this.accounts.knownAccount(configured);
  }

  async close(): Promise<void> {
    this.closed = true;
    const t = this.transportInstance;
    this.transportInstance = undefined;
    await t?.close().catch(() => undefined);
  }
}
