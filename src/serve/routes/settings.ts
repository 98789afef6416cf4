/**
 * Settings routes of `mycli serve`: the versioned settings (bindings, annotations; a PATCH makes
 * and deploys a version) and the settings that are not versioned here (tags, logpush,
 * observability, tail consumers, compatibility, limits, placement, usage model), kept in the
 * server's memory: what a client PATCHes comes back on the next GET, never silently dropped.
 */
import type { Target } from '../../backends/types.js';
import { isObject, jsonObject, jsonPart, parseMultipart } from '../body.js';
import { badRequest, ok } from '../envelope.js';
import type { Handler, ServeContext } from '../context.js';
import { bindingJson } from '../shapes.js';
import { writeAnnotations } from '../../backends/cloudflare/annotations.js';
import { message, requireWorker, targetOf, toApplyBindings } from './common.js';

const strings = (v: unknown) => Array.isArray(v) && v.every((x) => typeof x === 'string');

/**
 * The settings kept in memory, each with its check (the reference schema's type): a field of the
 * wrong type is a 400 naming it, never stored.
 */
const KEPT: Record<string, { check: (v: unknown) => boolean; want: string }> = {
  logpush: { check: (v) => typeof v === 'boolean', want: 'a boolean' },
  observability: { check: (v) => v === null || (isObject(v) && (v.enabled === undefined || typeof v.enabled === 'boolean')), want: 'an object {"enabled": boolean, ...} or null' },
  tags: { check: (v) => v === null || strings(v), want: 'an array of strings or null' },
  tail_consumers: {
    check: (v) => v === null || (Array.isArray(v) && v.every((t) => isObject(t) && typeof t.service === 'string')),
    want: 'an array of {"service": string, "environment"?, "namespace"?} or null',
  },
  compatibility_date: { check: (v) => typeof v === 'string', want: 'a string (YYYY-MM-DD)' },
  compatibility_flags: { check: strings, want: 'an array of strings' },
  usage_model: { check: (v) => v === 'standard' || v === 'bundled' || v === 'unbound', want: '"standard", "bundled" or "unbound"' },
  limits: { check: (v) => isObject(v) && Object.values(v).every((x) => typeof x === 'number'), want: 'an object of numbers {"cpu_ms"?, "subrequests"?}' },
  placement: { check: isObject, want: 'an object' },
  cache_options: { check: (v) => isObject(v) && typeof v.enabled === 'boolean', want: 'an object {"enabled": boolean}' },
};

/** What PATCH …/script-settings takes (the rest of KEPT is PATCH …/settings only). */
const SCRIPT_SETTINGS = ['logpush', 'observability', 'tags', 'tail_consumers'] as const;

/** What a Worker has before anyone sets it (a field the schema does not let be null is left out). */
const DEFAULTS: Record<string, unknown> = {
  logpush: false,
  tags: null,
  tail_consumers: null,
  compatibility_flags: [],
  usage_model: 'standard',
};

function remembered(ctx: ServeContext, target: Target): Record<string, unknown> {
  return { ...DEFAULTS, ...ctx.memory.scriptSettings.get(target.worker) };
}

/** The kept fields of a PATCH body (checked), for `allowed` keys only. */
function keptFields(body: Record<string, unknown>, allowed: readonly string[], where: string): Record<string, unknown> {
  const next: Record<string, unknown> = {};
  for (const k of allowed) {
    if (!(k in body)) continue;
    const rule = KEPT[k];
    if (!rule.check(body[k])) throw badRequest(`${where}: "${k}" must be ${rule.want}`);
    next[k] = body[k];
  }
  return next;
}

function remember(ctx: ServeContext, target: Target, next: Record<string, unknown>): void {
  if (Object.keys(next).length) ctx.memory.scriptSettings.set(target.worker, { ...ctx.memory.scriptSettings.get(target.worker), ...next });
}

/** The script settings of a Worker (GET/PATCH …/script-settings, and the Worker object). */
export function scriptSettingsJson(ctx: ServeContext, target: Target): Record<string, unknown> {
  const all = remembered(ctx, target);
  return Object.fromEntries(SCRIPT_SETTINGS.map((k) => [k, all[k] ?? null]));
}

export const getSettings: Handler = async (ctx, req) => {
  const target = targetOf(ctx, req);
  await requireWorker(ctx, target);
  const [latest] = await ctx.backend.listVersions(target, { limit: 1 });
  const annotations = writeAnnotations({ message: latest?.message, tag: latest?.tag });
  // observability and placement are not nullable in the settings schema: left out until set.
  const kept = Object.fromEntries(Object.entries(remembered(ctx, target)).filter(([k, v]) => !(v === null && (k === 'observability' || k === 'placement'))));
  return ok({
    ...kept,
    bindings: (latest?.bindings ?? []).map(bindingJson),
    annotations,
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
  const { bindings, annotations } = settings;
  // Checked before anything is written: a bad field changes nothing.
  const kept = keptFields(settings, Object.keys(KEPT), 'settings');
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
  remember(ctx, target, kept);
  return getSettings(ctx, req);
};

export const getScriptSettings: Handler = async (ctx, req) => {
  const target = targetOf(ctx, req);
  await requireWorker(ctx, target);
  return ok(scriptSettingsJson(ctx, target));
};

export const patchScriptSettings: Handler = async (ctx, req) => {
  const target = targetOf(ctx, req);
  const body = jsonObject(await req.body());
  await requireWorker(ctx, target);
  remember(ctx, target, keptFields(body, SCRIPT_SETTINGS, 'script-settings'));
  return ok(scriptSettingsJson(ctx, target));
};
