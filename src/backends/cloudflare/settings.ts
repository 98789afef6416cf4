/**
 * What the Cloudflare client reads from the environment it was given: the credentials
 * (CLOUDFLARE_API_TOKEN, or CLOUDFLARE_API_KEY with CLOUDFLARE_EMAIL; never from the config
 * file), the API's base URL and the bounds of a request (MYCLI_HTTP_*). Bad values are usage or
 * auth errors raised when the client is made, before any request.
 */
import { AuthError, UsageError } from '../../errors.js';

export const DEFAULT_BASE_URL = 'https://api.cloudflare.com/client/v4';
const DEFAULT_TIMEOUT_S = 30;
const DEFAULT_RETRY_DELAY_MS = 500;
const DEFAULT_MAX_ATTEMPTS = 4;
/** The largest API answer read (16 MiB; MYCLI_HTTP_MAX_BODY_BYTES overrides). */
export const DEFAULT_MAX_BODY_BYTES = 16 * 1024 * 1024;

export type Auth = { kind: 'token'; token: string } | { kind: 'key'; key: string; email: string };

export interface ClientSettings {
  baseUrl: URL;
  timeoutMs: number;
  retryDelayMs: number;
  maxAttempts: number;
  maxBodyBytes: number;
}

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
    hint:
      'create a token at https://dash.cloudflare.com/profile/api-tokens (permissions: Workers Scripts Edit for secrets, versions and deployments; ' +
      'Account Settings Read to find the account; Secrets Store Edit for secrets-store; Workers Observability Read for rollout health), ' +
      'then set CLOUDFLARE_API_TOKEN (CLOUDFLARE_API_KEY and CLOUDFLARE_EMAIL also work); credentials are never read from the config file. ' +
      'Test it with `mycli whoami --backend cloudflare`',
  });
}

function numberEnv(env: Record<string, string | undefined>, name: string, fallback: number, min = 0): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < min) throw new UsageError(`${name}=${raw} is not a valid number`, { hint: `unset ${name}, or give a number` });
  return n;
}

/** The base URL, then the bounds (read after the credentials: their errors come first). */
export function settingsFromEnv(env: Record<string, string | undefined>): ClientSettings {
  const base = env.CLOUDFLARE_API_BASE_URL?.trim() || DEFAULT_BASE_URL;
  let baseUrl: URL;
  try {
    baseUrl = new URL(base.replace(/\/+$/, ''));
  } catch {
    throw new UsageError(`CLOUDFLARE_API_BASE_URL is not a URL: ${base}`, { hint: `unset it to use ${DEFAULT_BASE_URL}` });
  }
  if (baseUrl.protocol !== 'https:' && baseUrl.protocol !== 'http:') {
    throw new UsageError(`CLOUDFLARE_API_BASE_URL must be an http(s) URL, not ${baseUrl.protocol}`);
  }
  return {
    baseUrl,
    timeoutMs: Math.max(1, Math.round(numberEnv(env, 'MYCLI_HTTP_TIMEOUT', DEFAULT_TIMEOUT_S) * 1000)),
    retryDelayMs: numberEnv(env, 'MYCLI_HTTP_RETRY_DELAY_MS', DEFAULT_RETRY_DELAY_MS),
    maxAttempts: Math.max(1, Math.floor(numberEnv(env, 'MYCLI_HTTP_MAX_ATTEMPTS', DEFAULT_MAX_ATTEMPTS, 1))),
    maxBodyBytes: Math.max(1024, Math.floor(numberEnv(env, 'MYCLI_HTTP_MAX_BODY_BYTES', DEFAULT_MAX_BODY_BYTES, 1))),
  };
}
