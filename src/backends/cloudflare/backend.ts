/**
 * The `cloudflare` backend: the Backend interface over the Cloudflare API v4, sending what
 * wrangler sends (all under /accounts/{account_id}). The domain rules (10215, 10220, versions
 * made by secret changes) are the API's; this file maps shapes and picks the endpoints.
 */
import { CLOUDFLARE_LIMITS } from '../limits.js';
import { randomBytes } from 'node:crypto';
import { ConflictError, NotFoundError, OperationError, UsageError, isMycliError } from '../../errors.js';
import { writeAnnotations } from './annotations.js';
import { secretNotFound } from '../not-found.js';
import { assertLive } from '../live.js';
import type {
  Backend,
  Capabilities,
  Deployment,
  DeployInput,
  HealthQuery,
  HealthReport,
  ListOptions,
  SecretChange,
  SecretChangeResult,
  SecretInfo,
  SecretPatch,
  Target,
  UpdateSecretsOptions,
  UploadInput,
  Version,
  WorkerPage,
} from '../types.js';
import { sameSplit } from '../../domain/deployments.js';
import { newestFirst, newestVersion as newestByNumber } from '../../domain/versions.js';
import { CloudflareClient } from './client.js';
import { AmbiguousRequestError, type RetriedFlag } from './error-map.js';
import type { RequestOptions } from './request.js';
import { mapDeployment, mapVersion, parseShape } from './map.js';
export { mapDeployment, mapVersion } from './map.js';
import { CloudflareSecretsStore } from './secrets-store.js';
import { checkDeployment, checkDeploymentList, checkScriptList, checkSecrets, checkVersion, checkVersionItems, conforms } from './shapes.js';

export interface CloudflareBackendOptions {
  target: Target;
  env: Record<string, string | undefined>;
  debug?: (line: string) => void;
  log?: (line: string) => void;
}

// ---- API shapes: checked by hand in shapes.ts, mapped to the Backend's types in map.ts -------

/** A multipart/form-data body, built by hand: deterministic and without extra imports. */
export function multipart(parts: { name: string; filename?: string; contentType: string; data: Buffer | string }[]): { data: Buffer; contentType: string } {
  const boundary = `----mycli${randomBytes(12).toString('hex')}`;
  const chunks: Buffer[] = [];
  for (const p of parts) {
    const disposition = `form-data; name="${p.name.replace(/"/g, '%22')}"${p.filename !== undefined ? `; filename="${p.filename.replace(/"/g, '%22')}"` : ''}`;
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: ${disposition}\r\nContent-Type: ${p.contentType}\r\n\r\n`, 'utf8'));
    chunks.push(typeof p.data === 'string' ? Buffer.from(p.data, 'utf8') : p.data);
    chunks.push(Buffer.from('\r\n', 'utf8'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`, 'utf8'));
  return { data: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}

const CAPABILITIES: Capabilities = {
  secrets: true,
  versions: true,
  gradualDeployments: true,
  rollback: true,
  versionedSecrets: true,
  secretsStore: true,
  health: true,
  // deploy checks DeployInput.expectLive itself, just before and after its POST (see deploy).
  expectLive: true,
};

export class CloudflareBackend implements Backend {
  readonly name = 'cloudflare';
  readonly capabilities: Capabilities = { ...CAPABILITIES };
  /** Cloudflare's limits, checked before any request (src/backends/limits.ts). */
  readonly limits = { ...CLOUDFLARE_LIMITS };
  readonly client: CloudflareClient;
  private readonly configuredAccount?: string;
  private readonly byToken: boolean;
  /** Deployment ids seen per Worker, to recognise a deployment made by an ambiguous POST. */
  private readonly knownDeployments = new Map<string, Set<string>>();

  constructor(options: CloudflareBackendOptions) {
    this.client = new CloudflareClient({ env: options.env, debug: options.debug });
    this.configuredAccount = options.target.accountId;
    this.byToken = Boolean(options.env.CLOUDFLARE_API_TOKEN?.trim());
    this.secretsStore = new CloudflareSecretsStore(this.client, this.configuredAccount);
  }

  /** /accounts/{id}/secrets_store (secrets-store.ts). */
  readonly secretsStore: CloudflareSecretsStore;

  describe(target: Target): string {
    const account = this.client.knownAccount(target.accountId ?? this.configuredAccount);
    return `${this.client.host}${account ? `, account ${account}` : ''}`;
  }

  // ---- paths ---------------------------------------------------------------------------------

  private async script(target: Target): Promise<string> {
    const account = await this.client.account(target.accountId ?? this.configuredAccount);
    return `/accounts/${encodeURIComponent(account)}/workers/scripts/${encodeURIComponent(target.worker)}`;
  }

