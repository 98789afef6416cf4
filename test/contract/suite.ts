/**
 * The Backend contract suite for vitest: one `it` per conformance check (src/backends/conformance.ts),
 * the whole kit — the same checks that `mycli backend check` runs — for every backend. Each
 * backend's test file calls this: local.test.ts, cloudflare.test.ts (over `mycli serve`),
 * plugin-dev-vars.test.ts (the example plugin, through the plugin wrapper).
 *
 * A check for a capability the backend does not declare is skipped, with the reason in the
 * report; so that a backend cannot pass by dropping a capability, each suite also states the
 * capabilities the backend must declare.
 */
import { describe, it, afterAll, expect } from 'vitest';
import { checks, runConformance, throwawayWorkerName } from '../../src/backends/conformance.js';
import type { Backend, CapabilityName, Target } from '../../src/backends/types.js';

export interface ContractSetup {
  backend: Backend;
  makeTarget(): Target | Promise<Target>;
  cleanup?(target: Target): Promise<void>;
  close?(): Promise<void>;
}

/** The capabilities the conformance kit has checks for (secretsStore has its own tests). */
const KIT_CAPABILITIES: CapabilityName[] = ['secrets', 'versions', 'gradualDeployments', 'rollback', 'versionedSecrets', 'expectLive'];

export function describeBackendContract(name: string, declares: CapabilityName[], setup: () => Promise<ContractSetup>): void {
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
    it(`${name} declares exactly the capabilities [${declares.join(', ')}] of the kit`, async () => {
      const { backend } = await get();
      expect(KIT_CAPABILITIES.filter((c) => backend.capabilities[c])).toEqual(KIT_CAPABILITIES.filter((c) => declares.includes(c)));
    });
    for (const ch of checks) {
      it(`${ch.id}: ${ch.title}`, async (t) => {
        const s = await get();
        const [r] = await runConformance({ backend: s.backend, makeTarget: () => s.makeTarget(), cleanup: s.cleanup, only: [ch.id] });
        expect(r?.id, `the kit ran no check ${ch.id}`).toBe(ch.id);
        // A check for a capability the backend does not declare cannot run: say so in the report.
        if (r.status === 'skip') t.skip(`this check ${r.reason}, which ${s.backend.name} does not declare`);
        if (r.status === 'fail') throw new Error(r.reason);
      });
    }
  });
}

export { throwawayWorkerName };
