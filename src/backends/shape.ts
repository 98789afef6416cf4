/**
 * Checking the shape of what comes from outside a backend (a plugin's results), by hand: one
 * approach for mycli, the one `cloudflare/shapes.ts` (API answers) and `config/schema.ts` (the
 * config) use too. Chosen by measurement (issue 21 item 5), on the built bundle, median of 21
 * alternating runs on a shared 2-core machine: importing the plugin chunk took 1.67x the wall
 * time of `node -e 0` (peak RSS 48.3 MB) with zod 4 inside (486 KB), 1.36x (43.5 MB) with these
 * checks (15 KB). The same cost would fall on every command if the config or the Cloudflare
 * answers were checked with zod; start-up is a product goal.
 *
 * Semantics kept from the zod schemas they replace: objects are lenient (extra fields pass, the
 * strip that follows drops them), the first problem is reported as `path: message`, with zod's
 * words ("Invalid input: expected string, received number") so messages did not change.
 */

export type Path = (string | number)[];

/** A problem found by a check: where (dotted path) and what. */
export class ShapeError extends Error {
  constructor(
    readonly path: Path,
    readonly problem: string,
  ) {
    super(`${path.join('.') || '(root)'}: ${problem}`);
  }
}

/** A check: returns the value (typed) or throws ShapeError. */
export type Check<T> = (v: unknown, path: Path) => T;

export function kind(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v;
}

export function expected(path: Path, what: string, v: unknown): never {
  throw new ShapeError(path, `Invalid input: expected ${what}, received ${kind(v)}`);
}

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export const string =
  (o: { min?: number } = {}): Check<string> =>
  (v, path) => {
    if (typeof v !== 'string') expected(path, 'string', v);
    if (o.min !== undefined && v.length < o.min) throw new ShapeError(path, `Too small: expected string to have >=${o.min} characters`);
    return v;
  };

export const number =
  (o: { int?: boolean; nonnegative?: boolean } = {}): Check<number> =>
  (v, path) => {
    if (typeof v !== 'number' || !Number.isFinite(v)) expected(path, 'number', v);
    if (o.int && !Number.isInteger(v)) expected(path, 'int', v);
    if (o.nonnegative && v < 0) throw new ShapeError(path, 'Too small: expected number to be >=0');
    return v;
  };

export const boolean = (): Check<boolean> => (v, path) => (typeof v === 'boolean' ? v : expected(path, 'boolean', v));

export const oneOf =
  <T extends string>(...values: T[]): Check<T> =>
  (v, path) => {
    if (typeof v !== 'string' || !values.includes(v as T)) throw new ShapeError(path, `Invalid option: expected one of ${values.map((x) => JSON.stringify(x)).join('|')}`);
    return v as T;
  };

export const optional =
  <T>(c: Check<T>): Check<T | undefined> =>
  (v, path) =>
    v === undefined ? undefined : c(v, path);

export const nullish =
  <T>(c: Check<T>): Check<T | null | undefined> =>
  (v, path) =>
    v === undefined || v === null ? v : c(v, path);

export const array =
  <T>(item: Check<T>, o: { min?: number } = {}): Check<T[]> =>
  (v, path) => {
    if (!Array.isArray(v)) expected(path, 'array', v);
    if (o.min !== undefined && v.length < o.min) throw new ShapeError(path, `Too small: expected array to have >=${o.min} items`);
    return v.map((x, i) => item(x, [...path, i]));
  };

/** A lenient object: the listed fields checked, the others kept as they are. */
export const object =
  <S extends Record<string, Check<unknown>>>(fields: S): Check<{ [K in keyof S]: ReturnType<S[K]> } & Record<string, unknown>> =>
  (v, path) => {
    if (!isObject(v)) expected(path, 'object', v);
    for (const [k, c] of Object.entries(fields)) c(v[k], [...path, k]);
    return v as { [K in keyof S]: ReturnType<S[K]> } & Record<string, unknown>;
  };

/** A further rule on a checked value: `problem` at `at` (below the value's path) when `ok` is false. */
export const refine =
  <T>(c: Check<T>, ok: (v: T) => boolean, problem: string, at: Path = []): Check<T> =>
  (v, path) => {
    const out = c(v, path);
    if (!ok(out)) throw new ShapeError([...path, ...at], problem);
    return out;
  };

/** Anything (the result of a void method: dropped by the caller). */
export const anything = (): Check<unknown> => (v) => v;

/** `check(v)` as a result: the value, or the first problem. */
export function conforms<T>(check: Check<T>, v: unknown): { ok: true; value: T } | { ok: false; error: ShapeError } {
  try {
    return { ok: true, value: check(v, []) };
  } catch (e) {
    if (e instanceof ShapeError) return { ok: false, error: e };
    throw e;
  }
}