  private async call<T>(target: Target, o: Omit<RequestOptions, 'path'> & { sub: string; versionsLatest?: boolean }, about?: RequestOptions['about']) {
    let path: string;
    if (o.versionsLatest) {
      const account = await this.client.account(target.accountId ?? this.configuredAccount);
      path = `/accounts/${encodeURIComponent(account)}/workers/workers/${encodeURIComponent(target.worker)}${o.sub}`;
    } else {
      path = (await this.script(target)) + o.sub;
    }
    const { sub: _s, versionsLatest: _v, ...rest } = o;
    return this.client.request<T>({ ...rest, path, about: { worker: target.worker, ...about } });
  }

  // ---- reads ---------------------------------------------------------------------------------

  async listSecrets(target: Target): Promise<SecretInfo[]> {
    const res = await this.call<unknown>(target, { method: 'GET', sub: '/secrets' });
    const list = parseShape(checkSecrets, res.result ?? [], 'the secret list');
    const names = list
      .filter((s) => s.type === 'secret_text' || s.type === 'secret_key')
      .map((s) => ({ name: s.name, type: 'secret_text' as const }))
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    this.listed.set(target.worker, new Set(names.map((s) => s.name)));
    return names;
  }

  /** The names of the last secret list of each Worker in this run, until the next write (no request twice). */
  private readonly listed = new Map<string, Set<string>>();

  async listVersions(target: Target): Promise<Version[]> {
    const path = (await this.script(target)) + '/versions';
    const items = await this.client.paginate(
      { method: 'GET', path, query: { deployable: true }, about: { worker: target.worker } },
      (r) => parseShape(checkVersionItems, r ?? {}, 'the version list'),
      (v) => v.id,
    );
    return newestFirst(items.map(mapVersion));
  }

  /** GET /workers/scripts: every Worker of the account (one list; pages followed when result_info has them). */
  async listWorkers(target: Target): Promise<WorkerPage> {
    const account = await this.client.account(target.accountId ?? this.configuredAccount);
    const names = await this.client.paginate(
      { method: 'GET', path: `/accounts/${encodeURIComponent(account)}/workers/scripts` },
      (r) => parseShape(checkScriptList, r ?? [], 'the Worker list'),
      (name) => name,
    );
    return { workers: names.sort() };
  }

  async getVersion(target: Target, versionId: string): Promise<Version> {
    const res = await this.call<unknown>(target, { method: 'GET', sub: `/versions/${encodeURIComponent(versionId)}` }, { version: versionId });
    return mapVersion(parseShape(checkVersion, res.result, `version ${versionId}`));
  }

  async listDeployments(target: Target, options: ListOptions = {}): Promise<Deployment[]> {
    const res = await this.call<unknown>(target, { method: 'GET', sub: '/deployments' });
    const list = parseShape(checkDeploymentList, res.result ?? {}, 'the deployment list');
    this.remember(target, list.map((d) => d.id));
    // One request returns the list (newest first); `limit` cuts it.
    return list.slice(0, options.limit ?? list.length).map(mapDeployment);
  }

  private remember(target: Target, ids: string[]): void {
    const set = this.knownDeployments.get(target.worker) ?? new Set<string>();
    for (const id of ids) set.add(id);
    this.knownDeployments.set(target.worker, set);
  }

  // ---- changes -------------------------------------------------------------------------------

  async updateSecrets(target: Target, patch: SecretPatch, options: UpdateSecretsOptions): Promise<SecretChangeResult> {
    const names = Object.keys(patch);
    try {
      return await this.updateSecretsOnce(target, patch, options, names);
    } finally {
      this.listed.delete(target.worker);
    }
  }

  private async updateSecretsOnce(target: Target, patch: SecretPatch, options: UpdateSecretsOptions, names: string[]): Promise<SecretChangeResult> {
    // The patch's shape and names were checked at the edge (backends/edge.ts).
    for (const name of names) this.client.addRedaction(patch[name]);
    return options.deploy ? this.updateDeployed(target, patch, names) : this.updateVersioned(target, patch, names, options.message);
  }

  /** 'added' / 'updated' when this run already listed the secrets (free), else 'set'. */
  private changesOf(target: Target, patch: SecretPatch, names: string[]): SecretChange[] {
    const known = this.listed.get(target.worker);
    return names.map((name) => ({
      name,
      action: patch[name] === null ? ('deleted' as const) : known ? (known.has(name) ? ('updated' as const) : ('added' as const)) : ('set' as const),
    }));
  }

