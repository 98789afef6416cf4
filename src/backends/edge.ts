/**
 * The one guarded edge every backend passes through — local, cloudflare, a plugin (after its own
 * wrapper, plugin.ts), one injected into main() by tests, serve's: `guardEdge(backend)`.
 *
 * It owns, for every backend alike:
 * - input checks, before the backend sees the call: a patch's shape (names, value types), binding
 *   names, the value limit (limits.ts), a deployment's split (split.ts). Backends do not repeat
 *   them; what only a backend can know (the binding count after a change, 10215) stays inside it;
 * - output shaping: every Version, Deployment, SecretInfo and change result is rebuilt from the
 *   interface's fields, bindings through the one `publicBinding` (public.ts);
 * - redaction of errors: the values of the call are known to the redactor before the backend
 *   runs, and an error's message and hint are redacted where they are thrown, not only when
 *   printed (an error may travel elsewhere: `mycli serve`'s answers).
 *
 * One table, EDGE, keyed by each member it guards. The backend is wrapped in a Proxy, so what the
 * edge does not guard (a LocalBackend's `verifyStore`, serve's extension) passes through unchanged
 * and `instanceof` still tells the backend's class.
 */
import { MycliError, UsageError } from '../errors.js';
import { redact, rememberSecret } from '../redact.js';
import { assertSecretValues, type HasLimits } from './limits.js';
import { assertBindingName } from './names.js';
import { publicChangeResult, publicDeployment, publicSecretInfo, publicVersion } from './public.js';
import { validateSplit } from './split.js';
import type { Backend, DeployInput, SecretPatch, UploadInput } from './types.js';

export interface EdgeOptions {
  /**
   * false: inputs are checked, results pass as the backend returned them. Only for the
   * conformance kit (`backend check`), which must see — and report — what a backend returns.
   */
  shape?: boolean;
}

const GUARDED = Symbol('mycli.edge');

/** A secret change as every backend receives it: at least one name, valid names, strings or null, within the value limit. */
export function checkPatch(backend: HasLimits, patch: SecretPatch): void {
  const names = Object.keys(patch);
  if (names.length === 0) throw new UsageError('no secrets to change');
  for (const name of names) assertBindingName(name);
  for (const name of names) {
    if (patch[name] !== null && typeof patch[name] !== 'string') throw new UsageError(`the value of "${name}" must be a string`);
  }
  assertSecretValues(backend, patch);
}

/** An upload: its bindings' and secrets' names, and the secrets' values within the limit. */
export function checkUpload(backend: HasLimits, input: UploadInput): void {
  // A tag is a name typed back on command lines (versions deploy v2@10%, completion): an escape or
  // a newline in it would reach terminals raw and split tables.
  if (input.tag !== undefined && /[\u0000-\u001f\u007f]/.test(input.tag)) {
    throw new UsageError('the tag holds a control character (an escape, a tab or a newline)', { hint: 'give a tag of printable characters, e.g. --tag v2.3.0' });
  }
  for (const b of input.bindings) assertBindingName(b.name);
  const given = input.secrets ?? {};
  for (const name of Object.keys(given)) assertBindingName(name);
  assertSecretValues(backend, given);
}

/** An error redacted with the values of the call that failed (the redactor learns them first). */
export function redactError<E>(e: E, values: readonly string[] = []): E {
  for (const v of values) rememberSecret(v);
  if (e instanceof MycliError) {
    e.message = redact(e.message);
    if (e.hint) (e as { hint?: string }).hint = redact(e.hint);
  }
  return e;
}

const strings = (o: Record<string, unknown> | undefined) => Object.values(o ?? {}).filter((v): v is string => typeof v === 'string');

type Method = 'listSecrets' | 'updateSecrets' | 'listVersions' | 'getVersion' | 'uploadVersion' | 'listDeployments' | 'deploy' | 'differentSecrets';
type Args<M extends Method> = Parameters<NonNullable<Backend[M]>>;
type Result<M extends Method> = Awaited<ReturnType<NonNullable<Backend[M]>>>;

interface Rule<M extends Method> {
  /** Checks before the call (throw a typed error). */
  check?: (backend: Backend, ...args: Args<M>) => void;
  /** The secret values among the arguments: known to the redactor before the backend runs. */
  values?: (...args: Args<M>) => string[];
  /** The result rebuilt from the interface's fields. */
  shape?: (r: Result<M>) => Result<M>;
}

/** What the edge does on each member it guards. */
export const EDGE: { readonly [M in Method]: Rule<M> } = {
  listSecrets: { shape: (r) => r.map(publicSecretInfo) },
  updateSecrets: { check: (b, _t, patch) => checkPatch(b, patch), values: (_t, patch) => strings(patch), shape: publicChangeResult },
  listVersions: { shape: (r) => r.map((v) => publicVersion(v)) },
  getVersion: { shape: (v) => publicVersion(v) },
  uploadVersion: { check: (b, _t, input) => checkUpload(b, input), values: (_t, input) => strings(input.secrets), shape: (v) => publicVersion(v) },
  listDeployments: { shape: (r) => r.map(publicDeployment) },
  deploy: { check: (_b, _t, input: DeployInput) => validateSplit(input.versions), shape: publicDeployment },
  differentSecrets: { values: (_t, values) => strings(values) },
};

/** `backend` behind the edge (a backend already behind it is returned as it is). */
export function guardEdge<B extends Backend>(backend: B, o: EdgeOptions = {}): B {
  if ((backend as { [GUARDED]?: boolean })[GUARDED]) return backend;
  const shape = o.shape !== false;
  const made = new Map<PropertyKey, unknown>();
  const guard = <M extends Method>(method: M, fn: (...a: unknown[]) => Promise<unknown>) => {
    // One rule for any member: its arguments are the member's own (typed in EDGE, loose here).
    const rule = EDGE[method] as unknown as { check?: (b: Backend, ...a: unknown[]) => void; values?: (...a: unknown[]) => string[]; shape?: (r: unknown) => unknown };
    return async (...args: unknown[]) => {
      const values = rule.values?.(...args) ?? [];
      for (const v of values) rememberSecret(v);
      rule.check?.(backend, ...args);
      let got: unknown;
      try {
        got = await fn.apply(backend, args);
      } catch (e) {
        throw redactError(e, values);
      }
      return shape && rule.shape ? rule.shape(got as never) : got;
    };
  };
  return new Proxy(backend, {
    get(target, prop) {
      if (prop === GUARDED) return true;
      if (made.has(prop)) return made.get(prop);
      const value = Reflect.get(target, prop, target) as unknown;
      if (typeof value !== 'function') return value;
      const wrapped = Object.hasOwn(EDGE, prop) ? guard(prop as Method, value as (...a: unknown[]) => Promise<unknown>) : (value as (...a: unknown[]) => unknown).bind(target);
      made.set(prop, wrapped);
      return wrapped;
    },
  });
}
