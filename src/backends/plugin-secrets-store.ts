/**
 * A plugin's Secrets Store (`Backend.secretsStore`), checked at the edge like the rest of a
 * plugin (plugin.ts): every method must be there when the capability is declared, every result
 * is validated, errors are translated to typed errors, and values given to the plugin are
 * redacted from its error messages.
 */
import { z } from 'zod';
import { PluginError, type MycliError } from '../errors.js';
import type { SecretsStoreApi } from './types.js';

export const SECRETS_STORE_METHODS = [
  'listStores',
  'createStore',
  'deleteStore',
  'listSecrets',
  'getSecret',
  'createSecret',
  'updateSecret',
  'deleteSecret',
  'duplicateSecret',
] as const;

type StoreMethod = (typeof SECRETS_STORE_METHODS)[number];

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

const RESULTS: Record<StoreMethod, z.ZodType> = {
  listStores: z.array(store),
  createStore: store,
  deleteStore: z.unknown(),
  listSecrets: z.array(noValue(secret)),
  getSecret: noValue(secret),
  createSecret: noValue(secret),
  updateSecret: noValue(secret),
  deleteSecret: z.unknown(),
  duplicateSecret: noValue(secret),
};

/** Default value limit for plugins that do not declare one. */
const DEFAULT_LIMIT = 1024;

export function guardSecretsStore(
  spec: string,
  inner: SecretsStoreApi,
  translate: (spec: string, where: string, e: unknown) => MycliError,
  redact: (e: MycliError, values: string[]) => MycliError,
): SecretsStoreApi {
  const call = async (method: StoreMethod, args: unknown[]): Promise<unknown> => {
    let result: unknown;
    try {
      result = await (inner[method] as (...a: unknown[]) => unknown).apply(inner, args);
    } catch (e) {
      const values = args.flatMap((a) => (a && typeof a === 'object' && typeof (a as { value?: unknown }).value === 'string' ? [(a as { value: string }).value] : []));
      throw redact(translate(spec, `secretsStore.${method}`, e), values.filter((v) => v.length > 0));
    }
    const parsed = RESULTS[method].safeParse(result);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new PluginError(`backend plugin "${spec}" returned a malformed result: ${['secretsStore.' + method + '()', ...issue.path.map(String)].join('.')}: ${issue.message}`, {
        hint: 'the plugin does not follow the Backend interface (SecretsStoreApi)',
      });
    }
    return parsed.data;
  };
  const fwd =
    <M extends StoreMethod>(m: M) =>
    (...a: unknown[]) =>
      call(m, a) as never;
  return {
    maxValueLength: typeof inner.maxValueLength === 'number' && inner.maxValueLength > 0 ? inner.maxValueLength : DEFAULT_LIMIT,
    listStores: fwd('listStores'),
    createStore: fwd('createStore'),
    deleteStore: async (...a: unknown[]) => {
      await call('deleteStore', a);
    },
    listSecrets: fwd('listSecrets'),
    getSecret: fwd('getSecret'),
    createSecret: fwd('createSecret'),
    updateSecret: fwd('updateSecret'),
    deleteSecret: async (...a: unknown[]) => {
      await call('deleteSecret', a);
    },
    duplicateSecret: fwd('duplicateSecret'),
  };
}
