/**
 * `--notify <url>`: one JSON event per step, measurement, hold, pause, rollback and end, POSTed
 * to each URL. The `text` field is a sentence a person reads as it is (Slack, Discord and Teams
 * incoming webhooks show `text`; Discord reads `content`, which carries the same sentence).
 *
 * A notification never holds the rollout up or fails it: events are sent in order in the
 * background, each POST is bounded in time and retried once, and what went wrong is a --debug
 * line. At the end the rollout waits for what is still queued, bounded too. Events carry ids,
 * percentages, counts and verdicts only — never a secret value (the text is redacted as well).
 */
import { redact } from '../../../redact.js';

export type EventType = 'start' | 'step' | 'measurement' | 'hold' | 'pause' | 'rollback' | 'end';

export interface RolloutEvent {
  type: EventType;
  rolloutId: string;
  worker: string;
  env: string | null;
  version: string;
  stable: string;
  /** A sentence for people. */
  text: string;
  [key: string]: unknown;
}

export interface NotifierOptions {
  urls: string[];
  fetch: typeof fetch;
  debug: (line: string) => void;
  /** Bound of one POST (ms). */
  timeoutMs: number;
  /** Bound of the wait for queued events at the end (ms). */
  drainMs: number;
}

/** Where a URL points, without its path and query (a webhook URL's path is its secret). */
export function urlOrigin(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return '(invalid URL)';
  }
}

export class Notifier {
  private chain: Promise<void> = Promise.resolve();
  /** Events sent (or given up on), for tests and the summary. */
  sent = 0;
  failed = 0;

  constructor(private readonly o: NotifierOptions) {}

  get enabled(): boolean {
    return this.o.urls.length > 0;
  }

  /** Queue `event` for every URL; returns at once. */
  send(event: RolloutEvent): void {
    if (!this.enabled) return;
    const body = JSON.stringify({ ...event, text: redact(event.text), content: redact(event.text), at: event.at ?? new Date().toISOString() });
    for (const url of this.o.urls) {
      this.chain = this.chain.then(() => this.post(url, body, event.type));
    }
  }

  private async post(url: string, body: string, type: string): Promise<void> {
    for (let attempt = 1; attempt <= 2; attempt++) {
      const ac = new AbortController();
      const timer = setTimeout(() => ac.abort(), this.o.timeoutMs);
      timer.unref?.();
      try {
        const res = await this.o.fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', 'user-agent': 'mycli-rollout' }, body, signal: ac.signal });
        await res.arrayBuffer().catch(() => undefined);
        if (res.status >= 200 && res.status < 300) {
          this.sent++;
          return;
        }
        this.o.debug(`notify ${urlOrigin(url)}: ${type} event answered HTTP ${res.status}${attempt === 1 ? '; retrying once' : '; given up'}`);
      } catch (e) {
        const why = ac.signal.aborted ? `no answer within ${this.o.timeoutMs}ms` : describe(e);
        this.o.debug(`notify ${urlOrigin(url)}: ${type} event failed (${why})${attempt === 1 ? '; retrying once' : '; given up'}`);
      } finally {
        clearTimeout(timer);
      }
    }
    this.failed++;
  }

  /** Wait for the queued events, at most drainMs; what is left is dropped (and said under --debug). */
  async drain(): Promise<void> {
    if (!this.enabled) return;
    let timer: NodeJS.Timeout | undefined;
    const bounded = new Promise<'late'>((resolve) => {
      timer = setTimeout(() => resolve('late'), this.o.drainMs);
      timer.unref?.();
    });
    const r = await Promise.race([this.chain.then(() => 'done' as const), bounded]);
    clearTimeout(timer);
    if (r === 'late') this.o.debug(`notify: events still queued after ${this.o.drainMs}ms were dropped`);
  }
}

function describe(e: unknown): string {
  const err = e as { message?: string; cause?: { code?: string; message?: string } };
  return redact(err.cause?.code ?? err.cause?.message ?? err.message ?? String(e));
}
