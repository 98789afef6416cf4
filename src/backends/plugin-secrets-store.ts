/**
 * A plugin's Secrets Store (`Backend.secretsStore`), checked at the edge like the rest of a
 * plugin (plugin.ts): every method must be there when the capability is declared, every result
 * is validated, errors are translated to typed errors, and values given to the plugin are
 * redacted from its error messages.
 */
import { z } from 'zod';
import { PluginError, type MycliError } from '../errors.js';
import type { SecretsStoreApi } from './types.js';
import { SECRETS_STORE_VALUE_LIMIT } from './secrets-store-rules.js';

/** Problems with the shape of `secretsStore` (empty when it is usable). */
export function secretsStoreProblems(v: unknown): string[] {
  if (!v || typeof v !== 'object') return ['secretsStore: must be an object (capability secretsStore is declared)'];
  const o = v as Record<string, unknown>;
  const problems = SECRETS_STORE_METHODS.filter((m) => typeof o[m] !== 'function').map((m) => `secretsStore.${m}: must be a function (capability secretsStore is declared)`);
  if (o.maxValueLength !== undefined && (typeof o.maxValueLength !== 'number' || !(o.maxValueLength > 0))) problems.push('secretsStore.maxValueLength: must be a positive number');
  return problems;
}

const store = z.looseObject({ id: z.string().min(1), name: z.string(), created: z.string(), modified: z.string() });
const secret = z.looseObject({
  id: z.string().min(1),
  storeId: z.string(),
  name: z.string().min(1),
  scopes: z.array(z.string()),
  comment: z.string(),
  status: z.enum(['active', 'pending', 'deleted']),
  created: z.string(),
  modified: z.string(),
});
// Nothing a plugin returns about a secret may carry a value.
const noValue = (s: z.ZodType) => s.refine((x) => !(x && typeof x === 'object' && 'value' in (x as object)), { message: 'must not carry a value' });

/** What the wrapper knows while it makes each member of the store API. */
interface StoreEdge {
  spec: string;
  inner: SecretsStoreApi;
  translate: (spec: string, where: string, e: unknown) => MycliError;
  redact: (e: MycliError, values: string[]) => MycliError;
}

type StoreMethod = Exclude<keyof SecretsStoreApi, 'maxValueLength'>;

/** Values given to a call (`{ value }` inputs and patches), for redacting the plugin's errors. */
const valuesOf = (args: unknown[]) =>
  args.flatMap((a) => (a && typeof a === 'object' && typeof (a as { value?: unknown }).value === 'string' ? [(a as { value: string }).value] : [])).filter((v) => v.length > 0);

/** A store method forwarded to the plugin: errors translated and redacted, the result validated. */
function forward<M extends StoreMethod>(method: M, result: z.ZodType) {
  return (e: StoreEdge): SecretsStoreApi[M] => {
    const wrapped = async (...args: unknown[]): Promise<unknown> => {
      let got: unknown;
      try {
        got = await (e.inner[method] as (...a: unknown[]) => unknown).apply(e.inner, args);
      } catch (err) {
        throw e.redact(e.translate(e.spec, `secretsStore.${method}`, err), valuesOf(args));
      }
      const parsed = result.safeParse(got);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        throw new PluginError(`backend plugin "${e.spec}" returned a malformed result: ${['secretsStore.' + method + '()', ...issue.path.map(String)].join('.')}: ${issue.message}`, {
          hint: 'the plugin does not follow the Backend interface (SecretsStoreApi)',
        });
      }
      return parsed.data;
    };
    return wrapped as unknown as SecretsStoreApi[M];
  };
}

/** void results: whatever the plugin returns is dropped. */
const none = z.unknown().transform(() => undefined);

/** Default value limit for plugins that do not declare one: Cloudflare's (one home: secrets-store-rules.ts). */
const DEFAULT_LIMIT = SECRETS_STORE_VALUE_LIMIT;

/**
 * Every member of SecretsStoreApi and how the wrapper makes it: one table, typed so that a member
 * missing here fails to compile (test/plugins/forwarding.test.ts calls each through the wrapper).
 */
export const STORE_MEMBERS: { readonly [K in keyof SecretsStoreApi]-?: (e: StoreEdge) => SecretsStoreApi[K] } = {
  maxValueLength: (e) => (typeof e.inner.maxValueLength === 'number' && e.inner.maxValueLength > 0 ? e.inner.maxValueLength : DEFAULT_LIMIT),
  listStores: forward('listStores', z.array(store)),
  createStore: forward('createStore', store),
  deleteStore: forward('deleteStore', none),
  listSecrets: forward('listSecrets', z.array(noValue(secret))),
  getSecret: forward('getSecret', noValue(secret)),
  createSecret: forward('createSecret', noValue(secret)),
  updateSecret: forward('updateSecret', noValue(secret)),
  deleteSecret: forward('deleteSecret', none),
  duplicateSecret: forward('duplicateSecret', noValue(secret)),
};

/** The methods a plugin's `secretsStore` must have. */
export const SECRETS_STORE_METHODS = Object.keys(STORE_MEMBERS).filter((k): k is StoreMethod => k !== 'maxValueLength');

export function guardSecretsStore(
  spec: string,
  inner: SecretsStoreApi,
  translate: (spec: string, where: string, e: unknown) => MycliError,
  redact: (e: MycliError, values: string[]) => MycliError,
): SecretsStoreApi {
  const e: StoreEdge = { spec, inner, translate, redact };
  return Object.fromEntries(Object.entries(STORE_MEMBERS).map(([k, make]) => [k, (make as (e: StoreEdge) => unknown)(e)])) as unknown as SecretsStoreApi;
}
