/**
 * A rollout step never lands over someone else's deployment (issue 16 item 3). The step is held
 * between the guard's read and its commit (the store's test hook stops the process there, as a
 * SIGSTOP or a slow disk would), operator B deploys meanwhile, then the step resumes: the
 * compare-and-set on the live deployment (DeployInput.expectLive) refuses it, exit 5, and B's
 * deployment stays live.
 */
import { describe, expect, it } from 'vitest';
import { makeTempProject, type TempProject } from './helpers.js';
import { startPaused } from './store-helpers.js';

async function upload(p: TempProject, m: string): Promise<string> {
  const r = await p.run(['versions', 'upload', '-m', m]);
  expect(r.code, r.stderr).toBe(0);
  return r.stdout.trim();
}

describe('deploy compare-and-set (built binary)', () => {
  it('a rollout step held before its commit while B deploys v3@100%: exit 5 "changed", B stays live, nothing of the rollout committed', { timeout: 180_000 }, async () => {
    const p = makeTempProject();
    const v1 = await upload(p, 'one');
    expect((await p.run(['versions', 'deploy', `${v1}@100%`, '--yes'])).code).toBe(0);
    const v2 = await upload(p, 'two');
    const v3 = await upload(p, 'three');

    const rollout = await startPaused(p, ['versions', 'rollout', v2, '--steps', '50,100', '--wait', '0', '--yes', '--json'], 'MYCLI_TEST_PAUSE_BEFORE_COMMIT');
    const b = await p.run(['versions', 'deploy', `${v3}@100%`, '--yes', '-m', 'operator B']);
    expect(b.code, b.stderr).toBe(0);
    const r = await rollout.resume();

    expect(r.code, r.all).toBe(5);
    const doc = r.json();
    expect(doc.outcome).toBe('changed');
    expect(doc.error.message).toMatch(/operator B/);
    const list = (await p.run(['deployments', 'list', '--json'])).json();
    expect(list.deployments[0].versions).toEqual([{ versionId: v3, percentage: 100 }]);
    expect(list.deployments[0].message).toBe('operator B');
    expect(list.deployments.some((d: { message: string | null }) => /^rollout /.test(d.message ?? ''))).toBe(false);
  });

  it('versions deploy --yes (no prompt shown) held before its commit still re-applies on the newer head, exit 0: expectLive binds what a prompt showed', { timeout: 180_000 }, async () => {
    const p = makeTempProject();
    const v1 = await upload(p, 'one');
    expect((await p.run(['versions', 'deploy', `${v1}@100%`, '--yes'])).code).toBe(0);
    const v2 = await upload(p, 'two');
    const v3 = await upload(p, 'three');
    const held = await startPaused(p, ['versions', 'deploy', `${v2}@100%`, '--yes'], 'MYCLI_TEST_PAUSE_BEFORE_COMMIT');
    expect((await p.run(['versions', 'deploy', `${v3}@100%`, '--yes'])).code).toBe(0);
    const r = await held.resume();
    expect(r.code, r.all).toBe(0);
  });

  it('rollback --yes with no version named, held before its commit while B deploys v3@100%: exit 5, B stays live (the "previous version" was read from a deployment that is gone)', { timeout: 180_000 }, async () => {
    const p = makeTempProject();
    const v1 = await upload(p, 'one');
    expect((await p.run(['versions', 'deploy', `${v1}@100%`, '--yes'])).code).toBe(0);
    const v2 = await upload(p, 'two');
    expect((await p.run(['versions', 'deploy', `${v2}@100%`, '--yes'])).code).toBe(0);
    const v3 = await upload(p, 'three');
    const held = await startPaused(p, ['rollback', '--yes'], 'MYCLI_TEST_PAUSE_BEFORE_COMMIT');
    const b = await p.run(['versions', 'deploy', `${v3}@100%`, '--yes', '-m', 'operator B']);
    expect(b.code, b.stderr).toBe(0);
    const r = await held.resume();
    expect(r.code, r.all).toBe(5);
    expect(r.stderr).toMatch(/operator B|changed/);
    const live = (await p.run(['deployments', 'status', '--json'])).json();
    expect(live.deployment.versions).toEqual([{ versionId: v3, percentage: 100 }]);
  });

  it('versions deploy v2@10% --yes (the other 90% read from the live deployment), held while B deploys v3@100%: exit 5, B stays live', { timeout: 180_000 }, async () => {
    const p = makeTempProject();
    const v1 = await upload(p, 'one');
    expect((await p.run(['versions', 'deploy', `${v1}@100%`, '--yes'])).code).toBe(0);
    const v2 = await upload(p, 'two');
    const v3 = await upload(p, 'three');
    const held = await startPaused(p, ['versions', 'deploy', `${v2}@10%`, '--yes'], 'MYCLI_TEST_PAUSE_BEFORE_COMMIT');
    expect((await p.run(['versions', 'deploy', `${v3}@100%`, '--yes', '-m', 'operator B'])).code).toBe(0);
    const r = await held.resume();
    expect(r.code, r.all).toBe(5);
    const live = (await p.run(['deployments', 'status', '--json'])).json();
    expect(live.deployment.versions).toEqual([{ versionId: v3, percentage: 100 }]);
  });
});
