/**
 * Cloudflare API v4 envelopes and error codes for `mycli serve`.
 *
 * Success: {success: true, errors: [], messages: [], result, result_info?}
 * Failure: {success: false, errors: [{code, message}], messages: [], result: null}
 */
import {
  AuthError,
  ConflictError,
  GradualRolloutError,
  isMycliError,
  NotFoundError,
  SecretsChangedError,
  UsageError,
} from '../errors.js';

/** The codes `mycli serve` answers with (Cloudflare numbering where Cloudflare has one). */
export const Codes = {
  /** Authentication error: missing or wrong bearer token. */
  auth: 10000,
  /** Invalid field, value or name in a request (serve's own code for a 400). */
  badRequest: 10001,
  /** The request body is too large. */
  tooLarge: 10003,
  /** Worker (script) not found: Cloudflare's workers.api.error.script_not_found. */
  workerNotFound: 10007,
  /** A version, deployment or secret that does not exist (serve's own code for a 404). */
  notFound: 10008,
  /** An internal failure (the store could not be read or written). */
  internal: 10013,
  /** A secret change while the latest version is not fully deployed. */
  gradualRollout: 10215,
  /** A deployment of an older version whose secrets differ; repeat with ?force=true. */
  secretsChanged: 10220,
  /** Malformed JSON in request body (Cloudflare 6007). */
  badJson: 6007,
  /** Method not allowed for this route (Cloudflare 7001). */
  methodNotAllowed: 7001,
  /** Could not route to the URI (Cloudflare 7003). */
  noRoute: 7003,
  /** A Secrets Store name taken, or a store not empty (serve's own code for a 409). */
  conflict: 10009,
  /** The store is busy (another process holds its lock): retry. */
  busy: 10429,
} as const;

export interface ApiMessage {
  code: number;
  message: string;
}

export interface ResultInfo {
  page: number;
  per_page: number;
  count: number;
  total_count: number;
  total_pages: number;
}

export interface Reply {
  status: number;
  headers?: Record<string, string>;
  /** A JSON envelope, or raw bytes with their content type in headers. */
  body: unknown;
  raw?: boolean;
  /** The API error code, for the request log. */
  code?: number;
}

export function ok(result: unknown, resultInfo?: ResultInfo, status = 200): Reply {
  const body: Record<string, unknown> = { success: true, errors: [], messages: [], result };
  if (resultInfo) body.result_info = resultInfo;
  return { status, body };
}

/** An error answered as a Cloudflare failure envelope. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: number;
  readonly headers?: Record<string, string>;
  constructor(status: number, code: number, message: string, headers?: Record<string, string>) {
    super(message);
    this.status = status;
    this.code = code;
    this.headers = headers;
  }
}

export function fail(status: number, code: number, message: string, headers?: Record<string, string>): Reply {
  return {
    status,
    headers,
    code,
    body: { success: false, errors: [{ code, message }], messages: [], result: null },
  };
}

/** Any thrown value to a failure envelope. Messages of typed errors never hold secret values. */
export function errorReply(e: unknown): Reply {
  if (e instanceof ApiError) return fail(e.status, e.code, e.message, e.headers);
  if (e instanceof SecretsChangedError) {
    // wrangler reads the names after "The following secrets have changed:" up to the end.
    return fail(
      400,
      Codes.secretsChanged,
      `This deployment would roll back secrets to older values; repeat with ?force=true to deploy anyway. The following secrets have changed: ${e.secrets.join(', ')}`,
    );
  }
  if (e instanceof GradualRolloutError) return fail(400, Codes.gradualRollout, withHint(e.message, e.hint));
  if (e instanceof NotFoundError) return fail(404, Codes.notFound, e.message);
  if (e instanceof ConflictError) return fail(503, Codes.busy, e.message, { 'retry-after': '1' });
  if (e instanceof UsageError) return fail(400, Codes.badRequest, e.message);
  if (e instanceof AuthError) return fail(500, Codes.internal, `the local store cannot be opened: ${e.message}`);
  if (isMycliError(e)) return fail(500, Codes.internal, e.message);
  return fail(500, Codes.internal, 'internal error in mycli serve');
}

function withHint(message: string, hint?: string): string {
  return hint ? `${message} (${hint})` : message;
}

export function workerNotFound(script: string): ApiError {
  return new ApiError(404, Codes.workerNotFound, `workers.api.error.script_not_found: Worker "${script}" does not exist`);
}

export function badRequest(message: string): ApiError {
  return new ApiError(400, Codes.badRequest, message);
}