  /**
   * The newest version (id and number, no bindings) in one request: what a write just made.
   * Another change landing between the write and this read would be reported instead; the
   * API does not say which version a secret write made, and wrangler does not ask.
   */
  private async newestVersion(target: Target): Promise<Version | undefined> {
    const res = await this.call<unknown>(target, { method: 'GET', sub: '/versions', query: { per_page: 1 } });
    const items = parseShape(checkVersionItems, res.result ?? {}, 'the version list');
    return newestByNumber(items.map(mapVersion));
  }

  /**
   * secret put/delete/bulk: one write, in wrangler's order and shape (PUT .../secrets, DELETE
   * .../secrets/{name}, PATCH .../secrets-bulk), then one read for the version it made. The API
   * makes the version and deploys it at 100%, and is the authority on 10215 (a secret change
   * during a gradual rollout is refused by the API, not guessed here). Whether a put added or
   * replaced a secret would cost another request: it is reported as "set".
   */
  private async updateDeployed(target: Target, patch: SecretPatch, names: string[]): Promise<SecretChangeResult> {
    if (names.length === 1) {
      const [name] = names;
      const value = patch[name];
      if (value === null) {
        try {
          await this.call(target, { method: 'DELETE', sub: `/secrets/${encodeURIComponent(name)}`, query: { url_encoded: true } });
        } catch (e) {
          if (!(e instanceof NotFoundError) || e.apiCode === 10007) throw e;
          // A retried DELETE whose first attempt went through finds nothing left to delete.
          if (!(e as RetriedFlag).retried) throw secretNotFound(target, name, e);
        }
      } else {
        await this.call(target, { method: 'PUT', sub: '/secrets', json: { name, text: value, type: 'secret_text' } });
      }
    } else {
      const secrets: Record<string, { name: string; text: string; type: 'secret_text' } | null> = {};
      for (const name of names) {
        const value = patch[name];
        secrets[name] = value === null ? null : { name, text: value, type: 'secret_text' };
      }
      await this.call(target, { method: 'PATCH', sub: '/secrets-bulk', json: { secrets }, contentType: 'application/merge-patch+json' });
    }
    const changes = this.changesOf(target, patch, names);
    const version = await this.newestVersion(target).catch((e) => {
      this.client.debug(`the change was made; reading its version failed: ${(e as Error).message}`);
      return undefined;
    });
    // The API deployed it at 100%; the deployment's own id would cost another request.
    const deployment: Deployment | undefined = version ? { id: '', createdOn: version.createdOn, versions: [{ versionId: version.id, percentage: 100 }] } : undefined;
    return { changes, version, deployment };
  }

  /**
   * versions secret put/delete/bulk: one PATCH of the latest version (merge-patch), which
   * answers with the version it made. A single delete first checks the name exists (GET
   * .../secrets), so that deleting a missing secret is "not found", not a silent no-op.
   */
  private async updateVersioned(target: Target, patch: SecretPatch, names: string[], message?: string): Promise<SecretChangeResult> {
    if (names.length === 1 && patch[names[0]] === null) {
      const existing = this.listed.get(target.worker) ?? new Set((await this.listSecrets(target)).map((s) => s.name));
      if (!existing.has(names[0])) throw secretNotFound(target, names[0]);
    }
    const env: Record<string, { name: string; text: string; type: 'secret_text' } | null> = {};
    for (const name of names) {
      const value = patch[name];
      env[name] = value === null ? null : { name, text: value, type: 'secret_text' };
    }
    const body: Record<string, unknown> = { env };
    if (message) body.annotations = writeAnnotations({ message });
    const res = await this.call<unknown>(target, {
      method: 'PATCH',
      sub: '/versions/latest',
      versionsLatest: true,
      json: body,
      contentType: 'application/merge-patch+json',
    });
    const changes = this.changesOf(target, patch, names);
    const made = conforms(checkVersion, res.result);
    let version: Version | undefined;
    if (made.ok && made.value.number) version = mapVersion(made.value);
    else version = await this.newestVersion(target).catch(() => undefined);
    return { changes, version };
  }

