/**
 * One call into a plugin, for every member the wrappers forward (plugin.ts for the Backend,
 * plugin-secrets-store.ts for its Secrets Store): the plugin's errors translated to typed errors
 * naming the plugin and the call, its result checked against the member's shape (shape.ts).
 */
import { ExitCode, MycliError, PluginError, type ErrorCode } from '../errors.js';
import { conforms, type Check } from './shape.js';

/**
 * The plugin's method `where` called with `args`: a thrown error translated; a result that does not
 * have the shape `result` a PluginError naming the field ("listSecrets().0.name: ...").
 */
export async function callPlugin(spec: string, where: string, call: () => unknown, result: Check<unknown>, hint: string): Promise<unknown> {
  let got: unknown;
  try {
    got = await call();
  } catch (err) {
    throw translate(spec, where, err);
  }
  const parsed = conforms(result, got);
  if (!parsed.ok) {
    const field = [`${where}()`, ...parsed.error.path.map(String)].join('.');
    throw new PluginError(`backend plugin "${spec}" returned a malformed result: ${field}: ${parsed.error.problem}`, { hint });
  }
  return parsed.value;
}

const EXIT_TO_CODE: Record<number, ErrorCode> = {
  [ExitCode.failed]: 'failed',
  [ExitCode.usage]: 'usage',
  [ExitCode.notFound]: 'not_found',
  [ExitCode.auth]: 'auth',
  [ExitCode.conflict]: 'conflict',
  [ExitCode.cancelled]: 'cancelled',
};

/**
 * Errors from a plugin: our typed errors pass through (also when the plugin has its own copy of
 * mycli, recognised by shape); anything else becomes a PluginError naming the plugin and call.
 */
export function translate(spec: string, where: string, e: unknown): MycliError {
  if (e instanceof MycliError) return e;
  const like = e as { exitCode?: unknown; code?: unknown; message?: unknown; hint?: unknown; apiCode?: unknown; secrets?: unknown };
  if (like && typeof like.exitCode === 'number' && EXIT_TO_CODE[like.exitCode] && typeof like.message === 'string') {
    const code = typeof like.code === 'string' ? (like.code as ErrorCode) : EXIT_TO_CODE[like.exitCode];
    // A copy of SecretsChangedError (older or newer mycli) names the secrets as `secrets`.
    const secrets = Array.isArray(like.secrets) ? like.secrets.filter((x): x is string => typeof x === 'string') : undefined;
    return new MycliError(code, like.exitCode, like.message, {
      hint: typeof like.hint === 'string' ? like.hint : undefined,
      apiCode: typeof like.apiCode === 'number' ? like.apiCode : undefined,
      details: secrets ? { secrets } : undefined,
    });
  }
  const message = e instanceof Error ? e.message : String(e);
  return new PluginError(`backend plugin "${spec}" failed in ${where}: ${message}`, {
    hint: 'this is an error inside the plugin; plugins should throw the typed errors from mycli/backend',
    cause: e,
  });
}
