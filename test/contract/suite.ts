/**
 * The Backend contract suite for vitest: one `it` per conformance check (src/backends/conformance.ts),
 * the same checks that `mycli backend check` runs. Every backend's test file calls this.
 */
import { describe, it, afterAll } from 'vitest';
import { checks, runConformance, throwawayWorkerName } from '../../src/backends/conformance.js';
import type { Backend, Target } from '../../src/backends/types.js';

export interface ContractSetup {
  backend: Backend;
  makeTarget(): Target | Promise<Target>;
  cleanup?(target: Target): Promise<void>;
  close?(): Promise<void>;
}

export function describeBackendContract(name: string, setup: () => Promise<ContractSetup>): void {
  describe(`Backend contract: ${name}`, () => {
    let ready: Promise<ContractSetup> | undefined;
    const get = () => (ready ??= setup());
    afterAll(async () => {
      if (ready) {
        const s = await ready;
        await s.close?.();
        await s.backend.close?.();
      }
    });
    for (const ch of checks) {
      it(`${ch.id}: ${ch.title}`, async (t) => {
        const s = await get();
        const [r] = await runConformance({ backend: s.backend, makeTarget: () => s.makeTarget(), cleanup: s.cleanup, only: [ch.id] });
        // A check for a capability the backend does not declare cannot run: say so in the report.
        if (r.status === 'skip') t.skip(`${name} does not declare ${r.reason}`);
        if (r.status === 'fail') throw new Error(r.reason);
      });
    }
  });
}

export { throwawayWorkerName };
