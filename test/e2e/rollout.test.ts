/**
 * versions rollout with the built binary: a rollout killed with SIGKILL mid-wait continues from
 * the live step when run again; a real SIGINT / SIGTERM rolls back and exits 130 / 143 (128 + the signal, as a shell reports it). The tests wait
 * for what the binary prints (bounded by the safety time-out), never for a fixed time.
 */
import type { ChildProcess } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { makeTempProject, type TempProject } from './helpers.js';

async function versions(p: TempProject): Promise<{ v1: string; v2: string }> {
  const up1 = await p.run(['versions', 'upload', '-m', 'one']);
  expect(up1.code, up1.stderr).toBe(0);
  const v1 = up1.stdout.trim();
  expect((await p.run(['versions', 'deploy', `${v1}@100%`, '--yes'])).code).toBe(0);
  const up2 = await p.run(['versions', 'upload', '-m', 'two']);
  return { v1, v2: up2.stdout.trim() };
}

/** Resolve when the child's stderr matches `re`; collect everything it printed. */
function whenPrinted(child: ChildProcess, re: RegExp): { seen: Promise<void>; text: () => string; exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }> } {
  let text = '';
  let out = '';
  let resolveSeen!: () => void;
  const seen = new Promise<void>((r) => (resolveSeen = r));
  child.stderr!.on('data', (b: Buffer) => {
    text += b.toString('utf8');
    if (re.test(text)) resolveSeen();
  });
  child.stdout!.on('data', (b: Buffer) => (out += b.toString('utf8')));
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) => child.on('exit', (code, signal) => r({ code, signal })));
  return { seen: Promise.race([seen, exit.then(() => { throw new Error(`exited before printing ${re}:\n${text}\n${out}`); })]), text: () => text + out, exit };
}

async function live(p: TempProject): Promise<{ deployments: { id: string; message: string | null; versions: { versionId: string; percentage: number }[] }[] }> {
  const r = await p.run(['deployments', 'list', '--json']);
  expect(r.code, r.stderr).toBe(0);
  return r.json();
}

describe('versions rollout (built binary)', () => {
  it('SIGKILL during a wait, then run again: continues from the live step, never lower', { timeout: 120_000 }, async () => {
    const p = makeTempProject();
    const { v1, v2 } = await versions(p);
    const child = p.spawn(['versions', 'rollout', v2, '--steps', '10,50', '--wait', '1h', '--yes'], { stdin: 'ignore' });
    const w = whenPrinted(child, /waiting 1h after step 1\/3/);
    await w.seen;
    child.kill('SIGKILL');
    expect((await w.exit).signal).toBe('SIGKILL');
    const killed = await live(p);
    expect(killed.deployments[0].message).toMatch(/^rollout [0-9a-f]{8}: step 1\/3, 10%$/);
    const id = /^rollout ([0-9a-f]{8})/.exec(killed.deployments[0].message!)![1];

    const st = await p.run(['versions', 'rollout', 'status', '--json']);
    expect(st.json().rollout).toMatchObject({ id, version: v2, stable: v1, step: 1, of: 3, percent: 10 });

    const again = await p.run(['versions', 'rollout', v2, '--steps', '10,50', '--wait', '0', '--check', 'true', '--yes', '--json']);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toContain('resuming at step 1/3 (10%)');
    const doc = again.json();
    expect(doc).toMatchObject({ rolloutId: id, outcome: 'completed', version: v2, stable: v1 });
    expect(doc.steps.map((s: { percent: number }) => s.percent)).toEqual([10, 50, 100]);
    expect(doc.steps[0].deploymentId).toBe(killed.deployments[0].id);
    const after = await live(p);
    expect(after.deployments.length).toBe(killed.deployments.length + 2);
    expect(after.deployments.slice(0, 3).map((d) => d.message)).toEqual([`rollout ${id}: step 3/3, 100%`, `rollout ${id}: step 2/3, 50%`, `rollout ${id}: step 1/3, 10%`]);
    expect(after.deployments[0].versions).toEqual([{ versionId: v2, percentage: 100 }]);
  });

  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    const exitCode = sig === 'SIGINT' ? 130 : 143;
    it(`${sig} during a wait rolls back to the stable version and exits ${exitCode}`, { timeout: 120_000 }, async () => {
      const p = makeTempProject();
      const { v1, v2 } = await versions(p);
      const child = p.spawn(['versions', 'rollout', v2, '--steps', '0,50', '--wait', '1h', '--yes', '--json'], { stdin: 'ignore' });
      const w = whenPrinted(child, /waiting 1h after step 1\/3/);
      await w.seen;
      child.kill(sig);
      const { code } = await w.exit;
      expect(code, w.text()).toBe(exitCode);
      expect(w.text()).toMatch(new RegExp(`interrupted \\(${sig}\\) at step 1/3 \\(0%\\); rolled back to version 1`));
      const after = await live(p);
      expect(after.deployments[0].versions).toEqual([{ versionId: v1, percentage: 100 }]);
      expect(after.deployments[1].versions).toEqual([
        { versionId: v2, percentage: 0 },
        { versionId: v1, percentage: 100 },
      ]);
    });
  }
});
