/**
 * The store's lock (src/backends/local/lock.ts), with real files: a dead holder's lock is taken
 * over, a live holder's never is, and a breaker that died inside its moment of breaking does not
 * block the others.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readlinkSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir, hostname } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { acquireLock } from '../../src/backends/local/lock.js';

/** Pids that cannot be running: above the largest pid_max Linux allows (2^22). */
const DEAD_PID = 4_194_305;
const holder = (pid: number, token: string) => JSON.stringify({ pid, host: hostname(), token }) + '\n';

describe('the local store lock', () => {
  it('takes over the lock of a dead holder, and its release leaves no lock behind', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mycli-lock-'));
    const file = join(dir, 'lock');
    writeFileSync(file, holder(DEAD_PID, 'dead-holder'));
    const release = await acquireLock(file, 30_000);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ pid: process.pid });
    await release();
    expect(existsSync(file)).toBe(false);
    expect(existsSync(`${file}.break`)).toBe(false);
  });

  it('a breaker that died while breaking does not block the others: its guard is removed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mycli-lock-'));
    const file = join(dir, 'lock');
    writeFileSync(file, holder(DEAD_PID, 'dead-holder'));
    writeFileSync(`${file}.break`, holder(DEAD_PID + 1, 'dead-breaker'));
    const release = await acquireLock(file, 30_000);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ pid: process.pid });
    await release();
  });

  it('never takes the lock of a live holder: it waits, then gives up (exit 5) leaving that lock as it was', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mycli-lock-'));
    const file = join(dir, 'lock');
    // A live holder: this very process, with another token (as a second mycli would be).
    const live = holder(process.pid, 'live-holder');
    writeFileSync(file, live);
    await expect(acquireLock(file, 300)).rejects.toMatchObject({ exitCode: 5 });
    expect(readFileSync(file, 'utf8')).toBe(live);
  });

  it('while a live breaker holds the guard, no one else touches the lock: breakers take turns', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mycli-lock-'));
    const file = join(dir, 'lock');
    // A guard held by a live breaker: other breakers wait instead of touching the lock.
    writeFileSync(file, holder(DEAD_PID, 'dead-holder'));
    writeFileSync(`${file}.break`, holder(process.pid, 'live-breaker'));
    await expect(acquireLock(file, 300)).rejects.toMatchObject({ exitCode: 5 });
    expect(JSON.parse(readFileSync(file, 'utf8')).token).toBe('dead-holder');
  });
});

describe('what the lock is and who holds it (issue 16, item 10)', () => {
  const ownNs = (() => {
    try {
      return readlinkSync('/proc/self/ns/pid');
    } catch {
      return undefined;
    }
  })();

  it('a lock that is a folder is named (exit 1), not waited on as "process 0", and left alone', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mycli-lock-'));
    const file = join(dir, 'lock');
    mkdirSync(file);
    const err = await acquireLock(file, 2_000).catch((e) => e);
    expect(err).toMatchObject({ exitCode: 1 });
    expect(err.message).toMatch(/the lock .*lock is a folder, not a lock file/);
    expect(err.message).not.toMatch(/process 0/);
    expect(err.hint).toContain(`rmdir ${file}`);
    expect(statSync(file).isDirectory()).toBe(true);
  });

  it('records its PID namespace, where the system shows it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mycli-lock-'));
    const file = join(dir, 'lock');
    const release = await acquireLock(file, 2_000);
    expect(JSON.parse(readFileSync(file, 'utf8')).ns).toBe(ownNs);
    await release();
  });

  it.skipIf(!ownNs)('a holder of another PID namespace on this host is never judged dead from here: waited on, named, its lock intact', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mycli-lock-'));
    const file = join(dir, 'lock');
    // Its pid means nothing here (no such process in this namespace): before, it was taken over.
    const foreign = JSON.stringify({ pid: DEAD_PID, host: hostname(), ns: 'pid:[1]', token: 'in-a-container' }) + '\n';
    writeFileSync(file, foreign);
    const err = await acquireLock(file, 300).catch((e) => e);
    expect(err).toMatchObject({ exitCode: 5 });
    expect(err.message).toMatch(/another PID namespace/);
    expect(readFileSync(file, 'utf8')).toBe(foreign);
  });

  it.skipIf(!ownNs)('a dead holder of this namespace is still taken over', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mycli-lock-'));
    const file = join(dir, 'lock');
    writeFileSync(file, JSON.stringify({ pid: DEAD_PID, host: hostname(), ns: ownNs, token: 'dead-here' }) + '\n');
    const release = await acquireLock(file, 30_000);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ pid: process.pid });
    await release();
  });
});
