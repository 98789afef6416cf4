/**
 * The same contract suite, for the cloudflare backend talking over real HTTP (127.0.0.1) to
 * `mycli serve`. Throwaway Workers are made and removed through the API (createWorker /
 * deleteWorker), as `mycli backend check cloudflare` does.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, DEFAULT_ACCOUNT, API_PREFIX } from '../../src/serve/server.js';
import { createCloudflareBackend } from '../../src/backends/cloudflare/backend.js';
import { describeBackendContract, throwawayWorkerName } from './suite.js';

describeBackendContract('cloudflare over mycli serve', ['secrets', 'versions', 'gradualDeployments', 'rollback', 'versionedSecrets', 'expectLive'], async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mycli-cf-contract-'));
  const token = 'contract-token-0123456789';
  const srv = await startServer({ projectDir: dir, token, env: { MYCLI_LOCAL_KEY: 'c'.repeat(64), MYCLI_AUTHOR: 'kit' }, host: '127.0.0.1', port: 0 });
  const base = new URL(API_PREFIX, srv.url).href;
  const env = { CLOUDFLARE_API_BASE_URL: base, CLOUDFLARE_API_TOKEN: token, CLOUDFLARE_ACCOUNT_ID: DEFAULT_ACCOUNT.id, MYCLI_HTTP_RETRY_DELAY_MS: '1' };
  const backend = createCloudflareBackend({ target: { worker: 'unused', projectDir: dir }, env });
  return {
    backend,
    makeTarget: async () => {
      const target = { worker: throwawayWorkerName(), projectDir: dir };
      await backend.createWorker(target);
      return target;
    },
    cleanup: (target) => backend.deleteWorker(target),
    close: () => srv.close(),
  };
});
