import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalBackend } from '../../src/backends/local/backend.js';
import { describeBackendContract, throwawayWorkerName } from './suite.js';

describeBackendContract('local', ['secrets', 'versions', 'gradualDeployments', 'rollback', 'versionedSecrets', 'expectLive'], async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mycli-contract-'));
  const backend = new LocalBackend({ env: { MYCLI_LOCAL_KEY: 'a'.repeat(64), MYCLI_AUTHOR: 'kit' } });
  return {
    backend,
    makeTarget: () => ({ worker: throwawayWorkerName(), projectDir: dir }),
  };
});
