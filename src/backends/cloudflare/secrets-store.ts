/**
 * The Secrets Store over the Cloudflare API (/accounts/{account_id}/secrets_store), with the
 * requests wrangler sends: stores and secrets by id, secrets created as a one-element array,
 * PATCH {value?, scopes?, comment?}, POST …/duplicate {name, scopes, comment}. Names that exist
 * already and non-empty stores are found by a list first, so they are conflicts (exit 5) with
 * a clear message rather than whatever the API says. Values go in and never come out.
 */
import { ConflictError, OperationError } from '../../errors.js';
import type {
  SecretsStoreApi,
  SecretsStoreInfo,
  SecretsStoreSecretInfo,
  SecretsStoreSecretInput,
  SecretsStoreSecretPatch,
  Target,
} from '../types.js';
import { SECRETS_STORE_VALUE_LIMIT, storeSecretTaken } from '../secrets-store-rules.js';
import type { CloudflareClient } from './client.js';

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const s = (v: unknown) => (typeof v === 'string' ? v : '');

function unexpected(what: string, why: string): OperationError {
  return new OperationError(`unexpected answer from the Cloudflare API for ${what}: ${why}`, { hint: 'check CLOUDFLARE_API_BASE_URL; run with --debug to see the requests' });
}

function toStore(v: unknown, what: string): SecretsStoreInfo {
  if (!isObj(v) || typeof v.id !== 'string' || typeof v.name !== 'string') throw unexpected(what, 'a store needs an id and a name');
  return { id: v.id, name: v.name, created: s(v.created), modified: s(v.modified) };
}

function toSecret(v: unknown, storeId: string, what: string): SecretsStoreSecretInfo {
  if (!isObj(v) || typeof v.id !== 'string' || typeof v.name !== 'string') throw unexpected(what, 'a secret needs an id and a name');
  const status = v.status === 'pending' || v.status === 'deleted' ? v.status : 'active';
  return {
    id: v.id,
    storeId: typeof v.store_id === 'string' ? v.store_id : storeId,
    name: v.name,
    scopes: Array.isArray(v.scopes) ? v.scopes.filter((x): x is string => typeof x === 'string') : [],
    comment: s(v.comment),
    status,
    created: s(v.created),
    modified: s(v.modified),
  };
}

const list = (r: unknown) => (Array.isArray(r) ? r : []);

export class CloudflareSecretsStore implements SecretsStoreApi {
  readonly maxValueBytes = SECRETS_STORE_VALUE_LIMIT;
  private readonly client: CloudflareClient;
  private readonly configuredAccount?: string;

  constructor(client: CloudflareClient, configuredAccount?: string) {
    this.client = client;
    this.configuredAccount = configuredAccount;
  }

  private async base(target: Target): Promise<string> {
    const account = await this.client.account(target.accountId ?? this.configuredAccount);
    return `/accounts/${encodeURIComponent(account)}/secrets_store`;
  }

  private async storePath(target: Target, storeId: string): Promise<string> {
    return `${await this.base(target)}/stores/${encodeURIComponent(storeId)}`;
  }

  async listStores(target: Target): Promise<SecretsStoreInfo[]> {
    const items = await this.client.paginate({ method: 'GET', path: `${await this.base(target)}/stores`, query: { per_page: 100 } }, list, (x) => s((x as { id?: unknown }).id));
    return items.map((x) => toStore(x, 'the store list'));
  }

  async createStore(target: Target, name: string): Promise<SecretsStoreInfo> {
    if ((await this.listStores(target)).some((x) => x.name === name)) {
      throw new ConflictError(`a store named "${name}" exists already`, { hint: 'see them with `mycli secrets-store store list`' });
    }
    const res = await this.client.request({ method: 'POST', path: `${await this.base(target)}/stores`, json: { name } });
    // The API documents an object; accept a one-element array too.
    return toStore(Array.isArray(res.result) ? res.result[0] : res.result, 'the new store');
  }

  async deleteStore(target: Target, storeId: string, options: { force?: boolean } = {}): Promise<void> {
    if (!options.force) {
      const n = (await this.listSecrets(target, storeId)).length;
      if (n) throw new ConflictError(`store ${storeId} still holds ${n} secret${n === 1 ? '' : 's'}`, { hint: 'delete them first, or pass --force to delete them with the store' });
    }
    await this.client.request({ method: 'DELETE', path: await this.storePath(target, storeId), query: options.force ? { force: true } : undefined });
  }

  async listSecrets(target: Target, storeId: string): Promise<SecretsStoreSecretInfo[]> {
    const items = await this.client.paginate({ method: 'GET', path: `${await this.storePath(target, storeId)}/secrets`, query: { per_page: 100 } }, list, (x) => s((x as { id?: unknown }).id));
    return items.map((x) => toSecret(x, storeId, 'the secret list'));
  }

  async getSecret(target: Target, storeId: string, secretId: string): Promise<SecretsStoreSecretInfo> {
    const res = await this.client.request({ method: 'GET', path: `${await this.storePath(target, storeId)}/secrets/${encodeURIComponent(secretId)}` });
    return toSecret(res.result, storeId, 'the secret');
  }

  private async refuseTaken(target: Target, storeId: string, name: string): Promise<void> {
    if ((await this.listSecrets(target, storeId)).some((x) => x.name === name)) {
      throw storeSecretTaken(storeId, name, storeId);
    }
  }

  async createSecret(target: Target, storeId: string, input: SecretsStoreSecretInput): Promise<SecretsStoreSecretInfo> {
    this.client.addRedaction(input.value);
    await this.refuseTaken(target, storeId, input.name);
    const body = [{ name: input.name, value: input.value, scopes: input.scopes, ...(input.comment !== undefined ? { comment: input.comment } : {}) }];
    const res = await this.client.request({ method: 'POST', path: `${await this.storePath(target, storeId)}/secrets`, json: body });
    const first = list(res.result)[0];
    if (first === undefined) throw unexpected('the new secret', 'the answer holds no secret');
    return toSecret(first, storeId, 'the new secret');
  }

  async updateSecret(target: Target, storeId: string, secretId: string, patch: SecretsStoreSecretPatch): Promise<SecretsStoreSecretInfo> {
    if (patch.value !== undefined) this.client.addRedaction(patch.value);
    const body: Record<string, unknown> = {};
    if (patch.value !== undefined) body.value = patch.value;
    if (patch.scopes !== undefined) body.scopes = patch.scopes;
    if (patch.comment !== undefined) body.comment = patch.comment;
    const res = await this.client.request({ method: 'PATCH', path: `${await this.storePath(target, storeId)}/secrets/${encodeURIComponent(secretId)}`, json: body });
    return toSecret(res.result, storeId, 'the updated secret');
  }

  async deleteSecret(target: Target, storeId: string, secretId: string): Promise<void> {
    await this.client.request({ method: 'DELETE', path: `${await this.storePath(target, storeId)}/secrets/${encodeURIComponent(secretId)}` });
  }

  async duplicateSecret(target: Target, storeId: string, secretId: string, input: { name: string; scopes: string[]; comment?: string }): Promise<SecretsStoreSecretInfo> {
    await this.refuseTaken(target, storeId, input.name);
    const body = { name: input.name, scopes: input.scopes, ...(input.comment !== undefined ? { comment: input.comment } : {}) };
    const res = await this.client.request({ method: 'POST', path: `${await this.storePath(target, storeId)}/secrets/${encodeURIComponent(secretId)}/duplicate`, json: body });
    return toSecret(res.result, storeId, 'the duplicated secret');
  }
}
