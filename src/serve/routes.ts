/**
 * The Cloudflare API v4 routes `mycli serve` answers, over the local store: one table of
 * {method, path, handler}, the handlers in one file per resource under routes/.
 *
 * Paths are relative to /client/v4. Every Worker route acts on Worker {script_name} of the
 * served folder's store, with the local backend's domain rules. Any account id is accepted in
 * paths: the store is not partitioned by account (GET /accounts lists one fake account).
 */
import type { Handler } from './context.js';
import { accounts, getAccountSubdomain, listKvNamespaces, memberships, verifyToken } from './routes/account.js';
import { listDeployments, getDeployment, postDeployment } from './routes/deployments.js';
import { deleteScript, getScript, getService, listScripts, putScript } from './routes/scripts.js';
import { deleteSecret, getSecret, listSecrets, patchSecretsBulk, putSecret } from './routes/secrets.js';
import { secretsStoreTable } from './routes/secrets-store.js';
import { getScriptSettings, getSettings, patchScriptSettings, patchSettings } from './routes/settings.js';
import { getScriptSubdomain, postScriptSubdomain } from './routes/subdomain.js';
import { getContent, getVersion, listVersions, patchLatestVersion, postVersion } from './routes/versions.js';

export type { RouteRequest, ServeContext } from './context.js';

interface Route {
  method: string;
  segments: string[];
  handler: Handler;
}

// ---- the table -----------------------------------------------------------------------------

const A = 'accounts/:account';
const S = `${A}/workers/scripts/:script`;
const E = `${A}/workers/services/:script/environments/:env`;

const table: [string, string, Handler][] = [
  ['GET', 'accounts', accounts],
  ['GET', 'memberships', memberships],
  ['GET', 'user/tokens/verify', verifyToken],
  ['GET', `${A}/tokens/verify`, verifyToken],
  ['GET', `${A}/workers/scripts`, listScripts],
  ['GET', S, getScript],
  ['PUT', S, putScript],
  ['DELETE', S, deleteScript],
  ['GET', `${S}/settings`, getSettings],
  ['PATCH', `${S}/settings`, patchSettings],
  ['GET', `${S}/script-settings`, getScriptSettings],
  ['GET', `${A}/workers/subdomain`, getAccountSubdomain],
  ['GET', `${A}/storage/kv/namespaces`, listKvNamespaces],
  ['GET', `${S}/subdomain`, getScriptSubdomain],
  ['POST', `${S}/subdomain`, postScriptSubdomain],
  ['PATCH', `${S}/script-settings`, patchScriptSettings],
  ['GET', `${S}/secrets`, listSecrets],
  ['PUT', `${S}/secrets`, putSecret],
  ['GET', `${S}/secrets/:secret`, getSecret],
  ['DELETE', `${S}/secrets/:secret`, deleteSecret],
  ['PATCH', `${S}/secrets-bulk`, patchSecretsBulk],
  ['GET', `${S}/versions`, listVersions],
  ['POST', `${S}/versions`, postVersion],
  ['GET', `${S}/versions/:version`, getVersion],
  ['GET', `${S}/content/v2`, getContent],
  ['GET', `${S}/deployments`, listDeployments],
  ['POST', `${S}/deployments`, postDeployment],
  ['GET', `${S}/deployments/:deployment`, getDeployment],
  ['PATCH', `${A}/workers/workers/:script/versions/latest`, patchLatestVersion],
  ['GET', `${A}/workers/services/:script`, getService],
  ['DELETE', `${A}/workers/services/:script`, deleteScript], // `wrangler delete`
  // Service environments (wrangler with `--env` and legacy_env = false): Worker "<name>-<env>".
  ['PUT', E, putScript],
  ['GET', `${E}/secrets`, listSecrets],
  ['PUT', `${E}/secrets`, putSecret],
  ['DELETE', `${E}/secrets/:secret`, deleteSecret],
  ['GET', `${E}/settings`, getSettings],
  ['PATCH', `${E}/settings`, patchSettings],
  ...secretsStoreTable, // /accounts/{account_id}/secrets_store/...
];

export const routes: Route[] = table.map(([method, path, handler]) => ({ method, segments: path.split('/'), handler }));

export type Match = { handler: Handler; params: Record<string, string> } | { methodNotAllowed: string[] } | undefined;

/** `segments` are the decoded path segments after /client/v4. */
export function match(method: string, segments: string[]): Match {
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
}

/** Method + path of every route, for documentation and tests. */
export function routeList(): string[] {
  return table.map(([m, p]) => `${m} /client/v4/${p.replace(/:([a-z]+)/g, '{$1}')}`);
}
