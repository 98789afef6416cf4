/**
 * One API request, retried: the body and its content type, the attempts with backoff, and the
 * answer read as the API's envelope (shapes.ts) or turned into a typed error (error-map.ts).
 *
 * GET/PUT/PATCH/DELETE are retried on 429, 5xx and network errors; POST only when it was
 * certainly not processed (429, a refused connection), and otherwise fails with
 * AmbiguousRequestError. A timeout is never retried: the answer must come in bounded time.
 */
import { MycliError } from '../../errors.js';
import {
  AmbiguousRequestError,
  apiError,
  describeNetworkError,
  headerOf,
  networkError,
  nonJsonError,
  redirectError,
  tooLargeError,
  type About,
  type ErrorContext,
  type AnswerHeaders,
  type RetriedFlag,
} from './error-map.js';
import { parseEnvelope, type ApiEnvelope, type ResultInfo } from './shapes.js';
import { CONNECT_TIMEOUT, RESPONSE_TOO_LARGE, type Transport } from './transport.js';

export type Method = 'GET' | 'PUT' | 'POST' | 'PATCH' | 'DELETE';
const IDEMPOTENT: ReadonlySet<Method> = new Set(['GET', 'PUT', 'DELETE', 'PATCH']);

const MAX_WAIT_MS = 10_000;

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
  about?: About;
}

export interface ApiResponse<T = unknown> {
  status: number;
  result: T;
  resultInfo?: ResultInfo | null;
}

/** What the request loop needs of the client. */
export interface RequestContext extends ErrorContext {
  readonly maxAttempts: number;
  readonly retryDelayMs: number;
}

const CONNECT_FAILURES = new Set(['ECONNREFUSED', CONNECT_TIMEOUT, 'UND_ERR_CONNECT_TIMEOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);
const NOT_RETRIED_NETWORK = new Set(['ENOTFOUND', 'CERT_HAS_EXPIRED', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'ERR_TLS_CERT_ALTNAME_INVALID', 'SELF_SIGNED_CERT_IN_CHAIN']);

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

/** The body of a request and the content type that goes with it. */
export function requestBody(o: RequestOptions): { body?: Buffer; headers: Record<string, string> } {
  const headers: Record<string, string> = {};
  let body: Buffer | undefined;
  if (o.raw) {
    body = o.raw.data;
    headers['content-type'] = o.raw.contentType;
  } else if (o.json !== undefined) {
    body = Buffer.from(JSON.stringify(o.json), 'utf8');
    headers['content-type'] = o.contentType ?? 'application/json';
  }
  return { body, headers };
}

type Failure = { error: MycliError; retry: boolean; waitMs?: number };

/** Send `o` to `url` with `headers` (credentials included) until it succeeds or may not be retried. */
export async function sendWithRetries<T>(
  ctx: RequestContext,
  transport: Transport,
  o: RequestOptions,
  url: URL,
  headers: Record<string, string>,
  body: Buffer | undefined,
): Promise<ApiResponse<T>> {
  const label = `${o.method} ${url.pathname}${url.search}`;
  const idempotent = IDEMPOTENT.has(o.method);

  for (let attempt = 1; ; attempt++) {
    const started = Date.now();
    ctx.debug(`→ ${label}${attempt > 1 ? ` (attempt ${attempt} of ${ctx.maxAttempts})` : ''}`);
    let failure: Failure;
    try {
      const res = await transport.send({ url, method: o.method, headers, body, timeoutMs: ctx.timeoutMs, maxBodyBytes: ctx.maxBodyBytes });
      const text = res.text;
      const ms = Date.now() - started;
      const ray = headerOf(res.headers['cf-ray']);
      ctx.debug(`← ${res.status} ${label} (${ms} ms${ray ? `, cf-ray ${ray}` : ''})`);
      const outcome = interpret<T>(ctx, res.status, res.headers, text, o, label);
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
        ctx.debug(`✗ ${label}: answer larger than ${ctx.maxBodyBytes} bytes, reading stopped`);
        throw markRetried(tooLargeError(ctx, label, idempotent), attempt);
      }
      const timedOut = isTimeout(e);
      const connectFailed = CONNECT_FAILURES.has(code);
      const error = networkError(ctx, e, label, timedOut);
      ctx.debug(`✗ ${label}: ${timedOut ? 'timeout' : code}`);
      if (!idempotent && !connectFailed) {
        throw markRetried(new AmbiguousRequestError(error.message, { hint: error.hint, cause: e }), attempt);
      }
      // A timeout is not retried: the answer must come in bounded time.
      failure = { error, retry: !timedOut && !NOT_RETRIED_NETWORK.has(code) };
    }
    if (!failure.retry || attempt >= ctx.maxAttempts) {
      if (failure.retry && attempt > 1) failure.error.message = `${failure.error.message} (gave up after ${attempt} attempts)`;
      throw markRetried(failure.error, attempt);
    }
    const backoff = Math.min(MAX_WAIT_MS, ctx.retryDelayMs * 2 ** (attempt - 1)) * (0.5 + Math.random() * 0.5);
    const wait = Math.min(MAX_WAIT_MS, failure.waitMs ?? backoff);
    ctx.debug(`  retrying in ${Math.round(wait)} ms: ${failure.error.message}`);
    await sleep(wait);
  }
}

/** One answer: the envelope's result, or a typed error and whether it may be retried. */
function interpret<T>(ctx: ErrorContext, status: number, headers: AnswerHeaders, text: string, o: RequestOptions, label: string): { ok: ApiResponse<T> } | { fail: Failure } {
  const transient = status === 429 || status >= 500;
  const waitMs = transient ? parseRetryAfter(headers['retry-after']) : undefined;
  if (status >= 300 && status < 400) {
    // Never followed (credentials would go wherever it points) and never success, whatever the body says.
    return { fail: { error: redirectError(ctx, status, headers, label), retry: false } };
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
    return { fail: { error: nonJsonError(ctx, status, headers, text, label), retry: transient, waitMs } };
  }
  if (parsed.success && status >= 200 && status < 300) {
    return { ok: { status, result: parsed.result as T, resultInfo: parsed.result_info } };
  }
  const error = apiError(ctx, status, parsed.errors, o.about, label);
  return { fail: { error, retry: transient, waitMs } };
}

function markRetried<E extends MycliError>(e: E, attempt: number): E {
  if (attempt > 1) (e as RetriedFlag).retried = true;
  return e;
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

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
