/**
 * The Backend interface: the public plugin API of mycli (`import ... from 'mycli/backend'`).
 *
 * A backend stores the secrets, versions and deployments of Workers. Commands depend on this
 * interface only; `local`, `cloudflare` and third-party plugins all implement it.
 *
 * Rules every backend follows:
 * - Secret values go in (`updateSecrets`) and never come out: lists and versions carry secret
 *   names and types only.
 * - Failures are thrown as the typed errors exported here (NotFoundError, ConflictError, ...),
 *   so that commands can give the documented exit codes.
 * - Lists are newest first.
 *
 * Versioning: BACKEND_API_VERSION changes only when an existing member changes meaning or a
 * required member is added. Optional members may be added in minor releases.
 */

export {
  MycliError,
  OperationError,
  UsageError,
  NotFoundError,
  AuthError,
  ConflictError,
  GradualRolloutError,
  SecretsChangedError,
  ExitCode,
} from '../errors.js';

export const BACKEND_API_VERSION = 1;

/** The Worker a command acts on, resolved from the config, `--env` and `--name`. */
export interface Target {
  /** The Worker (script) name, already resolved for the environment. */
  worker: string;
  /** The environment given with `--env`, if any. */
  env?: string;
  /** Absolute path of the config file, when one was found. */
  configPath?: string;
  /** Absolute directory of the project: the config file's folder, else the working directory. */
  projectDir: string;
  /** Account id from the config (`account_id`), for backends that have accounts. */
  accountId?: string;
  /**
   * true when the Worker is the one the config declares (not a `--name` given by hand). A
   * backend that creates Workers on their first change may treat a declared Worker that it has
   * not seen yet as existing and empty on reads; an undeclared unknown Worker is not found.
   */
  declared?: boolean;
}

/** What a backend can do. Commands that need a capability the backend lacks fail with exit 2. */
export interface Capabilities {
  /** list / put / delete / bulk secrets. */
  secrets: boolean;
  /** versions: list, view, upload. */
  versions: boolean;
  /** deployments that split traffic between two versions. */
  gradualDeployments: boolean;
  /** deploying an older version again (rollback). */
  rollback: boolean;
  /** secret changes that make a new version without deploying it (`versions secret ...`). */
  versionedSecrets: boolean;
  /** the account-level Secrets Store (`Backend.secretsStore`). Optional: absent means false. */
  secretsStore?: boolean;
  /**
   * per-version traffic health (`Backend.queryHealth`): invocations, failures and latency of
   * each version in a time window, what `versions rollout`'s analysis gates judge. Optional.
   */
  health?: boolean;
  /**
   * `deploy` honours `DeployInput.expectLive` itself: best as part of its commit (a compare-and-set
   * on the live deployment, as `local` does); a backend whose API has no conditional write reads
   * the live deployment immediately before its write and again after it, and reports a
   * deployment that slipped in between (as `cloudflare` does). Optional: absent means false, and
   * for a plugin mycli reads the live deployment itself just before calling `deploy`.
   */
  expectLive?: boolean;
}

export type CapabilityName = keyof Capabilities;

/**
 * What a backend accepts, checked by mycli before any write or request (src/backends/limits.ts).
 * Optional for plugins: a missing member gets Cloudflare's value (`CLOUDFLARE_LIMITS`).
 */
export interface Limits {
  /** Bytes (UTF-8) per secret value. Cloudflare: 5,120. Input is read up to this and no further. */
  secretValueBytes?: number;
  /** vars + secrets per Worker. Cloudflare: 128. */
  bindingsPerWorker?: number;
}

/** Paging of lists (newest first). A backend may ignore it and return everything. */
/** One page of `Backend.listWorkers`: Worker names, and where the next page starts (absent: none). */
export interface WorkerPage {
  workers: string[];
  cursor?: string;
}

export interface ListOptions {
  /** At most this many items (the newest). A backend may return more: callers cut the list. */
  limit?: number;
  /**
   * listVersions only: the versions with this number (a version named by number). A hint: a
   * backend that can find it without reading the whole history (local: an index) returns only the
   * matches; one that cannot may ignore it and return them all, and callers filter.
   */
  number?: number;
  /** listVersions only: the versions whose id starts with this (lower case); a hint, as `number`. Given both, a version matching either. */
  idPrefix?: string;
}

