/**
 * The local Secrets Store: account-wide stores and secrets, shared by every Worker of the state
 * folder, in their own file `<state folder>/secrets-store.json` (mode 0600). Values are sealed with
 * the local store key (AES-256-GCM, crypto.ts) bound to the store and secret ids, so a value moved
 * to another secret fails to open. Changes run under their own lock and are written atomically
 * (durable.ts), like the Worker store. Everything it needs from the rest of the local backend
 * comes through `SecretsStoreFiles`, so the Worker store's layout can change under it.
 */
import { randomUUID } from 'node:crypto';
import { lstat, readFile, realpath } from 'node:fs/promises';
import { writeError } from './fs-errors.js';
import { ensureStateDir } from './store.js';
import { join } from 'node:path';
import { AuthError, ConflictError, NotFoundError, OperationError, UsageError } from '../../errors.js';
import type {
  SecretsStoreApi,
  SecretsStoreInfo,
  SecretsStoreSecretInfo,
  SecretsStoreSecretInput,
  SecretsStoreSecretPatch,
  Target,
} from '../types.js';
import { assertComment, assertStoreName, assertStoreSecretName, assertValueLength, parseScopes, SECRETS_STORE_VALUE_LIMIT } from '../secrets-store-rules.js';
import { KEY_CHECK_AAD, KEY_CHECK_TEXT, open, seal, type Sealed } from './crypto.js';

export const SECRETS_STORE_FILE = 'secrets-store.json';
const FORMAT = 1;

/** The narrow adapter to the local backend: where the state folder is, and the key. */
export interface SecretsStoreFiles {
  /** The state folder of the target (`.mycli`, or MYCLI_STATE_DIR). */
  dirFor(target: Target): string;
  /** The local store key (of the store in `dir`); created on first use when `create`. */
  key(create: boolean, dir: string): Buffer | undefined;
  /** The environment (MYCLI_LOCK_TIMEOUT: how long to wait for a busy lock). */
  env(): Record<string, string | undefined>;
}

interface StoredSecret {
  id: string;
  name: string;
  scopes: string[];
  comment: string;
  created: string;
  modified: string;
  sealed: Sealed;
}

interface StoredStore {
  id: string;
  name: string;
  created: string;
  modified: string;
  secrets: StoredSecret[];
}

interface SecretsStoreState {
  format: number;
  keyCheck?: Sealed;
  stores: StoredStore[];
}

/** A name that exists already, or a store that is not empty: a real conflict (409), not a busy lock. */
export class SecretsStoreConflict extends ConflictError {}

const newId = () => randomUUID().replace(/-/g, '');
/** Associated data of a sealed value: its store and secret ids. */
export const secretsStoreAad = (storeId: string, secretId: string) => `mycli/secrets-store/v1\0${storeId}\0${secretId}`;

function publicStore(s: StoredStore): SecretsStoreInfo {
  return { id: s.id, name: s.name, created: s.created, modified: s.modified };
}

function publicSecret(store: StoredStore, s: StoredSecret): SecretsStoreSecretInfo {
  return { id: s.id, storeId: store.id, name: s.name, scopes: [...s.scopes], comment: s.comment, status: 'active', created: s.created, modified: s.modified };
}

export class LocalSecretsStore implements SecretsStoreApi {
  readonly maxValueBytes = SECRETS_STORE_VALUE_LIMIT;
  private readonly files: SecretsStoreFiles;

  constructor(files: SecretsStoreFiles) {
    this.files = files;
  }

  // ---- files ------------------------------------------------------------------------------

  private file(target: Target): string {
    return join(this.files.dirFor(target), SECRETS_STORE_FILE);
  }

