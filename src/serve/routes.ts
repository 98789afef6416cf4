/**
 * The Cloudflare API v4 routes `mycli serve` answers, over the local store: one table of
 * {method, path, handler}, the handlers in one file per resource under routes/.
 *
 * Paths are relative to /client/v4. Every Worker route acts on Worker {script_name} of the
 * served folder's store, with the local backend's domain rules. Any account id is accepted in
 * paths: the store is not partitioned by account (GET /accounts lists one fake account).
 */
import { createRouter, type RouteSpec } from './router.js';
import { accounts, getAccountSubdomain, listKvNamespaces, memberships, verifyToken } from './routes/account.js';
import { listDeployments, getDeployment, postDeployment } from './routes/deployments.js';
import { deleteScript, getScript, getService, getWorker, listScripts, putScript } from './routes/scripts.js';
import { deleteSecret, getSecret, listSecrets, patchSecretsBulk, putSecret } from './routes/secrets.js';
import * as secretsStore from './routes/secrets-store.js';
import { getScriptSettings, getSettings, patchScriptSettings, patchSettings } from './routes/settings.js';
import { getScriptSubdomain, postScriptSubdomain } from './routes/subdomain.js';
import { getContent, getVersion, listVersions, patchLatestVersion, postVersion } from './routes/versions.js';

const A = 'accounts/:account';
const S = `${A}/workers/scripts/:script`;
const E = `${A}/workers/services/:script/environments/:env`;
const SS = `${A}/secrets_store`;
const ST = `${SS}/stores/:store`;

/** Every route `mycli serve` answers; the first row whose method and path fit wins. */
export const ROUTES: readonly RouteSpec[] = [
  { method: 'GET', path: 'accounts', handler: accounts },
  { method: 'GET', path: 'memberships', handler: memberships },
  { method: 'GET', path: 'user/tokens/verify', handler: verifyToken },
  { method: 'GET', path: `${A}/tokens/verify`, handler: verifyToken },
  { method: 'GET', path: `${A}/workers/scripts`, handler: listScripts },
  { method: 'GET', path: S, handler: getScript },
  { method: 'PUT', path: S, handler: putScript },
  { method: 'DELETE', path: S, handler: deleteScript },
  { method: 'GET', path: `${S}/settings`, handler: getSettings },
  { method: 'PATCH', path: `${S}/settings`, handler: patchSettings },
  { method: 'GET', path: `${S}/script-settings`, handler: getScriptSettings },
  { method: 'GET', path: `${A}/workers/subdomain`, handler: getAccountSubdomain },
  { method: 'GET', path: `${A}/storage/kv/namespaces`, handler: listKvNamespaces },
  { method: 'GET', path: `${S}/subdomain`, handler: getScriptSubdomain },
  { method: 'POST', path: `${S}/subdomain`, handler: postScriptSubdomain },
  { method: 'PATCH', path: `${S}/script-settings`, handler: patchScriptSettings },
  { method: 'GET', path: `${S}/secrets`, handler: listSecrets },
  { method: 'PUT', path: `${S}/secrets`, handler: putSecret },
  { method: 'GET', path: `${S}/secrets/:secret`, handler: getSecret },
  { method: 'DELETE', path: `${S}/secrets/:secret`, handler: deleteSecret },
  { method: 'PATCH', path: `${S}/secrets-bulk`, handler: patchSecretsBulk },
  { method: 'GET', path: `${S}/versions`, handler: listVersions },
  { method: 'POST', path: `${S}/versions`, handler: postVersion },
  { method: 'GET', path: `${S}/versions/:version`, handler: getVersion },
  { method: 'GET', path: `${S}/content/v2`, handler: getContent },
  { method: 'GET', path: `${S}/deployments`, handler: listDeployments },
  { method: 'POST', path: `${S}/deployments`, handler: postDeployment },
  { method: 'GET', path: `${S}/deployments/:deployment`, handler: getDeployment },
  { method: 'GET', path: `${A}/workers/workers/:script`, handler: getWorker }, // wrangler 4.164 `deploy`
  { method: 'PATCH', path: `${A}/workers/workers/:script/versions/latest`, handler: patchLatestVersion },
  { method: 'GET', path: `${A}/workers/services/:script`, handler: getService },
  { method: 'DELETE', path: `${A}/workers/services/:script`, handler: deleteScript }, // `wrangler delete`
  // Service environments (wrangler with `--env` and legacy_env = false): Worker "<name>-<env>".
  { method: 'PUT', path: E, handler: putScript },
  { method: 'GET', path: `${E}/secrets`, handler: listSecrets },
  { method: 'PUT', path: `${E}/secrets`, handler: putSecret },
  { method: 'DELETE', path: `${E}/secrets/:secret`, handler: deleteSecret },
  { method: 'GET', path: `${E}/settings`, handler: getSettings },
  { method: 'PATCH', path: `${E}/settings`, handler: patchSettings },
  // The account's Secrets Store (`wrangler secrets-store ... --remote`).
  { method: 'GET', path: `${SS}/quota`, handler: secretsStore.quota },
  { method: 'GET', path: `${SS}/stores`, handler: secretsStore.listStores },
  { method: 'POST', path: `${SS}/stores`, handler: secretsStore.createStore },
  { method: 'GET', path: ST, handler: secretsStore.getStore },
  { method: 'DELETE', path: ST, handler: secretsStore.deleteStore },
  { method: 'GET', path: `${ST}/secrets`, handler: secretsStore.listSecrets },
  { method: 'POST', path: `${ST}/secrets`, handler: secretsStore.createSecrets },
  { method: 'DELETE', path: `${ST}/secrets`, handler: secretsStore.bulkDeleteSecrets },
  { method: 'GET', path: `${ST}/secrets/:secret`, handler: secretsStore.getSecret },
  { method: 'PATCH', path: `${ST}/secrets/:secret`, handler: secretsStore.patchSecret },
  { method: 'DELETE', path: `${ST}/secrets/:secret`, handler: secretsStore.deleteSecret },
  { method: 'POST', path: `${ST}/secrets/:secret/duplicate`, handler: secretsStore.duplicateSecret },
];

const router = createRouter(ROUTES);

/** `segments` are the decoded path segments after /client/v4. */
export const match = router.match;
