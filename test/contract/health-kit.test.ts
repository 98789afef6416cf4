/**
 * The conformance kit's checks of the health capability (queryHealth): a backend that answers
 * for every asked version passes; one that answers for other versions, reports more failures
 * than invocations or leaks a secret value fails, with the reason named.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LocalBackend } from '../../src/backends/local/backend.js';
import { runConformance, throwawayWorkerName } from '../../src/backends/conformance.js';
import type { Backend, HealthReport } from '../../src/backends/types.js';
import { trafficModel, withTraffic } from '../helpers/traffic-model.js';

const dir = mkdtempSync(join(tmpdir(), 'mycli-health-kit-'));
const local = () => new LocalBackend({ env: { MYCLI_LOCAL_KEY: 'b'.repeat(64), MYCLI_AUTHOR: 'kit' } }) as Backend;

async function kit(backend: Backend) {
  const results = await runConformance({ backend, makeTarget: () => ({ worker: throwawayWorkerName(), projectDir: dir }), only: ['health.report', 'health.no-secrets'] });
  return Object.fromEntries(results.map((r) => [r.id, r]));
}

/** `backend` whose queryHealth answers are rewritten by `edit`. */
function editing(backend: Backend, edit: (r: HealthReport, versionIds: string[]) => HealthReport): Backend {
  return new Proxy(backend, {
    get(t, prop, receiver) {
      if (prop === 'queryHealth') return async (target: never, q: { versionIds: string[]; from: number; to: number }) => edit(await t.queryHealth!(target, q), q.versionIds);
      const v = Reflect.get(t, prop, receiver);
      return typeof v === 'function' ? v.bind(t) : v;
    },
  });
}

describe('conformance kit: health', () => {
  it('passes a backend that reports every asked version; skips a backend without the capability', async () => {
    const good = await kit(withTraffic(local(), trafficModel(10, {})));
    expect(good['health.report']).toMatchObject({ status: 'pass' });
    expect(good['health.no-secrets']).toMatchObject({ status: 'pass' });
    const without = await kit(local());
    expect(without['health.report']).toMatchObject({ status: 'skip', reason: 'needs health' });
  });

  it('fails a report for versions not asked, failures above invocations, a missing version, an unknown unavailable reason', async () => {
    const base = () => withTraffic(local(), trafficModel(10, {}));
    const other = await kit(editing(base(), (r) => ({ versions: [...r.versions, { ...r.versions[0], versionId: 'not-asked' }] })));
    expect(other['health.report'].reason).toMatch(/answered for version not-asked, which was not asked for/);
    const more = await kit(editing(base(), (r) => ({ versions: r.versions.map((v) => ({ ...v, invocations: 1, failures: 2 })) })));
    expect(more['health.report'].reason).toMatch(/failures of .* exceed its invocations/);
    const missing = await kit(editing(base(), (r) => ({ versions: r.versions.slice(1) })));
    expect(missing['health.report'].reason).toMatch(/did not report version/);
    const reason = await kit(editing(base(), () => ({ versions: [], unavailable: { reason: 'because' as never, message: 'x' } })));
    expect(reason['health.report'].reason).toMatch(/unavailable\.reason because is not one of/);
  });
});
