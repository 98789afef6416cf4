/**
 * `versions rollout abort -m "why"` records the message (its help shows this example). The parent
 * `rollout` has a `-m` of its own; it must not take the subcommand's (found by the parse-only
 * tests: commander lets a parent read its options after a subcommand unless told otherwise).
 */
import { describe, expect, it } from 'vitest';
import { makeProject } from '../helpers/cli.js';
import { twoVersions } from '../helpers/scenarios.js';
import { fakeWorld, ROLLOUT_ID, runRollout } from '../helpers/rollout.js';

describe('versions rollout abort -m', () => {
  it('records the message on the deployment that ends the rollout', async () => {
    const p = makeProject();
    const { v2 } = await twoVersions(p);
    const held = await runRollout(p, { version: v2, steps: '0,50', wait: '1m', check: 'exit 4', onFail: 'hold' }, fakeWorld(), { json: true });
    expect(held.code).toBe(1);
    const ab = await p.run(['versions', 'rollout', 'abort', '--yes', '-m', 'errors at 10%', '--json']);
    expect(ab.code, ab.stderr).toBe(0);
    expect(ab.json().deployment.message).toBe(`rollout ${ROLLOUT_ID}: aborted - errors at 10%`);
    const list = await p.run(['deployments', 'list', '--json']);
    expect(list.json().deployments[0].message).toBe(`rollout ${ROLLOUT_ID}: aborted - errors at 10%`);
  });
});
