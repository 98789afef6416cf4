/** The pure parts of `versions deploy` and `rollback`: specs, percentages, references, targets. */
import { describe, expect, it } from 'vitest';
import { parseDeploySpec, resolveVersion } from '../../src/commands/versions/refs.js';
import { fillPercentages, flagSpecs } from '../../src/commands/versions/deploy.run.js';
import { defaultRollbackTarget, sameSplit } from '../../src/domain/deployments.js';
import { diffVersions } from '../../src/domain/versions.js';
import { MycliError } from '../../src/errors.js';
import type { Backend, Deployment, Target, Version } from '../../src/backends/types.js';

const ID = '1a2b3c4d-0000-4000-8000-000000000001';

function expectUsage(fn: () => unknown, message: RegExp) {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(MycliError);
    expect((e as MycliError).exitCode).toBe(2);
    expect((e as MycliError).message).toMatch(message);
    return;
  }
  throw new Error('expected a usage error');
}

describe('parseDeploySpec: <ID>@<PCT>%', () => {
  const valid: [string, { ref: string; percentage?: number }][] = [
    [`${ID}@100%`, { ref: ID, percentage: 100 }],
    [`${ID}@10%`, { ref: ID, percentage: 10 }],
    ['1a2b@10%', { ref: '1a2b', percentage: 10 }],
    ['1a2b@10', { ref: '1a2b', percentage: 10 }],
    ['1a2b', { ref: '1a2b' }],
    ['1a2b@0.5%', { ref: '1a2b', percentage: 0.5 }],
    ['1a2b@0.001%', { ref: '1a2b', percentage: 0.001 }],
    ['1a2b@99.999%', { ref: '1a2b', percentage: 99.999 }],
    ['1a2b@100.0%', { ref: '1a2b', percentage: 100 }],
    ['1a2b@007%', { ref: '1a2b', percentage: 7 }],
    ['  1a2b@50%  ', { ref: '1a2b', percentage: 50 }],
    ['1a2b@0%', { ref: '1a2b', percentage: 0 }],
    ['1a2b@0.0%', { ref: '1a2b', percentage: 0 }],
    // Tags may hold `@`: the spec splits at the last `@` followed by a percentage (wrangler 4.164's rule).
    ['1a2b@', { ref: '1a2b' }],
    ['v1.0@beta', { ref: 'v1.0@beta' }],
    ['v1.0@beta@25%', { ref: 'v1.0@beta', percentage: 25 }],
    ['build@7@', { ref: 'build@7' }],
    ['1a2b@10%@20%', { ref: '1a2b@10%', percentage: 20 }],
  ];
  it.each(valid)('%j -> %j', (spec, expected) => {
    expect(parseDeploySpec(spec)).toEqual(expected);
  });

  const invalid: [string, RegExp][] = [
    ['1a2b@100.001%', /from 0 to 100/],
    ['1a2b@101%', /from 0 to 100/],
    ['1a2b@1000%', /is not a version spec/],
    ['1a2b@-5%', /is not a version spec/],
    ['1a2b@0.0001%', /is not a version spec/],
    ['1a2b@.5%', /is not a version spec/],
    ['1a2b@%', /is not a version spec/],
    ['1a2b@10%%', /is not a version spec/],
    ['1a2b@ten%', /is not a version spec/],
    ['1a2b@1e2%', /is not a version spec/],
    ['1a2b@-', /is not a version spec/],
    ['@10%', /is not a version spec/],
    ['1a 2b@10%', /is not a version spec/],
    ['', /is not a version spec/],
  ];
  it.each(invalid)('%j is refused: %s', (spec, message) => {
    expectUsage(() => parseDeploySpec(spec), message);
  });
});

describe('flagSpecs: --version-id/--percentage paired in order', () => {
  it('a --version-id without a percentage keeps its whole reference, even a tag like build@7', () => {
    expect(flagSpecs(['v1', '1a2b', 'build@7'], ['30', '70%']).map((x) => parseDeploySpec(x))).toEqual([
      { ref: 'v1', percentage: 30 },
      { ref: '1a2b', percentage: 70 },
      { ref: 'build@7' },
    ]);
  });
});

