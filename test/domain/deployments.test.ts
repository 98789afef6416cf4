/** The deployment rules of src/domain: each with the cases a user would notice. */
import { describe, expect, it } from 'vitest';
import {
  defaultRollbackTarget,
  deploymentServes,
  isRollback,
  restOf,
  rolloutBlock,
  samePercent,
  sameSplit,
  splitAt,
  stableVersionOf,
} from '../../src/domain/deployments.js';

const split = (...parts: [string, number][]) => parts.map(([versionId, percentage]) => ({ versionId, percentage }));
const dep = (...parts: [string, number][]) => ({ versions: split(...parts) });

describe('sameSplit: deploying exactly the live split is "nothing to do"', () => {
  it.each([
    ['the same single version', split(['a', 100]), split(['a', 100]), true],
    ['the same split in another order', split(['a', 30], ['b', 70]), split(['b', 70], ['a', 30]), true],
    ['33.333 and 33.3330001 (float noise from an API) are the same', split(['a', 33.333], ['b', 66.667]), split(['b', 66.66699999999999], ['a', 33.3330001]), true],
    ['33 and 34 differ', split(['a', 33], ['b', 67]), split(['a', 34], ['b', 66]), false],
    ['10 and 10.001 differ (the finest step a user can give)', split(['a', 10], ['b', 90]), split(['a', 10.001], ['b', 89.999]), false],
    ['other percentages', split(['a', 30], ['b', 70]), split(['a', 70], ['b', 30]), false],
    ['another version', split(['a', 100]), split(['b', 100]), false],
    ['a split against one version', split(['a', 100]), split(['a', 50], ['b', 50]), false],
    ['a 0% version kept beside 100% is part of the split', split(['a', 100], ['b', 0]), split(['a', 100]), false],
    ['one version twice is not two versions', split(['a', 50], ['a', 50]), split(['a', 50], ['b', 50]), false],
  ])('%s', (_l, a, b, same) => {
    expect(sameSplit(a, b)).toBe(same);
    expect(sameSplit(b, a)).toBe(same);
  });

  it('deploymentServes: no deployment serves nothing', () => {
    expect(deploymentServes(undefined, split(['a', 100]))).toBe(false);
    expect(deploymentServes(dep(['b', 10], ['a', 90]), split(['a', 90], ['b', 10]))).toBe(true);
  });

  it('samePercent is the one tolerance: far below 0.001, far above float noise', () => {
    expect(samePercent(100 - 33.333, 66.667)).toBe(true);
    expect(samePercent(50, 50.001)).toBe(false);
  });
});

describe('stableVersionOf: one version alone at 100%', () => {
  it.each([
    ['one version at 100%', dep(['a', 100]), 'a'],
    ['a split', dep(['a', 90], ['b', 10]), undefined],
    ['100% with a 0% version beside it is a split', dep(['a', 100], ['b', 0]), undefined],
    ['nothing deployed', undefined, undefined],
  ])('%s', (_l, d, expected) => expect(stableVersionOf(d)).toBe(expected));
});

describe('rolloutBlock: a secret change deploys only when the latest version serves 100% (10215)', () => {
  const latest = { id: 'v3' };
  it.each([
    ['the latest version alone at 100%', dep(['v3', 100]), undefined],
    ['the latest version at 30% of a rollout', dep(['v3', 30], ['v2', 70]), 'gradual-rollout'],
    ['an older version at 100% (the latest was uploaded, not deployed)', dep(['v2', 100]), 'latest-not-deployed'],
    ['the latest at 100% with a 0% version beside it', dep(['v3', 100], ['v2', 0]), 'gradual-rollout'],
    ['nothing deployed yet', undefined, 'latest-not-deployed'],
  ])('%s', (_l, live, expected) => expect(rolloutBlock(latest, live)).toBe(expected));

  it('a Worker with no versions has nothing to check (its first change makes version 1)', () => {
    expect(rolloutBlock(undefined, undefined)).toBeUndefined();
  });
});

describe('defaultRollbackTarget: the newest earlier deployment of one version at 100%', () => {
  // Deployments newest first.
  it.each([
    ['nothing deployed', [], undefined],
    ['a single deployment', [dep(['a', 100])], undefined],
    ['the previous single version', [dep(['b', 100]), dep(['a', 100])], 'a'],
    ['skips earlier deployments of the live version', [dep(['b', 100]), dep(['b', 100]), dep(['a', 100])], 'a'],
    ['skips split deployments', [dep(['c', 100]), dep(['a', 50], ['b', 50]), dep(['b', 100])], 'b'],
    ['skips a 100% + 0% deployment (it was a split)', [dep(['c', 100]), dep(['a', 100], ['c', 0]), dep(['b', 100])], 'b'],
    ['from a split live deployment: the newest single one', [dep(['a', 50], ['b', 50]), dep(['b', 100]), dep(['a', 100])], 'b'],
    ['only splits earlier', [dep(['c', 100]), dep(['a', 50], ['b', 50])], undefined],
  ])('%s', (_l, deployments, expected) => expect(defaultRollbackTarget(deployments)).toBe(expected));
});

describe('isRollback: one version older than the newest live one', () => {
  const v = (number: number) => ({ number });
  it.each([
    ['version 2 while 3 is live', [v(2)], [v(3)], true],
    ['version 2 while 3 is at 10% of a split with 2', [v(2)], [v(3), v(2)], true],
    ['version 3 while 3 and 2 split the traffic (finishing a rollout)', [v(3)], [v(2), v(3)], false],
    ['a newer version', [v(4)], [v(3)], false],
    ['the live version again', [v(3)], [v(3)], false],
    ['a split is never a rollback', [v(1), v(2)], [v(3)], false],
    ['nothing live', [v(1)], [], false],
  ])('%s', (_l, chosen, live, expected) => expect(isRollback(chosen, live)).toBe(expected));
});

describe('splits of a rollout', () => {
  it('restOf rounds to the 3 decimals percentages are given with', () => {
    expect(restOf(33.333)).toBe(66.667);
    expect(restOf(0.1)).toBe(99.9);
  });
  it('splitAt: the target at the step, the stable version at the rest; 100% alone', () => {
    expect(splitAt('t', 's', 33.333)).toEqual(split(['t', 33.333], ['s', 66.667]));
    expect(splitAt('t', 's', 100)).toEqual(split(['t', 100]));
  });
});
