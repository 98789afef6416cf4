/**
 * The real wrangler 4.164 (devDependency "wrangler-4164": npm:wrangler@4.164.0) against
 * `mycli serve`: the same suite as wrangler 4.80 (wrangler-suite.ts, which has `deploy` and
 * `delete`), plus `versions secret list --latest-version`. wrangler 4.164 needs Node >= 22.12:
 * it runs on MYCLI_NODE22 (.ci/run installs Node 22 and sets it) or on this Node when it is new
 * enough; otherwise (a plain `npm test` on Node 20) the suite is skipped and says why.
 */
import { expect, it } from 'vitest';
import { node22, wranglerSuite } from './wrangler-suite.js';

wranglerSuite({ label: '4.164', pkg: 'wrangler-4164', node: node22(), modern: true }, ({ wrangler, sentSince, serve, versionIds, mycliJson, liveSplit }) => {
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

  // Issue 19 item 6: `mycli versions deploy` reads a split as wrangler 4.164 does. Each case runs
  // the same arguments through wrangler, then (from the same live deployment) through mycli, on
  // the same store, and compares the deployments they made. Where mycli deliberately differs it is
  // said in deploy-spec/deploy tests: one version below 100% gives the rest to the version serving
  // 100% (wrangler refuses a sum below 100), --version-id takes numbers, prefixes and tags (wrangler:
  // full ids only), and more --percentage than --version-id is refused (wrangler drops the extra).
  it('versions deploy: the split wrangler makes is the split mycli makes (omitted percentages, flags, @0%, --version-tag)', { timeout: 600_000 }, async () => {
    const ids: Record<string, string> = {};
    for (const [key, tag] of [['A', 'w-a'], ['B', 'w-b'], ['S1', 'w-shared'], ['S2', 'w-shared']] as const) {
      ids[key] = (await mycliJson(['versions', 'upload', '--tag', tag, '--name', 'my-worker'])).versionId;
    }
    const { A, B } = ids;
    const reset = async () => void (await mycliJson(['versions', 'deploy', `${A}@100%`, '--name', 'my-worker', '--yes']));
    const split = async () => (await liveSplit()).sort();
    const cases: string[][] = [
      [A, B], // omitted percentages share the traffic: 50/50
      [`${A}@30%`, B], // the one without a percentage gets the rest
      ['--version-id', A, '--percentage', '40', '--version-id', B, '--percentage', '60'], // repeated flags
      ['--version-id', A, B, '--percentage', '45', '55'], // variadic flags
      ['--version-id', A, B, '--percentage', '20'], // the second --version-id gets the rest
      [`${A}@0%`, B], // 0% beside another version
      [`${B}@0%`, `${A}@100%`],
      ['--version-tag', 'w-b@100%'],
      ['--version-tag', 'w-a', 'w-b'],
      [B, '--version-tag', 'w-a@10%'],
    ];
    for (const args of cases) {
      await reset();
      const w = await wrangler(['versions', 'deploy', ...args, '-y']);
      expect(w.code, `wrangler ${args.join(' ')}: ${w.stderr}${w.stdout}`).toBe(0);
      const byWrangler = await split();
      await reset();
      const m = await serve().project.run(['versions', 'deploy', ...args, '--name', 'my-worker', '--yes']);
      expect(m.code, `mycli ${args.join(' ')}: ${m.all}`).toBe(0);
      expect(await split(), args.join(' ')).toEqual(byWrangler);
    }
    // A tag two versions carry: both refuse (wrangler exit 1, mycli 2: a usage error), listing both; nothing deployed.
    await reset();
    const before = await split();
    const w = await wrangler(['versions', 'deploy', '--version-tag', 'w-shared', '-y']);
    expect(w.code).toBe(1);
    expect(w.stderr + w.stdout).toMatch(/Tag "w-shared" matches multiple versions/);
    const m = await serve().project.run(['versions', 'deploy', '--version-tag', 'w-shared', '--name', 'my-worker', '--yes']);
    expect(m.code).toBe(2);
    expect(m.stderr).toContain(`version ${(await mycliJson(['versions', 'view', ids.S2, '--name', 'my-worker'])).version.number} (${ids.S2})`);
    expect(m.stderr).toContain(ids.S1);
    expect(await split()).toEqual(before);
  });
});