  private async read(target: Target): Promise<SecretsStoreState> {
    const file = this.file(target);
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') return { format: FORMAT, stores: [] };
      throw new OperationError(`cannot read the local Secrets Store ${file} (${code})`);
    }
    let data: SecretsStoreState;
    try {
      data = JSON.parse(text) as SecretsStoreState;
    } catch (e) {
      throw damaged(file, (e as Error).message);
    }
    if (!data || typeof data !== 'object' || !Array.isArray(data.stores)) throw damaged(file, 'it does not hold a mycli Secrets Store');
    if (data.format !== FORMAT) {
      throw new OperationError(`the local Secrets Store ${file} has format ${String(data.format)}, which this mycli does not know`, { hint: 'upgrade mycli; the file was left untouched' });
    }
    // Every entry is checked whole: a damaged file is named and left as it is, never rewritten
    // by a change that happened not to look at the damaged part.
    if (data.keyCheck !== undefined && !isSealed(data.keyCheck)) throw damaged(file, 'its key check is incomplete');
    for (const s of data.stores) {
      if (!s || typeof s !== 'object' || !allStrings(s, 'id', 'name', 'created', 'modified') || !Array.isArray(s.secrets)) throw damaged(file, 'a store entry is incomplete');
      for (const x of s.secrets) {
        if (!x || typeof x !== 'object' || !allStrings(x, 'id', 'name', 'comment', 'created', 'modified') || !Array.isArray(x.scopes) || !x.scopes.every((c) => typeof c === 'string') || !isSealed(x.sealed)) {
          throw damaged(file, `a secret entry of store ${s.id} is incomplete`);
        }
      }
    }
    return data;
  }

  /** Read, change, write: one step under the lock; `change` throwing writes nothing. */
  private async update<T>(target: Target, change: (state: SecretsStoreState, key: Buffer) => T): Promise<T> {
    const dir = this.files.dirFor(target);
    await ensureStateDir(dir);
    const [{ writeAtomic }, { acquireLock, lockTimeoutMs }] = await Promise.all([import('./durable.js'), import('./lock.js')]);
    // The store's own lock (lock.ts): a live holder's lock is never taken; a dead one's is.
    const release = await acquireLock(join(dir, 'secrets-store.lock'), lockTimeoutMs(this.files.env()));
    try {
      const state = await this.read(target);
      const key = this.files.key(true, dir)!;
      if (!state.keyCheck) state.keyCheck = seal(key, KEY_CHECK_TEXT, KEY_CHECK_AAD);
      else if (open(key, state.keyCheck, KEY_CHECK_AAD) !== KEY_CHECK_TEXT) {
        throw new AuthError('the local store key does not fit the Secrets Store: it was written with another key', {
          hint: 'set MYCLI_LOCAL_KEY to the key the store was made with (or restore the key file); nothing was changed',
        });
      }
      const result = change(state, key);
      try {
        await writeAtomic(await writeTarget(this.file(target)), JSON.stringify(state) + '\n');
      } catch (e) {
        throw writeError('the local Secrets Store in', dir, e, 'nothing was changed');
      }
      return result;
    } finally {
      await release().catch(() => undefined);
    }
  }

  // ---- stores -----------------------------------------------------------------------------

  async listStores(target: Target): Promise<SecretsStoreInfo[]> {
    return (await this.read(target)).stores.map(publicStore);
  }

  async createStore(target: Target, name: string): Promise<SecretsStoreInfo> {
    assertStoreName(name);
    return this.update(target, (state) => {
      if (state.stores.some((s) => s.name === name)) throw new SecretsStoreConflict(`a store named "${name}" exists already`, { hint: 'see them with `mycli secrets-store store list`' });
      const now = new Date().toISOString();
      const store: StoredStore = { id: newId(), name, created: now, modified: now, secrets: [] };
      state.stores.push(store);
      return publicStore(store);
    });
  }

  async deleteStore(target: Target, storeId: string, options: { force?: boolean } = {}): Promise<void> {
    await this.update(target, (state) => {
      const i = state.stores.findIndex((s) => s.id === storeId);
      if (i < 0) throw storeNotFound(storeId);
      const n = state.stores[i].secrets.length;
      if (n && !options.force) {
        throw new SecretsStoreConflict(`store "${state.stores[i].name}" still holds ${n} secret${n === 1 ? '' : 's'}`, {
          hint: 'delete them first, or pass --force to delete them with the store',
        });
      }
      state.stores.splice(i, 1);
    });
  }

  // ---- secrets ----------------------------------------------------------------------------

  async listSecrets(target: Target, storeId: string): Promise<SecretsStoreSecretInfo[]> {
    const store = findStore(await this.read(target), storeId);
    return store.secrets.map((s) => publicSecret(store, s));
  }

  async getSecret(target: Target, storeId: string, secretId: string): Promise<SecretsStoreSecretInfo> {
    const store = findStore(await this.read(target), storeId);
    return publicSecret(store, findSecret(store, secretId));
  }

  async createSecret(target: Target, storeId: string, input: SecretsStoreSecretInput): Promise<SecretsStoreSecretInfo> {
    assertStoreSecretName(input.name);
    const scopes = parseScopes(input.scopes);
    assertComment(input.comment);
    if (typeof input.value !== 'string') throw new UsageError(`the value of secret ${input.name} must be a string`);
    assertValueLength(input.value, this.maxValueBytes, input.name);
    return this.update(target, (state, key) => {
      const store = findStore(state, storeId);
      if (store.secrets.some((s) => s.name === input.name)) {
        throw new SecretsStoreConflict(`store "${store.name}" has a secret named "${input.name}" already`, { hint: 'change it with `mycli secrets-store secret update`' });
      }
      const now = new Date().toISOString();
      const id = newId();
      const secret: StoredSecret = { id, name: input.name, scopes, comment: input.comment ?? '', created: now, modified: now, sealed: seal(key, input.value, secretsStoreAad(store.id, id)) };
      store.secrets.push(secret);
      store.modified = now;
      return publicSecret(store, secret);
    });
  }

  async updateSecret(target: Target, storeId: string, secretId: string, patch: SecretsStoreSecretPatch): Promise<SecretsStoreSecretInfo> {
    const scopes = patch.scopes === undefined ? undefined : parseScopes(patch.scopes);
    assertComment(patch.comment);
    if (patch.value !== undefined) {
      if (typeof patch.value !== 'string') throw new UsageError('the new value must be a string');
      assertValueLength(patch.value, this.maxValueBytes, secretId);
    }
    return this.update(target, (state, key) => {
      const store = findStore(state, storeId);
      const secret = findSecret(store, secretId);
      if (patch.value !== undefined) secret.sealed = seal(key, patch.value, secretsStoreAad(store.id, secret.id));
      if (scopes) secret.scopes = scopes;
      if (patch.comment !== undefined) secret.comment = patch.comment;
      secret.modified = new Date().toISOString();
      store.modified = secret.modified;
      return publicSecret(store, secret);
    });
  }

  async deleteSecret(target: Target, storeId: string, secretId: string): Promise<void> {
    await this.update(target, (state) => {
      const store = findStore(state, storeId);
      findSecret(store, secretId);
      store.secrets = store.secrets.filter((s) => s.id !== secretId);
      store.modified = new Date().toISOString();
    });
  }

  async duplicateSecret(target: Target, storeId: string, secretId: string, input: { name: string; scopes: string[]; comment?: string }): Promise<SecretsStoreSecretInfo> {
    assertStoreSecretName(input.name);
    const scopes = parseScopes(input.scopes);
    assertComment(input.comment);
    return this.update(target, (state, key) => {
      const store = findStore(state, storeId);
      const from = findSecret(store, secretId);
      if (store.secrets.some((s) => s.name === input.name)) throw new SecretsStoreConflict(`store "${store.name}" has a secret named "${input.name}" already`);
      const value = open(key, from.sealed, secretsStoreAad(store.id, from.id));
      if (value === undefined) {
        throw new AuthError(`cannot decrypt secret "${from.name}" of store "${store.name}"`, { hint: 'the Secrets Store was written with another key; nothing was changed' });
      }
      const now = new Date().toISOString();
      const id = newId();
      const secret: StoredSecret = { id, name: input.name, scopes, comment: input.comment ?? from.comment, created: now, modified: now, sealed: seal(key, value, secretsStoreAad(store.id, id)) };
      store.secrets.push(secret);
      store.modified = now;
      return publicSecret(store, secret);
    });
  }
}

