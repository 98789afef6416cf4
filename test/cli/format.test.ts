import { describe, expect, it } from 'vitest';
import { fitTable, truncate, visibleLength, type Column } from '../../src/cli/format.js';

const ID = '0f1e2d3c-4b5a-4697-8877-665544332211';
const cols: Column[] = [
  { header: 'ID', kind: 'id' },
  { header: 'WHEN' },
  { header: 'MESSAGE', kind: 'text', min: 10 },
];
const rows = [
  [ID, '2026-01-01 10:00 UTC', 'a rather long message that a person wrote about this release'],
  [ID.replace('0f', 'aa'), '2026-01-02 10:00 UTC', 'short'],
];
const widest = (t: string) => Math.max(...t.split('\n').map(visibleLength));

describe('fitTable', () => {
  it('no width (piped): nothing is cut', () => {
    const t = fitTable(cols, rows);
    expect(t).toContain(ID);
    expect(t).toContain(rows[0][2]);
  });

  it('wide enough: the same as unfitted', () => {
    expect(fitTable(cols, rows, 500)).toBe(fitTable(cols, rows));
  });

  it('too wide: ids are shortened before any free text is cut', () => {
    const t = fitTable(cols, rows, 100);
    expect(widest(t)).toBeLessThanOrEqual(100);
    expect(t).not.toContain(ID);
    expect(t).toContain(rows[0][2]);
  });

  it('titles are never cut, even where the text column must shrink', () => {
    const t = fitTable([{ header: 'ID', kind: 'id' }, { header: 'A LONG TITLE', kind: 'text', min: 4 }], [[ID, 'z'.repeat(80)]], 30);
    expect(t.split('\n')[0]).toBe('ID        A LONG TITLE');
  });

  it('narrower: ids fall back to 8 characters and the text gets the room back', () => {
    const t = fitTable(cols, rows, 50);
    expect(widest(t)).toBeLessThanOrEqual(50);
    expect(t).not.toContain(ID);
    expect(t.split('\n')[1]).toMatch(/^0f1e2d3c\s+2026-01-01 10:00 UTC\s+a rather long m.*…$/);
  });

  it('explicit short forms are used for id columns', () => {
    const t = fitTable([{ header: 'V', kind: 'id' }, { header: 'M', kind: 'text' }], [[{ text: `${ID} 100%`, short: `${ID.slice(0, 8)} 100%` }, 'x'.repeat(100)]], 40);
    expect(t.split('\n')[1]).toMatch(/^0f1e2d3c 100%\s+x+…$/);
    expect(widest(t)).toBeLessThanOrEqual(40);
  });

  it('colour codes do not count toward the width', () => {
    const t = fitTable([{ header: 'A' }, { header: 'B', kind: 'text' }], [['\u001b[32m● 30%\u001b[39m', 'y'.repeat(60)]], 30);
    expect(widest(t)).toBeLessThanOrEqual(30);
  });
});

describe('truncate', () => {
  it.each([
    ['short', 10, 'short'],
    ['exactly-10', 10, 'exactly-10'],
    ['longer than ten', 10, 'longer th…'],
  ])('%s at %i', (s, w, out) => {
    expect(truncate(s, w)).toBe(out);
  });
});
