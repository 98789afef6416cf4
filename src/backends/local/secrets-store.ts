/**
 * The local Secrets Store: account-wide stores and secrets, shared by every Worker of the state
 * folder, kept in the same log-structured store as the Workers (docs/STORE.md): the head names
 * each store (`stores`) and its secrets record (`secrets-store/<id>.json`, immutable), each value
 * is a sealed blob in `objects/` bound to its store and secret ids (a blob moved to another secret
 * does not open). A change is one commit of the store (LocalStore.change: the one lock, the
 * compare-and-set on the generation), planned again on a newer head when another writer
 * committed first, so concurrent writers lose nothing. Everything it needs from the backend comes
 * through `SecretsStoreHost`.
 */
import { randomUUID } from 'node:crypto';
import { AuthError, NotFoundError, UsageError } from '../../errors.js';
import type {
  SecretsStoreApi,
  SecretsStoreInfo,
  SecretsStoreSecretInfo,
  SecretsStoreSecretInput,
  SecretsStoreSecretPatch,
  Target,
} from '../types.js';
import { assertComment, SecretsStoreConflict, storeSecretTaken, assertStoreName, assertStoreSecretName, assertValueLength, parseScopes, SECRETS_STORE_VALUE_LIMIT } from '../secrets-store-rules.js';
import { openStoreBlob, sealStoreBlob, storeBlobName } from './crypto.js';
import type { HeadStore, StoreSecret } from './format.js';
import type { LocalStore } from './store.js';
import type { Tx } from './tx.js';

/** What the Secrets Store needs of the backend (backend.ts implements it). */
export interface SecretsStoreHost {
  /** The stores of the Secrets Store as the newest head has them, read without writing. */
  readStores(target: Target): Promise<{ stores: Record<string, HeadStore>; secrets: (storeId: string) => Promise<StoreSecret[]> }>;
  /** One change of the Secrets Store: opened (upgraded if need be), keyed, committed (backend.ts startChange). */
  changeStores<T>(target: Target, plan: (c: { tx: Tx; store: LocalStore; key: Buffer }) => Promise<T>): Promise<T>;
}

/** A name that exists already, or a store that is not empty: a real conflict (409), not a busy lock. */
export { SecretsStoreConflict };

const newId = () => randomUUID().replace(/-/g, '');

function publicStore(id: string, s: HeadStore): SecretsStoreInfo {
  return { id, name: s.name, created: s.created, modified: s.modified };
}

function publicSecret(storeId: string, s: StoreSecret): SecretsStoreSecretInfo {
  return { id: s.id, storeId, name: s.name, scopes: [...s.scopes], comment: s.comment, status: 'active', created: s.created, modified: s.modified };
}

export class LocalSecretsStore implements SecretsStoreApi {
  readonly maxValueBytes = SECRETS_STORE_VALUE_LIMIT;

  constructor(private readonly host: SecretsStoreHost) {}

  // ---- reads (no lock, no write) ------------------------------------------------------------

  async listStores(target: Target): Promise<SecretsStoreInfo[]> {
    const { stores } = await this.host.readStores(target);
    return Object.entries(stores).map(([id, s]) => publicStore(id, s));
  }

  async listSecrets(target: Target, storeId: string): Promise<SecretsStoreSecretInfo[]> {
    const { stores, secrets } = await this.host.readStores(target);
    findStore(stores, storeId);
    return (await secrets(storeId)).map((s) => publicSecret(storeId, s));
  }

  async getSecret(target: Target, storeId: string, secretId: string): Promise<SecretsStoreSecretInfo> {
    const { stores, secrets } = await this.host.readStores(target);
    const store = findStore(stores, storeId);
    return publicSecret(storeId, findSecret(store, await secrets(storeId), secretId));
  }

  // ---- changes ------------------------------------------------------------------------------

  /** The store `storeId` in the change, and its secrets as the head it builds on has them. */
  private async base(tx: Tx, store: LocalStore, storeId: string): Promise<{ st: HeadStore; secrets: StoreSecret[] }> {
    const st = tx.store(storeId);
    if (!st) throw storeNotFound(storeId);
    const secrets = st.record ? (await store.secretsRecord(st.record, `Secrets Store store "${st.name}"`)).secrets : [];
    return { st, secrets: secrets.map((s) => ({ ...s, scopes: [...s.scopes] })) };
  }

  /** The blob of `value` for secret `secretId`: sealed and written only if that blob is new. */
  private blob(tx: Tx, key: Buffer, storeId: string, secretId: string, value: string): string {
    const hash = storeBlobName(key, storeId, secretId, value);
    tx.putBlob(hash, () => sealStoreBlob(key, storeId, secretId, hash, value), (b) => openStoreBlob(key, storeId, secretId, hash, b) === value);
    return hash;
  }

  async createStore(target: Target, name: string): Promise<SecretsStoreInfo> {
    assertStoreName(name);
    const id = newId();
    return this.host.changeStores(target, async ({ tx }) => {
      if (Object.values(tx.stores()).some((s) => s.name === name)) {
        throw new SecretsStoreConflict(`a store named "${name}" exists already`, { hint: 'see them with `mycli secrets-store store list`' });
      }
      return publicStore(id, tx.addStore(id, name, new Date().toISOString()));
    });
  }

