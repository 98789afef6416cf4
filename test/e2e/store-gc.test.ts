/**
 * `mycli store gc` (issue 16, item 13): removes what no committed head reaches — records and
 * blobs of writers that lost or died, temp files of dead writers — and is safe beside live
 * writers: run with no grace period at all, in a loop, while real writer processes put secrets
 * (some stopped between writing their files and their commit, so that gc removes those files
 * under them), nothing acknowledged is lost and `store verify` passes.
 */
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decryptLatest, makeTempProject, readState, WORKER, type BinResult } from './helpers.js';
import { startPaused } from './store-helpers.js';

/** A pid no process can have (above Linux's largest pid_max). */
const DEAD_PID = 4_194_305;
const count = (dir: string) => (existsSync(dir) ? readdirSync(dir).length : 0);

describe('mycli store gc', () => {
  it('removes the records and blobs of a writer killed before its commit, and dead writers\' temp files; keeps everything committed', { timeout: 120_000 }, async () => {
    const p = makeTempProject();
    for (const [n, v] of [['KEEP_A', 'keep-a-value'], ['KEEP_B', 'keep-b-value']]) expect((await p.run(['secret', 'put', n], { input: v })).code).toBe(0);
    const D = join(p.dir, '.mycli');
    const before = { versions: count(join(D, 'versions')), deployments: count(join(D, 'deployments')) };
    // A writer that wrote its record and blob, then died before committing.
    const killed = await startPaused(p, ['secret', 'put', 'LOST'], 'MYCLI_TEST_PAUSE_BEFORE_COMMIT', { input: 'lost-value-1' });
    await killed.kill();
    expect(count(join(D, 'versions'))).toBe(before.versions + 1);
    // A dead writer's temp file (named as durable.ts names them).
    const tmp = join(D, 'versions', `.0000.json.${DEAD_PID}.0badc0de.tmp`);
    writeFileSync(tmp, '{"half":');

    const dry = await p.run(['--json', 'store', 'gc', '--grace', '0', '--dry-run']);
    expect(dry.code, dry.all).toBe(0);
    expect(dry.json().removed).toMatchObject({ versions: 1, deployments: 1, blobs: 1, temp: 1 });
    expect(existsSync(tmp)).toBe(true);

    // The default grace period (1h) leaves these fresh files alone.
    const graced = await p.run(['--json', 'store', 'gc']);
    expect(graced.json().removed).toMatchObject({ versions: 0, blobs: 0, temp: 0 });

    const r = await p.run(['store', 'gc', '--grace', '0']);
    expect(r.code, r.all).toBe(0);
    expect(r.stdout).toMatch(/removed 1 version record, 1 deployment record, 1 blob, 1 temp file/);
    expect(existsSync(tmp)).toBe(false);
    expect(count(join(D, 'versions'))).toBe(before.versions);
    expect(decryptLatest(p, 'KEEP_A')).toBe('keep-a-value');
    expect(decryptLatest(p, 'KEEP_B')).toBe('keep-b-value');
    const verify = await p.run(['store', 'verify']);
    expect(verify.code, verify.all).toBe(0);
    const again = await p.run(['store', 'gc', '--grace', '0']);
    expect(again.stdout).toMatch(/nothing to remove/);
  });

  it('beside live writers, with no grace period: nothing acknowledged is lost', { timeout: 300_000 }, async () => {
    const p = makeTempProject();
    expect((await p.run(['secret', 'put', 'SEED'], { input: 'seed-value' })).code).toBe(0);
    // Writers stopped after writing their files, before their commit: gc sees those files
    // unreachable and removes them; resumed, each must still commit its value whole.
    const paused = [];
    for (let i = 0; i < 3; i++) paused.push(await startPaused(p, ['secret', 'put', `PAUSED_${i}`], 'MYCLI_TEST_PAUSE_BEFORE_COMMIT', { input: `paused-value-${i}` }));
    const first = await p.run(['--json', 'store', 'gc', '--grace', '0']);
    expect(first.code, first.all).toBe(0);
    expect(first.json().removed.versions).toBeGreaterThanOrEqual(3);

    // Live writers (child processes), each putting its own secrets one after the other, while
    // gc runs in a loop; the paused writers resume in the middle of it.
    const WRITERS = 4;
    const PUTS = 5;
    const acked = new Map<string, string>();
    let writing = true;
    const writers = Array.from({ length: WRITERS }, async (_, w) => {
      for (let j = 0; j < PUTS; j++) {
        const name = `W${w}_${j}`;
        const value = `value-${w}-${j}-${Math.random().toString(36).slice(2)}`;
        const r = await p.run(['secret', 'put', name], { input: value });
        if (r.code === 0) acked.set(name, value);
        else expect(r.code, r.all).toBe(5); // busy is allowed; never anything else
      }
    });
    const resumed: Promise<BinResult>[] = [];
    const gcs = (async () => {
      let runs = 0;
      while (writing && runs < 200) {
        const g = await p.run(['store', 'gc', '--grace', '0']);
        expect(g.code, g.all).toBe(0);
        if (++runs === 2) for (const x of paused) resumed.push(x.resume());
      }
      return runs;
    })();
    await Promise.all(writers);
    writing = false;
    const runs = await gcs;
    expect(runs).toBeGreaterThanOrEqual(2);
    for (const [i, r] of (await Promise.all(resumed)).entries()) {
      expect(r.code, r.stderr).toBe(0);
      acked.set(`PAUSED_${i}`, `paused-value-${i}`);
    }

    expect(acked.size).toBeGreaterThan(WRITERS);
    for (const [name, value] of acked) expect(decryptLatest(p, name), name).toBe(value);
    expect(decryptLatest(p, 'SEED')).toBe('seed-value');
    const versions = readState(p).workers[WORKER].versions;
    expect(versions.map((v) => v.number)).toEqual(versions.map((_, i) => i + 1));
    const verify = await p.run(['store', 'verify']);
    expect(verify.code, verify.all).toBe(0);
  });
});