function version(id: string, number = 1, tag?: string): Version {
  return { id, number, createdOn: '2025-01-01T00:00:00.000Z', bindings: [], ...(tag !== undefined ? { tag } : {}) };
}

describe('fillPercentages', () => {
  const A = version('aaaaaaaa-0000-4000-8000-000000000000', 1);
  const B = version('bbbbbbbb-0000-4000-8000-000000000000', 2);
  const liveA = [{ versionId: A.id, percentage: 100 }];
  const liveSplit = [
    { versionId: A.id, percentage: 50 },
    { versionId: B.id, percentage: 50 },
  ];
  type Row = [string, { version: Version; percentage?: number }[], { versionId: string; percentage: number }[] | undefined, [string, number][]];
  const ok: Row[] = [
    ['one at 100', [{ version: B, percentage: 100 }], liveA, [[B.id, 100]]],
    ['one without a percentage', [{ version: B }], liveA, [[B.id, 100]]],
    ['one at 100 with nothing live', [{ version: B, percentage: 100 }], undefined, [[B.id, 100]]],
    ['one below 100: the rest to the live 100%', [{ version: B, percentage: 10 }], liveA, [[B.id, 10], [A.id, 90]]],
    ['fractions stay exact', [{ version: B, percentage: 33.333 }], liveA, [[B.id, 33.333], [A.id, 66.667]]],
    ['two given', [{ version: A, percentage: 70 }, { version: B, percentage: 30 }], liveA, [[A.id, 70], [B.id, 30]]],
    ['two, second filled', [{ version: A, percentage: 0.1 }, { version: B }], undefined, [[A.id, 0.1], [B.id, 99.9]]],
    ['two, first filled', [{ version: A }, { version: B, percentage: 25 }], liveSplit, [[A.id, 75], [B.id, 25]]],
    // Sums that are wrong pass through here; validateSplit refuses them afterwards.
    ['two not summing to 100 are left for validation', [{ version: A, percentage: 60 }, { version: B, percentage: 30 }], liveA, [[A.id, 60], [B.id, 30]]],
  ];
  it.each(ok)('%s', (_l, chosen, live, expected) => {
    expect(fillPercentages(chosen, live)).toEqual(expected.map(([versionId, percentage]) => ({ versionId, percentage })));
  });

  const bad: [string, { version: Version; percentage?: number }[], { versionId: string; percentage: number }[] | undefined, RegExp][] = [
    ['one below 100 with nothing live', [{ version: B, percentage: 10 }], undefined, /needs a second version for the other 90%/],
    ['one below 100 during a split', [{ version: B, percentage: 10 }], liveSplit, /needs a second version/],
    ['one below 100 of the version serving 100', [{ version: A, percentage: 10 }], liveA, /already serves 100%/],
  ];
  it.each(bad)('refuses %s', (_l, chosen, live, message) => {
    expectUsage(() => fillPercentages(chosen, live), message);
  });
});

