/**
 * No acknowledged write is lost, per write path. One writer stops itself (SIGSTOP, the test-only
 * MYCLI_TEST_PAUSE_BEFORE_COMMIT hook) after reading the store and preparing its change, before
 * committing; it stays stopped for longer than the lock timeout while another writer commits;
 * then it resumes. Every command that exited 0 has its change in the final store, and the
 * history is consistent. The lock cases: a stopped lock holder keeps its lock (the other writer
 * gives up with exit 5, having written nothing); a lock taken from a stopped holder anyway
 * cannot make it overwrite (the commit is a compare-and-set); a dead holder's lock is recovered.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decryptLatest, makeTempProject, sleep, type TempProject } from './helpers.js';
import { expectConsistent, secretNames, startPaused } from './store-helpers.js';

const T = 120_000;
// Short lock waits, so that "longer than any lock timeout" is short too.
const LOCK = { MYCLI_LOCK_TIMEOUT: '1' };

async function ok(p: TempProject, args: string[], input?: string) {
  const r = await p.run(['--json', ...args], { input, env: LOCK, timeoutMs: 60_000 });
  expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0);
  return r.json();
}

/** Stop `args` before its commit, let `other` commit, wait past the lock timeout, resume. */
async function race(p: TempProject, args: string[], input: string | undefined, other: string[], otherInput?: string) {
  const paused = await startPaused(p, ['--json', ...args], 'MYCLI_TEST_PAUSE_BEFORE_COMMIT', { input, env: LOCK });
  const second = await p.run(['--json', ...other], { input: otherInput, env: LOCK, timeoutMs: 60_000 });
  expect(second.code, `the second writer: ${second.stderr}`).toBe(0);
  await sleep(1_500); // longer than MYCLI_LOCK_TIMEOUT: a lock-age rule would have fired by now
  const first = await paused.resume();
  return { first, second };
}

describe('lost updates: a writer stopped between reading and committing', () => {
  it('secret put', { timeout: T }, async () => {
    const p = makeTempProject();
    await ok(p, ['secret', 'put', 'A'], 'a-1');
    const { first } = await race(p, ['secret', 'put', 'PAUSED'], 'paused-value', ['secret', 'put', 'OTHER'], 'other-value');
    expect(first.code, first.stderr).toBe(0);
    const w = expectConsistent(p);
    expect(secretNames(w.versions.at(-1)!)).toEqual(['A', 'OTHER', 'PAUSED']);
    expect(decryptLatest(p, 'PAUSED')).toBe('paused-value');
    expect(decryptLatest(p, 'OTHER')).toBe('other-value');
    expect(w.deployments.at(-1)!.versions).toEqual([{ versionId: w.versions.at(-1)!.id, percentage: 100 }]);
    expect(first.all + '').not.toContain('paused-value');
  });

  it('secret bulk', { timeout: T }, async () => {
    const p = makeTempProject();
    await ok(p, ['secret', 'put', 'A'], 'a-1');
    const { first } = await race(p, ['secret', 'bulk', '--yes'], '{"X":"x-1","Y":"y-1","A":null}', ['secret', 'put', 'OTHER'], 'other-value');
    expect(first.code, first.stderr).toBe(0);
    const w = expectConsistent(p);
    expect(secretNames(w.versions.at(-1)!)).toEqual(['OTHER', 'X', 'Y']);
    expect(decryptLatest(p, 'X')).toBe('x-1');
    expect(decryptLatest(p, 'OTHER')).toBe('other-value');
    expect(first.all).not.toContain('x-1');
  });

  it('secret delete', { timeout: T }, async () => {
    const p = makeTempProject();
    await ok(p, ['secret', 'put', 'A'], 'a-1');
    await ok(p, ['secret', 'put', 'B'], 'b-1');
    const { first } = await race(p, ['secret', 'delete', 'B', '--yes'], undefined, ['secret', 'put', 'OTHER'], 'other-value');
    expect(first.code, first.stderr).toBe(0);
    const w = expectConsistent(p);
    expect(secretNames(w.versions.at(-1)!)).toEqual(['A', 'OTHER']);
  });

  it('versions secret put', { timeout: T }, async () => {
    const p = makeTempProject();
    await ok(p, ['secret', 'put', 'A'], 'a-1');
    const { first, second } = await race(p, ['versions', 'secret', 'put', 'STAGED'], 'staged-value', ['secret', 'put', 'OTHER'], 'other-value');
    expect(first.code, first.stderr).toBe(0);
    const w = expectConsistent(p);
    const latest = w.versions.at(-1)!;
    expect(secretNames(latest)).toEqual(['A', 'OTHER', 'STAGED']);
    expect(latest.id).toBe(first.json().versionId ?? first.json().version?.id);
    // Not deployed: the live version is still the other writer's.
    expect(w.deployments.at(-1)!.versions[0].versionId).toBe(second.json().versionId ?? second.json().version?.id);
  });

  it('versions deploy', { timeout: T }, async () => {
    const p = makeTempProject();
    await ok(p, ['secret', 'put', 'A'], 'a-1');
    const staged = await ok(p, ['versions', 'secret', 'put', 'A'], 'a-2');
    const id = staged.versionId ?? staged.version.id;
    const { first } = await race(p, ['versions', 'deploy', `${id}@100%`, '--yes'], undefined, ['versions', 'secret', 'put', 'OTHER'], 'other-value');
    expect(first.code, first.stderr).toBe(0);
    const w = expectConsistent(p);
    expect(w.versions).toHaveLength(3);
    expect(w.deployments.at(-1)!.versions).toEqual([{ versionId: id, percentage: 100 }]);
  });

  it('rollback (secrets unchanged: re-applied and checked again)', { timeout: T }, async () => {
    const p = makeTempProject();
    const v1 = await ok(p, ['secret', 'put', 'A'], 'a-1');
    const up = await ok(p, ['versions', 'upload', '-m', 'code']);
    await ok(p, ['versions', 'deploy', `${up.versionId ?? up.version.id}@100%`, '--yes']);
    const v1id = v1.versionId ?? v1.version.id;
    const { first } = await race(p, ['rollback', v1id, '--yes'], undefined, ['versions', 'secret', 'put', 'OTHER'], 'other-value');
    expect(first.code, first.stderr).toBe(0);
    const w = expectConsistent(p);
    expect(w.deployments.at(-1)!.versions).toEqual([{ versionId: v1id, percentage: 100 }]);
    expect(w.deployments.at(-1)!.source).toBe('rollback');
    expect(w.versions).toHaveLength(3);
  });

  it('rollback confirmed over changed secrets: the Worker changed meanwhile, so exit 5 and nothing written', { timeout: T }, async () => {
    const p = makeTempProject();
    const v1 = await ok(p, ['secret', 'put', 'A'], 'a-1');
    await ok(p, ['secret', 'put', 'A'], 'a-2');
    const v1id = v1.versionId ?? v1.version.id;
    const { first } = await race(p, ['rollback', v1id, '--yes'], undefined, ['secret', 'put', 'OTHER'], 'other-value');
    const w = expectConsistent(p);
    if (first.code === 0) {
      expect(w.deployments.at(-1)!.versions).toEqual([{ versionId: v1id, percentage: 100 }]);
    } else {
      expect(first.code).toBe(5);
      expect(first.json().error.message).toMatch(/nothing was written/);
      expect(w.deployments.filter((d) => d.source === 'rollback')).toEqual([]);
    }
    expect(secretNames(w.versions.at(-1)!)).toEqual(['A', 'OTHER']);
    expect(decryptLatest(p, 'OTHER')).toBe('other-value');
  });
});