  async uploadVersion(target: Target, input: UploadInput): Promise<Version> {
    if (!input.mainModule) {
      throw new UsageError('the cloudflare backend needs the main module to upload a version', { hint: 'set main = "..." in the config' });
    }
    const bindings: Record<string, unknown>[] = [];
    // Binding and secret names were checked at the edge (backends/edge.ts).
    for (const b of input.bindings) {
      if (b.type === 'plain_text') bindings.push({ type: 'plain_text', name: b.name, text: (b as { text: string }).text });
      else if (b.type === 'json') bindings.push({ type: 'json', name: b.name, json: (b as { json: unknown }).json });
      else if (b.type === 'secret_text') continue; // secrets are kept from the latest version
      else bindings.push({ ...b });
    }
    // A secrets file goes in the upload's own metadata (one request, no extra version): the
    // given secrets replace those of the same name; the others are kept unless pruneSecrets.
    for (const [name, text] of Object.entries(input.secrets ?? {})) {
      this.client.addRedaction(text);
      bindings.push({ type: 'secret_text', name, text });
    }
    const annotations = writeAnnotations({ message: input.message || undefined, tag: input.tag || undefined });
    const moduleName = input.mainModule.name;
    const metadata = {
      main_module: moduleName,
      bindings,
      keep_bindings: input.secrets && input.pruneSecrets ? ['secret_key'] : ['secret_text', 'secret_key'],
      annotations,
    };
    const body = multipart([
      { name: 'metadata', contentType: 'application/json', data: JSON.stringify(metadata) },
      { name: moduleName, filename: moduleName, contentType: 'application/javascript+module', data: Buffer.from(input.mainModule.content) },
    ]);
    let res;
    try {
      res = await this.call<unknown>(target, { method: 'POST', sub: '/versions', raw: body });
    } catch (e) {
      if (e instanceof AmbiguousRequestError) {
        throw new OperationError(`${e.message}; the upload may or may not have made a version`, {
          hint: 'check with `mycli versions list` before uploading again',
          cause: e,
        });
      }
      throw e;
    }
    const v = mapVersion(parseShape(checkVersion, res.result, 'the uploaded version'));
    if (!v.number || !v.createdOn) return this.getVersion(target, v.id).catch(() => v);
    return v;
  }

  async deploy(target: Target, input: DeployInput): Promise<Deployment> {
    // The split was checked at the edge (backends/edge.ts).
    // Know the deployments that exist before the POST, to recognise ours if its answer is lost.
    if (!this.knownDeployments.has(target.worker)) await this.listDeployments(target);
    const before = new Set(this.knownDeployments.get(target.worker) ?? []);
    const body: Record<string, unknown> = {
      strategy: 'percentage',
      versions: input.versions.map((v) => ({ version_id: v.versionId, percentage: v.percentage })),
    };
    if (input.message) body.annotations = writeAnnotations({ message: input.message });
    // expectLive: the API has no conditional deployment, so the live one is read immediately
    // before the POST, and again after it. A deployment made by someone else between that read
    // and the POST (a window of one request) cannot be prevented: it is detected after the POST
    // and reported (exit 5) instead of claimed as a clean success.
    if (input.expectLive !== undefined) await assertLive((t) => this.listDeployments(t), target, input.expectLive);
    try {
      const res = await this.call<unknown>(target, {
        method: 'POST',
        sub: '/deployments',
        query: input.force ? { force: true } : undefined,
        json: body,
      });
      const d = parseShape(checkDeployment, res.result, 'the new deployment');
      this.remember(target, [d.id]);
      const made = mapDeployment(d);
      if (input.expectLive !== undefined) await this.checkNoneBetween(target, input.expectLive, made);
      return made;
    } catch (e) {
      if (!(e instanceof AmbiguousRequestError)) throw e;
      return this.reconcileDeployment(target, input, before, e);
    }
  }

  /** After a deployment made with expectLive: the one it replaced must be the expected one. */
  private async checkNoneBetween(target: Target, expected: string | null, made: Deployment): Promise<void> {
    const list = await this.listDeployments(target);
    const at = list.findIndex((d) => d.id === made.id);
    if (at < 0) return; // already replaced by a newer one: not ours to judge
    const replaced = list[at + 1];
    if ((replaced?.id ?? null) === expected) return;
    throw new ConflictError(
      `deployment ${made.id} was made, but deployment ${replaced?.id ?? '(none)'} was made by someone else between mycli's check of the live deployment and its own, and is overridden by it (the Cloudflare API has no conditional deployment)`,
      { hint: 'see `mycli deployments list` and deploy again what should serve' },
    );
  }

  /**
   * The deployment POST failed after it was sent: never send it again blindly. Read the
   * deployments back; one that was not there before, with exactly the requested split, is ours.
   */
  private async reconcileDeployment(target: Target, input: DeployInput, before: Set<string>, cause: AmbiguousRequestError): Promise<Deployment> {
    this.client.debug(`deployment request failed ambiguously (${cause.message}); reading the deployments back`);
    let after: Deployment[];
    try {
      after = await this.listDeployments(target);
    } catch (e) {
      throw new OperationError(`${cause.message}; it is not known whether the deployment was made (reading the deployments back failed too)`, {
        hint: 'check with `mycli deployments status` before deploying again',
        cause: isMycliError(e) ? e : cause,
      });
    }
    const ours = after.find((d) => !before.has(d.id) && sameSplit(d.versions, input.versions));
    if (ours) {
      this.client.debug(`the deployment was made: ${ours.id}`);
      return ours;
    }
    throw new OperationError(`${cause.message}; no new deployment with the requested versions appeared, so it was most likely not made`, {
      hint: 'check with `mycli deployments status`, then deploy again',
      cause,
    });
  }