export interface PlainTextBinding {
  type: 'plain_text';
  name: string;
  text: string;
}
export interface JsonBinding {
  type: 'json';
  name: string;
  json: unknown;
}
/** A secret binding as seen from outside the backend: the name only, never the value. */
export interface SecretTextBinding {
  type: 'secret_text';
  name: string;
}
/** Any other binding (KV, D1, ...), carried as the backend describes it. */
export interface OtherBinding {
  type: string;
  name: string;
  [key: string]: unknown;
}
export type Binding = PlainTextBinding | JsonBinding | SecretTextBinding | OtherBinding;

export interface SecretInfo {
  name: string;
  type: 'secret_text';
}

export interface Version {
  id: string;
  /** 1, 2, 3, ... in order of creation. */
  number: number;
  /** ISO 8601 time. */
  createdOn: string;
  author?: string;
  /** What made the version: 'secret', 'upload', 'rollback', 'api', ... */
  source?: string;
  message?: string;
  tag?: string;
  /** Identity of the main module (sha256 hex of its content). */
  scriptHash?: string;
  bindings: Binding[];
}

export interface DeploymentVersion {
  versionId: string;
  /**
   * 0 <= percentage <= 100; the percentages of a deployment sum to 100. 0% is allowed only for
   * the second version of a deployment whose other version has 100%: that version serves only
   * requests carrying a version override (`Cloudflare-Workers-Version-Overrides`). Backends with
   * gradual deployments accept it (the conformance kit checks it).
   */
  percentage: number;
}

export interface Deployment {
  id: string;
  createdOn: string;
  author?: string;
  source?: string;
  message?: string;
  versions: DeploymentVersion[];
}

/** NAME -> new value, or null to delete NAME. */
export type SecretPatch = Record<string, string | null>;

export interface SecretChange {
  name: string;
  /**
   * 'set': stored, and whether the name existed before is not known (a backend that would need
   * another request to tell 'added' from 'updated' — the Cloudflare API — reports this).
   */
  action: 'added' | 'updated' | 'set' | 'deleted';
}

export interface UpdateSecretsOptions {
  /**
   * true: the change makes a new version from the latest one and deploys it at 100%; refused
   * with GradualRolloutError (10215) when the latest version is not the one fully deployed.
   * false: the change makes a new version and does not deploy it (`versions secret ...`).
   */
  deploy: boolean;
  message?: string;
}

export interface SecretChangeResult {
  changes: SecretChange[];
  /** The version the change made, for backends with versions. */
  version?: Version;
  /** The deployment the change made, when it deployed. */
  deployment?: Deployment;
  /** true when this change created the Worker in the backend. */
  workerCreated?: boolean;
}

export interface UploadInput {
  /** The main ES module. */
  mainModule?: { name: string; content: Uint8Array };
  /** plain_text / json bindings from `[vars]`; secrets are carried from the latest version. */
  bindings: Binding[];
  message?: string;
  tag?: string;
  /**
   * Secrets (NAME -> value) put into the uploaded version itself (`versions upload
   * --secrets-file`): they replace the latest version's secrets of the same names; the others
   * are carried unless `pruneSecrets`. Optional: absent, the latest version's secrets are carried
   * as they are. A backend that ignores it must not declare it supported: mycli checks the
   * version it gets back carries exactly the planned names.
   */
  secrets?: Record<string, string>;
  /** With `secrets`: the latest version's secrets not in `secrets` are left out. */
  pruneSecrets?: boolean;
}

export interface DeployInput {
  versions: DeploymentVersion[];
  message?: string;
  /**
   * Deploy even when an older version's secrets differ from the live version's. Without it,
   * such a deployment is refused with SecretsChangedError (10220) naming the secrets.
   */
  force?: boolean;
  /** 'rollback' when redeploying an older version as it was; recorded as the deployment's source. */
  kind?: 'deploy' | 'rollback';
  /**
   * Compare-and-set on the live deployment: deploy only if the live deployment (the first of
   * listDeployments) is still the one with this id — `null`: only if there is no deployment yet.
   * Otherwise throw ConflictError (exit 5) naming the deployment live now, and change nothing.
   * Absent: no condition. Commands pass the deployment they planned from (a rollout step, a
   * deploy or rollback after its confirmation), so that a deployment someone else made meanwhile
   * is never overridden. A backend that checks it as part of its commit declares
   * `capabilities.expectLive`.
   */
  expectLive?: string | null;
}

