/**
 * Typed errors. Every failure that reaches the user is one of these; `main.ts` is the only
 * place where they become exit codes. Backends translate their own failures (HTTP statuses,
 * API error codes, file errors) into these at their edge.
 *
 * Messages are lower-case sentences that name the flag, file or value at fault; the hint says
 * how to fix it. Neither may ever contain a secret value.
 */

export const ExitCode = {
  ok: 0,
  failed: 1,
  usage: 2,
  notFound: 3,
  auth: 4,
  conflict: 5,
  /** `secret sync --dry-run --exit-code`: the Worker differs from the file (terraform plan -detailed-exitcode's 2). */
  changesPending: 6,
  cancelled: 130,
  /** 128 + SIGTERM's number, as a shell reports a process that SIGTERM ended. */
  terminated: 143,
} as const;

export type ErrorCode =
  | 'failed'
  | 'usage'
  | 'config'
  | 'not_found'
  | 'auth'
  | 'conflict'
  | 'gradual_rollout'
  | 'latest_not_deployed'
  | 'secrets_changed'
  | 'changes_pending'
  | 'cancelled'
  | 'plugin';

/**
 * What an error carries besides its words, typed: read by `cli/output.ts` (the `--json` error
 * document) and `mycli serve`'s envelope, never patched on and read back with a cast.
 */
export interface ErrorDetails {
  /** The secrets a refusal names (10220: a rollback to a version whose secrets differ). */
  secrets?: string[];
  /** The command's own JSON document, printed as one document with the error (a rollout's steps). */
  document?: Record<string, unknown>;
}

export interface ErrorOptions {
  hint?: string;
  /** Upstream API error code (Cloudflare numbering), shown as a note. */
  apiCode?: number;
  cause?: unknown;
  details?: ErrorDetails;
}

export class MycliError extends Error {
  readonly exitCode: number;
  readonly code: ErrorCode;
  readonly hint?: string;
  readonly apiCode?: number;
  /** Typed details; a layer that adds one (a rollout adds its document) sets it here. */
  readonly details: ErrorDetails;

  constructor(code: ErrorCode, exitCode: number, message: string, options: ErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.exitCode = exitCode;
    this.hint = options.hint;
    this.apiCode = options.apiCode;
    this.details = { ...options.details };
  }
}

/** Exit 1: the operation was attempted and failed (I/O, network, a damaged store). */
export class OperationError extends MycliError {
  constructor(message: string, options?: ErrorOptions) {
    super('failed', ExitCode.failed, message, options);
  }
}

/** Exit 2: bad flags, bad arguments, a missing answer that a flag supplies. */
export class UsageError extends MycliError {
  constructor(message: string, options?: ErrorOptions) {
    super('usage', ExitCode.usage, message, options);
  }
}

/** Exit 2: the configuration file is missing, unreadable or invalid. */
export class ConfigError extends MycliError {
  constructor(message: string, options?: ErrorOptions) {
    super('config', ExitCode.usage, message, options);
  }
}

/** Exit 3: a Worker, version, deployment or secret that does not exist. */
export class NotFoundError extends MycliError {
  constructor(message: string, options?: ErrorOptions) {
    super('not_found', ExitCode.notFound, message, options);
  }
}

/** Exit 4: missing or rejected credentials, or a local store key that does not fit. */
export class AuthError extends MycliError {
  constructor(message: string, options?: ErrorOptions) {
    super('auth', ExitCode.auth, message, options);
  }
}

/** Exit 5: the change conflicts with the current state (concurrent change, ...). */
export class ConflictError extends MycliError {
  constructor(message: string, options?: ErrorOptions, code: ErrorCode = 'conflict') {
    super(code, ExitCode.conflict, message, options);
  }
}

/**
 * Exit 5 (Cloudflare 10215): a secret change while the latest version is not fully deployed.
 * Two cases, told apart by `code`: a rollout splits traffic (`gradual_rollout`), or a newer
 * version waits undeployed (`latest_not_deployed`); the words: rolloutBlockText in
 * domain/deployments.ts. The API says 10215 for both: a backend that cannot tell says the first.
 */
export class GradualRolloutError extends ConflictError {
  constructor(message: string, options: ErrorOptions = {}, reason: 'gradual-rollout' | 'latest-not-deployed' = 'gradual-rollout') {
    super(
      message,
      {
        apiCode: 10215,
        hint:
          'use `mycli versions secret put|delete|bulk` to make a new version without deploying it, ' +
          'then `mycli versions deploy` to roll it out',
        ...options,
      },
      reason === 'gradual-rollout' ? 'gradual_rollout' : 'latest_not_deployed',
    );
  }
}

/** Exit 5 (Cloudflare 10220): a rollback to a version whose secrets differ from the live ones. */
export class SecretsChangedError extends ConflictError {
  constructor(secrets: string[], message?: string, options: ErrorOptions = {}) {
    super(
      message ??
        `the secrets of the target version differ from the live version's: ${secrets.join(', ')}`,
      { apiCode: 10220, hint: 'confirm at the prompt, or pass --yes to deploy that version anyway', ...options, details: { ...options.details, secrets } },
      'secrets_changed',
    );
  }

  /** The names that differ (`details.secrets`; a plugin's own copy of this class reads the same). */
  get secrets(): string[] {
    return this.details.secrets ?? [];
  }
}

/**
 * Exit 6: a dry run with `--exit-code` found changes to make (`secret sync --dry-run
 * --exit-code`, for CI drift checks). Not a failure of the command: the plan was printed.
 */
export class ChangesPendingError extends MycliError {
  constructor(message: string, options?: ErrorOptions) {
    super('changes_pending', ExitCode.changesPending, message, options);
  }
}

/**
 * Exit 130: the user cancelled (at a prompt, or Ctrl-C / SIGINT during a run); 143 when the run
 * was stopped by SIGTERM (128 + the signal's number, as shells report it).
 */
export class CancelledError extends MycliError {
  constructor(message = 'cancelled', signal?: 'SIGINT' | 'SIGTERM') {
    super('cancelled', signal === 'SIGTERM' ? ExitCode.terminated : ExitCode.cancelled, message);
  }
}

/** Exit 1: a plugin backend broke its contract (malformed result, missing method). */
export class PluginError extends MycliError {
  constructor(message: string, options?: ErrorOptions) {
    super('plugin', ExitCode.failed, message, options);
  }
}

export function isMycliError(e: unknown): e is MycliError {
  return e instanceof MycliError;
}
