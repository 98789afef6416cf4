/**
 * What every route handler of `mycli serve` gets: the server's context and the request.
 */
import type { Reply } from './envelope.js';
import type { ServeBackend } from './backend.js';

export interface ServeContext {
  backend: ServeBackend;
  /** The served folder: the config's folder, or the working directory. */
  projectDir: string;
  account: { id: string; name: string };
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
