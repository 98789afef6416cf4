/**
 * What `mycli/backend` exports: the Backend interface and its types, the errors a backend throws
 * and `defineBackend` (types.ts), and `BackendWith<C>` — a backend known to have capabilities C,
 * whose members for them (capabilities.ts: `versions` -> listVersions, getVersion, uploadVersion,
 * listDeployments, deploy; ...) are required. An entry of its own, so that types.ts need not
 * import capabilities.ts, which imports it.
 */
export * from './types.js';
export type { BackendWith } from './capabilities.js';
