/** The version rules of src/domain: newest by number, and the diff of two versions. */
import { describe, expect, it } from 'vitest';
import { diffVersions, newestFirst, newestVersion } from '../../src/domain/versions.js';
import type { Version } from '../../src/backends/types.js';

describe('newest by number, never by position or date', () => {
  const v = (id: string, number: number) => ({ id, number });
  it('picks the highest number wherever it stands', () => {
    expect(newestVersion([v('a', 2), v('b', 10), v('c', 9)])?.id).toBe('b');
  });
  it('none: undefined', () => {
    expect(newestVersion([])).toBeUndefined();
  });
  it('newestFirst orders 10 before 9 (numbers, not strings) and leaves the input as it was', () => {
    const input = [v('a', 9), v('b', 10), v('c', 1)];
    expect(newestFirst(input).map((x) => x.id)).toEqual(['b', 'a', 'c']);
    expect(input.map((x) => x.id)).toEqual(['a', 'b', 'c']);
  });
  it('equal numbers (a damaged history): the first of them, and newestFirst agrees with newestVersion', () => {
    const tied = [v('a', 3), v('b', 5), v('c', 5), v('d', 4)];
    expect(newestVersion(tied)?.id).toBe('b');
    expect(newestFirst(tied).map((x) => x.id)).toEqual(['b', 'c', 'd', 'a']);
  });
});

describe('diffVersions: what deploying one version instead of another changes (names only)', () => {
  const v = (bindings: Version['bindings']) => ({ bindings });
  it('a first deployment adds everything the version has', () => {
    expect(diffVersions(undefined, v([{ type: 'plain_text', name: 'A', text: '1' }, { type: 'secret_text', name: 'S' }]))).toEqual({
      vars: [{ name: 'A', change: 'added' }],
      secrets: [{ name: 'S', change: 'added' }],
    });
  });
  it('a var whose value changes is named, not shown', () => {
    const d = diffVersions(v([{ type: 'plain_text', name: 'URL', text: 'https://old' }]), v([{ type: 'plain_text', name: 'URL', text: 'https://new' }]));
    expect(d).toEqual({ vars: [{ name: 'URL', change: 'changed' }], secrets: [] });
    expect(JSON.stringify(d)).not.toMatch(/https:/);
  });
  it('a Secrets Store binding that points at another secret is changed; without such bindings the field is absent', () => {
    const store = (secret: string) => ({ type: 'secrets_store_secret', name: 'KEY', store_id: 's1', secret_name: secret });
    expect(diffVersions(v([store('a')]), v([store('b')])).secretsStore).toEqual([{ name: 'KEY', change: 'changed' }]);
    expect(diffVersions(v([]), v([])).secretsStore).toBeUndefined();
  });
});
