/**
 * The small path matcher behind the route table of `mycli serve`: a path pattern is
 * "/"-separated segments, each a literal or a `:param` that takes one non-empty segment.
 */
import type { Handler } from './context.js';

/** One row of the route table. */
export interface RouteSpec {
  method: string;
  /** Relative to /client/v4, e.g. `accounts/:account/workers/scripts/:script`. */
  path: string;
  handler: Handler;
}

export type Match = { handler: Handler; params: Record<string, string> } | { methodNotAllowed: string[] } | undefined;

export interface Router {
  /** `segments` are the decoded path segments after /client/v4. */
  match(method: string, segments: string[]): Match;
  /** Method + path of every route, for documentation and tests. */
  list(): string[];
}

export function createRouter(table: readonly RouteSpec[]): Router {
  const routes = table.map((r) => ({ ...r, segments: r.path.split('/') }));
  return {
    match(method, segments) {
      const allowed: string[] = [];
      for (const r of routes) {
        if (r.segments.length !== segments.length) continue;
        const params: Record<string, string> = {};
        let hit = true;
        for (let i = 0; i < segments.length; i++) {
          const want = r.segments[i];
          if (want.startsWith(':')) {
            if (segments[i] === '') {
              hit = false;
              break;
            }
            params[want.slice(1)] = segments[i];
          } else if (want !== segments[i]) {
            hit = false;
            break;
          }
        }
        if (!hit) continue;
        if (r.method === method) return { handler: r.handler, params };
        allowed.push(r.method);
      }
      return allowed.length ? { methodNotAllowed: allowed } : undefined;
    },
    list: () => table.map(({ method, path }) => `${method} /client/v4/${path.replace(/:([a-z]+)/g, '{$1}')}`),
  };
}
