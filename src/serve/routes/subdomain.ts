/**
 * A Worker's workers.dev setting in `mycli serve`: `wrangler deploy` asks for it (and for the
 * account's subdomain, routes/account.ts). Kept in the server's memory (ServeContext.memory).
 */
import { jsonObject } from '../body.js';
import { badRequest, ok } from '../envelope.js';
import type { Handler } from '../context.js';
import { requireWorker, targetOf } from './common.js';

export const getScriptSubdomain: Handler = async (ctx, req) => {
  const target = targetOf(ctx, req);
  await requireWorker(ctx, target);
  return ok(ctx.memory.workersDev.get(target.worker) ?? { enabled: true, previews_enabled: false });
};

export const postScriptSubdomain: Handler = async (ctx, req) => {
  const target = targetOf(ctx, req);
  const body = jsonObject(await req.body());
  await requireWorker(ctx, target);
  if (typeof body.enabled !== 'boolean') throw badRequest('"enabled" must be a boolean');
  const next = { enabled: body.enabled, previews_enabled: typeof body.previews_enabled === 'boolean' ? body.previews_enabled : false };
  ctx.memory.workersDev.set(target.worker, next);
  return ok(next);
};
