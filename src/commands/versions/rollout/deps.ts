/**
 * What a rollout needs from the world, injected so that tests drive time and signals: a clock
 * (waits and time-outs), a source of Ctrl-C / SIGTERM, random ids and fetch.
 */

export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /**
   * Resolve after `ms`, or at once when `signal` aborts; never rejects. `purpose` tells a test
   * clock a wait between steps from a gate's time-out.
   */
  sleep(ms: number, signal: AbortSignal, purpose: 'wait' | 'timeout'): Promise<void>;
}

export type StopSignal = 'SIGINT' | 'SIGTERM';

export interface SignalSource {
  /** Call `handler` on each Ctrl-C / SIGTERM until the returned function is called. */
  subscribe(handler: (signal: StopSignal) => void): () => void;
}

export interface RolloutDeps {
  clock: Clock;
  signals: SignalSource;
  randomId(): string;
  fetch: typeof fetch;
  /** Bound of one --notify POST in ms (default 5,000; tests make it short). */
  notifyTimeoutMs?: number;
}

export const realClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve) => {
      if (signal.aborted) return resolve();
      const done = () => {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      signal.addEventListener('abort', done, { once: true });
    }),
};

/** The process's own signals. While subscribed, Ctrl-C does not kill mycli: the rollout decides. */
export const processSignals: SignalSource = {
  subscribe(handler) {
    const onInt = () => handler('SIGINT');
    const onTerm = () => handler('SIGTERM');
    process.on('SIGINT', onInt);
    process.on('SIGTERM', onTerm);
    return () => {
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
    };
  },
};

export function defaultDeps(): RolloutDeps {
  return {
    clock: realClock,
    signals: processSignals,
    randomId: () => globalThis.crypto.randomUUID(),
    fetch: (...args) => globalThis.fetch(...args),
  };
}
