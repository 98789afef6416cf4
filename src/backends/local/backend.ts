/**
 * The embedded `local` backend: the domain rules (ARCHITECTURE.md) over LocalStore (store.ts), a
 * log-structured store whose writes touch only the change. Reads go through the head and read
 * only the records they show. The store is opened in one place (`open`: older files upgraded
 * there, once) and every write starts in one (`startChange`: store, key, key check, commit). One
 * class for every Backend member: the record conversions live in records.ts, the serve extension
 * in serve-extension.ts, the Secrets Store (over the same store) in secrets-store.ts.
 */
import { createHash } from 'node:crypto';
import { existsSync, lstatSync } from 'node:fs';
import { userInfo } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { AuthError, OperationError, SecretsChangedError, UsageError } from '../../errors.js';
import type {
  Backend,
  Capabilities,
  Deployment,
  DeployInput,
  Limits,
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
import { liveChanged } from '../live.js';
import { isRollback } from '../../domain/deployments.js';
import { newestVersion } from '../../domain/versions.js';
import { assertBindingCount, CLOUDFLARE_LIMITS } from '../limits.js';
import { blobName, openBlob, sealBlob } from './crypto.js';
import { keyFilePath, loadKey, type LoadedKey } from './key.js';
import { LocalSecretsStore, type SecretsStoreHost } from './secrets-store.js';
import { LocalStore, type ChangeOptions } from './store.js';
import { LEGACY_SECRETS_STORE, ownWorker, type DeploymentRecord, type Head, type HeadStore, type HeadWorker, type StoredBinding, type VersionRecord } from './format.js';
import type { Tx } from './tx.js';
import {
  assertLatestFullyDeployed,
  newDeployment,
  publicDeployment,
  publicVersion,
  secretDifferences,
  secretNotFound,
  versionNotFound,
  workerNotFound,
} from './records.js';

export interface LocalBackendOptions {
  env: Record<string, string | undefined>;
  /** Called once when a change creates the Worker or the key file. */
  notice?: (line: string) => void;
  /**
   * Never write (for callers that only look, e.g. shell completion): no upgrade on open, every
   * change refused. A Secrets Store still in its format-1 file is read from it as it is; a
   * format-1 Worker store (state.json) is refused, named (docs/STORE.md, "Upgrades").
   */
  readOnly?: boolean;
}

/** What a change is given (LocalBackend.startChange): the change, the opened store and its key. */
export interface ChangeContext {
  tx: Tx;
  store: LocalStore;
  key: Buffer;
}

export function stateDirFor(target: Target, env: Record<string, string | undefined>): string {
  const override = env.MYCLI_STATE_DIR;
  if (override) return isAbsolute(override) ? override : resolve(target.projectDir, override);
  return join(target.projectDir, '.mycli');
}

/** Workers per page of listWorkers. */
const WORKER_PAGE = 100;

export class LocalBackend implements Backend {
  readonly name = 'local';
  readonly capabilities: Capabilities = {
    secrets: true,
    versions: true,
    gradualDeployments: true,
    rollback: true,
    versionedSecrets: true,
    secretsStore: true,
    // deploy checks DeployInput.expectLive inside the fenced commit.
    expectLive: true,
  };
  /** Cloudflare's: 5,120 bytes per secret value, 128 vars + secrets per Worker. */
  readonly limits: Required<Limits> = { ...CLOUDFLARE_LIMITS };
  /** Account-wide stores shared by every Worker of the state folder (secrets-store.ts). */
  readonly secretsStore: LocalSecretsStore;
  protected readonly env: Record<string, string | undefined>;
  private readonly notice: (line: string) => void;
  private readonly readOnly: boolean;
  private key?: Buffer;
  private readonly stores = new Map<string, LocalStore>();
  /** Per state folder: its opening (the upgrades of older files), done once per process. */
  private readonly opened = new Map<string, Promise<LocalStore>>();
  private readonly openedStores = new Map<string, Promise<LocalStore>>();

  constructor(options: LocalBackendOptions) {
    this.env = options.env;
    this.notice = options.notice ?? (() => undefined);
    this.readOnly = options.readOnly ?? false;
    this.secretsStore = new LocalSecretsStore(this.secretsStoreHost());
  }

  /** A change is coming: start loading what writing needs (see LocalStore.prepareWrite). */
  prepareWrite(): void {
    LocalStore.prepareWrite();
  }

  describe(target: Target): string {
    return stateDirFor(target, this.env);
  }

  /** The store of the target's state folder, as it is on disk (not opened: see `open`). */
  store(target: Target): LocalStore {
    const dir = stateDirFor(target, this.env);
    let store = this.stores.get(dir);
    if (!store) {
      store = new LocalStore(dir, { env: this.env });
      this.stores.set(dir, store);
    }
    return store;
  }

  /**
   * The store, opened: a format-1 Worker store (state.json) is upgraded here, once, before
   * anything reads it (read-only commands too: docs/STORE.md, "Upgrades"), never by a read.
   */
  open(target: Target): Promise<LocalStore> {
    const store = this.store(target);
    let opening = this.opened.get(store.dir);
    if (!opening) {
      opening = (async () => {
        if (!this.readOnly && existsSync(store.legacyFile)) {
          const { upgradeFormat1 } = await import('./migrate.js');
          await upgradeFormat1(store, () => this.requireKey(store.dir), this.env);
        }
        return store;
      })();
      opening.catch(() => this.opened.delete(store.dir));
      this.opened.set(store.dir, opening);
    }
    return opening;
  }

  /** The store opened for the Secrets Store: its format-1 file (secrets-store.json) is moved into the log here, once. */
  private openSecretsStore(target: Target): Promise<LocalStore> {
    const dir = stateDirFor(target, this.env);
    let opening = this.openedStores.get(dir);
    if (!opening) {
      opening = (async () => {
        const store = await this.open(target);
        // lstat, not exists: a symbolic link to nothing is named by the upgrade, never passed over.
        if (!this.readOnly && lstatSync(join(dir, LEGACY_SECRETS_STORE), { throwIfNoEntry: false })) {
          const { upgradeSecretsStore } = await import('./migrate.js');
          await upgradeSecretsStore(store, () => this.requireKey(dir), this.env);
        }
        return store;
      })();
      opening.catch(() => this.openedStores.delete(dir));
      this.openedStores.set(dir, opening);
    }
    return opening;
  }

  private secretsStoreHost(): SecretsStoreHost {
    return {
      readStores: async (target) => {
        const store = await this.openSecretsStore(target);
        const head = await store.readHead();
        if (!head.stores && this.readOnly) {
          // Read-only, not upgraded: the format-1 file is read as it is, nothing written.
          const { readLegacySecretsStore } = await import('./migrate.js');
          const legacy = await readLegacySecretsStore(store.dir);
          if (legacy) {
            const stores: Record<string, HeadStore> = {};
            for (const s of legacy.stores) stores[s.id] = { name: s.name, created: s.created, modified: s.modified, secrets: s.secrets.length };
            return {
              stores,
              secrets: async (id) => (legacy.stores.find((s) => s.id === id)?.secrets ?? []).map(({ sealed: _s, ...x }) => ({ ...x, blob: '' })),
            };
          }
        }
        const stores = head.stores ?? {};
        return {
          stores,
          secrets: async (id) => {
            const record = stores[id]?.record;
            return record ? (await store.secretsRecord(record, `Secrets Store store "${stores[id].name}"`)).secrets : [];
          },
        };
      },
      changeStores: (target, plan) => this.startChange(target, plan, {}, () => this.openSecretsStore(target)),
    };
  }

  // ---- reads -------------------------------------------------------------------------------

  protected async readWorker(target: Target): Promise<{ store: LocalStore; head: Head; worker?: HeadWorker }> {
    const store = await this.open(target);
    const head = await store.readHead();
    const worker = ownWorker(head, target.worker);
    if (!worker && !target.declared) throw workerNotFound(target);
    return { store, head, worker };
  }

  async listSecrets(target: Target): Promise<SecretInfo[]> {
    const { store, worker } = await this.readWorker(target);
    const latest = await this.latestOf(store, target, worker);
    if (latest) await store.assertBlobs(latest);
    return (latest?.bindings ?? [])
      .filter((b) => b.type === 'secret_text')
      .map((b) => ({ name: b.name, type: 'secret_text' as const }))
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  /** Every Worker of the store, sorted, WORKER_PAGE at a time; the cursor is the last name given. */
  async listWorkers(target: Target, options: { cursor?: string } = {}): Promise<WorkerPage> {
    const names = Object.keys((await (await this.open(target)).readHead()).workers).sort();
    const from = options.cursor === undefined ? 0 : names.findIndex((n) => n > options.cursor!);
    const workers = from < 0 ? [] : names.slice(from, from + WORKER_PAGE);
    return { workers, ...(from >= 0 && from + WORKER_PAGE < names.length ? { cursor: workers.at(-1) } : {}) };
  }

  async listVersions(target: Target, options: ListOptions = {}): Promise<Version[]> {
    const { store, head, worker } = await this.readWorker(target);
    if (options.number !== undefined || options.idPrefix !== undefined) {
      // A version named by number or id prefix: the index and one listing, never the whole history.
      const found = new Map<string, VersionRecord>();
      const byNumber = options.number !== undefined ? await store.versionByNumber(head, target.worker, options.number) : undefined;
      if (byNumber) found.set(byNumber.id, byNumber);
      if (options.idPrefix) for (const v of await store.versionsByPrefix(head, target.worker, options.idPrefix.toLowerCase())) found.set(v.id, v);
      return [...found.values()].sort((a, b) => b.number - a.number).slice(0, options.limit ?? Infinity).map(publicVersion);
    }
    return (await store.versionChain(worker?.latest, options.limit ?? Infinity, `Worker "${target.worker}"`)).map(publicVersion);
  }

  async getVersion(target: Target, versionId: string): Promise<Version> {
    const { store, head } = await this.readWorker(target);
    const v = await store.committedVersion(head, target.worker, versionId);
    if (!v) throw versionNotFound(target, versionId);
    await store.assertBlobs(v);
    return publicVersion(v);
  }

  async listDeployments(target: Target, options: ListOptions = {}): Promise<Deployment[]> {
    const { store, worker } = await this.readWorker(target);
    const chain = await store.deploymentChain(worker?.live, options.limit ?? Infinity, `Worker "${target.worker}"`);
    // The live deployment must name versions that exist: otherwise the store is damaged.
    for (const dv of chain[0]?.versions ?? []) await store.namedVersion(dv.versionId, `the live deployment ${chain[0].id}`);
    return chain.map(publicDeployment);
  }

  // ---- changes -----------------------------------------------------------------------------

  async updateSecrets(target: Target, patch: SecretPatch, options: UpdateSecretsOptions): Promise<SecretChangeResult> {
    // The patch's shape, names and value sizes were checked at the edge (backends/edge.ts).
    const names = Object.keys(patch);
    // A change that only deletes, on a Worker or secret that is not there, fails before anything
    // (a store folder, a key file) is created. The same check runs again at the commit.
    if (names.every((n) => patch[n] === null)) {
      const existing = new Set((await this.listSecrets({ ...target, declared: true })).map((s) => s.name));
      const missing = names.find((n) => !existing.has(n));
      if (missing) throw secretNotFound(target, missing);
    }
    // A secret change does not depend on what it read: applied again to a newer head, if need be.
    return this.startChange(target, async ({ tx, store, key }) => {
      const { worker, created, latest } = await this.changeBase(tx, store, target);
      if (options.deploy && latest) await assertLatestFullyDeployed(store, target, worker, latest);

      const bindings = new Map<string, StoredBinding>();
      for (const b of latest?.bindings ?? []) bindings.set(b.name, b);
      const changes: SecretChange[] = [];
      for (const name of names) {
        const existing = bindings.get(name);
        const value = patch[name];
        if (existing && existing.type !== 'secret_text') {
          throw new UsageError(`"${name}" is already a ${existing.type} binding (a [vars] entry) of Worker "${target.worker}"`, {
            hint: 'secrets and vars share one namespace; pick another name or remove the var first',
          });
        }
        if (value === null) {
          if (!existing) throw secretNotFound(target, name);
          bindings.delete(name);
          changes.push({ name, action: 'deleted' });
        } else {
          bindings.set(name, this.secretBinding(tx, target.worker, name, value as string, key));
          changes.push({ name, action: existing ? 'updated' : 'added' });
        }
      }
      assertBindingCount(this, target.worker, bindings.size);
      const version = this.newVersion(tx, target, latest, [...bindings.values()], { source: 'secret', message: options.message });
      let deployment: DeploymentRecord | undefined;
      if (options.deploy) {
        deployment = tx.addDeployment(target.worker, newDeployment([{ versionId: version.id, percentage: 100 }], 'secret', options.message, this.author()));
      }
      return {
        changes,
        version: publicVersion(version),
        deployment: deployment && publicDeployment(deployment),
        workerCreated: created || undefined,
      };
    });
  }

  async uploadVersion(target: Target, input: UploadInput): Promise<Version> {
    const store = await this.writable(target);
    this.requireKey(store.dir); // before the module is written: a store without its key is refused first
    let scriptHash: string | undefined;
    let mainModule: string | undefined;
    if (input.mainModule) {
      scriptHash = createHash('sha256').update(input.mainModule.content).digest('hex');
      mainModule = await store.writeModule(scriptHash, input.mainModule.content);
    }
    // Names and value sizes were checked at the edge (backends/edge.ts).
    const given = input.secrets ?? {};
    return this.startChange(target, async ({ tx, key }) => {
      if (mainModule) tx.require(store.modulePath(mainModule), input.mainModule!.content);
      const { latest } = await this.changeBase(tx, store, target);
      // The latest version's secrets, less those the upload replaces (or all of them with pruneSecrets), plus the given ones.
      const carried = (latest?.bindings ?? []).filter((b) => b.type === 'secret_text' && !(input.secrets && (input.pruneSecrets || b.name in given)));
      const secrets = [...carried, ...Object.keys(given).map((n) => this.secretBinding(tx, target.worker, n, given[n], key))];
      const secretNames = new Set(secrets.map((b) => b.name));
      const clash = input.bindings.find((b) => secretNames.has(b.name));
      if (clash) {
        throw new UsageError(`"${clash.name}" is both a [vars] entry and a secret of Worker "${target.worker}"`, {
          hint: `remove it from [vars], or delete the secret with \`mycli secret delete ${clash.name}\``,
        });
      }
      const bindings: StoredBinding[] = [...input.bindings.map((b) => ({ ...b }) as StoredBinding), ...secrets];
      assertBindingCount(this, target.worker, bindings.length);
      const version = this.newVersion(tx, target, latest, bindings, {
        source: 'upload',
        message: input.message,
        tag: input.tag,
        scriptHash,
        mainModule,
      });
      return publicVersion(version);
    });
  }

  async deploy(target: Target, input: DeployInput): Promise<Deployment> {
    // The split was checked at the edge (backends/edge.ts).
    // Without force, every check runs again on a newer head, so the deploy may be re-applied.
    // With force, the user confirmed what they saw: if the Worker changed since, refuse (exit 5).
    const canReapply = (read: Head, now: Head) =>
      !input.force || JSON.stringify(ownWorker(read, target.worker) ?? null) === JSON.stringify(ownWorker(now, target.worker) ?? null);
    return this.startChange(target, async ({ tx, store }) => {
      const worker = tx.worker(target.worker);
      if (!worker) throw workerNotFound(target);
      // expectLive: checked on the head this commit builds on (re-run on any newer head).
      if (input.expectLive !== undefined && (worker.live ?? null) !== input.expectLive) {
        const now = worker.live ? publicDeployment(await store.namedDeployment(worker.live, `Worker "${target.worker}"`)) : undefined;
        throw liveChanged(target, input.expectLive, now);
      }
      const chosen: VersionRecord[] = [];
      for (const dv of input.versions) {
        const v = await store.committedVersion(tx.head, target.worker, dv.versionId);
        if (!v) throw versionNotFound(target, dv.versionId);
        await store.assertBlobs(v);
        chosen.push(v);
      }
      if (!input.force && worker.live && chosen.length === 1) {
        const newestLive = await this.newestLive(store, tx.head, target);
        const target0 = chosen[0];
        if (newestLive && isRollback(chosen, [newestLive])) {
          const changed = secretDifferences(target0, newestLive);
          if (changed.length) {
            throw new SecretsChangedError(
              changed,
              `the secrets of version ${target0.number} differ from the live version ${newestLive.number}'s: ${changed.join(', ')}`,
            );
          }
        }
      }
      const deployment = tx.addDeployment(
        target.worker,
        newDeployment(
          input.versions.map((v) => ({ versionId: v.versionId, percentage: v.percentage })),
          input.kind === 'rollback' ? 'rollback' : 'deployment',
          input.message,
          this.author(),
        ),
      );
      return publicDeployment(deployment);
    }, { canReapply });
  }

  async changedSecrets(target: Target, versionId: string): Promise<string[]> {
    const { store, head } = await this.readWorker(target);
    const version = await store.committedVersion(head, target.worker, versionId);
    if (!version) throw versionNotFound(target, versionId);
    const newestLive = await this.newestLive(store, head, target);
    if (!newestLive || newestLive.id === version.id) return [];
    return secretDifferences(version, newestLive);
  }

  /** Names of `values` whose keyed digest differs from the latest version's (or that it lacks): compared inside the store, never printed. */
  async differentSecrets(target: Target, values: Record<string, string>): Promise<string[]> {
    const { store, worker } = await this.readWorker(target);
    const latest = await this.latestOf(store, target, worker);
    const stored = new Map((latest?.bindings ?? []).filter((b) => b.type === 'secret_text').map((b) => [b.name, b.blob]));
    const key = stored.size ? this.requireKey(store.dir) : undefined;
    return Object.keys(values).filter((n) => !key || stored.get(n) !== blobName(key, target.worker, n, values[n]));
  }

  /** The newest version that serves traffic in the live deployment. */
  private async newestLive(store: LocalStore, head: Head, target: Target): Promise<VersionRecord | undefined> {
    const worker = ownWorker(head, target.worker);
    if (!worker?.live) return undefined;
    const live = await store.namedDeployment(worker.live, `Worker "${target.worker}"`);
    const versions: VersionRecord[] = [];
    for (const lv of live.versions) versions.push(await store.namedVersion(lv.versionId, `deployment ${live.id}`));
    return newestVersion(versions);
  }

  async createWorker(target: Target): Promise<void> {
    await (await this.writable(target)).change((tx) => {
      this.workerFor(tx, target);
    });
  }

  async deleteWorker(target: Target): Promise<void> {
    await (await this.writable(target)).change((tx) => {
      if (!tx.worker(target.worker)) throw workerNotFound(target);
      tx.deleteWorker(target.worker);
    });
  }

  // ---- maintenance (mycli store ...) -----------------------------------------------------------

  /** Read the whole store: every version, deployment and blob (verify.ts). Writes nothing. */
  async verifyStore(target: Target): Promise<import('./verify.js').VerifyReport> {
    // Not opened: verify writes nothing, not even an upgrade (a format-1 Worker store is named;
    // a Secrets Store still in its format-1 file is not in the log yet, so not checked here).
    const store = this.store(target);
    const key = store.exists() ? this.requireKey(store.dir) : undefined;
    const { verifyStore } = await import('./verify.js');
    return verifyStore(store, key);
  }

  /** Remove what no committed head reaches, under the lock (gc.ts). */
  async collectGarbage(target: Target, o: { graceMs: number; dryRun?: boolean }): Promise<import('./gc.js').GcReport> {
    const store = await this.writable(target);
    const { collectGarbage } = await import('./gc.js');
    const { lockTimeoutMs } = await import('./lock.js');
    return collectGarbage(store, { ...o, timeoutMs: lockTimeoutMs(this.env) });
  }

  // ---- helpers -----------------------------------------------------------------------------

  /** The store opened for a write: refused when this backend is read-only. */
  protected async writable(target: Target, open: () => Promise<LocalStore> = () => this.open(target)): Promise<LocalStore> {
    if (this.readOnly) {
      throw new OperationError(`the local store ${stateDirFor(target, this.env)} was opened read-only: nothing was written`, { hint: 'this use of mycli only reads' });
    }
    return open();
  }

  /**
   * Start a change — every write begins here: the store opened, the key (never a new one for a
   * store that exists), the change checked against the store's key, and `plan` committed by the
   * store (LocalStore.change: planned again on a newer head unless `o.canReapply` says not).
   */
  protected async startChange<T>(target: Target, plan: (c: ChangeContext) => Promise<T>, o: ChangeOptions = {}, opened?: () => Promise<LocalStore>): Promise<T> {
    const store = await this.writable(target, opened);
    const key = this.requireKey(store.dir);
    return store.change((tx) => {
      tx.useKey(key);
      return plan({ tx, store, key });
    }, o);
  }

  /** A secret binding naming the blob of `value`: sealed and written only if that blob is new. */
  protected secretBinding(tx: Tx, worker: string, name: string, value: string, key: Buffer): StoredBinding {
    const hash = blobName(key, worker, name, value);
    tx.putBlob(hash, () => sealBlob(key, worker, name, hash, value), (blob) => openBlob(key, worker, name, hash, blob) === value);
    return { type: 'secret_text', name, blob: hash };
  }

  protected newVersion(
    tx: Tx,
    target: Target,
    latest: VersionRecord | undefined,
    bindings: StoredBinding[],
    meta: { source: string; message?: string; tag?: string; scriptHash?: string; mainModule?: string },
  ): VersionRecord {
    return tx.addVersion(target.worker, {
      createdOn: new Date().toISOString(),
      author: this.author(),
      source: meta.source,
      message: meta.message,
      tag: meta.tag,
      scriptHash: meta.scriptHash ?? latest?.scriptHash,
      mainModule: meta.mainModule ?? latest?.mainModule,
      bindings,
    });
  }

  protected workerFor(tx: Tx, target: Target): { worker: HeadWorker; created: boolean } {
    const existing = tx.worker(target.worker);
    if (existing) return { worker: existing, created: false };
    return { worker: tx.createWorker(target.worker), created: true };
  }

  /** The Worker's latest version (what a change builds on), if it has one. */
  protected async latestOf(store: LocalStore, target: Target, worker: HeadWorker | undefined): Promise<VersionRecord | undefined> {
    return worker?.latest ? store.namedVersion(worker.latest, `Worker "${target.worker}"`) : undefined;
  }

  /** What a change builds on: the Worker (made by this change if new) and its latest version. */
  protected async changeBase(tx: Tx, store: LocalStore, target: Target): Promise<{ worker: HeadWorker; created: boolean; latest?: VersionRecord }> {
    const { worker, created } = this.workerFor(tx, target);
    return { worker, created, latest: await this.latestOf(store, target, worker) };
  }

  /**
   * The key. A store that exists without its key is never given a new one: that key could not
   * open it, and would only hide the real problem (a lost key file).
   */
  protected requireKey(dir: string): Buffer {
    if (this.key) return this.key;
    const existing = this.keyLoaded(loadKey(this.env, false));
    if (existing) return (this.key = existing.key);
    const store = this.stores.get(dir) ?? new LocalStore(dir, { env: this.env });
    // The Secrets Store's file is sealed with the same key: it alone is a store that needs it.
    if (store.exists() || existsSync(join(dir, LEGACY_SECRETS_STORE))) {
      const file = keyFilePath(this.env);
      throw new AuthError(`the key of the local store ${dir} is missing: no MYCLI_LOCAL_KEY, and no key file ${file}`, {
        hint: `restore the key file from your backup to ${file} (mode 0600), or set MYCLI_LOCAL_KEY to the store's key; no new key was made, and nothing was changed`,
      });
    }
    const loaded = loadKey(this.env, true)!;
    if (loaded.created) this.notice(`created the local store key ${loaded.source} (mode 0600); back it up: without it the stored secrets cannot be read`);
    this.key = loaded.key;
    return loaded.key;
  }

  private keyWarned = false;

  /** A key as loaded, its file's warning (mode readable by others) printed once. */
  private keyLoaded(loaded: LoadedKey | undefined): LoadedKey | undefined {
    if (loaded?.warning && !this.keyWarned) {
      this.keyWarned = true;
      this.notice(`warning: ${loaded.warning}`);
    }
    return loaded;
  }

  protected author(): string {
    if (this.env.MYCLI_AUTHOR) return this.env.MYCLI_AUTHOR;
    try {
      return userInfo().username;
    } catch {
      return this.env.USER ?? 'unknown';
    }
  }
}
