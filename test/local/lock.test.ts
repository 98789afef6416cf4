/**
 * The store's lock (src/backends/local/lock.ts), with real files: a dead holder's lock is taken
 * over, a live holder's never is, and a breaker that died inside its moment of breaking does not
 * block the others.
 */
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
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
