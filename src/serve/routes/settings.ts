/**
 * Settings routes of `mycli serve`: the versioned settings (bindings, annotations; a PATCH makes
 * and deploys a version) and the script settings kept in memory (logpush, observability, tail
 * consumers).
 */
import type { Target } from '../../backends/types.js';
import { jsonObject, jsonPart, parseMultipart } from '../body.js';
import { badRequest, ok } from '../envelope.js';
import type { Handler, ServeContext } from '../context.js';
import { bindingJson } from '../shapes.js';
import { message, requireWorker, targetOf, toApplyBindings } from './common.js';

/** Script settings (logpush, observability, tail consumers) are kept in the server's memory only. */
function currentScriptSettings(ctx: ServeContext, target: Target): Record<string, unknown> {
  return { logpush: false, observability: null, tail_consumers: null, ...ctx.memory.scriptSettings.get(target.worker) };
}

function rememberScriptSettings(ctx: ServeContext, target: Target, next: Record<string, unknown>): void {
  ctx.memory.scriptSettings.set(target.worker, { ...ctx.memory.scriptSettings.get(target.worker), ...next });
}

export const getSettings: Handler = async (ctx, req) => {
  const target = targetOf(ctx, req);
  await requireWorker(ctx, target);
  const [latest] = await ctx.backend.listVersions(target, { limit: 1 });
  return ok({
    ...currentScriptSettings(ctx, target),
    bindings: (latest?.bindings ?? []).map(bindingJson),
    compatibility_flags: [],
    usage_model: 'standard',
    placement: {},
    annotations: latest?.message !== undefined ? { 'workers/message': latest.message } : {},
  });
};

/** PATCH settings (multipart "settings" part, or JSON): the binding list replaces the latest's. */
export const patchSettings: Handler = async (ctx, req) => {
  const target = targetOf(ctx, req);
  let settings: Record<string, unknown>;
  const type = (req.contentType ?? '').toLowerCase();
  if (type.startsWith('multipart/form-data')) {
    const form = await parseMultipart(await req.body(), req.contentType);
    const part = await jsonPart(form, 'settings');
    if (!part) throw badRequest('the request has no "settings" part');
    settings = part;
  } else {
    settings = jsonObject(await req.body());
  }
  const { bindings, annotations, ...rest } = settings;
  const nonVersioned: Record<string, unknown> = {};
  for (const k of ['logpush', 'observability', 'tail_consumers']) if (k in rest) nonVersioned[k] = rest[k];
  if (bindings !== undefined) {
    const list = toApplyBindings(bindings, 'settings');
    const latest = (await ctx.backend.worker(target)) ? (await ctx.backend.listVersions(target, { limit: 1 }))[0] : undefined;
    const before = new Set((latest?.bindings ?? []).filter((b) => b.type === 'secret_text').map((b) => b.name));
    const secretChange = list.some((b) => b.type === 'secret_text') || [...before].some((n) => !list.some((b) => b.name === n));
    await ctx.backend.applyBindings(target, {
      bindings: list,
      deploy: true,
      checkRollout: true,
      createWorker: true,
      source: secretChange ? 'secret' : 'settings',
      ...message(annotations, 'settings'),
    });
  } else {
    await requireWorker(ctx, target);
  }
  if (Object.keys(nonVersioned).length) rememberScriptSettings(ctx, target, nonVersioned);
  return getSettings(ctx, req);
};

export const getScriptSettings: Handler = async (ctx, req) => {
  const target = targetOf(ctx, req);
  await requireWorker(ctx, target);
  return ok(currentScriptSettings(ctx, target));
};

export const patchScriptSettings: Handler = async (ctx, req) => {
  const target = targetOf(ctx, req);
  const body = jsonObject(await req.body());
  await requireWorker(ctx, target);
  const next: Record<string, unknown> = {};
  for (const k of ['logpush', 'observability', 'tail_consumers', 'streaming_tail_consumers']) if (k in body) next[k] = body[k];
  if ('logpush' in next && typeof next.logpush !== 'boolean') throw badRequest('"logpush" must be a boolean');
  rememberScriptSettings(ctx, target, next);
  return ok(currentScriptSettings(ctx, target));
};
