/**
 * A Worker's workers.dev setting in `mycli serve`.
 */
import type { Target } from '../../backends/types.js';
import { jsonObject } from '../body.js';
import { badRequest, ok } from '../envelope.js';
import type { Handler } from '../context.js';
import { requireWorker, targetOf } from './common.js';

// workers.dev: `wrangler deploy` asks for the account's subdomain and the script's setting.
// There is no real workers.dev here; the answers let a deploy finish (kept in memory).
const workersDev = new Map<string, { enabled: boolean; previews_enabled: boolean }>();

function settingsKey(target: Target): string {
  return `${target.projectDir}\0${target.worker}`;
}

export const getScriptSubdomain: Handler = async (ctx, req) => {
  const target = targetOf(ctx, req);
  await requireWorker(ctx, target);
  return ok(workersDev.get(settingsKey(target)) ?? { enabled: true, previews_enabled: false });
};

export const postScriptSubdomain: Handler = async (ctx, req) => {
  const target = targetOf(ctx, req);
  const body = jsonObject(await req.body());
  await requireWorker(ctx, target);
  if (typeof body.enabled !== 'boolean') throw badRequest('"enabled" must be a boolean');
  const next = { enabled: body.enabled, previews_enabled: typeof body.previews_enabled === 'boolean' ? body.previews_enabled : false };
  workersDev.set(settingsKey(target), next);
  return ok(next);
};