describe('the lock', () => {
  it('a holder stopped inside its commit keeps the lock: the other writer gives up (exit 5, nothing written); the holder then commits', { timeout: T }, async () => {
    const p = makeTempProject();
    await ok(p, ['secret', 'put', 'A'], 'a-1');
    const paused = await startPaused(p, ['--json', 'secret', 'put', 'HOLDER'], 'MYCLI_TEST_PAUSE_IN_COMMIT', { input: 'holder-value', env: LOCK });
    const other = await p.run(['--json', 'secret', 'put', 'WAITER'], { input: 'waiter-value', env: LOCK, timeoutMs: 60_000 });
    await sleep(1_000); // the holder stays stopped past the lock timeout
    expect(other.code, other.stderr).toBe(5);
    expect(other.json().error.message).toMatch(/busy.*nothing was written/);
    const first = await paused.resume();
    expect(first.code, first.stderr).toBe(0);
    const w = expectConsistent(p);
    expect(secretNames(w.versions.at(-1)!)).toEqual(['A', 'HOLDER']);
  });

  it('a lock taken from a stopped holder anyway (removed by hand) cannot make it overwrite: both changes are kept', { timeout: T }, async () => {
    const p = makeTempProject();
    await ok(p, ['secret', 'put', 'A'], 'a-1');
    const paused = await startPaused(p, ['--json', 'secret', 'put', 'HOLDER'], 'MYCLI_TEST_PAUSE_IN_COMMIT', { input: 'holder-value', env: LOCK });
    rmSync(join(p.dir, '.mycli', 'lock'));
    const thief = await p.run(['--json', 'secret', 'put', 'THIEF'], { input: 'thief-value', env: LOCK, timeoutMs: 60_000 });
    expect(thief.code, thief.stderr).toBe(0);
    const first = await paused.resume();
    expect(first.code, first.stderr).toBe(0);
    const w = expectConsistent(p);
    expect(secretNames(w.versions.at(-1)!)).toEqual(['A', 'HOLDER', 'THIEF']);
    expect(decryptLatest(p, 'HOLDER')).toBe('holder-value');
    expect(decryptLatest(p, 'THIEF')).toBe('thief-value');
  });

  it('a holder killed inside its commit: its lock is recovered and the next writer succeeds', { timeout: T }, async () => {
    const p = makeTempProject();
    await ok(p, ['secret', 'put', 'A'], 'a-1');
    const paused = await startPaused(p, ['secret', 'put', 'DEAD'], 'MYCLI_TEST_PAUSE_IN_COMMIT', { input: 'dead-value', env: LOCK });
    await paused.kill();
    const next = await p.run(['--json', 'secret', 'put', 'NEXT'], { input: 'next-value', env: LOCK, timeoutMs: 60_000 });
    expect(next.code, next.stderr).toBe(0);
    const w = expectConsistent(p);
    expect(secretNames(w.versions.at(-1)!)).toEqual(['A', 'NEXT']);
  });
});