// ---- traffic health (capability `health`) ----------------------------------------------------

/** What `queryHealth` is asked: the Worker's versions and a time window. */
export interface HealthQuery {
  /** The versions to report on (a rollout asks for its new and its stable version together). */
  versionIds: string[];
  /** The window, in milliseconds since the epoch: from <= t < to. */
  from: number;
  to: number;
}

/** One version's traffic in the window. */
export interface VersionHealth {
  versionId: string;
  /** Invocations seen (events counted; when sampled, the sampled events, not an estimate). */
  invocations: number;
  /** Invocations whose outcome was not a success (exception, exceeded CPU or memory, canceled, ...). */
  failures: number;
  /** Wall-time 99th percentile of the invocations in ms; null when not known. */
  wallTimeP99Ms: number | null;
  /** CPU-time 99th percentile in ms; null when not known. */
  cpuTimeP99Ms: number | null;
  /** true when the numbers come from a sample of the invocations (head sampling). */
  sampled: boolean;
}

/**
 * Why a backend that has the capability could not measure: each counts as *inconclusive* for a
 * rollout, never as healthy. `message` names what is missing; `hint` what to enable.
 */
export interface HealthUnavailable {
  reason: 'observability_disabled' | 'permission' | 'no_data' | 'unavailable';
  message: string;
  hint?: string;
}

export interface HealthReport {
  /** One entry per asked version (a version with no traffic has invocations 0). */
  versions: VersionHealth[];
  /** Set when the numbers could not be read; `versions` is then empty or partial. */
  unavailable?: HealthUnavailable;
}

export interface Backend {
  /** Short name shown to users: 'local', 'cloudflare', the plugin's name. */
  readonly name: string;
  /**
   * The BACKEND_API_VERSION the backend was written for. Optional; when a plugin gives one that
   * this mycli does not implement, loading it fails with a clear error instead of misbehaving.
   */
  readonly apiVersion?: number;
  readonly capabilities: Capabilities;
  /** Limits of what it stores; optional (defaults: Cloudflare's). */
  readonly limits?: Limits;
  /** Where the data lives, for the "acting on" line: a folder, an account, a URL. */
  describe?(target: Target): string;

  listSecrets(target: Target): Promise<SecretInfo[]>;
  /** Apply all of `patch` as one change: all of it or nothing. */
  updateSecrets(target: Target, patch: SecretPatch, options: UpdateSecretsOptions): Promise<SecretChangeResult>;

  /** Newest first; with `options.limit`, a backend may return only that many (the newest). */
  listVersions?(target: Target, options?: ListOptions): Promise<Version[]>;
  /** Throws NotFoundError for an unknown id. */
  getVersion?(target: Target, versionId: string): Promise<Version>;
  uploadVersion?(target: Target, input: UploadInput): Promise<Version>;
  /** Newest first (the first is live); `options.limit` as for listVersions. */
  listDeployments?(target: Target, options?: ListOptions): Promise<Deployment[]>;
  deploy?(target: Target, input: DeployInput): Promise<Deployment>;

  /**
   * Names of the secrets whose presence or value differs between `versionId` and the newest
   * live version — what a rollback to it would change — without deploying anything. Optional:
   * without it, commands learn of such secrets only when `deploy` refuses (SecretsChangedError).
   */
  changedSecrets?(target: Target, versionId: string): Promise<string[]>;

  /**
   * Which of `values` (NAME -> value) would change the Worker's secrets: the names whose value
   * differs from the one stored in the latest version, and the names it does not hold. Answered
   * without revealing anything (the local store compares keyed digests inside the store); the
   * result is names only, never values. Optional: without it, `secret sync` shows the names
   * present on both sides as `set` (written again, not compared). `mycli secret sync` uses it.
   */
  differentSecrets?(target: Target, values: Record<string, string>): Promise<string[]>;

  /**
   * Make an empty Worker, for backends that never create Workers implicitly (the conformance
   * kit uses it for its throwaway Workers). Optional.
   */
  createWorker?(target: Target): Promise<void>;
  /** Remove a Worker and all its versions (the kit cleans up with it). Optional. */
  deleteWorker?(target: Target): Promise<void>;

