/**
 * Cloudflare's failures -> the typed errors of src/errors.ts (and so the documented exit codes):
 * API error codes (10215 rollout in progress, 10220 secrets changed, 10007 not found, the auth
 * codes, 7000/7003 no route), HTTP statuses with a body that is not the API's JSON (a WAF page,
 * a proxy's error), redirects, and network failures. The API's code is kept as apiCode. Every
 * text taken from an answer goes through the client's redaction first.
 *
 * Also the client's own error classes, raised by the request loop (request.ts).
 */
import { rolloutBlockUndecidedText } from '../../domain/deployments.js';
import { AuthError, GradualRolloutError, MycliError, NotFoundError, OperationError, SecretsChangedError } from '../../errors.js';
import { isBindingName } from '../../domain/names.js';
import { DEFAULT_BASE_URL, type Auth } from './settings.js';
import { safeUrl } from './transport.js';

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

/** What the request was about, for the messages (which Worker, which version). */
export interface About {
  worker?: string;
  version?: string;
}

/** What the messages need to know of the client. */
export interface ErrorContext {
  readonly host: string;
  readonly baseUrl: URL;
  readonly auth: Auth;
  readonly timeoutMs: number;
  readonly maxBodyBytes: number;
  /** The proxy the API is reached through, when one is configured (NO_PROXY may still bypass it). */
  readonly proxyLabel?: string;
  redact(text: string): string;
  debug(line: string): void;
}

export type AnswerHeaders = Record<string, string | string[] | undefined>;

const AUTH_CODES = new Set([10000, 10001, 9103, 9106, 9107, 9109, 6003, 6111, 6102, 6103]);