function findStore(state: SecretsStoreState, storeId: string): StoredStore {
  const store = state.stores.find((s) => s.id === storeId);
  if (!store) throw storeNotFound(storeId);
  return store;
}

function findSecret(store: StoredStore, secretId: string): StoredSecret {
  const secret = store.secrets.find((s) => s.id === secretId);
  if (!secret) throw new NotFoundError(`secret ${secretId} does not exist in store "${store.name}"`, { hint: 'see them with `mycli secrets-store secret list`' });
  return secret;
}

function storeNotFound(id: string): NotFoundError {
  return new NotFoundError(`store ${id} does not exist`, { hint: 'see the stores with `mycli secrets-store store list`' });
}

function allStrings(o: object, ...keys: string[]): boolean {
  return keys.every((k) => typeof (o as Record<string, unknown>)[k] === 'string');
}

function isSealed(v: unknown): v is Sealed {
  return !!v && typeof v === 'object' && allStrings(v, 'iv', 'tag', 'data');
}

function damaged(file: string, why: string): OperationError {
  return new OperationError(`the local Secrets Store ${file} is damaged and cannot be read (${why})`, {
    hint: 'it was left untouched; restore it from a backup, or move it aside to start an empty Secrets Store',
  });
}

/**
 * Where a change of `file` is written: the file itself, or, when it is a symbolic link (the
 * Secrets Store kept elsewhere, e.g. on an encrypted volume), the file it points to — replaced
 * atomically there, the link kept. A link to nothing is refused, named.
 */
async function writeTarget(file: string): Promise<string> {
  const st = await lstat(file).catch(() => undefined);
  if (!st?.isSymbolicLink()) return file;
  try {
    return await realpath(file);
  } catch (e) {
    throw new OperationError(`the local Secrets Store ${file} is a symbolic link to a file that cannot be reached (${(e as NodeJS.ErrnoException).code})`, {
      hint: 'restore the file it points to, or remove the link to start an empty Secrets Store; nothing was changed',
    });
  }
}
