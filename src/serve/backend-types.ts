/**
 * What `mycli serve` asks of its backend: the Backend API methods it calls (required here), the
 * account's Secrets Store, and the declared extension for Cloudflare-style uploads and narrow
 * reads (backends/serve-extension.ts). The routes talk to this interface only, never to a
 * backend's internals.
 */
import type { Backend, SecretsStoreApi } from '../backends/types.js';
import type { ServeExtension } from '../backends/serve-extension.js';

export type { ApplyBinding, ApplyBindingsInput, ApplyBindingsResult } from '../backends/serve-extension.js';

/** The Backend API methods the routes call. */
export type ServeBackendApi = Required<
  Pick<Backend, 'describe' | 'listSecrets' | 'updateSecrets' | 'listVersions' | 'getVersion' | 'listDeployments' | 'deploy' | 'deleteWorker'>
>;

export type ServeBackend = ServeBackendApi & ServeExtension & { readonly secretsStore: SecretsStoreApi };