  /**
   * An empty Worker, as wrangler makes a draft one: PUT the script with a placeholder module.
   * Used by the conformance kit for its throwaway Workers; commands never create Workers.
   */
  /** Workers Observability's telemetry query, one request per measurement (health.ts, loaded when used). */
  async queryHealth(target: Target, query: HealthQuery): Promise<HealthReport> {
    const account = await this.client.account(target.accountId ?? this.configuredAccount);
    const { queryHealth } = await import('./health.js');
    return queryHealth(this.client, account, target.worker, query);
  }

  async createWorker(target: Target): Promise<void> {
    const moduleName = 'index.js';
    const metadata = { main_module: moduleName, bindings: [], compatibility_date: '2025-01-01' };
    const body = multipart([
      { name: 'metadata', contentType: 'application/json', data: JSON.stringify(metadata) },
      { name: moduleName, filename: moduleName, contentType: 'application/javascript+module', data: 'export default { fetch() { return new Response(null, { status: 404 }); } };\n' },
    ]);
    await this.call<unknown>(target, { method: 'PUT', sub: '', raw: body });
  }

  /** Remove a Worker with its versions and deployments (DELETE the script, forced). */
  async deleteWorker(target: Target): Promise<void> {
    await this.call<unknown>(target, { method: 'DELETE', sub: '', query: { force: 'true' } });
    this.knownDeployments.delete(target.worker);
  }

  /**
   * `mycli whoami`: whether the credentials work and what they see. A token is verified with
   * GET /user/tokens/verify (a user token) or, when that refuses it, /accounts/{id}/tokens/verify
   * (an account token); the accounts come from GET /accounts (needs Account Settings Read).
   * Legacy key + email have no verify route: listing the accounts is the test.
   */
  async whoami(target: Target): Promise<CloudflareIdentity> {
    const byToken = this.byToken;
    let token: CloudflareIdentity['token'];
    if (byToken) {
      const verify = async (path: string, scope: 'user' | 'account') => {
        const r = await this.client.request<{ id?: string; status?: string; expires_on?: string }>({ method: 'GET', path });
        return { scope, id: r.result?.id, status: r.result?.status ?? 'unknown', expiresOn: r.result?.expires_on };
      };
      try {
        token = await verify('/user/tokens/verify', 'user');
      } catch (e) {
        const account = this.client.knownAccount(target.accountId ?? this.configuredAccount);
        if (!account) throw e;
        token = await verify(`/accounts/${encodeURIComponent(account)}/tokens/verify`, 'account');
      }
    }
    let accounts: { id: string; name?: string }[] | undefined;
    let accountsError: string | undefined;
    try {
      const listed = await this.client.paginate<{ id?: unknown; name?: unknown }>(
        { method: 'GET', path: '/accounts', query: { per_page: 50 } },
        (r) => (Array.isArray(r) ? (r as { id?: unknown; name?: unknown }[]) : []).filter((a) => typeof a?.id === 'string'),
        (a) => String(a.id),
      );
      accounts = listed.map((a) => ({ id: String(a.id), ...(typeof a.name === 'string' ? { name: a.name } : {}) }));
    } catch (e) {
      if (!byToken) throw e;
      accountsError = e instanceof Error ? e.message : String(e);
    }
    return { host: this.client.host, auth: byToken ? 'token' : 'key', token, accounts, accountsError, account: this.client.knownAccount(target.accountId ?? this.configuredAccount) };
  }

  async close(): Promise<void> {
    await this.client.close();
  }
}

/** What `mycli whoami` shows for the cloudflare backend. */
export interface CloudflareIdentity {
  host: string;
  auth: 'token' | 'key';
  token?: { scope: 'user' | 'account'; id?: string; status: string; expiresOn?: string };
  accounts?: { id: string; name?: string }[];
  /** Why the accounts could not be listed (the token lacks Account Settings Read). */
  accountsError?: string;
  /** The account commands use, when known without asking. */
  account?: string;
}

export function createCloudflareBackend(options: CloudflareBackendOptions): CloudflareBackend {
  return new CloudflareBackend(options);
}
