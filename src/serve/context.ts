/**
 * What every route handler of `mycli serve` gets: the context of its server and the request.
 *
 * A context is made per server (createServeContext, from startServer / createHandler) and holds
 * everything a server remembers, so two servers in one process never share state.
 */
import type { Reply } from './envelope.js';
import type { ServeBackend } from './backend-types.js';

/** What a server keeps in memory only (not in the store), by Worker name. */
export interface ServeMemory {
  /** Script settings (logpush, observability, tail consumers). */
  scriptSettings: Map<string, Record<string, unknown>>;
  /** workers.dev settings: there is no real workers.dev here; the answers let a deploy finish. */
  workersDev: Map<string, { enabled: boolean; previews_enabled: boolean }>;
}

export interface ServeContext {
  /** The server's backend (backend.ts): the Backend API and serve's declared extension. */
  backend: ServeBackend;
  /** The served folder: the config's folder, or the working directory. */
  projectDir: string;
  account: { id: string; name: string };
  memory: ServeMemory;
}

export function createServeContext(init: Omit<ServeContext, 'memory'>): ServeContext {
  return { ...init, memory: { scriptSettings: new Map(), workersDev: new Map() } };
}

export interface RouteRequest {
  method: string;
  params: Record<string, string>;
  query: URLSearchParams;
  headers: Record<string, string | string[] | undefined>;
  body: () => Promise<Buffer>;
  contentType?: string;
}

export type Handler = (ctx: ServeContext, req: RouteRequest) => Promise<Reply>;
