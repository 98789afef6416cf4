/**
 * The embedded `local` backend: the domain rules of DESIGN.md §1 over the files of LocalStore.
 */
import { createHash, randomUUID } from 'node:crypto';
import { userInfo } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import {
  AuthError,
  GradualRolloutError,
  NotFoundError,
  SecretsChangedError,
  UsageError,
} from '../../errors.js';
import type {
  Backend,
  Binding,
  Capabilities,
  Deployment,
  DeployInput,
  SecretChange,
  SecretChangeResult,
  SecretInfo,
  SecretPatch,
  Target,
  UpdateSecretsOptions,
  UploadInput,
  Version,
} from '../types.js';
import { assertBindingName } from '../names.js';
import { validateSplit } from '../split.js';
import { KEY_CHECK_AAD, KEY_CHECK_TEXT, open, seal, secretAad } from './crypto.js';
import { loadKey } from './key.js';
import { LocalSecretsStore } from './secrets-store.js';
import { LocalStore, type State, type StoredBinding, type StoredDeployment, type StoredVersion, type StoredWorker } from './store.js';

export interface LocalBackendOptions {
  env: Record<string, string | undefined>;
  /** Called once when a change creates the Worker or the key file. */
  notice?: (line: string) => void;
}

export function stateDirFor(target: Target, env: Record<string, string | undefined>): string {
  const override = env.MYCLI_STATE_DIR;
  if (override) return isAbsolute(override) ? override : resolve(target.projectDir, override);
  return join(target.projectDir, '.mycli');
}

export class LocalBackend implements Backend {
  readonly name = 'local';
  readonly capabilities: Capabilities = {
    secrets: true,
    versions: true,
    gradualDeployments: true,
    rollback: true,
    versionedSecrets: true,
    secretsStore: true,
  };
  /** Account-wide stores shared by every Worker of the state folder (secrets-store.ts). */
  readonly secretsStore = new LocalSecretsStore({ dirFor: (t) => stateDirFor(t, this.env), key: (create) => (create ? this.requireKey() : loadKey(this.env, false)?.key) });
  private readonly env: Record<string, string | undefined>;
  private readonly notice: (line: string) => void;
  private key?: Buffer;

  constructor(options: LocalBackendOptions) {
    this.env = options.env;
    this.notice = options.notice ?? (() => undefined);
  }

  /** A change is coming: start loading what writing needs (see LocalStore.prepareWrite). */
  prepareWrite(): void {
    LocalStore.prepareWrite();
  }

  describe(target: Target): string {
    return stateDirFor(target, this.env);
  }

  store(target: Target): LocalStore {
    return new LocalStore(stateDirFor(target, this.env));
  }

  // ---- reads -------------------------------------------------------------------------------

  private async readWorker(target: Target): Promise<StoredWorker | undefined> {
    const state = await this.store(target).read();
    const worker = ownWorker(state, target.worker);
    if (!worker && !target.declared) throw workerNotFound(target);
    return worker;
  }

