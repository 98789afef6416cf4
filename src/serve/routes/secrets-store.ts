/**
 * The Secrets Store routes of `mycli serve` (Cloudflare API v4, under
 * /accounts/{account_id}/secrets_store), over the local backend's account-wide Secrets Store of
 * the served folder, so that `wrangler secrets-store … --remote` works against it. Values go in
 * and never come out; request logs redact them (`value` is a secret key in body.ts).
 */
import type { SecretsStoreInfo, SecretsStoreSecretInfo, Target } from '../../backends/types.js';
import { SCOPES } from '../../backends/secrets-store-rules.js';
import { isObject, parseJson } from '../body.js';
import { ApiError, badRequest, Codes, ok, type Reply } from '../envelope.js';
import { direction, paginate } from '../paging.js';
import type { Handler, ServeContext } from '../context.js';

/** Quota answered by GET /secrets_store/quota (Cloudflare's free plan). */
const QUOTA = 100;

function target(ctx: ServeContext): Target {
  // Account-wide: the Worker plays no part; the served folder's state is the account.
  return { worker: 'secrets-store', projectDir: ctx.projectDir, declared: true };
}

function api(ctx: ServeContext) {
  return ctx.backend.secretsStore;
}

/** Conflicts of the store (a name taken, a store not empty) are 409s, not a busy lock. */
async function guarded(ctx: ServeContext, run: () => Promise<Reply>): Promise<Reply> {
  try {
    return await run();
  } catch (e) {
    if (ctx.backend.isSecretsStoreConflict(e)) throw new ApiError(409, Codes.conflict, e.message);
    throw e;
  }
}

function storeJson(ctx: ServeContext, s: SecretsStoreInfo) {
  return { id: s.id, name: s.name, account_id: ctx.account.id, created: s.created, modified: s.modified };
}

function secretJson(s: SecretsStoreSecretInfo) {
  return { id: s.id, store_id: s.storeId, name: s.name, comment: s.comment, scopes: s.scopes, status: s.status, created: s.created, modified: s.modified };
}

/** The Secrets Store lists: per_page up to 100, and 0 for page or per_page means the default. */
const STORE_PAGES = { perPage: 20, maxPerPage: 100, zeroIsDefault: true };

function str(v: unknown, where: string, optional = false): string | undefined {
  if (v === undefined && optional) return undefined;
  if (typeof v !== 'string') throw badRequest(`${where} must be a string`);
  return v;
}

function scopes(v: unknown, where: string, optional = false): string[] | undefined {
  if (v === undefined && optional) return undefined;
  if (!Array.isArray(v) || v.length === 0 || v.some((s) => typeof s !== 'string' || !(SCOPES as readonly string[]).includes(s))) {
    throw badRequest(`${where} must be a non-empty array of ${SCOPES.join(', ')}`);
  }
  return v as string[];
}

type Sortable = { created: string; modified: string; name: string; comment?: string; status?: string };

/** `order` (a field; default created) and `direction` (default desc), as the list's query asks. */
function sorted<T extends Sortable>(list: T[], query: URLSearchParams, fields: readonly string[]): T[] {
  const order = query.get('order') || 'created';
  if (!fields.includes(order)) throw badRequest(`query parameter order must be one of ${fields.join(', ')}`);
  const sign = direction(query, 'desc') === 'asc' ? 1 : -1;
  const key = (x: T) => String((x as Record<string, unknown>)[order] ?? '');
  return list.slice().sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0) * sign);
}

async function storeOf(ctx: ServeContext, id: string): Promise<SecretsStoreInfo> {
  const found = (await api(ctx).listStores(target(ctx))).find((s) => s.id === id);
  if (!found) throw new ApiError(404, Codes.notFound, `store ${id} does not exist`);
  return found;
}

// ---- stores ----------------------------------------------------------------------------------

export const listStores: Handler = async (ctx, req) => {
  const { items, info } = paginate(sorted(await api(ctx).listStores(target(ctx)), req.query, ['name', 'created', 'modified']), req.query, STORE_PAGES);
  return ok(items.map((s) => storeJson(ctx, s)), info);
};

export const createStore: Handler = (ctx, req) =>
  guarded(ctx, async () => {
    const body = parseJson(await req.body());
    if (!isObject(body)) throw badRequest('the request body must be a JSON object {"name": ...}');
    const store = await api(ctx).createStore(target(ctx), str(body.name, '"name"')!);
    return ok(storeJson(ctx, store));
  });

export const getStore: Handler = async (ctx, req) => ok(storeJson(ctx, await storeOf(ctx, req.params.store)));

