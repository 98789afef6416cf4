/**
 * The same contract suite for the example plugin (examples/dev-vars-backend), loaded THROUGH the
 * plugin wrapper exactly as `--backend ./examples/dev-vars-backend/index.mjs` loads it
 * (src/backends/resolve.ts -> plugin.ts: shape validation, result validation, stripping, error
 * translation and redaction), and once more as `mycli backend check` loads it (results
 * validated but not stripped, so the kit sees what the plugin itself returns).
 *
 * The plugin declares secrets only: the version, deployment and rollback checks are skipped,
 * each with the capability it needs in the report.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { resolveBackend } from '../../src/backends/resolve.js';
import type { Target } from '../../src/backends/types.js';
import { describeBackendContract, throwawayWorkerName } from './suite.js';

const DEV_VARS = resolve('examples/dev-vars-backend/index.mjs');

for (const [how, unstripped] of [
  ['as --backend loads it', false],
  ['as backend check loads it, unstripped', true],
] as const) {
  describeBackendContract(`example plugin dev-vars (plugin wrapper, ${how})`, ['secrets'], async () => {
    const dirs: string[] = [];
    // The plugin keeps one .dev.vars per project folder: a fresh folder per check.
    const target = (): Target => {
      const projectDir = mkdtempSync(join(tmpdir(), 'mycli-devvars-contract-'));
      dirs.push(projectDir);
      return { worker: throwawayWorkerName(), projectDir };
    };
    const backend = await resolveBackend({
      spec: DEV_VARS,
      target: target(),
      options: {},
      env: {},
      log: () => undefined,
      debug: () => undefined,
      unstripped,
    });
    return {
      backend,
      makeTarget: target,
      cleanup: async (t) => backend.deleteWorker?.(t),
      close: async () => {
        for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
      },
    };
  });
}
