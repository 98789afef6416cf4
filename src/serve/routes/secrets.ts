/**
 * Worker secret routes of `mycli serve`: each change is a new version, deployed at 100%.
 */
import { isObject, jsonObject } from '../body.js';
import { ApiError, badRequest, Codes, ok } from '../envelope.js';
import type { Handler } from '../context.js';
import { requireWorker, secretName, secretValue, targetOf } from './common.js';
import { secretNotFound } from '../../backends/not-found.js';

export const listSecrets: Handler = async (ctx, req) => {
  const target = targetOf(ctx, req);
  await requireWorker(ctx, target);
  return ok((await ctx.backend.listSecrets(target)).map((s) => ({ name: s.name, type: s.type })));
};

/** PUT a secret: a new version with it, deployed at 100% (10215 during a gradual rollout). */
export const putSecret: Handler = async (ctx, req) => {
  const target = targetOf(ctx, req);
  const body = jsonObject(await req.body());
  const name = secretName(body.name, 'secret');
  const value = secretValue(body, `secret "${name}"`);
  // Cloudflare answers 10007 for a Worker that was never created; wrangler then offers to make it.
  await requireWorker(ctx, target);
  await ctx.backend.updateSecrets(target, { [name]: value }, { deploy: true });
  return ok({ name, type: 'secret_text' });
};

export const getSecret: Handler = async (ctx, req) => {
  const target = targetOf(ctx, req);
  await requireWorker(ctx, target);
  const name = secretName(req.params.secret, 'secret');
  const found = (await ctx.backend.listSecrets(target)).find((s) => s.name === name);
  if (!found) throw new ApiError(404, Codes.notFound, secretNotFound(target, name).message);
  return ok({ name, type: 'secret_text' });
};

export const deleteSecret: Handler = async (ctx, req) => {
  const target = targetOf(ctx, req);
  await requireWorker(ctx, target);
  const name = secretName(req.params.secret, 'secret');
  await ctx.backend.updateSecrets(target, { [name]: null }, { deploy: true });
  return ok(null);
};

/** PATCH secrets-bulk: {"secrets": {NAME: {type, text} | null}} as one change, deployed at 100%. */
export const patchSecretsBulk: Handler = async (ctx, req) => {
  const target = targetOf(ctx, req);
  const body = jsonObject(await req.body());
  if (!isObject(body.secrets)) throw badRequest('"secrets" must be an object of NAME: {"type": "secret_text", "text": ...} or null');
  const patch: Record<string, string | null> = {};
  for (const [key, v] of Object.entries(body.secrets)) {
    const name = secretName(key, 'secrets');
    if (v === null) {
      patch[name] = null;
      continue;
    }
    if (!isObject(v)) throw badRequest(`secrets."${name}" must be an object or null`);
    if (v.name !== undefined && v.name !== name) throw badRequest(`secrets."${name}": "name" differs from the key "${name}"`);
    patch[name] = secretValue(v, `secrets."${name}"`);
  }
  if (Object.keys(patch).length === 0) throw badRequest('"secrets" is empty: nothing to change');
  await requireWorker(ctx, target);
  await ctx.backend.updateSecrets(target, patch, { deploy: true });
  const all = await ctx.backend.listSecrets(target);
  return ok(Object.fromEntries(all.map((s) => [s.name, { name: s.name, type: s.type }])));
};
