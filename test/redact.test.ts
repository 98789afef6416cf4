/** The redaction rule on its own: forms, runs of 8, short values, documents that stay JSON. */
import { describe, expect, it } from 'vitest';
import { MARK, Redactor } from '../src/redact.js';

describe('Redactor', () => {
  const value = 'Tr0ub4dor&3-correct "horse"\\battery\nsecond line of it';
  const r = new Redactor();
  r.add(value);

  it.each([
    ['raw', value],
    ['JSON-escaped', JSON.stringify(value)],
    ['JSON-escaped twice', JSON.stringify(JSON.stringify(value))],
    ['URL-encoded', encodeURIComponent(value)],
    ['base64', Buffer.from(value).toString('base64')],
    ['base64 of a part', Buffer.from(value.slice(7, 40)).toString('base64')],
    ['a prefix of 8', value.slice(0, 8)],
    ['a middle run of 9', value.slice(10, 19)],
    ['the second line', 'second line of it'],
  ])('removes the %s form, leaving the text around it', (_l, form) => {
    const out = r.redact(`before ${form} after`);
    expect(out.startsWith('before ')).toBe(true);
    expect(out.endsWith('after')).toBe(true);
    expect(out).toContain(MARK);
    for (let i = 0; i + 8 <= value.length; i++) if (!value.slice(i, i + 8).includes('\n')) expect(out).not.toContain(value.slice(i, i + 8));
  });

  it('leaves text that shares fewer than 8 characters alone', () => {
    expect(r.redact('Tr0ub4d and horse and battery')).toBe('Tr0ub4d and horse and battery');
  });

  it('values shorter than 8 characters are removed where whole (from 4 characters)', () => {
    const s = new Redactor();
    s.add('pw42');
    s.add('abc');
    expect(s.redact('the pw42 and abc')).toBe(`the ${MARK} and abc`);
  });

  it('documents stay valid JSON, keys included', () => {
    const doc = { message: `x ${value} y`, [value.slice(0, 10)]: [value, 1, null] };
    const out = r.redactDeep(doc);
    const text = JSON.stringify(out);
    expect(() => JSON.parse(text)).not.toThrow();
    expect(text).not.toContain(value.slice(0, 8));
  });
});

describe('redactAcrossLines (output mycli did not write: a rollout gate)', () => {
  const value = 'gate-Secret-9f8e7d6c5b4a';
  it.each([7, 3, 1])('a value folded into lines of %i characters is blanked, breaks included', (w) => {
    const r = new Redactor();
    r.add(value);
    const folded = `ok\n${value.match(new RegExp(`.{1,${w}}`, 'g'))!.join('\n')}\nafter\n`;
    const out = r.redactAcrossLines(folded);
    expect(out.replace(/\n/g, '')).not.toContain(value.slice(0, 8));
    for (let i = 0; i + 8 <= value.length; i++) expect(out.replace(/\n/g, '')).not.toContain(value.slice(i, i + 8));
    expect(out).toContain(MARK);
    expect(out.startsWith('ok\n')).toBe(true);
    expect(out.endsWith('after\n')).toBe(true);
  });
  it('text without a known value is left as it is', () => {
    const r = new Redactor();
    r.add(value);
    expect(r.redactAcrossLines('line one\nline two\n')).toBe('line one\nline two\n');
  });
});
