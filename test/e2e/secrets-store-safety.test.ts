/**
 * The local Secrets Store on the store's engine (issue 21, item 2), with the real binary: the same
 * crash, pause and concurrency cases the Worker store has (crash.test.ts, lost-update.test.ts,
 * concurrency.test.ts), applied to Secrets Store secrets — create, update, delete, duplicate.
 * - SIGKILL at random moments in a loop of creates, and inside a commit (the test-only
 *   MYCLI_TEST_PAUSE_IN_COMMIT hook, then SIGKILL): the store loads, consistent, nothing that
 *   exited 0 is lost, and the next writer gets through (the dead holder's lock is taken over);
 * - a writer stopped (SIGSTOP) between reading and committing while another commits, for longer
 *   than the lock timeout: both changes land; a writer stopped holding the lock keeps it (the
 *   other writers, of the Secrets Store and of a Worker alike — one lock — give up, exit 5);
 * - N writers at once (creates, updates, deletes, duplicates): every one lands.
 * Values are read back by opening their blobs with the key; none is printed or in a plain file.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadKey } from '../../src/backends/local/key.js';
import { readSecretsStore, storeSecretValue } from '../helpers/store-reader.js';
import { BIN, filesContaining, makeTempProject, sleep, type TempProject } from './helpers.js';
import { startPaused } from './store-helpers.js';

const T = 180_000;
const LOCK = { MYCLI_LOCK_TIMEOUT: '1' };

const dir = (p: TempProject) => join(p.dir, '.mycli');
const value = (p: TempProject, name: string) => storeSecretValue(dir(p), loadKey(p.env, false)!.key, 'vault', name);
const names = (p: TempProject) => (readSecretsStore(dir(p)).find((s) => s.name === 'vault')?.secrets ?? []).map((s) => s.name).sort();

async function ok(p: TempProject, args: string[], input?: string) {
  const r = await p.run(['--json', ...args], { input, env: LOCK, timeoutMs: 60_000 });
  expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0);
  if (input) expect(r.all).not.toContain(input);
  return r.json();
}

const create = (name: string) => ['secrets-store', 'secret', 'create', name, '--store', 'vault', '--scopes', 'workers'];
const update = (name: string) => ['secrets-store', 'secret', 'update', name, '--store', 'vault'];
const del = (name: string) => ['secrets-store', 'secret', 'delete', name, '--store', 'vault', '--yes'];
const duplicate = (name: string, to: string) => ['secrets-store', 'secret', 'duplicate', name, to, '--store', 'vault', '--scopes', 'workers'];

/** A project with store "vault" holding A = a-value and B = b-value. */
async function vault(): Promise<TempProject> {
  const p = makeTempProject();
  await ok(p, ['secrets-store', 'store', 'create', 'vault']);
  await ok(p, create('A'), 'a-value');
  await ok(p, create('B'), 'b-value');
  return p;
}

/** Every secret the store lists is whole: its record is committed and its blob opens. */
async function expectConsistent(p: TempProject): Promise<string[]> {
  const list = await p.run(['--json', 'secrets-store', 'secret', 'list', '--store', 'vault'], { timeoutMs: 60_000 });
  expect(list.code, list.stderr).toBe(0);
  const listed = (list.json().secrets as { name: string }[]).map((s) => s.name).sort();
  expect(listed).toEqual(names(p));
  for (const n of listed) expect(value(p, n)).toBeTypeOf('string');
  const verify = await p.run(['store', 'verify'], { timeoutMs: 60_000 });
  expect(verify.code, verify.all).toBe(0);
  return listed;
}

describe('the Secrets Store under SIGKILL', () => {
  it('SIGKILL at random moments during a loop of creates (6 kills): it always loads, consistently, and the next create succeeds', { timeout: T }, async () => {
    const p = makeTempProject();
    await ok(p, ['secrets-store', 'store', 'create', 'vault']);
    const valueOf = (i: number) => `ss-crash-${i}-${p.root.length}`;
    let count = 0;
    for (let k = 0; k < 6; k++) {
      const script = `i=${count}; while [ $i -lt ${count + 200} ]; do printf 'ss-crash-%s-%s' "$i" "${p.root.length}" | "${process.execPath}" "${BIN}" secrets-store secret create "K_$i" --store vault --scopes workers >/dev/null 2>&1 || exit 9; i=$((i+1)); done`;
      const loop = spawn('/bin/sh', ['-c', script], { cwd: p.dir, env: p.env, detached: true, stdio: 'ignore' });
      const exited = new Promise<void>((r) => loop.on('exit', () => r()));
      await sleep(300 + Math.floor(Math.random() * 700));
      process.kill(-loop.pid!, 'SIGKILL');
      await exited;
      await sleep(50);
      const listed = await expectConsistent(p);
      const m = listed.length;
      expect(m).toBeGreaterThanOrEqual(count); // nothing that was stored is lost
      expect(listed).toEqual(Array.from({ length: m }, (_, i) => `K_${i}`).sort());
      for (let i = 0; i < m; i++) expect(value(p, `K_${i}`)).toBe(valueOf(i));
      count = m;
      const next = await p.run(create(`K_${count}`), { input: valueOf(count), env: { MYCLI_LOCK_TIMEOUT: '60' }, timeoutMs: 90_000 });
      expect(next.code, next.stderr).toBe(0);
      count++;
    }
    expect(filesContaining([p.dir, p.home], valueOf(0))).toEqual([]);
  });

  it.each([
    ['create', create('NEW'), 'new-value'],
    ['update', update('A'), 'a-rotated'],
    ['delete', del('A'), undefined],
    ['duplicate', duplicate('A', 'A_COPY'), undefined],
  ] as const)('%s killed inside its commit (holding the lock): nothing of it is stored, the lock is recovered, the next writer succeeds', { timeout: T }, async (_l, args, input) => {
    const p = await vault();
    const paused = await startPaused(p, [...args], 'MYCLI_TEST_PAUSE_IN_COMMIT', { input, env: LOCK });
    await paused.kill();
    expect(names(p)).toEqual(['A', 'B']);
    expect(value(p, 'A')).toBe('a-value');
    await ok(p, create('NEXT'), 'next-value');
    expect(await expectConsistent(p)).toEqual(['A', 'B', 'NEXT']);
  });
});