export const deleteStore: Handler = (ctx, req) =>
  guarded(ctx, async () => {
    const force = ['true', '1'].includes(req.query.get('force') ?? '');
    await api(ctx).deleteStore(target(ctx), (await storeOf(ctx, req.params.store)).id, { force });
    return ok(null);
  });

// ---- secrets ---------------------------------------------------------------------------------

export const listSecrets: Handler = async (ctx, req) => {
  const store = await storeOf(ctx, req.params.store);
  let list = await api(ctx).listSecrets(target(ctx), store.id);
  const search = req.query.get('search');
  if (search) list = list.filter((s) => s.name.includes(search) || s.comment.includes(search));
  const wanted = req.query.getAll('scopes').flatMap((s) => s.split(',')).filter(Boolean);
  if (wanted.length) list = list.filter((s) => wanted.every((w) => s.scopes.includes(w)));
  const { items, info } = paginate(sorted(list, req.query, ['name', 'comment', 'created', 'modified', 'status']), req.query, STORE_PAGES);
  return ok(items.map(secretJson), info);
};

export const createSecrets: Handler = (ctx, req) =>
  guarded(ctx, async () => {
    const store = await storeOf(ctx, req.params.store);
    const body = parseJson(await req.body());
    if (!Array.isArray(body) || body.length === 0) throw badRequest('the request body must be a non-empty JSON array of {name, value, scopes, comment?}');
    const inputs = body.map((x, i) => {
      if (!isObject(x)) throw badRequest(`[${i}] must be an object`);
      return { name: str(x.name, `[${i}].name`)!, value: str(x.value, `[${i}].value`)!, scopes: scopes(x.scopes, `[${i}].scopes`)!, comment: str(x.comment, `[${i}].comment`, true) };
    });
    const names = new Set<string>();
    for (const x of inputs) {
      if (names.has(x.name)) throw badRequest(`secret "${x.name}" is given twice`);
      names.add(x.name);
    }
    const created: SecretsStoreSecretInfo[] = [];
    for (const x of inputs) created.push(await api(ctx).createSecret(target(ctx), store.id, x));
    return ok(created.map(secretJson));
  });

export const bulkDeleteSecrets: Handler = async (ctx, req) => {
  const store = await storeOf(ctx, req.params.store);
  const body = parseJson(await req.body());
  if (!isObject(body) || !Array.isArray(body.ids) || body.ids.some((x) => typeof x !== 'string')) throw badRequest('the request body must be {"ids": [secret ids]}');
  const known = new Set((await api(ctx).listSecrets(target(ctx), store.id)).map((s) => s.id));
  const missing = (body.ids as string[]).filter((id) => !known.has(id));
  if (missing.length) throw new ApiError(404, Codes.notFound, `secret${missing.length === 1 ? '' : 's'} ${missing.join(', ')} not found in store ${store.id}`);
  for (const id of body.ids as string[]) await api(ctx).deleteSecret(target(ctx), store.id, id);
  return ok(null, undefined, 202);
};

export const getSecret: Handler = async (ctx, req) => {
  const store = await storeOf(ctx, req.params.store);
  return ok(secretJson(await api(ctx).getSecret(target(ctx), store.id, req.params.secret)));
};

export const patchSecret: Handler = async (ctx, req) => {
  const store = await storeOf(ctx, req.params.store);
  const body = parseJson(await req.body());
  if (!isObject(body)) throw badRequest('the request body must be a JSON object {value?, scopes?, comment?}');
  const patch = { value: str(body.value, '"value"', true), scopes: scopes(body.scopes, '"scopes"', true), comment: str(body.comment, '"comment"', true) };
  return ok(secretJson(await api(ctx).updateSecret(target(ctx), store.id, req.params.secret, patch)));
};

export const deleteSecret: Handler = async (ctx, req) => {
  const store = await storeOf(ctx, req.params.store);
  await api(ctx).deleteSecret(target(ctx), store.id, req.params.secret);
  return ok(null, undefined, 202);
};

export const duplicateSecret: Handler = (ctx, req) =>
  guarded(ctx, async () => {
    const store = await storeOf(ctx, req.params.store);
    const body = parseJson(await req.body());
    if (!isObject(body)) throw badRequest('the request body must be a JSON object {name, scopes, comment?}');
    const input = { name: str(body.name, '"name"')!, scopes: scopes(body.scopes, '"scopes"')!, comment: str(body.comment, '"comment"', true) };
    return ok(secretJson(await api(ctx).duplicateSecret(target(ctx), store.id, req.params.secret, input)));
  });

export const quota: Handler = async (ctx) => {
  let usage = 0;
  for (const s of await api(ctx).listStores(target(ctx))) usage += (await api(ctx).listSecrets(target(ctx), s.id)).length;
  return ok({ secrets: { quota: QUOTA, usage } });
};
