/**
 * The local backend as `mycli serve` uses it: the same store and domain rules (LocalBackend),
 * plus, for a long-running server,
 * - one LocalStore per folder for the server's life: concurrent readers share one read of the
 *   head (single-flight), a read that only checks the log for a newer generation when a head is
 *   cached, so the cache is invalidated by a head change, never by time; immutable records
 *   (versions, deployments) are cached by id;
 * - in-process serialization of changes, so concurrent requests queue here instead of polling
 *   the inter-process lock (which still guards against other mycli processes). A change costs
 *   what it adds, so writes do not slow down as the history grows.
 */
import { LocalBackend, publicDeployment, publicVersion, type LocalBackendOptions } from '../backends/local/backend.js';
import { ownWorker, type HeadWorker } from '../backends/local/store.js';
import type { Deployment, Target, Version } from '../backends/types.js';

/** What the routes need to know of a stored Worker. */
export interface ServeWorker {
  createdOn: string;
  head: HeadWorker;
}

export class ServeBackend extends LocalBackend {
  /** The tail of each folder's queue of changes, for this server only. */
  private readonly queues = new Map<string, Promise<unknown>>();

  constructor(options: LocalBackendOptions) {
    super(options);
  }

  private serialized<T>(key: string, run: () => Promise<T>): Promise<T> {
    const previous = this.queues.get(key) ?? Promise.resolve();
    const result = previous.then(run);
    const tail = result.catch(() => undefined);
    this.queues.set(key, tail);
    void tail.then(() => {
      if (this.queues.get(key) === tail) this.queues.delete(key);
    });
    return result;
  }

  override updateSecrets(...args: Parameters<LocalBackend['updateSecrets']>) {
    return this.serialized(this.store(args[0]).dir, () => super.updateSecrets(...args));
  }
  override uploadVersion(...args: Parameters<LocalBackend['uploadVersion']>) {
    return this.serialized(this.store(args[0]).dir, () => super.uploadVersion(...args));
  }
  override deploy(...args: Parameters<LocalBackend['deploy']>) {
    return this.serialized(this.store(args[0]).dir, () => super.deploy(...args));
  }
  override applyBindings(...args: Parameters<LocalBackend['applyBindings']>) {
    return this.serialized(this.store(args[0]).dir, () => super.applyBindings(...args));
  }
  override createWorker(...args: Parameters<LocalBackend['createWorker']>) {
    return this.serialized(this.store(args[0]).dir, () => super.createWorker(...args));
  }
  override deleteWorker(...args: Parameters<LocalBackend['deleteWorker']>) {
    return this.serialized(this.store(args[0]).dir, () => super.deleteWorker(...args));
  }

  /** The stored Worker, or undefined. */
  async worker(target: Target): Promise<ServeWorker | undefined> {
    const head = await this.store(target).readHead();
    const w = ownWorker(head, target.worker);
    return w && { createdOn: w.createdOn, head: w };
  }

  /** Every Worker with its latest version. */
  async workerNames(target: Target): Promise<{ name: string; createdOn: string; latest?: Version }[]> {
    const store = this.store(target);
    const head = await store.readHead();
    return Promise.all(
      Object.entries(head.workers).map(async ([name, w]) => ({
        name,
        createdOn: w.createdOn,
        latest: w.latest ? publicVersion(await store.namedVersion(w.latest, `Worker "${name}"`)) : undefined,
      })),
    );
  }

  /** The live deployment of a Worker, read alone. */
  async liveDeployment(target: Target): Promise<Deployment | undefined> {
    const store = this.store(target);
    const w = ownWorker(await store.readHead(), target.worker);
    return w?.live ? publicDeployment(await store.namedDeployment(w.live, `Worker "${target.worker}"`)) : undefined;
  }

  /** How many versions the Worker has (the number of its latest), or undefined without the Worker. */
  async versionCount(target: Target): Promise<number | undefined> {
    return ownWorker(await this.store(target).readHead(), target.worker)?.versions;
  }

  /** The number of a version of the Worker, or undefined when it has none of that id. */
  async versionNumber(target: Target, id: string): Promise<number | undefined> {
    const store = this.store(target);
    return (await store.committedVersion(await store.readHead(), target.worker, id))?.number;
  }
}