  /**
   * The Workers the backend has, by name, a page at a time (the account or folder of `target`;
   * `target.worker` is ignored): give the previous page's `cursor` for the next; no `cursor`
   * means the last page. Optional; `secrets-store secret list` reads the latest version of each
   * to show every Worker that binds a secret (without it: only the Workers of the config).
   */
  listWorkers?(target: Target, options?: { cursor?: string }): Promise<WorkerPage>;

  /**
   * A hint that a change will follow (commands call it before reading the value): a backend may
   * start loading or connecting what writing needs. Optional; never required for correctness.
   */
  prepareWrite?(): void;

  /**
   * The account-level Secrets Store: stores, and secrets that many Workers bind with
   * `secrets_store_secret` bindings. Optional (backends written before it keep working); present
   * together with `capabilities.secretsStore: true`.
   */
  readonly secretsStore?: SecretsStoreApi;

  /**
   * Per-version traffic health of a Worker in a time window (capability `health`): one call per
   * measurement, covering every asked version. A missing permission, disabled telemetry or no
   * data yet is answered with `unavailable` (not thrown), so a rollout can hold on it.
   */
  queryHealth?(target: Target, query: HealthQuery): Promise<HealthReport>;

  /** Release connections, timers, locks. */
  close?(): Promise<void>;
}

// ---- the Secrets Store ----------------------------------------------------------------------

/** A Secrets Store of the account. */
export interface SecretsStoreInfo {
  id: string;
  name: string;
  /** ISO 8601 times. */
  created: string;
  modified: string;
}

/** A secret of a Secrets Store: metadata only, never the value. */
export interface SecretsStoreSecretInfo {
  id: string;
  storeId: string;
  name: string;
  /** Services that may use it: 'workers', 'ai_gateway', ... */
  scopes: string[];
  comment: string;
  status: 'active' | 'pending' | 'deleted';
  created: string;
  modified: string;
}

export interface SecretsStoreSecretInput {
  name: string;
  value: string;
  scopes: string[];
  comment?: string;
}

export interface SecretsStoreSecretPatch {
  /** Absent: the value is kept. */
  value?: string;
  scopes?: string[];
  comment?: string;
}

/**
 * Stores and secrets are addressed by id here (commands resolve names). Values go in and never
 * come out. Unknown ids throw NotFoundError; a name that exists already, ConflictError.
 */
export interface SecretsStoreApi {
  /**
   * The longest value, in bytes (UTF-8), the backend accepts (default: Cloudflare's 65,536).
   * Commands read input up to it and no further, and check it before any request.
   */
  readonly maxValueBytes: number;
  listStores(target: Target): Promise<SecretsStoreInfo[]>;
  createStore(target: Target, name: string): Promise<SecretsStoreInfo>;
  /** A store that still holds secrets is refused with ConflictError unless `force` (then its secrets go too). */
  deleteStore(target: Target, storeId: string, options?: { force?: boolean }): Promise<void>;
  listSecrets(target: Target, storeId: string): Promise<SecretsStoreSecretInfo[]>;
  getSecret(target: Target, storeId: string, secretId: string): Promise<SecretsStoreSecretInfo>;
  createSecret(target: Target, storeId: string, input: SecretsStoreSecretInput): Promise<SecretsStoreSecretInfo>;
  updateSecret(target: Target, storeId: string, secretId: string, patch: SecretsStoreSecretPatch): Promise<SecretsStoreSecretInfo>;
  deleteSecret(target: Target, storeId: string, secretId: string): Promise<void>;
  /** A new secret with the same value. */
  duplicateSecret(target: Target, storeId: string, secretId: string, input: { name: string; scopes: string[]; comment?: string }): Promise<SecretsStoreSecretInfo>;
}

/** What a plugin module's default export receives. */
export interface BackendFactoryContext {
  target: Target;
  /** `[mycli.options]` from the config. */
  options: Record<string, unknown>;
  /** Environment variables (read credentials from here, never from the config file). */
  env: Record<string, string | undefined>;
  /** Write a line to stderr (diagnostics only, never secret values). */
  log: (line: string) => void;
}

export type BackendFactory = (context: BackendFactoryContext) => Backend | Promise<Backend>;

/** For plugin authors: `export default defineBackend((ctx) => ({ ... }))` gives type checking. */
export function defineBackend(factory: BackendFactory): BackendFactory {
  return factory;
}
