/**
 * Worker deployment routes of `mycli serve`: list, read, and deploy (1 or 2 versions).
 */
import { isRollback } from '../../domain/deployments.js';
import { isObject, jsonObject } from '../body.js';
import { ApiError, badRequest, Codes, ok } from '../envelope.js';
import type { Handler } from '../context.js';
import { deploymentJson } from '../shapes.js';
import { flag, message, requireWorker, targetOf } from './common.js';

export const listDeployments: Handler = async (ctx, req) => {
  const target = targetOf(ctx, req);
  await requireWorker(ctx, target);
  return ok({ deployments: (await ctx.backend.listDeployments(target)).map(deploymentJson) });
};

export const getDeployment: Handler = async (ctx, req) => {
  const target = targetOf(ctx, req);
  await requireWorker(ctx, target);
  const found = (await ctx.backend.listDeployments(target)).find((d) => d.id === req.params.deployment);
  if (!found) throw new ApiError(404, Codes.notFound, `deployment ${req.params.deployment} does not exist on Worker "${target.worker}"`);
  return ok(deploymentJson(found));
};

/** POST a deployment: 1 or 2 versions summing to 100%; 10220 on a rollback with changed secrets. */
export const postDeployment: Handler = async (ctx, req) => {
  const target = targetOf(ctx, req);
  const body = jsonObject(await req.body());
  if (body.strategy !== undefined && body.strategy !== 'percentage') throw badRequest('"strategy" must be "percentage"');
  if (!Array.isArray(body.versions) || body.versions.length === 0) {
    throw badRequest('"versions" must be a non-empty array of {"version_id", "percentage"}');
  }
  const versions = body.versions.map((v: unknown, i: number) => {
    if (!isObject(v) || typeof v.version_id !== 'string' || typeof v.percentage !== 'number') {
      throw badRequest(`versions[${i}] must be {"version_id": string, "percentage": number}`);
    }
    return { versionId: v.version_id, percentage: v.percentage };
  });
  const { message: msg } = message(body.annotations, 'deployment');
  await requireWorker(ctx, target);
  // One version at 100% that is older than the newest live one: a rollback (the domain rule).
  let kind: 'deploy' | 'rollback' = 'deploy';
  const live = await ctx.backend.liveDeployment(target);
  if (versions.length === 1 && live) {
    const number = async (id: string) => ({ number: (await ctx.backend.versionNumber(target, id)) ?? 0 });
    const liveNumbers = await Promise.all(live.versions.map((v) => number(v.versionId)));
    if (isRollback([await number(versions[0].versionId)], liveNumbers)) kind = 'rollback';
  }
  const deployment = await ctx.backend.deploy(target, { versions, message: msg, force: flag(req.query, 'force'), kind });
  return ok(deploymentJson(deployment));
};
