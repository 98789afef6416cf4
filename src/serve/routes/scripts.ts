/**
 * Worker script routes of `mycli serve`: list, read, upload (and deploy), delete, the service view.
 */
import type { Target } from '../../backends/types.js';
import { ok } from '../envelope.js';
import type { Handler } from '../context.js';
import { scriptSettingsJson } from './settings.js';
import { PLACEHOLDER_MODULE, requireWorker, scriptJson, targetOf, uploadForm, uploadInput } from './common.js';

export const listScripts: Handler = async (ctx) => {
  const target: Target = { worker: '', projectDir: ctx.projectDir, declared: false };
  const workers = await ctx.backend.workerNames(target);
  return ok(
    workers.map(({ name, createdOn, latest }) => {
      return { id: name, etag: latest?.scriptHash ?? '', created_on: createdOn, modified_on: latest?.createdOn ?? createdOn };
    }),
  );
};

export const getScript: Handler = async (ctx, req) => {
  const target = targetOf(ctx, req);
  await requireWorker(ctx, target);
  const [latest] = await ctx.backend.listVersions(target, { limit: 1 });
  const module = latest ? await ctx.backend.getModule(target, latest.id) : undefined;
  return {
    status: 200,
    raw: true,
    // The reference answers application/javascript (or multipart) for the module's bytes.
    headers: { 'content-type': 'application/javascript' },
    body: module?.content ?? Buffer.from(PLACEHOLDER_MODULE),
  };
};

/** PUT a script: upload a version and deploy it at 100% (`wrangler deploy`, draft Workers). */
export const putScript: Handler = async (ctx, req) => {
  const target = targetOf(ctx, req);
  const { form, metadata } = await uploadForm(req);
  const existed = await ctx.backend.worker(target);
  const result = await ctx.backend.applyBindings(target, await uploadInput(ctx, target, form, metadata, { deploy: true }));
  return ok({ ...scriptJson(target.worker, result.version, existed?.createdOn ?? result.version.createdOn), startup_time_ms: 0 });
};

/** DELETE a script: the Worker with all its versions and deployments (what `wrangler delete` sends). */
export const deleteScript: Handler = async (ctx, req) => {
  const target = targetOf(ctx, req);
  await requireWorker(ctx, target);
  await ctx.backend.deleteWorker(target);
  // A Worker made again under this name starts from the defaults, as on Cloudflare.
  ctx.memory.scriptSettings.delete(target.worker);
  ctx.memory.workersDev.delete(target.worker);
  return ok(null);
};

export const getService: Handler = async (ctx, req) => {
  const target = targetOf(ctx, req);
  const worker = await requireWorker(ctx, target);
  const [latest] = await ctx.backend.listVersions(target, { limit: 1 });
  return ok({
    id: target.worker,
    created_on: worker.createdOn,
    modified_on: latest?.createdOn ?? worker.createdOn,
    default_environment: {
      environment: 'production',
      created_on: worker.createdOn,
      modified_on: latest?.createdOn ?? worker.createdOn,
      script: scriptJson(target.worker, latest, worker.createdOn),
    },
    environments: [{ environment: 'production', created_on: worker.createdOn, modified_on: latest?.createdOn ?? worker.createdOn }],
  });
};

/**
 * GET workers/workers/{name}: the Worker object of Cloudflare's Workers API (wrangler 4.164's
 * `deploy` reads its workers.dev setting here). Its settings are the ones serve keeps.
 */
export const getWorker: Handler = async (ctx, req) => {
  const target = targetOf(ctx, req);
  const worker = await requireWorker(ctx, target);
  const [latest] = await ctx.backend.listVersions(target, { limit: 1 });
  const [live] = await ctx.backend.listDeployments(target, { limit: 1 });
  const settings = scriptSettingsJson(ctx, target);
  return ok({
    id: target.worker,
    name: target.worker,
    created_on: worker.createdOn,
    updated_on: latest?.createdOn ?? worker.createdOn,
    deployed_on: live?.createdOn ?? null,
    logpush: settings.logpush,
    observability: settings.observability ?? { enabled: false },
    tags: settings.tags ?? [],
    tail_consumers: (settings.tail_consumers as { service: string }[] | null)?.map((t) => ({ name: t.service })) ?? [],
    subdomain: { ...(ctx.memory.workersDev.get(target.worker) ?? { enabled: true, previews_enabled: false }) },
    references: { dispatch_namespace_outbounds: [], domains: [], durable_objects: [], queues: [], workers: [] },
  });
};
