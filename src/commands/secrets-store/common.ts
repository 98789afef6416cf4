/** Shared by the `secrets-store` commands: the backend's store API, and names or ids resolved. */
import type { Context } from '../../cli/context.js';
import type { Backend, SecretsStoreApi, SecretsStoreInfo, SecretsStoreSecretInfo, Target } from '../../backends/types.js';
import { isMycliError, NotFoundError, UsageError } from '../../errors.js';
import { hasCapabilities } from '../../backends/capabilities.js';
import { envSection, readRawConfig, secretsStoreBindings, type RawSection } from '../../config/raw.js';

/** `--store`, the same on every `secrets-store secret` command. */
export const STORE_OPTION = ['--store <store>', "store name or id (default: the store of the config's secrets_store_secrets)"] as const;

export interface StoreCtx {
  backend: Backend;
  api: SecretsStoreApi;
  target: Target;
}

export async function storeApi(ctx: Context): Promise<StoreCtx> {
  const backend = await ctx.backendWith('secretsStore');
  return { backend, api: backend.secretsStore, target: await ctx.target() };
}

export const storeJson = (s: SecretsStoreInfo) => ({ id: s.id, name: s.name, created: s.created, modified: s.modified });

/**
 * A store by id or name; without one, the store the config's secrets_store_secrets name, or the
 * only store there is.
 */
export async function resolveStore(ctx: Context, sc: StoreCtx, ref: string | undefined): Promise<SecretsStoreInfo> {
  const stores = await sc.api.listStores(sc.target);
  const listing = () => (stores.length ? `the stores: ${stores.map((s) => `${s.name} (${s.id})`).join(', ')}` : 'there are no stores yet; create one with `mycli secrets-store store create NAME`');
  if (ref !== undefined) {
    const found = stores.find((s) => s.id === ref) ?? stores.find((s) => s.name === ref);
    if (!found) throw new NotFoundError(`store "${ref}" does not exist (no store has that id or name)`, { hint: listing() });
    return found;
  }
  const project = await ctx.project();
  const bindings = secretsStoreBindings(envSection(await readRawConfig(project.configPath), project.env), project.configPath, project.env);
  const ids = [...new Set(bindings.map((b) => b.store_id))];
  // The config names no store and the account has exactly one: there is nothing to choose.
  if (ids.length === 0 && stores.length === 1) return stores[0];
  if (ids.length !== 1) {
    throw new UsageError(
      ids.length === 0
        ? 'no --store given, and the config has no secrets_store_secrets to take the store from'
        : `no --store given, and the config's secrets_store_secrets name ${ids.length} stores (${ids.join(', ')})`,
      { hint: `pass --store <name or id>; ${listing()}` },
    );
  }
  const found = stores.find((s) => s.id === ids[0]);
  if (!found) {
    throw new NotFoundError(`store ${ids[0]} (from the config's secrets_store_secrets) does not exist in the ${sc.backend.name} backend`, { hint: `fix store_id in the config, or pass --store; ${listing()}` });
  }
  return found;
}

export async function resolveSecret(sc: StoreCtx, store: SecretsStoreInfo, ref: string): Promise<SecretsStoreSecretInfo> {
  const secrets = await sc.api.listSecrets(sc.target, store.id);
  const found = secrets.find((s) => s.id === ref) ?? secrets.find((s) => s.name === ref);
  if (!found) {
    throw new NotFoundError(`secret "${ref}" does not exist in store "${store.name}" (no secret has that id or name)`, {
      hint: `see them with \`mycli secrets-store secret list --store ${store.name}\``,
    });
  }
  return found;
}

export interface BoundBy {
  worker: string;
  binding: string;
}

/**
 * Which Workers of the config (top level and every environment) bind each secret of the store,
 * from the bindings of their latest versions: secret name -> [{worker, binding}].
 */
export async function boundBy(ctx: Context, sc: StoreCtx, store: SecretsStoreInfo): Promise<Map<string, BoundBy[]>> {
  const out = new Map<string, BoundBy[]>();
  const backend = sc.backend;
  if (!hasCapabilities(backend, 'versions')) return out;
  const project = await ctx.project();
  const raw = await readRawConfig(project.configPath);
  const workers = new Set<string>([project.worker]);
  if (typeof raw.name === 'string') workers.add(raw.name);
  for (const [env, section] of Object.entries((raw.env as Record<string, RawSection> | undefined) ?? {})) {
    const name = (section.name as string | undefined) ?? (typeof raw.name === 'string' ? `${raw.name}-${env}` : undefined);
    if (name) workers.add(name);
  }
  await Promise.all(
    [...workers].sort().map(async (worker) => {
      let latest;
      try {
        latest = (await backend.listVersions({ ...sc.target, worker, declared: true }))[0];
      } catch (e) {
        if (isMycliError(e) && e instanceof NotFoundError) return;
        throw e;
      }
      for (const b of latest?.bindings ?? []) {
        const x = b as { type: string; name: string; store_id?: unknown; secret_name?: unknown };
        if (x.type !== 'secrets_store_secret' || x.store_id !== store.id || typeof x.secret_name !== 'string') continue;
        const list = out.get(x.secret_name) ?? [];
        list.push({ worker, binding: x.name });
        out.set(x.secret_name, list);
      }
    }),
  );
  for (const list of out.values()) list.sort((a, b) => (a.worker + a.binding < b.worker + b.binding ? -1 : 1));
  return out;
}

export function secretJson(s: SecretsStoreSecretInfo, bound?: BoundBy[]) {
  return { id: s.id, name: s.name, scopes: s.scopes, comment: s.comment, status: s.status, created: s.created, modified: s.modified, ...(bound ? { boundBy: bound } : {}) };
}
