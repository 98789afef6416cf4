/**
 * Fifty `mycli secret put` processes started at once, for fifty different names on the same
 * Worker and store: all succeed, and all fifty names are there afterwards.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { decryptLatest, filesContaining, makeTempProject, readState } from './helpers.js';

const N = 50;

describe('concurrency', () => {
  it(
    `${N} concurrent secret puts on one store all succeed and all ${N} names are listed`,
    async () => {
      const p = makeTempProject();
      const values = Array.from({ length: N }, (_, i) => `conc-${i}-${randomUUID()}`);
      const results = await Promise.all(
        // The lock wait is set past the run's own bound: this test is about every write landing, and on
        // a loaded machine 50 writers in turn can outlast the default 15 s wait (seen beside a second
        // suite), which is the busy-store refusal, tested elsewhere (test/local/lock.test.ts).
        values.map((v, i) => p.run(['secret', 'put', `NAME_${i}`], { input: v + '\n', timeoutMs: 100_000, env: { MYCLI_LOCK_TIMEOUT: '90' } })),
      );
      const failures = results
        .map((r, i) => ({ i, r }))
        .filter(({ r }) => r.code !== 0)
        .map(({ i, r }) => `NAME_${i}: exit ${r.code} ${r.killedByTimeout ? '(killed by timeout) ' : ''}${r.stderr}`);
      expect(failures).toEqual([]);
      for (const [i, r] of results.entries()) expect(r.all).not.toContain(values[i]);

      const list = await p.run(['secret', 'list', '--json']);
      expect(list.code).toBe(0);
      const names = (list.json().secrets as { name: string }[]).map((s) => s.name).sort();
      expect(names).toEqual(Array.from({ length: N }, (_, i) => `NAME_${i}`).sort());

      // One version per put, numbered 1..N without gaps or duplicates.
      const numbers = readState(p).workers['e2e-worker'].versions.map((v) => v.number).sort((a, b) => a - b);
      expect(numbers).toEqual(Array.from({ length: N }, (_, i) => i + 1));
      // Every value survived the re-encryptions of the later versions, byte for byte.
      for (const [i, v] of values.entries()) expect(decryptLatest(p, `NAME_${i}`)).toBe(v);
      // No temp files or plain values left behind.
      expect(filesContaining([p.dir, p.home], values[0])).toEqual([]);
    },
    120_000,
  );
});