describe('resolveVersion', () => {
  const versions = [
    version('99991111-0000-4000-8000-000000000000', 1234),
    version('12341111-0000-4000-8000-000000000000', 40),
    version('00051111-0000-4000-8000-000000000000', 31),
    version('abcd1111-0000-4000-8000-000000000000', 3),
    version('abcd2222-0000-4000-8000-000000000000', 2),
    version('ef001111-0000-4000-8000-000000000000', 1),
  ];
  // Tags (issue 19 item 6): on versions of their own, so the readings above keep their answers.
  versions.push(
    version('77770001-0000-4000-8000-000000000000', 50, 'release-7'),
    version('77770002-0000-4000-8000-000000000000', 51, 'shared'),
    version('77770003-0000-4000-8000-000000000000', 52, 'shared'),
    version('77770004-0000-4000-8000-000000000000', 53, '3'), // looks like version 3's number
    version('77770005-0000-4000-8000-000000000000', 54, '9f8e7d6'), // a short commit hash no id starts with
    version('77770006-0000-4000-8000-000000000000', 55, 'ab'), // too short for a prefix
    version('77770007-0000-4000-8000-000000000000', 56, 'v1@beta'),
  );
  const target: Target = { worker: 'w', projectDir: '/tmp' };
  const backend = {
    name: 'fake',
    capabilities: { secrets: true, versions: true, gradualDeployments: true, rollback: true, versionedSecrets: true },
    listSecrets: async () => [],
    updateSecrets: async () => ({ changes: [] }),
    listVersions: async () => versions,
    getVersion: async (_t: Target, id: string) => {
      const v = versions.find((x) => x.id === id);
      if (!v) throw new MycliError('not_found', 3, `version ${id} does not exist`);
      return v;
    },
  } satisfies Backend;

  it.each([
    ['a full id', 'ef001111-0000-4000-8000-000000000000', 1],
    ['a full id in upper case', 'EF001111-0000-4000-8000-000000000000', 1],
    ['a unique prefix', 'abcd1', 3],
    ['a unique 4-character prefix', 'ef00', 1],
    ['a version number', '3', 3],
    ['a two-digit version number', '31', 31],
    ['a digits-only prefix that is no version number', '0005', 31],
    ['a tag', 'release-7', 50],
    ['a tag holding @', 'v1@beta', 56],
    ['a tag shaped like an id prefix that no id starts with', '9f8e7d6', 54],
    ['a 2-character tag', 'ab', 55],
    ['a number that is also a tag: the number first (documented precedence)', '3', 3],
  ])('%s', async (_l, ref, number) => {
    expect((await resolveVersion(backend, target, ref)).number).toBe(number);
  });

  it('--version-tag reads tags only: "3" is the version tagged 3, not version 3', async () => {
    expect((await resolveVersion(backend, target, '3', { tagOnly: true })).number).toBe(53);
    const e = (await resolveVersion(backend, target, 'ef00', { tagOnly: true }).catch((err: unknown) => err)) as MycliError;
    expect(e.exitCode).toBe(3);
    expect(e.message).toBe('no version of Worker "w" is tagged "ef00"');
  });

  it('a tag that several versions carry is ambiguous: exit 2, each listed, newest first', async () => {
    for (const tagOnly of [false, true]) {
      const e = (await resolveVersion(backend, target, 'shared', { tagOnly }).catch((err: unknown) => err)) as MycliError;
      expect(e.exitCode).toBe(2);
      expect(e.message).toBe(
        'tag "shared" names 2 versions of Worker "w": version 52 (77770003-0000-4000-8000-000000000000), version 51 (77770002-0000-4000-8000-000000000000)',
      );
      expect(e.hint).toMatch(/by its number or id/);
    }
  });

  it.each([
    ['an ambiguous prefix (exit 2, listing the matches)', 'abcd', 2, /"abcd" matches 2 versions: abcd1111-.*, abcd2222-/],
    ['a prefix matching nothing (exit 3)', 'ffff', 3, /no version of Worker "w" has an id starting with ffff/],
    ['an unknown full id (exit 3)', '00000000-0000-4000-8000-000000000000', 3, /does not exist/],
    ['a too-short prefix (exit 2)', 'abc', 2, /is not a version number or id/],
    ['a word no version is tagged with (exit 3)', 'latest', 3, /no version of Worker "w" is tagged "latest"/],
    ['an unknown version number (exit 3)', '7', 3, /Worker "w" has no version 7\b/],
    ['digits that are a number and an id prefix (exit 2, listing both)', '1234', 2, /"1234" is ambiguous: version 1234 \(99991111-.*\) by number, and an id starting with 1234: version 40 \(12341111-/],
  ])('%s', async (_l, ref, exit, message) => {
    const e = await resolveVersion(backend, target, ref).then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(e).toBeInstanceOf(MycliError);
    expect((e as MycliError).exitCode).toBe(exit);
    expect((e as MycliError).message).toMatch(message);
  });

  it('the hint says how long a prefix must be', async () => {
    const e = (await resolveVersion(backend, target, 'abc').catch((err: unknown) => err)) as MycliError;
    expect(e.hint).toMatch(/at least 4 characters/);
    expect(e.hint).toMatch(/version number/);
  });
});

describe('defaultRollbackTarget', () => {
  const d = (...versions: [string, number][]): Deployment => ({
    id: Math.random().toString(16).slice(2),
    createdOn: '2025-01-01T00:00:00.000Z',
    versions: versions.map(([versionId, percentage]) => ({ versionId, percentage })),
  });
  // Deployments newest first.
  const cases: [string, Deployment[], string | undefined][] = [
    ['nothing deployed', [], undefined],
    ['a single deployment', [d(['a', 100])], undefined],
    ['the previous single version', [d(['b', 100]), d(['a', 100])], 'a'],
    ['skips earlier deployments of the live version', [d(['b', 100]), d(['b', 100]), d(['a', 100])], 'a'],
    ['skips split deployments', [d(['c', 100]), d(['a', 50], ['b', 50]), d(['b', 100])], 'b'],
    ['from a split live deployment: the newest single one', [d(['a', 50], ['b', 50]), d(['b', 100]), d(['a', 100])], 'b'],
    ['only splits earlier', [d(['c', 100]), d(['a', 50], ['b', 50])], undefined],
  ];
  it.each(cases)('%s', (_l, deployments, expected) => {
    expect(defaultRollbackTarget(deployments)).toBe(expected);
  });
});

describe('diffVersions', () => {
  const v = (bindings: Version['bindings']): Version => ({ ...version('x'), bindings });
  it('names vars added, changed and removed, and secrets that come back or go away; never values', () => {
    const from = v([
      { type: 'plain_text', name: 'SAME', text: '1' },
      { type: 'plain_text', name: 'CHANGED', text: 'old' },
      { type: 'json', name: 'GONE', json: { a: 1 } },
      { type: 'secret_text', name: 'KEPT' },
      { type: 'secret_text', name: 'NEWER' },
    ]);
    const to = v([
      { type: 'plain_text', name: 'SAME', text: '1' },
      { type: 'plain_text', name: 'CHANGED', text: 'new' },
      { type: 'json', name: 'ADDED', json: [1] },
      { type: 'secret_text', name: 'KEPT' },
      { type: 'secret_text', name: 'OLDER' },
    ]);
    expect(diffVersions(from, to)).toEqual({
      vars: [
        { name: 'CHANGED', change: 'changed' },
        { name: 'ADDED', change: 'added' },
        { name: 'GONE', change: 'removed' },
      ],
      secrets: [
        { name: 'OLDER', change: 'added' },
        { name: 'NEWER', change: 'removed' },
      ],
    });
  });

  it('a var that turns from text into json counts as changed', () => {
    expect(diffVersions(v([{ type: 'plain_text', name: 'X', text: '1' }]), v([{ type: 'json', name: 'X', json: 1 }])).vars).toEqual([
      { name: 'X', change: 'changed' },
    ]);
  });
});

describe('sameSplit (deploying exactly the live split is nothing to do)', () => {
  const a = 'aaaa0000-0000-4000-8000-000000000000';
  const b = 'bbbb0000-0000-4000-8000-000000000000';
  it.each([
    ['the same single version', [[a, 100]], [[a, 100]], true],
    ['the same split in another order', [[a, 30], [b, 70]], [[b, 70], [a, 30]], true],
    ['other percentages', [[a, 30], [b, 70]], [[a, 70], [b, 30]], false],
    ['another version', [[a, 100]], [[b, 100]], false],
    ['a split against one version', [[a, 100]], [[a, 50], [b, 50]], false],
  ] as [string, [string, number][], [string, number][], boolean][])('%s', (_l, x, y, same) => {
    const split = (s: [string, number][]) => s.map(([versionId, percentage]) => ({ versionId, percentage }));
    expect(sameSplit(split(x), split(y))).toBe(same);
  });
});
