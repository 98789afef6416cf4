/**
 * The real wrangler 4.164 (devDependency "wrangler-4164": npm:wrangler@4.164.0) against
 * `mycli serve`: the same suite as wrangler 4.80 (wrangler-suite.ts, which has `deploy` and
 * `delete`), plus `versions secret list --latest-version`. wrangler 4.164 needs Node >= 22.12:
 * it runs on MYCLI_NODE22 (.ci/run installs Node 22 and sets it) or on this Node when it is new
 * enough; otherwise (a plain `npm test` on Node 20) the suite is skipped and says why.
 */
import { expect, it } from 'vitest';
import { node22, wranglerSuite } from './wrangler-suite.js';

wranglerSuite({ label: '4.164', pkg: 'wrangler-4164', node: node22(), modern: true }, ({ wrangler, sentSince, serve, versionIds }) => {
  it('versions secret list --latest-version lists the latest version\'s secrets by name, never a value', async () => {
    const s = serve();
    const [latest] = await versionIds();
    expect(latest).toBeTruthy();
    const mark = s.requests().length;
    const r = await wrangler(['versions', 'secret', 'list', '--latest-version']);
    expect(r.code, r.stderr + r.stdout).toBe(0);
    expect(r.stdout).toContain(latest);
    expect(r.stdout).toMatch(/Secret Name:\s+A/);
    expect(r.stdout).toMatch(/Secret Name:\s+C/);
    // The names come from the first item of the versions list (its resources), beside the live split.
    expect(sentSince(mark)).toEqual(['GET /workers/scripts/my-worker/versions', 'GET /workers/scripts/my-worker/deployments']);
  });
});
