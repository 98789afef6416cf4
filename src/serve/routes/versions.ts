/**
 * Worker version routes of `mycli serve`: list, read, upload (not deployed), the content as
 * wrangler reads it back, and the merge-patch of the latest version.
 */
import type { ApplyBinding } from '../backend-types.js';
import { isObject, jsonObject } from '../body.js';
import { ApiError, badRequest, Codes, ok } from '../envelope.js';
import { pageQuery, resultInfo } from '../paging.js';
import type { Handler } from '../context.js';
import { versionDetail } from '../shapes.js';
import {
  flag,
  message,
  MODULE_MIME,
  PLACEHOLDER_MODULE,
  PLACEHOLDER_NAME,
  requireWorker,
  secretName,
  targetOf,
  toApplyBindings,
  uploadInput,
  uploadForm,
} from './common.js';

export const listVersions: Handler = async (ctx, req) => {
  const target = targetOf(ctx, req);
  await requireWorker(ctx, target);
  // Items carry their resources as Cloudflare's do: wrangler 4.164's `versions secret list
  // --latest-version` reads items[0].resources.bindings (names and types only, never a value).
  const versionItem = versionDetail;
  if (flag(req.query, 'deployable') && !req.query.has('page') && !req.query.has('per_page')) {
    const all = await ctx.backend.listVersions(target);
    return ok({ items: all.map(versionItem) }, { page: 1, per_page: Math.max(all.length, 1), count: all.length, total_count: all.length, total_pages: 1 });
  }
  const { page, perPage } = pageQuery(req.query, { perPage: 20, maxPerPage: 1000 });
  // Read only up to the page asked for; the total is the number of the latest version.
  const upTo = await ctx.backend.listVersions(target, { limit: page * perPage });
  const total = (await ctx.backend.versionCount(target)) ?? upTo.length;
  const items = upTo.slice((page - 1) * perPage, page * perPage);
  const info = resultInfo(page, perPage, items.length, total);
  return ok({ items: items.map(versionItem) }, info);
};

export const getVersion: Handler = async (ctx, req) => {
  const target = targetOf(ctx, req);
  await requireWorker(ctx, target);
  return ok(versionDetail(await ctx.backend.getVersion(target, req.params.version)));
};

/** POST a version (multipart, not deployed): bindings, keep_bindings, the main module. */
export const postVersion: Handler = async (ctx, req) => {
  const target = targetOf(ctx, req);
  const { form, metadata } = await uploadForm(req);
  const result = await ctx.backend.applyBindings(target, await uploadInput(ctx, target, form, metadata, { deploy: false }));
  return ok({ ...versionDetail(result.version), startup_time_ms: 0 });
};

/** A version's content as wrangler reads it back: multipart, entry named by cf-entrypoint. */
export const getContent: Handler = async (ctx, req) => {
  const target = targetOf(ctx, req);
  await requireWorker(ctx, target);
  const id = req.query.get('version');
  const version = id ? await ctx.backend.getVersion(target, id) : (await ctx.backend.listVersions(target, { limit: 1 }))[0];
  if (!version) throw new ApiError(404, Codes.notFound, `Worker "${target.worker}" has no versions yet`);
  const module = await ctx.backend.getModule(target, version.id);
  const name = PLACEHOLDER_NAME;
  const form = new FormData();
  form.set(name, new File([module?.content ?? Buffer.from(PLACEHOLDER_MODULE)], name, { type: MODULE_MIME }));
  const res = new Response(form);
  return {
    status: 200,
    raw: true,
    headers: { 'content-type': res.headers.get('content-type')!, 'cf-entrypoint': name },
    body: Buffer.from(await res.arrayBuffer()),
  };
};

/**
 * PATCH workers/workers/{name}/versions/latest (merge-patch): a new version from the latest with
 * `env` changes (NAME: binding | null), not deployed.
 */
export const patchLatestVersion: Handler = async (ctx, req) => {
  const target = targetOf(ctx, req);
  const body = jsonObject(await req.body());
  await requireWorker(ctx, target);
  const [latest] = await ctx.backend.listVersions(target, { limit: 1 });
  if (!latest) throw new ApiError(404, Codes.notFound, `Worker "${target.worker}" has no versions yet`);
  const env = body.env ?? {};
  if (!isObject(env)) throw badRequest('"env" must be an object of NAME: binding | null');
  const current = new Map(latest.bindings.map((b) => [b.name, b]));
  const changes = new Map<string, ApplyBinding | null>();
  for (const [name, v] of Object.entries(env)) {
    secretName(name, 'env');
    const existing = current.get(name);
    if (v === null) {
      if (!existing) throw new ApiError(404, Codes.notFound, `binding "${name}" does not exist on the latest version of Worker "${target.worker}"`);
      changes.set(name, null);
      continue;
    }
    if (!isObject(v)) throw badRequest(`env."${name}" must be an object or null`);
    const [b] = toApplyBindings([{ name, ...v }], 'env');
    if (b.type === 'secret_text' && existing && existing.type !== 'secret_text') {
      throw badRequest(`"${name}" is already a ${existing.type} binding of Worker "${target.worker}"; secrets and vars share one namespace`);
    }
    changes.set(name, b);
  }
  if (changes.size === 0 && body.annotations === undefined) throw badRequest('nothing to change: give "env" or "annotations"');
  const bindings: ApplyBinding[] = [];
  for (const b of latest.bindings) {
    if (!changes.has(b.name)) bindings.push({ type: 'inherit', name: b.name });
  }
  for (const b of changes.values()) if (b) bindings.push(b);
  const result = await ctx.backend.applyBindings(target, {
    bindings,
    deploy: false,
    checkRollout: false,
    createWorker: false,
    source: [...changes.values()].every((b) => b === null || b.type === 'secret_text') ? 'secret' : 'upload',
    ...message(body.annotations, 'annotations'),
  });
  return ok(versionDetail(result.version));
};
