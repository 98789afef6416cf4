/** The pure rules of issue 18 (src/domain/secrets.ts): sync plans, upload secrets, required names. */
import { describe, expect, it } from 'vitest';
import { inSync, missingRequired, secretNamesOf, syncPlan, syncWrites, uploadSecrets } from '../../src/domain/secrets.js';

describe('syncPlan', () => {
  const current = ['KEEP', 'SAME', 'DIFF', 'GONE'];
  const wanted = ['SAME', 'DIFF', 'NEW', 'KEEP'];
  it('compared: added, changed, unchanged; names only on the Worker are left alone without prune', () => {
    const plan = syncPlan(current, wanted, { compared: true, differing: ['DIFF', 'NEW'] }, false);
    expect(plan).toEqual({ added: ['NEW'], changed: ['DIFF'], unchanged: ['KEEP', 'SAME'], set: [], removed: [], leftAlone: ['GONE'] });
    expect(syncWrites(plan)).toEqual({ put: ['DIFF', 'NEW'], remove: [] });
    expect(inSync(plan)).toBe(false);
  });
  it('not compared: names on both sides are set, with the reason; prune removes', () => {
    const plan = syncPlan(current, wanted, { compared: false, reason: 'cannot compare' }, true);
    expect(plan).toEqual({ added: ['NEW'], changed: [], unchanged: [], set: ['DIFF', 'KEEP', 'SAME'], removed: ['GONE'], leftAlone: [], setReason: 'cannot compare' });
    expect(syncWrites(plan)).toEqual({ put: ['DIFF', 'KEEP', 'NEW', 'SAME'], remove: ['GONE'] });
  });
  it('in sync only when nothing is put or removed (left alone names do not count; set names do)', () => {
    expect(inSync(syncPlan(['A', 'B'], ['A'], { compared: true, differing: [] }, false))).toBe(true);
    expect(inSync(syncPlan(['A', 'B'], ['A'], { compared: true, differing: [] }, true))).toBe(false);
    expect(inSync(syncPlan(['A'], ['A'], { compared: false, reason: 'x' }, false))).toBe(false);
  });
});

describe('uploadSecrets and required names', () => {
  it('sets the file, keeps or drops the others', () => {
    expect(uploadSecrets(['A', 'B', 'C'], ['C', 'D'], false)).toEqual({ sets: ['C', 'D'], keeps: ['A', 'B'], drops: [] });
    expect(uploadSecrets(['A', 'B', 'C'], ['C', 'D'], true)).toEqual({ sets: ['C', 'D'], keeps: [], drops: ['A', 'B'] });
  });
  it('missingRequired keeps the config order; secretNamesOf reads secret_text bindings only', () => {
    expect(missingRequired(['Z', 'A', 'M'], ['A'])).toEqual(['Z', 'M']);
    expect(secretNamesOf({ bindings: [{ type: 'plain_text', name: 'V' }, { type: 'secret_text', name: 'S' }] })).toEqual(['S']);
  });
});