/** Names of secrets in a 10220 message: the list after the last ':' or quoted names. */
export function secretNamesFromMessage(message: string): string[] {
  const quoted = [...message.matchAll(/["'`]([A-Za-z_][A-Za-z0-9_]*)["'`]/g)].map((m) => m[1]);
  if (quoted.length) return [...new Set(quoted)];
  const i = message.lastIndexOf(':');
  if (i < 0) return [];
  const tail = message.slice(i + 1).replace(/\.\s*$/, '');
  const words = tail.split(/\s*,\s*|\s+and\s+/).map((w) => w.trim()).filter(Boolean);
  if (!words.length || !words.every(isBindingName)) return [];
  return [...new Set(words)];
}

export function describeNetworkError(e: unknown): { code: string; text: string } {
  const err = e as { code?: string; message?: string; cause?: { code?: string } };
  const code = err?.code ?? err?.cause?.code ?? 'UNKNOWN';
  return { code, text: err?.message ?? String(e) };
}

export function headerOf(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}

/** A 3xx answer: never followed (credentials would go wherever it points) and never success. */
export function redirectError(ctx: ErrorContext, status: number, headers: AnswerHeaders, label: string): RedirectError {
  const location = headerOf(headers.location);
  return new RedirectError(
    `${ctx.host} answered ${label.split('?')[0]} with a redirect (HTTP ${status}${location ? ` to ${safeUrl(location, ctx.baseUrl)}` : ''}); mycli does not follow redirects`,
    { hint: `check CLOUDFLARE_API_BASE_URL (${ctx.baseUrl.href}): it must be the API's own address, e.g. ${DEFAULT_BASE_URL}` },
  );
}

/** An answer that is not the API's JSON envelope: name what came instead. */
export function nonJsonError(ctx: ErrorContext, status: number, headers: AnswerHeaders, text: string, label: string): MycliError {
  const type = headerOf(headers['content-type']) ?? 'no content type';
  const title = /<title[^>]*>([^<]{1,120})<\/title>/i.exec(text)?.[1]?.replace(/\s+/g, ' ').trim();
  const ray = headerOf(headers['cf-ray']);
  const what = /html/i.test(type) || /^\s*</.test(text) ? 'an HTML page' : text.trim() === '' ? 'an empty body' : `a body that is not JSON (${type})`;
  const extra = [title ? `"${ctx.redact(title)}"` : '', ray ? `cf-ray ${ray}` : ''].filter(Boolean).join(', ');
  const detail = extra ? ` (${extra})` : '';
  if (status === 403) {
    return new OperationError(`the request was blocked: HTTP 403 with ${what} instead of the API's JSON${detail}`, {
      hint: 'a firewall (WAF) or proxy between you and the API refused the request; check HTTPS_PROXY and the network, or try again from another network',
    });
  }
  if (status === 429) {
    return new OperationError(`rate limited: HTTP 429 with ${what}${detail}`, { hint: 'wait a minute and try again' });
  }
  return new OperationError(`unexpected answer from ${ctx.host} to ${label.split('?')[0]}: HTTP ${status} with ${what}${detail}`, {
    hint: status >= 500
      ? 'the API or a proxy in between is having trouble; try again shortly'
      : `check CLOUDFLARE_API_BASE_URL (${ctx.baseUrl.href}) and any proxy settings`,
  });
}

/** API error codes -> typed errors (the documented exit codes), the code kept as apiCode. */
export function apiError(ctx: ErrorContext, status: number, errors: { code: number; message: string }[], about: About | undefined, label: string): MycliError {
  const apiMessage = ctx.redact(errors.map((e) => e.message).filter(Boolean).join('; ')) || `HTTP ${status}`;
  const codes = errors.map((e) => e.code);
  const has = (c: number) => codes.includes(c);
  const first = codes[0];
  const worker = about?.worker;
  if (has(10215)) {
    // The API's own text says the same at length (and mycli serve's adds a hint): --debug shows it.
    ctx.debug(`  API message (10215): ${apiMessage}`);
    return new GradualRolloutError(rolloutBlockUndecidedText(`Worker "${worker ?? '?'}"`));
  }
  if (has(10220)) {
    const message = errors.find((e) => e.code === 10220)?.message ?? '';
    const names = secretNamesFromMessage(message);
    return new SecretsChangedError(
      names,
      `the secrets of the target version differ from the live version's${names.length ? `: ${names.join(', ')}` : ` (${ctx.redact(message) || 'the API did not name them'})`}`,
    );
  }
  const authCode = codes.find((c) => AUTH_CODES.has(c));
  if (authCode !== undefined || ((status === 401 || status === 403) && !has(10007))) {
    const how = ctx.auth.kind === 'token' ? 'CLOUDFLARE_API_TOKEN' : 'CLOUDFLARE_API_KEY and CLOUDFLARE_EMAIL';
    return new AuthError(`the Cloudflare API refused the credentials: ${apiMessage}`, {
      apiCode: authCode ?? first,
      hint: `check ${how}: the token must be valid and allowed to edit Workers scripts (Workers Scripts: Edit) on this account`,
    });
  }
  if (has(10007)) {
    if (about?.version && !/\b(worker|script)\b/i.test(apiMessage)) {
      return new NotFoundError(`version ${about.version} does not exist on Worker "${worker}"`, {
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
      hint: `check the account id (CLOUDFLARE_ACCOUNT_ID or account_id) and CLOUDFLARE_API_BASE_URL (${ctx.baseUrl.href})`,
    });
  }
  if (status === 404) {
    if (about?.version) {
      return new NotFoundError(`version ${about.version} does not exist on Worker "${worker}": ${apiMessage}`, {
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

/** An answer past maxBodyBytes: reading stopped; a change that was sent may or may not be made. */
export function tooLargeError(ctx: ErrorContext, label: string, idempotent: boolean): ResponseTooLargeError {
  return new ResponseTooLargeError(
    `the answer of ${ctx.host} to ${label.split('?')[0]} is larger than ${formatBytes(ctx.maxBodyBytes)}; mycli stopped reading it`,
    ctx.maxBodyBytes,
    {
      hint: `check CLOUDFLARE_API_BASE_URL (${ctx.baseUrl.href}) and any proxy in between${idempotent ? '' : '; the change may or may not have been made'} (MYCLI_HTTP_MAX_BODY_BYTES raises the bound)`,
    },
  );
}

/** A request that got no answer: refused, unresolved, reset, timed out. */
export function networkError(ctx: ErrorContext, e: unknown, label: string, timedOut: boolean): MycliError {
  const { code } = describeNetworkError(e);
  const where = ctx.proxyLabel ? `${ctx.host} through the proxy ${ctx.proxyLabel}` : ctx.host;
  if (timedOut) {
    return new OperationError(`no answer from ${where} within ${ctx.timeoutMs / 1000} s (${label.split('?')[0]})`, {
      hint: 'the network or the API is slow or unreachable; try again, or set MYCLI_HTTP_TIMEOUT (seconds) to wait longer',
      cause: e,
    });
  }
  if (code === 'ECONNREFUSED') {
    return new OperationError(`cannot connect to ${where}: connection refused`, {
      hint: `check CLOUDFLARE_API_BASE_URL (${ctx.baseUrl.href}) and the proxy settings (HTTPS_PROXY, NO_PROXY)`,
      cause: e,
    });
  }
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
    return new OperationError(`cannot resolve ${ctx.baseUrl.hostname} (${code})`, { hint: 'check the network, DNS and CLOUDFLARE_API_BASE_URL', cause: e });
  }
  if (code === 'UND_ERR_SOCKET' || code === 'ECONNRESET' || code === 'EPIPE' || code === 'UND_ERR_CLOSED') {
    return new OperationError(`the connection to ${where} was closed before the answer arrived (${label.split('?')[0]})`, {
      hint: 'a network problem or a proxy dropped the connection; try again',
      cause: e,
    });
  }
  const msg = ctx.redact(describeNetworkError(e).text).split('\n')[0];
  return new OperationError(`request to ${where} failed: ${msg} (${code})`, { hint: 'check the network and the proxy settings (HTTPS_PROXY, NO_PROXY)', cause: e });
}

function formatBytes(n: number): string {
  return n % (1024 * 1024) === 0 ? `${n / (1024 * 1024)} MiB` : `${n} bytes`;
}
