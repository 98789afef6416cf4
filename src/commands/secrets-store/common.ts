/** Shared by the `secrets-store` commands: the backend's store API, and names or ids resolved. */
import type { Context } from '../../cli/context.js';
import type { Backend, SecretsStoreApi, SecretsStoreInfo, SecretsStoreSecretInfo, Target } from '../../backends/types.js';
import { ExitCode, isMycliError, NotFoundError, UsageError } from '../../errors.js';
import { hasCapabilities } from '../../backends/capabilities.js';
import { envSection, readRawConfig, secretsStoreBindings, type RawSection } from '../../config/raw.js';

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
 * Workers read at most (MYCLI_BOUND_BY_MAX_WORKERS overrides), and how many at once: each costs
 * two requests or more on Cloudflare, whose API allows 1,200 per five minutes.
 */
const MAX_WORKERS = 200;
const CONCURRENCY = 4;

/**
 * Who binds the secrets of a store, and how complete that answer is: which Workers were read
 * (every Worker of the backend, or only the config's when the backend cannot list them), which
 * could not be read, and whether the limit left some unread.
 */
export class BoundByReport {
  readonly bindings = new Map<string, BoundBy[]>();
  /** 'backend': every Worker the backend has; 'config': the Workers of the config only. */
  scope: 'backend' | 'config' = 'backend';
  readonly read: string[] = [];
  readonly unreadable: { worker: string; error: string }[] = [];
  /** The backend has more Workers than the limit: those past it were not read. */
  limitReached = false;
  limit = MAX_WORKERS;

  /** The Workers that bind `secret` (name), sorted. */
  get(secret: string): BoundBy[] {
    return this.bindings.get(secret) ?? [];
  }

  get complete(): boolean {
    return this.unreadable.length === 0 && !this.limitReached;
  }

  json() {
    return {
      workers: this.scope,
      read: this.read.length,
      complete: this.complete,
      ...(this.unreadable.length ? { unreadable: this.unreadable } : {}),
      ...(this.limitReached ? { limitReached: true, limit: this.limit } : {}),
    };
  }

  /** What "bound by" leaves out, for a note; undefined when it covers every Worker. */
  caveat(): string | undefined {
    const parts: string[] = [];
    if (this.scope === 'config') parts.push("only the Workers of the config were read (the backend cannot list its Workers)");
    for (const u of this.unreadable) parts.push(`${u.worker === '' ? 'the Worker list' : `Worker ${u.worker}`} could not be read (${u.error})`);
    if (this.limitReached) parts.push(`only the first ${this.limit} Workers (by name) were read (set MYCLI_BOUND_BY_MAX_WORKERS to read more)`);
    return parts.length ? `"bound by" may be incomplete: ${parts.join('; ')}` : undefined;
  }
}

/** The Workers of the config (top level and every environment), when the backend cannot list its own. */
async function configWorkers(ctx: Context): Promise<string[]> {
  const project = await ctx.project();
  const raw = await readRawConfig(project.configPath);
  const workers = new Set<string>([project.worker]);
  if (typeof raw.name === 'string') workers.add(raw.name);
  for (const [env, section] of Object.entries((raw.env as Record<string, RawSection> | undefined) ?? {})) {
    const name = (section.name as string | undefined) ?? (typeof raw.name === 'string' ? `${raw.name}-${env}` : undefined);
    if (name) workers.add(name);
  }
  return [...workers].sort();
}

/**
 * Which Workers bind each secret of the store, from the bindings of their latest versions: every
 * Worker the backend lists (page by page, up to a limit), read a few at a time; the Workers of
 * the config when the backend cannot list them. The report says what it could not cover.
 */
export async function boundBy(ctx: Context, sc: StoreCtx, store: SecretsStoreInfo): Promise<BoundByReport> {
  const report = new BoundByReport();
  const backend = sc.backend;
  if (!hasCapabilities(backend, 'versions')) return report;
  const configured = Number(ctx.io.env.MYCLI_BOUND_BY_MAX_WORKERS);
  if (Number.isInteger(configured) && configured > 0) report.limit = configured;

  let workers: string[] = [];
  if (backend.listWorkers) {
    try {
      let cursor: string | undefined;
      do {
        const page = await backend.listWorkers(sc.target, cursor === undefined ? {} : { cursor });
        workers.push(...page.workers);
        // A page that brings nothing, or the same cursor again, would never end: the list ends there.
        cursor = page.workers.length && page.cursor !== cursor ? page.cursor : undefined;
      } while (cursor !== undefined && workers.length <= report.limit);
      if (cursor !== undefined) report.limitReached = true;
    } catch (e) {
      report.unreadable.push({ worker: '', error: e instanceof Error ? e.message : String(e) });
      report.scope = 'config';
      workers = await configWorkers(ctx);
    }
  } else {
    report.scope = 'config';
    workers = await configWorkers(ctx);
  }
  workers = [...new Set(workers)].sort();
  if (workers.length > report.limit) {
    report.limitReached = true;
    workers = workers.slice(0, report.limit);
  }

  const readOne = async (worker: string) => {
    const target = { ...sc.target, worker, declared: true };
    let bindings;
    try {
      const [latest] = await backend.listVersions(target, { limit: 1 });
      // A version list may carry no bindings (Cloudflare's does not): the version itself does.
      bindings = latest ? (await backend.getVersion(target, latest.id)).bindings : [];
    } catch (e) {
      // A Worker of the config that was never made, or one deleted meanwhile, binds nothing.
      if (isMycliError(e) && e.exitCode === ExitCode.notFound) return void report.read.push(worker);
      report.unreadable.push({ worker, error: e instanceof Error ? e.message : String(e) });
      return;
    }
    report.read.push(worker);
    for (const b of bindings) {
      const x = b as { type: string; name: string; store_id?: unknown; secret_name?: unknown };
      if (x.type !== 'secrets_store_secret' || x.store_id !== store.id || typeof x.secret_name !== 'string') continue;
      const list = report.bindings.get(x.secret_name) ?? [];
      list.push({ worker, binding: x.name });
      report.bindings.set(x.secret_name, list);
    }
  };
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, workers.length) }, async () => {
    while (next < workers.length) await readOne(workers[next++]!);
  }));
  for (const list of report.bindings.values()) list.sort((a, b) => (a.worker + a.binding < b.worker + b.binding ? -1 : 1));
  report.unreadable.sort((a, b) => (a.worker < b.worker ? -1 : 1));
  return report;
}

export function secretJson(s: SecretsStoreSecretInfo, bound?: BoundBy[]) {
  return { id: s.id, name: s.name, scopes: s.scopes, comment: s.comment, status: s.status, created: s.created, modified: s.modified, ...(bound ? { boundBy: bound } : {}) };
}