  async deleteStore(target: Target, storeId: string, options: { force?: boolean } = {}): Promise<void> {
    await this.host.changeStores(target, async ({ tx }) => {
      const st = tx.store(storeId);
      if (!st) throw storeNotFound(storeId);
      if (st.secrets && !options.force) {
        throw new SecretsStoreConflict(`store "${st.name}" still holds ${st.secrets} secret${st.secrets === 1 ? '' : 's'}`, {
          hint: 'delete them first, or pass --force to delete them with the store',
        });
      }
      tx.deleteStore(storeId);
    });
  }

  async createSecret(target: Target, storeId: string, input: SecretsStoreSecretInput): Promise<SecretsStoreSecretInfo> {
    assertStoreSecretName(input.name);
    const scopes = parseScopes(input.scopes);
    assertComment(input.comment);
    if (typeof input.value !== 'string') throw new UsageError(`the value of secret ${input.name} must be a string`);
    assertValueLength(input.value, this.maxValueBytes, input.name);
    const id = newId();
    return this.host.changeStores(target, async ({ tx, store, key }) => {
      const { st, secrets } = await this.base(tx, store, storeId);
      if (secrets.some((s) => s.name === input.name)) {
        throw storeSecretTaken(`"${st.name}"`, input.name, st.name);
      }
      const now = new Date().toISOString();
      const secret: StoreSecret = { id, name: input.name, scopes, comment: input.comment ?? '', created: now, modified: now, blob: this.blob(tx, key, storeId, id, input.value) };
      tx.setSecrets(storeId, [...secrets, secret], now);
      return publicSecret(storeId, secret);
    });
  }

  async updateSecret(target: Target, storeId: string, secretId: string, patch: SecretsStoreSecretPatch): Promise<SecretsStoreSecretInfo> {
    const scopes = patch.scopes === undefined ? undefined : parseScopes(patch.scopes);
    assertComment(patch.comment);
    if (patch.value !== undefined) {
      if (typeof patch.value !== 'string') throw new UsageError('the new value must be a string');
      assertValueLength(patch.value, this.maxValueBytes, secretId);
    }
    return this.host.changeStores(target, async ({ tx, store, key }) => {
      const { st, secrets } = await this.base(tx, store, storeId);
      const secret = findSecret(st, secrets, secretId);
      if (patch.value !== undefined) secret.blob = this.blob(tx, key, storeId, secret.id, patch.value);
      if (scopes) secret.scopes = scopes;
      if (patch.comment !== undefined) secret.comment = patch.comment;
      secret.modified = new Date().toISOString();
      tx.setSecrets(storeId, secrets, secret.modified);
      return publicSecret(storeId, secret);
    });
  }

  async deleteSecret(target: Target, storeId: string, secretId: string): Promise<void> {
    await this.host.changeStores(target, async ({ tx, store }) => {
      const { st, secrets } = await this.base(tx, store, storeId);
      findSecret(st, secrets, secretId);
      tx.setSecrets(storeId, secrets.filter((s) => s.id !== secretId), new Date().toISOString());
    });
  }

  async duplicateSecret(target: Target, storeId: string, secretId: string, input: { name: string; scopes: string[]; comment?: string }): Promise<SecretsStoreSecretInfo> {
    assertStoreSecretName(input.name);
    const scopes = parseScopes(input.scopes);
    assertComment(input.comment);
    const id = newId();
    return this.host.changeStores(target, async ({ tx, store, key }) => {
      const { st, secrets } = await this.base(tx, store, storeId);
      const from = findSecret(st, secrets, secretId);
      if (secrets.some((s) => s.name === input.name)) throw new SecretsStoreConflict(`store "${st.name}" has a secret named "${input.name}" already`);
      const sealed = await store.readBlob(from.blob);
      const value = sealed && openStoreBlob(key, storeId, from.id, from.blob, sealed);
      if (typeof value !== 'string') {
        await store.assertStoreBlobs({ id: '', storeId, gen: 0, secrets: [from] });
        throw new AuthError(`cannot decrypt secret "${from.name}" of store "${st.name}"`, { hint: 'its blob does not open with this key (or was changed); nothing was changed' });
      }
      const now = new Date().toISOString();
      const secret: StoreSecret = { id, name: input.name, scopes, comment: input.comment ?? from.comment, created: now, modified: now, blob: this.blob(tx, key, storeId, id, value) };
      tx.setSecrets(storeId, [...secrets, secret], now);
      return publicSecret(storeId, secret);
    });
  }
}

function findStore(stores: Record<string, HeadStore>, storeId: string): HeadStore {
  if (!Object.prototype.hasOwnProperty.call(stores, storeId)) throw storeNotFound(storeId);
  return stores[storeId];
}

function findSecret(store: HeadStore, secrets: StoreSecret[], secretId: string): StoreSecret {
  const secret = secrets.find((s) => s.id === secretId);
  if (!secret) throw new NotFoundError(`secret ${secretId} does not exist in store "${store.name}"`, { hint: 'see them with `mycli secrets-store secret list`' });
  return secret;
}

function storeNotFound(id: string): NotFoundError {
  return new NotFoundError(`store ${id} does not exist`, { hint: 'see the stores with `mycli secrets-store store list`' });
}
