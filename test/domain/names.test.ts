/** The name patterns of src/domain/names.ts: what a user may call a secret and a Worker. */
import { describe, expect, it } from 'vitest';
import { isBindingName, isWorkerName } from '../../src/domain/names.js';

describe('names', () => {
  it.each([
    ['API_KEY', true],
    ['_private', true],
    ['key2', true],
    ['2KEY', false],
    ['API-KEY', false],
    ['API KEY', false],
    ['', false],
  ])('binding name %j: %s', (name, ok) => expect(isBindingName(name)).toBe(ok));

  it.each([
    ['my-worker', true],
    ['worker_2', true],
    ['0day', true],
    ['My-Worker', false],
    ['-worker', false],
    ['a'.repeat(63), true],
    ['a'.repeat(64), false],
    ['', false],
  ])('Worker name %j: %s', (name, ok) => expect(isWorkerName(name)).toBe(ok));
});