  async listSecrets(target: Target): Promise<SecretInfo[]> {
    const worker = await this.readWorker(target);
    const latest = worker ? latestVersion(worker) : undefined;
    return (latest?.bindings ?? [])
      .filter((b) => b.type === 'secret_text')
      .map((b) => ({ name: b.name, type: 'secret_text' as const }))
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  async listVersions(target: Target): Promise<Version[]> {
    const worker = await this.readWorker(target);
    return (worker?.versions ?? []).slice().reverse().map(publicVersion);
  }

  async getVersion(target: Target, versionId: string): Promise<Version> {
    const worker = await this.readWorker(target);
    const v = worker?.versions.find((x) => x.id === versionId);
    if (!v) throw versionNotFound(target, versionId);
    return publicVersion(v);
  }

  async listDeployments(target: Target): Promise<Deployment[]> {
    const worker = await this.readWorker(target);
    return (worker?.deployments ?? []).slice().reverse().map(publicDeployment);
  }

  /** The stored main module of a version (for `mycli serve`). */
  async getModule(target: Target, versionId: string): Promise<{ name: string; content: Buffer } | undefined> {
    const worker = await this.readWorker(target);
    const v = worker?.versions.find((x) => x.id === versionId);
    if (!v?.mainModule) return undefined;
    const content = await this.store(target).readModule(v.mainModule);
    return content ? { name: v.mainModule, content } : undefined;
  }

  // ---- changes -----------------------------------------------------------------------------

  async updateSecrets(target: Target, patch: SecretPatch, options: UpdateSecretsOptions): Promise<SecretChangeResult> {
    const names = Object.keys(patch);
    if (names.length === 0) throw new UsageError('no secrets to change');
    for (const name of names) assertBindingName(name);
    // A change that only deletes, on a Worker or secret that is not there, fails before anything
    // (a store folder, a key file) is created. The same check runs again under the lock.
    if (names.every((n) => patch[n] === null)) {
      const existing = new Set((await this.listSecrets({ ...target, declared: true })).map((s) => s.name));
      const missing = names.find((n) => !existing.has(n));
      if (missing) throw secretNotFound(target, missing);
    }
    const key = this.requireKey();
    return this.store(target).update((state) => {
      this.checkKey(state, key);
      const { worker, created } = this.workerFor(state, target);
      const latest = latestVersion(worker);
      if (options.deploy && latest) assertLatestFullyDeployed(target, worker, latest);

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
          if (typeof value !== 'string') throw new UsageError(`the value of "${name}" must be a string`);
          bindings.set(name, { type: 'secret_text', name, plain: value } as StoredBinding);
          changes.push({ name, action: existing ? 'updated' : 'added' });
        }
      }

      const version = this.newVersion(target, worker, latest, [...bindings.values()], key, {
        source: 'secret',
        message: options.message,
      });
      let deployment: StoredDeployment | undefined;
      if (options.deploy) {
        deployment = newDeployment([{ versionId: version.id, percentage: 100 }], 'secret', options.message, this.author());
        worker.deployments.push(deployment);
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
    const key = this.requireKey();
    const store = this.store(target);
    let scriptHash: string | undefined;
    let mainModule: string | undefined;
    if (input.mainModule) {
      scriptHash = createHash('sha256').update(input.mainModule.content).digest('hex');
      mainModule = await store.writeModule(scriptHash, input.mainModule.content);
    }
    for (const b of input.bindings) assertBindingName(b.name);
    return store.update((state) => {
      this.checkKey(state, key);
      const { worker } = this.workerFor(state, target);
      const latest = latestVersion(worker);
      const secrets = (latest?.bindings ?? []).filter((b) => b.type === 'secret_text');
      const secretNames = new Set(secrets.map((b) => b.name));
      const clash = input.bindings.find((b) => secretNames.has(b.name));
      if (clash) {
        throw new UsageError(`"${clash.name}" is both a [vars] entry and a secret of Worker "${target.worker}"`, {
          hint: `remove it from [vars], or delete the secret with \`mycli secret delete ${clash.name}\``,
        });
      }
      const bindings: StoredBinding[] = [...input.bindings.map((b) => ({ ...b }) as StoredBinding), ...secrets];
      const version = this.newVersion(target, worker, latest, bindings, key, {
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
    validateSplit(input.versions);
    const key = this.requireKey();
    return this.store(target).update((state) => {
      this.checkKey(state, key);
      const worker = ownWorker(state, target.worker);
      if (!worker) throw workerNotFound(target);
      const chosen = input.versions.map((dv) => {
        const v = worker.versions.find((x) => x.id === dv.versionId);
        if (!v) throw versionNotFound(target, dv.versionId);
        return v;
      });
      const live = worker.deployments[worker.deployments.length - 1];
      if (!input.force && live && chosen.length === 1) {
        const liveVersions = live.versions
          .map((lv) => worker.versions.find((x) => x.id === lv.versionId))
          .filter((v): v is StoredVersion => Boolean(v));
        const newestLive = liveVersions.reduce<StoredVersion | undefined>((a, v) => (!a || v.number > a.number ? v : a), undefined);
        const target0 = chosen[0];
        if (newestLive && target0.number < newestLive.number) {
          const changed = this.secretDifferences(target, target0, newestLive, key);
          if (changed.length) {
            throw new SecretsChangedError(
              changed,
              `the secrets of version ${target0.number} differ from the live version ${newestLive.number}'s: ${changed.join(', ')}`,
            );
          }
        }
      }
      const deployment = newDeployment(
        input.versions.map((v) => ({ versionId: v.versionId, percentage: v.percentage })),
        input.kind === 'rollback' ? 'rollback' : 'deployment',
        input.message,
        this.author(),
      );
      worker.deployments.push(deployment);
      return publicDeployment(deployment);
    });
  }

  async changedSecrets(target: Target, versionId: string): Promise<string[]> {
    const worker = await this.readWorker(target);
    const version = worker?.versions.find((x) => x.id === versionId);
    if (!worker || !version) throw versionNotFound(target, versionId);
    const live = worker.deployments[worker.deployments.length - 1];
    const newestLive = (live?.versions ?? [])
      .map((lv) => worker.versions.find((x) => x.id === lv.versionId))
      .reduce<StoredVersion | undefined>((a, v) => (v && (!a || v.number > a.number) ? v : a), undefined);
    if (!newestLive || newestLive.id === version.id) return [];
    const key = loadKey(this.env, false)?.key;
    if (!key) return [];
    return this.secretDifferences(target, version, newestLive, key);
  }

  /** Names of secrets whose presence or value differs between two versions. Values stay inside. */
  private secretDifferences(target: Target, a: StoredVersion, b: StoredVersion, key: Buffer): string[] {
    const values = (v: StoredVersion) => {
      const m = new Map<string, string>();
      for (const s of v.bindings) if (s.type === 'secret_text' && s.sealed) m.set(s.name, this.unseal(target, v, s, key));
      return m;
    };
    const va = values(a);
    const vb = values(b);
    const names = new Set([...va.keys(), ...vb.keys()]);
    return [...names].filter((n) => va.get(n) !== vb.get(n)).sort();
  }

  async createWorker(target: Target): Promise<void> {
    await this.store(target).update((state) => {
      this.workerFor(state, target);
    });
  }

  async deleteWorker(target: Target): Promise<void> {
    await this.store(target).update((state) => {
      if (!ownWorker(state, target.worker)) throw workerNotFound(target);
      delete state.workers[target.worker];
    });
  }

  // ---- helpers -----------------------------------------------------------------------------

  private newVersion(
    target: Target,
    worker: StoredWorker,
    latest: StoredVersion | undefined,
    bindings: StoredBinding[],
    key: Buffer,
    meta: { source: string; message?: string; tag?: string; scriptHash?: string; mainModule?: string },
  ): StoredVersion {
    const id = randomUUID();
    const sealedBindings = bindings.map((b): StoredBinding => {
      if (b.type !== 'secret_text') return b;
      const plain = 'plain' in b ? (b.plain as string) : this.unseal(target, latest!, b, key);
      return { type: 'secret_text', name: b.name, sealed: seal(key, plain, secretAad(target.worker, b.name, id)) };
    });
    const version: StoredVersion = {
      id,
      number: (latest?.number ?? 0) + 1,
      createdOn: new Date().toISOString(),
      author: this.author(),
      source: meta.source,
      message: meta.message,
      tag: meta.tag,
      scriptHash: meta.scriptHash ?? latest?.scriptHash,
      mainModule: meta.mainModule ?? latest?.mainModule,
      bindings: sealedBindings,
    };
    worker.versions.push(version);
    return version;
  }

  private unseal(target: Target, version: StoredVersion, b: StoredBinding, key: Buffer): string {
    const plain = b.sealed ? open(key, b.sealed, secretAad(target.worker, b.name, version.id)) : undefined;
    if (plain === undefined) {
      throw new AuthError(`cannot decrypt secret "${b.name}" of version ${version.number} of Worker "${target.worker}"`, {
        hint: 'the store was written with another key (MYCLI_LOCAL_KEY or the key file); nothing was changed',
      });
    }
    return plain;
  }

  private workerFor(state: State, target: Target): { worker: StoredWorker; created: boolean } {
    const existing = ownWorker(state, target.worker);
    if (existing) return { worker: existing, created: false };
    const worker: StoredWorker = { createdOn: new Date().toISOString(), versions: [], deployments: [] };
    state.workers[target.worker] = worker;
    return { worker, created: true };
  }

  private requireKey(): Buffer {
    if (this.key) return this.key;
    const loaded = loadKey(this.env, true)!;
    if (loaded.created) this.notice(`created the local store key ${loaded.source} (mode 0600); back it up: without it the stored secrets cannot be read`);
    this.key = loaded.key;
    return loaded.key;
  }

  private checkKey(state: State, key: Buffer): void {
    if (!state.keyCheck) {
      state.keyCheck = seal(key, KEY_CHECK_TEXT, KEY_CHECK_AAD);
      return;
    }
    if (open(key, state.keyCheck, KEY_CHECK_AAD) !== KEY_CHECK_TEXT) {
      throw new AuthError('the local store key does not fit this store: it was written with another key', {
        hint: 'set MYCLI_LOCAL_KEY to the key the store was made with (or restore the key file); nothing was changed',
      });
    }
  }

  private author(): string {
    if (this.env.MYCLI_AUTHOR) return this.env.MYCLI_AUTHOR;
    try {
      return userInfo().username;
    } catch {
      return this.env.USER ?? 'unknown';
    }
  }

  // ---- for `mycli serve` (src/serve): Cloudflare-style uploads with explicit bindings ----------

  /**
   * A new version from an explicit binding list, as the Cloudflare API takes it (versions upload,
   * script upload, settings PATCH). `inherit` copies a binding of the latest version by name;
   * `keepTypes` keeps every binding of those types from the latest version that the list does not
   * name. With `deploy`, the version is deployed at 100%; with `checkRollout` too, the change is
   * refused (10215) while the latest version is not the one fully deployed.
   */
  async applyBindings(target: Target, input: ApplyBindingsInput): Promise<ApplyBindingsResult> {
    const key = this.requireKey();
    const store = this.store(target);
    const seen = new Set<string>();
    for (const b of input.bindings) {
      assertBindingName(b.name);
      if (seen.has(b.name)) throw new UsageError(`binding "${b.name}" is given twice`);
      seen.add(b.name);
      if (b.type === 'secret_text' && b.text !== undefined && typeof b.text !== 'string') {
        throw new UsageError(`the value of secret "${b.name}" must be a string`);
      }
    }
    let scriptHash: string | undefined;
    let mainModule: string | undefined;
    if (input.mainModule) {
      scriptHash = createHash('sha256').update(input.mainModule.content).digest('hex');
      mainModule = await store.writeModule(scriptHash, input.mainModule.content);
    }
    return store.update((state) => {
      this.checkKey(state, key);
      const existing = ownWorker(state, target.worker);
      if (!existing && !input.createWorker) throw workerNotFound(target);
      const { worker, created } = this.workerFor(state, target);
      const latest = latestVersion(worker);
      if (input.checkRollout && latest) assertLatestFullyDeployed(target, worker, latest);
      const previous = new Map<string, StoredBinding>();
      for (const b of latest?.bindings ?? []) previous.set(b.name, b);
      const bindings: StoredBinding[] = [];
      for (const b of input.bindings) {
        if (b.type === 'inherit') {
          const from = previous.get(b.name);
          if (!from) {
            throw new UsageError(`binding "${b.name}" cannot be inherited: the latest version of Worker "${target.worker}" has no such binding`);
          }
          bindings.push(from);
        } else if (b.type === 'secret_text') {
          if (b.text === undefined) {
            const from = previous.get(b.name);
            if (!from || from.type !== 'secret_text') {
              throw new UsageError(`secret "${b.name}" has no value and the latest version has no such secret to inherit`);
            }
            bindings.push(from);
          } else {
            bindings.push({ type: 'secret_text', name: b.name, plain: b.text } as StoredBinding);
          }
        } else {
          const { sealed: _s, plain: _p, ...rest } = b as StoredBinding;
          bindings.push({ ...rest } as StoredBinding);
        }
      }
      for (const b of latest?.bindings ?? []) {
        if (!seen.has(b.name) && (input.keepTypes ?? []).includes(b.type)) bindings.push(b);
      }
      const version = this.newVersion(target, worker, latest, bindings, key, {
        source: input.source,
        message: input.message,
        tag: input.tag,
        scriptHash,
        mainModule,
      });
      let deployment: StoredDeployment | undefined;
      if (input.deploy) {
        deployment = newDeployment([{ versionId: version.id, percentage: 100 }], input.source, input.message, this.author());
        worker.deployments.push(deployment);
      }
      return {
        version: publicVersion(version),
        deployment: deployment && publicDeployment(deployment),
        workerCreated: created || undefined,
      };
    });
  }
}

/** A binding as `applyBindings` takes it: secret values in `text`, `inherit` by name. */
export interface ApplyBinding {
  type: string;
  name: string;
  text?: string;
  [key: string]: unknown;
}

export interface ApplyBindingsInput {
  bindings: ApplyBinding[];
  /** Binding types kept from the latest version when the list does not name them. */
  keepTypes?: string[];
  /** The new main module; omitted: the latest version's. */
  mainModule?: { name: string; content: Uint8Array };
  deploy: boolean;
  checkRollout: boolean;
  /** false: an unknown Worker is not found (instead of created). */
  createWorker: boolean;
  source: string;
  message?: string;
  tag?: string;
}

export interface ApplyBindingsResult {
  version: Version;
  deployment?: Deployment;
  workerCreated?: boolean;
}

// ---- pure helpers ----

/** The stored Worker of that name: own keys only, so "constructor" or "__proto__" are just names. */
function ownWorker(state: State, name: string): StoredWorker | undefined {
  return Object.prototype.hasOwnProperty.call(state.workers, name) ? state.workers[name] : undefined;
}

function latestVersion(worker: StoredWorker): StoredVersion | undefined {
  return worker.versions.reduce<StoredVersion | undefined>((a, v) => (!a || v.number > a.number ? v : a), undefined);
}

function assertLatestFullyDeployed(target: Target, worker: StoredWorker, latest: StoredVersion): void {
  const live = worker.deployments[worker.deployments.length - 1];
  const ok = live && live.versions.length === 1 && live.versions[0].versionId === latest.id && live.versions[0].percentage === 100;
  if (ok) return;
  const name = `Worker "${target.worker}"${envSuffix(target)}`;
  if (live && live.versions.length > 1) {
    const split = live.versions
      .map((lv) => `version ${worker.versions.find((v) => v.id === lv.versionId)?.number ?? lv.versionId} at ${lv.percentage}%`)
      .join(', ');
    throw new GradualRolloutError(`a gradual rollout is in progress on ${name} (${split}); a secret change cannot be deployed now`);
  }
  throw new GradualRolloutError(
    `the latest version of ${name} (version ${latest.number}) is not the one fully deployed; a secret change cannot be deployed now`,
  );
}

function newDeployment(
  versions: { versionId: string; percentage: number }[],
  source: string,
  message: string | undefined,
  author: string,
): StoredDeployment {
  return { id: randomUUID(), createdOn: new Date().toISOString(), author, source, message, versions };
}

function publicVersion(v: StoredVersion): Version {
  return {
    id: v.id,
    number: v.number,
    createdOn: v.createdOn,
    author: v.author,
    source: v.source,
    message: v.message,
    tag: v.tag,
    scriptHash: v.scriptHash,
    bindings: v.bindings.map((b): Binding => {
      if (b.type === 'secret_text') return { type: 'secret_text', name: b.name };
      const { sealed: _s, ...rest } = b;
      return rest as Binding;
    }),
  };
}

function publicDeployment(d: StoredDeployment): Deployment {
  return { ...d, versions: d.versions.map((v) => ({ ...v })) };
}

function envSuffix(target: Target): string {
  return target.env ? ` (env ${target.env})` : '';
}

function workerNotFound(target: Target): NotFoundError {
  return new NotFoundError(`Worker "${target.worker}" does not exist in the local store`, {
    hint: 'check --name and --env; the first `mycli secret put` or `mycli versions upload` creates it',
  });
}

function secretNotFound(target: Target, name: string): NotFoundError {
  return new NotFoundError(`secret "${name}" does not exist on Worker "${target.worker}"${envSuffix(target)}`, {
    hint: 'see the names with `mycli secret list`',
  });
}

function versionNotFound(target: Target, id: string): NotFoundError {
  return new NotFoundError(`version ${id} does not exist on Worker "${target.worker}"${envSuffix(target)}`, {
    hint: 'see the versions with `mycli versions list`',
  });
}
