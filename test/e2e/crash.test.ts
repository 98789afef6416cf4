/**
 * Crash safety of the local store with the real binary: SIGKILL at random moments during a
 * stream of writes leaves a store that loads with either the old or the new state, and the next
 * writer gets through even if the killed process held the lock (its holder is gone, so the lock
 * is taken over at once, not after a stale time). A damaged store or a wrong key
 * gives a clear error and the file is left byte-for-byte untouched.
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fingerprint } from '../helpers/store-reader.js';
import { BIN, decryptLatest, filesUnder, makeTempProject, OTHER_KEY_HEX, readState, sleep } from './helpers.js';

const KILLS = 10;

/** Names K_0..K_{n-1} in order: the loop below puts them one after the other. */
function expectedNames(n: number): string[] {
  return Array.from({ length: n }, (_, i) => `K_${i}`).sort();
}

describe('crash safety', () => {
  it(
    `SIGKILL at random moments during a loop of puts (${KILLS} kills): the store always loads, consistently, and the next put succeeds`,
    async () => {
      const p = makeTempProject();
      const valueOf = (i: number) => `crash-value-${i}-${p.root.length}`;
      let count = 0; // names known to be stored
      let lockLeftBehind = 0;
      const recoveryMs: number[] = [];

      for (let k = 0; k < KILLS; k++) {
        // A shell loop of puts, in its own process group so that one SIGKILL hits the loop and
        // the mycli process it is running at that instant (possibly in the middle of a write).
        const script = `i=${count}; while [ $i -lt ${count + 200} ]; do printf 'crash-value-%s-%s\\n' "$i" "${p.root.length}" | "${process.execPath}" "${BIN}" secret put "K_$i" >/dev/null 2>&1 || exit 9; i=$((i+1)); done`;
        const loop = spawn('/bin/sh', ['-c', script], { cwd: p.dir, env: p.env, detached: true, stdio: 'ignore' });
        const exited = new Promise<void>((r) => loop.on('exit', () => r()));
        // Let it run a few puts, then kill at a random moment (startup, lock, encrypt, write, rename...).
        await sleep(300 + Math.floor(Math.random() * 700));
        process.kill(-loop.pid!, 'SIGKILL');
        await exited;
        await sleep(50); // let the kernel reap the group
        if (existsSync(join(p.dir, '.mycli', 'lock'))) lockLeftBehind++;

        // The store loads, with a consistent set: K_0..K_{m-1}, one version per put.
        const list = await p.run(['secret', 'list', '--json'], { timeoutMs: 30_000 });
        expect(list.code, list.stderr).toBe(0);
        const names = (list.json().secrets as { name: string }[]).map((s) => s.name).sort();
        const m = names.length;
        expect(m).toBeGreaterThanOrEqual(count); // nothing that was stored is lost
        expect(names).toEqual(expectedNames(m));
        // (The first kill may come before the first commit: then there is no store yet.)
        const versions = m === 0 ? [] : (readState(p).workers['e2e-worker']?.versions ?? []);
        expect(versions.map((v) => v.number)).toEqual(Array.from({ length: m }, (_, i) => i + 1));
        if (m > 0) expect(decryptLatest(p, `K_${m - 1}`)).toBe(valueOf(m - 1));
        count = m;

        // The next writer gets through, even when the killed one left its lock behind.
        const t0 = performance.now();
        // A lock is never taken on age: a generous lock timeout that a dead holder must not need.
        const next = await p.run(['secret', 'put', `K_${count}`], { input: valueOf(count) + '\n', env: { MYCLI_LOCK_TIMEOUT: '60' }, timeoutMs: 90_000 });
        recoveryMs.push(Math.round(performance.now() - t0));
        expect(next.code, next.stderr).toBe(0);
        expect(next.all).not.toContain(valueOf(count));
        count++;
      }

      // Every value is intact after all the kills.
      for (let i = 0; i < count; i++) expect(decryptLatest(p, `K_${i}`)).toBe(valueOf(i));
      // A killed writer may leave temp files (never a half-written store file): they are named
      // .<file>.<pid>.<random>.tmp, so no reader ever takes them for a record.
      const leftovers = filesUnder(join(p.dir, '.mycli')).filter((f) => f.endsWith('.tmp'));
      for (const f of leftovers) expect(f).toMatch(/\/\.[^/]+\.\d+\.[0-9a-f]{8}\.tmp$/);
      console.log(
        `crash test: ${count} secrets stored, lock left behind after ${lockLeftBehind}/${KILLS} kills, ` +
          `next-put times ${recoveryMs.join(', ')} ms, ${leftovers.length} temp file(s) left`,
      );
    },
    240_000,
  );

  it('a damaged head: clear error naming the file (exit 1); the file is byte-for-byte unchanged', async () => {
    const p = makeTempProject();
    expect((await p.run(['secret', 'put', 'FIRST'], { input: 'first-value\n' })).code).toBe(0);
    const garbage = Buffer.from('{"format":2,"workers":{"e2e-worker":\u0000\u00ff garbage \n', 'latin1');
    writeFileSync(p.stateFile, garbage);
    const value = `after-damage-${randomUUID()}`;
    for (const args of [
      ['secret', 'list'],
      ['secret', 'put', 'SECOND'],
      ['secret', 'delete', 'FIRST', '--yes'],
      ['versions', 'upload'],
    ]) {
      const r = await p.run(args, { input: value + '\n' });
      expect(r.code, args.join(' ')).toBe(1);
      expect(r.stderr).toContain(p.stateFile);
      expect(r.stderr).toMatch(/damaged/);
      expect(r.all).not.toContain(value);
      expect(readFileSync(p.stateFile).equals(garbage), `${args.join(' ')} changed the damaged file`).toBe(true);
    }
    const json = await p.run(['secret', 'put', 'SECOND', '--json'], { input: value + '\n' });
    expect(json.code).toBe(1);
    expect(json.json().error.message).toContain(p.stateFile);
    expect(readFileSync(p.stateFile).equals(garbage)).toBe(true);
  });

  it('a wrong MYCLI_LOCAL_KEY: clear error (exit 4); the file is byte-for-byte unchanged', async () => {
    const p = makeTempProject();
    const good = `good-${randomUUID()}`;
    expect((await p.run(['secret', 'put', 'TOKEN'], { input: good + '\n' })).code).toBe(0);
    const before = fingerprint(join(p.dir, '.mycli'));
    const value = `wrong-key-${randomUUID()}`;
    for (const args of [['secret', 'put', 'TOKEN'], ['secret', 'put', 'OTHER'], ['secret', 'delete', 'TOKEN', '--yes']]) {
      const r = await p.run(args, { input: value + '\n', env: { MYCLI_LOCAL_KEY: OTHER_KEY_HEX } });
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(4);
      expect(r.stderr).toMatch(/key/);
      expect(r.stderr).toMatch(/MYCLI_LOCAL_KEY/);
      expect(r.all).not.toContain(value);
      expect(r.all).not.toContain(good);
      expect(fingerprint(join(p.dir, '.mycli'))).toBe(before);
    }
    // The right key still works and the value is intact.
    expect(decryptLatest(p, 'TOKEN')).toBe(good);
  });
});
