/**
 * versions deploy / rollback confirmed at a prompt commit only over the deployment the prompt
 * showed (issue 16 item 3): when someone else deploys while the prompt waits, exit 5 naming what
 * is live now, and their deployment stays.
 */
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { makeProject, type Project } from '../helpers/cli.js';
import { BIN } from '../e2e/helpers.js';

async function upload(p: Project, m: string): Promise<string> {
  const r = await p.run(['versions', 'upload', '-m', m]);
  expect(r.code, r.stderr).toBe(0);
  return r.stdout.trim();
}

/** Another operator, in another process, deploying `spec` while our prompt waits; then "yes". */
function othersDeployThenYes(p: Project, spec: string) {
  return () => {
    execFileSync(process.execPath, [BIN, 'versions', 'deploy', spec, '--yes', '-m', 'operator B'], { cwd: p.dir, env: { PATH: process.env.PATH, ...p.env }, stdio: 'pipe' });
    return true;
  };
}

describe('deploy and rollback after a prompt: only over the deployment shown', () => {
  it.each([
    ['versions deploy', (v: { v2: string }) => ['versions', 'deploy', `${v.v2}@100%`]],
    ['versions rollback', (v: { v1: string }) => ['versions', 'rollback', v.v1]],
  ])('%s: someone deploys while the prompt waits -> exit 5 naming their deployment, theirs stays live', async (title, args) => {
    const p = makeProject();
    const v1 = await upload(p, 'one');
    expect((await p.run(['versions', 'deploy', `${v1}@100%`, '--yes'])).code).toBe(0);
    const v2 = await upload(p, 'two');
    const v3 = await upload(p, 'three');
    if (title === 'versions rollback') expect((await p.run(['versions', 'deploy', `${v2}@100%`, '--yes'])).code).toBe(0);
    const r = await p.run(args({ v1, v2 }), { tty: true, answers: [othersDeployThenYes(p, `${v3}@100%`)] });
    expect(r.prompts.length).toBe(1);
    expect(r.code, r.all).toBe(5);
    expect(r.stderr).toMatch(/live now is deployment \S+ \(version [0-9a-f-]+ at 100%, "operator B"/);
    const live = (await p.run(['deployments', 'list', '--json'])).json().deployments[0];
    expect(live.versions).toEqual([{ versionId: v3, percentage: 100 }]);
  });
});
