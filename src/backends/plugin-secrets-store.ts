/**
 * A plugin's Secrets Store (`Backend.secretsStore`), checked at the edge like the rest of a
 * plugin (plugin.ts): every method must be there when the capability is declared, every result
 * is validated, errors are translated to typed errors, and values given to the plugin are
 * redacted from its error messages.
 */
import { array, object, oneOf, refine, string, type Check } from './shape.js';
import { callPlugin } from './plugin-call.js';
import { redactError } from './edge.js';
import type { SecretsStoreApi } from './types.js';
import { SECRETS_STORE_VALUE_LIMIT } from './secrets-store-rules.js';

/** Problems with the shape of `secretsStore` (empty when it is usable). */
export function secretsStoreProblems(v: unknown): string[] {
  if (!v || typeof v !== 'object') return ['secretsStore: must be an object (capability secretsStore is declared)'];
  const o = v as Record<string, unknown>;
  const problems = SECRETS_STORE_METHODS.filter((m) => typeof o[m] !== 'function').map((m) => `secretsStore.${m}: must be a function (capability secretsStore is declared)`);
  for (const k of ['maxValueBytes', 'maxValueLength']) {
    if (o[k] !== undefined && (typeof o[k] !== 'number' || !((o[k] as number) > 0))) problems.push(`secretsStore.${k}: must be a positive number`);
  }
  return problems;
}

const store = object({ id: string({ min: 1 }), name: string(), created: string(), modified: string() });
const secret = object({
  id: string({ min: 1 }),
  storeId: string(),
  name: string({ min: 1 }),
  scopes: array(string()),
  comment: string(),
  status: oneOf('active', 'pending', 'deleted'),
  created: string(),
  modified: string(),
});
// Nothing a plugin returns about a secret may carry a value.
const noValue = <T>(c: Check<T>) => refine(c, (x) => !(x && typeof x === 'object' && 'value' in (x as object)), 'must not carry a value');

type StoreMethod = Exclude<keyof SecretsStoreApi, 'maxValueBytes'>;

/** Values given to a call (`{ value }` inputs and patches), for redacting the plugin's errors. */
const valuesOf = (args: unknown[]) =>
  args.flatMap((a) => (a && typeof a === 'object' && typeof (a as { value?: unknown }).value === 'string' ? [(a as { value: string }).value] : [])).filter((v) => v.length > 0);

/** What the wrapper knows while it makes each member of the store API. */
interface StoreEdge {
  spec: string;
  inner: SecretsStoreApi;
}

/**
 * A store method forwarded to the plugin (plugin-call.ts, as the Backend's members): errors
 * translated, the result checked; the values given are redacted from the plugin's errors (the
 * edge, edge.ts, guards the Backend's members, not the Secrets Store's).
 */
function forward<M extends StoreMethod>(method: M, result: Check<unknown>) {
  return (e: StoreEdge): SecretsStoreApi[M] => {
    const wrapped = async (...args: unknown[]): Promise<unknown> => {
      try {
        return await callPlugin(e.spec, `secretsStore.${method}`, () => (e.inner[method] as (...a: unknown[]) => unknown).apply(e.inner, args), result, 'the plugin does not follow the Backend interface (SecretsStoreApi)');
      } catch (err) {
        throw redactError(err, valuesOf(args));
      }
    };
    return wrapped as unknown as SecretsStoreApi[M];
  };
}

/** void results: whatever the plugin returns is dropped. */
const none: Check<undefined> = () => undefined;

/** Default value limit for plugins that do not declare one: Cloudflare's (one home: secrets-store-rules.ts). */
const DEFAULT_LIMIT = SECRETS_STORE_VALUE_LIMIT;

/**
 * Every member of SecretsStoreApi and how the wrapper makes it: one table, typed so that a member
 * missing here fails to compile (test/plugins/forwarding.test.ts calls each through the wrapper).
 */
export const STORE_MEMBERS: { readonly [K in keyof SecretsStoreApi]-?: (e: StoreEdge) => SecretsStoreApi[K] } = {
  // In bytes. `maxValueLength`, its former name, is still read from plugins written for it.
  maxValueBytes: (e) => {
    const given = e.inner.maxValueBytes ?? (e.inner as { maxValueLength?: unknown }).maxValueLength;
    return typeof given === 'number' && given > 0 ? given : DEFAULT_LIMIT;
  },
  listStores: forward('listStores', array(store)),
  createStore: forward('createStore', store),
  deleteStore: forward('deleteStore', none),
  listSecrets: forward('listSecrets', array(noValue(secret))),
  getSecret: forward('getSecret', noValue(secret)),
  createSecret: forward('createSecret', noValue(secret)),
  updateSecret: forward('updateSecret', noValue(secret)),
  deleteSecret: forward('deleteSecret', none),
  duplicateSecret: forward('duplicateSecret', noValue(secret)),
};

/** The methods a plugin's `secretsStore` must have. */
export const SECRETS_STORE_METHODS = Object.keys(STORE_MEMBERS).filter((k): k is StoreMethod => k !== 'maxValueBytes');

export function guardSecretsStore(spec: string, inner: SecretsStoreApi): SecretsStoreApi {
  const e: StoreEdge = { spec, inner };
  return Object.fromEntries(Object.entries(STORE_MEMBERS).map(([k, make]) => [k, (make as (e: StoreEdge) => unknown)(e)])) as unknown as SecretsStoreApi;
}