describe('the Secrets Store with a writer stopped between reading and committing', () => {
  it.each([
    ['create', create('PAUSED'), 'paused-value', ['A', 'B', 'OTHER', 'PAUSED']],
    ['update', update('A'), 'a-rotated', ['A', 'B', 'OTHER']],
    ['delete', del('B'), undefined, ['A', 'OTHER']],
    ['duplicate', duplicate('A', 'A_COPY'), undefined, ['A', 'A_COPY', 'B', 'OTHER']],
  ] as const)('%s: stopped past the lock timeout while another create commits; both land', { timeout: T }, async (what, args, input, expected) => {
    const p = await vault();
    const paused = await startPaused(p, ['--json', ...args], 'MYCLI_TEST_PAUSE_BEFORE_COMMIT', { input, env: LOCK });
    await ok(p, create('OTHER'), 'other-value');
    await sleep(1_500); // longer than MYCLI_LOCK_TIMEOUT
    const first = await paused.resume();
    expect(first.code, first.stderr).toBe(0);
    if (input) expect(first.all).not.toContain(input);
    expect(await expectConsistent(p)).toEqual(expected);
    expect(value(p, 'OTHER')).toBe('other-value');
    expect(value(p, 'A')).toBe(what === 'update' ? 'a-rotated' : 'a-value');
    if (what === 'create') expect(value(p, 'PAUSED')).toBe('paused-value');
    if (what === 'duplicate') expect(value(p, 'A_COPY')).toBe('a-value');
  });

  it('a holder stopped inside its commit keeps the one lock: a Secrets Store writer and a Worker writer give up (exit 5, nothing written); the holder then commits', { timeout: T }, async () => {
    const p = await vault();
    const paused = await startPaused(p, ['--json', ...update('A')], 'MYCLI_TEST_PAUSE_IN_COMMIT', { input: 'holder-value', env: LOCK });
    for (const [args, input] of [
      [create('WAITER'), 'waiter-value'],
      [['secret', 'put', 'W'], 'worker-value'],
    ] as const) {
      const other = await p.run(['--json', ...args], { input, env: LOCK, timeoutMs: 60_000 });
      expect(other.code, other.stderr).toBe(5);
      expect(other.json().error.message).toMatch(/busy.*nothing was written/);
    }
    const first = await paused.resume();
    expect(first.code, first.stderr).toBe(0);
    expect(await expectConsistent(p)).toEqual(['A', 'B']);
    expect(value(p, 'A')).toBe('holder-value');
    expect(existsSync(join(dir(p), 'HEAD'))).toBe(true);
  });
});

describe('the Secrets Store under concurrent writers', () => {
  const N = 24;
  it(`${N} processes at once (creates, updates, deletes, duplicates): every change lands`, { timeout: T }, async () => {
    const p = makeTempProject();
    await ok(p, ['secrets-store', 'store', 'create', 'vault']);
    for (let i = 0; i < 6; i++) await ok(p, create(`OLD_${i}`), `old-${i}`);
    const runs: { args: string[]; input?: string }[] = [
      ...Array.from({ length: 14 }, (_, i) => ({ args: create(`NEW_${i}`), input: `new-${i}-value` })),
      ...Array.from({ length: 4 }, (_, i) => ({ args: update(`OLD_${i}`), input: `rotated-${i}-value` })),
      { args: del('OLD_4') },
      { args: del('OLD_5') },
      ...Array.from({ length: 4 }, (_, i) => ({ args: duplicate(`OLD_${i % 4}`, `DUP_${i}`) })),
    ];
    expect(runs).toHaveLength(N);
    // The lock wait past the run's own bound: this test is about every write landing (as concurrency.test.ts).
    const results = await Promise.all(runs.map((r) => p.run(r.args, { input: r.input, timeoutMs: 150_000, env: { MYCLI_LOCK_TIMEOUT: '120' } })));
    expect(results.map((r, i) => (r.code === 0 ? '' : `${runs[i].args.join(' ')}: exit ${r.code} ${r.stderr}`)).filter(Boolean)).toEqual([]);
    for (const [i, r] of results.entries()) if (runs[i].input) expect(r.all).not.toContain(runs[i].input);
    const want = [...Array.from({ length: 14 }, (_, i) => `NEW_${i}`), ...Array.from({ length: 4 }, (_, i) => `OLD_${i}`), ...Array.from({ length: 4 }, (_, i) => `DUP_${i}`)].sort();
    expect(await expectConsistent(p)).toEqual(want);
    for (let i = 0; i < 14; i++) expect(value(p, `NEW_${i}`)).toBe(`new-${i}-value`);
    for (let i = 0; i < 4; i++) expect(value(p, `OLD_${i}`)).toBe(`rotated-${i}-value`);
    // A duplicate copies the value it read: the old one or the rotated one, whichever committed first.
    for (let i = 0; i < 4; i++) expect([`old-${i}`, `rotated-${i}-value`]).toContain(value(p, `DUP_${i}`));
    expect(filesContaining([p.dir, p.home], 'new-0-value')).toEqual([]);
  });
});
