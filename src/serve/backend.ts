/**
 * The local backend as `mycli serve` uses it: the same store and domain rules (LocalBackend),
 * plus, for a long-running server,
 * - a read cache: a state file is parsed again only when it changed (inode, size, mtime), so
 *   reads stay cheap as the store grows; readers never mutate the cached state;
 * - in-process serialization of changes, so concurrent requests queue here instead of polling
 *   the inter-process lock (which still guards against other mycli processes).
 */
import { stat } from 'node:fs/promises';
import { LocalBackend, stateDirFor, type LocalBackendOptions } from '../backends/local/backend.js';
import { LocalStore, type State, type StoredWorker } from '../backends/local/store.js';
import type { Target } from '../backends/types.js';

interface CacheEntry {
  sig: string;
  state: State;
}

const cache = new Map<string, CacheEntry>();
const queues = new Map<string, Promise<unknown>>();

class ServeStore extends LocalStore {
  private updating = false;

  override async read(): Promise<State> {
    if (this.updating) return super.read();
    let sig: string;
    try {
      const st = await stat(this.file);
      sig = `${st.ino}:${st.size}:${st.mtimeMs}`;
    } catch {
      return super.read();
    }
    const hit = cache.get(this.file);
    if (hit && hit.sig === sig) return hit.state;
    const state = await super.read();
    cache.set(this.file, { sig, state });
    return state;
  }

  override update<T>(change: (state: State) => T | Promise<T>): Promise<T> {
    const previous = queues.get(this.file) ?? Promise.resolve();
    const run = previous.then(async () => {
      this.updating = true;
      try {
        return await super.update(change);
      } finally {
        this.updating = false;
      }
    });
    const tail = run.catch(() => undefined);
    queues.set(this.file, tail);
    void tail.then(() => {
      if (queues.get(this.file) === tail) queues.delete(this.file);
    });
    return run;
  }
}

export class ServeBackend extends LocalBackend {
  private readonly serveEnv: Record<string, string | undefined>;

  constructor(options: LocalBackendOptions) {
    super(options);
    this.serveEnv = options.env;
  }

  override store(target: Target): LocalStore {
    return new ServeStore(stateDirFor(target, this.serveEnv));
  }

  /** The stored Worker, or undefined. The result is shared: never change it. */
  async worker(target: Target): Promise<StoredWorker | undefined> {
    const state = await this.store(target).read();
    return Object.prototype.hasOwnProperty.call(state.workers, target.worker) ? state.workers[target.worker] : undefined;
  }

  async workerNames(target: Target): Promise<{ name: string; worker: StoredWorker }[]> {
    const state = await this.store(target).read();
    return Object.entries(state.workers).map(([name, worker]) => ({ name, worker }));
  }
}
