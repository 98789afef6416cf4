import { describe, expect, it } from 'vitest';
import { closest, distance } from '../../src/domain/similar.js';

describe('closest (did you mean)', () => {
  it('finds typos, swaps and prefixes; nothing for unrelated words', () => {
    expect(distance('stagin', 'staging')).toBe(1);
    expect(distance('stagign', 'staging')).toBe(1);
    expect(closest('stagin', ['production', 'staging'])).toBe('staging');
    expect(closest('prod', ['staging', 'production'])).toBe('production');
    expect(closest('qa', ['staging', 'production'])).toBeUndefined();
    expect(closest('dev', ['staging', 'production'])).toBeUndefined();
    expect(closest('x', [])).toBeUndefined();
  });
});
