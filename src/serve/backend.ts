/**
 * The backend of one `mycli serve` server: the local backend with the serve extension
 * (backends/local/serve-extension.ts: the same store and domain rules as the CLI), behind the
 * ServeBackend interface, plus what a long-running server needs:
 * - one LocalStore per folder for the server's life (inside the local backend): concurrent
 *   readers share one read of the head (single-flight), a read that only checks the log for a
 *   newer generation when a head is cached, so the cache is invalidated by a head change, never
 *   by time; immutable records (versions, deployments) are cached by id;
 * - in-process serialization of changes (serializeChanges), so concurrent requests queue here
 *   instead of polling the inter-process lock (which still guards against other mycli
 *   processes). A change costs what it adds, so writes do not slow down as the history grows.
 */
import { LocalServeBackend } from '../backends/local/serve-extension.js';
import { guardEdge } from '../backends/edge.js';
import type { Target } from '../backends/types.js';
import type { ServeBackend } from './backend-types.js';

export interface ServeBackendOptions {
  env: Record<string, string | undefined>;
  /** Called once when a change creates the Worker or the key file. */
  notice?: (line: string) => void;
}

/** A new server's backend: its own store handles and its own queues of changes. */
export function createServeBackend(options: ServeBackendOptions): ServeBackend {
  // Behind the edge every backend passes through (backends/edge.ts): the same checks as the CLI's.
  return serializeChanges(guardEdge(new LocalServeBackend(options)));
}

/**
 * The store with its changes run one at a time per state folder (`describe(target)`), in the
 * order they arrive; reads pass through. The queues belong to the returned object alone.
 */
export function serializeChanges(inner: ServeBackend): ServeBackend {
  const queues = new Map<string, Promise<unknown>>();
  const serialized = <T>(target: Target, run: () => Promise<T>): Promise<T> => {
    const key = inner.describe(target);
    const previous = queues.get(key) ?? Promise.resolve();
    const result = previous.then(run);
    const tail = result.catch(() => undefined);
    queues.set(key, tail);
    void tail.then(() => {
      if (queues.get(key) === tail) queues.delete(key);
    });
    return result;
  };
  return {
    secretsStore: inner.secretsStore,
    describe: (target) => inner.describe(target),
    listSecrets: (target) => inner.listSecrets(target),
    listVersions: (target, options) => inner.listVersions(target, options),
    getVersion: (target, id) => inner.getVersion(target, id),
    listDeployments: (target, options) => inner.listDeployments(target, options),
    getModule: (target, id) => inner.getModule(target, id),
    worker: (target) => inner.worker(target),
    workerNames: (target) => inner.workerNames(target),
    liveDeployment: (target) => inner.liveDeployment(target),
    versionCount: (target) => inner.versionCount(target),
    versionNumber: (target, id) => inner.versionNumber(target, id),
    isSecretsStoreConflict: (e): e is Error => inner.isSecretsStoreConflict(e),
    updateSecrets: (target, patch, options) => serialized(target, () => inner.updateSecrets(target, patch, options)),
    deploy: (target, input) => serialized(target, () => inner.deploy(target, input)),
    applyBindings: (target, input) => serialized(target, () => inner.applyBindings(target, input)),
    deleteWorker: (target) => serialized(target, () => inner.deleteWorker(target)),
  };
}
