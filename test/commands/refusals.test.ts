/**
 * Input that would be silently altered is refused, with exit 2 naming the line (never the
 * text), and nothing is stored: .env and JSON bulk input, `--env` names that are not own
 * environments, configs nested deeper than any parser should recurse. "Nothing stored" is
 * checked through the public surface (secret list, versions list), whatever the store's format.
 */
import { describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { makeProject, type Project } from '../helpers/cli.js';
import { secretValue } from '../helpers/local-store.js';

const V = {
  a: 'refusal-alpha-S3cr3t-value',
  b: 'refusal-beta-S3cr3t-value',
};
const SEED = 'refusal-seed-S3cr3t-value';

function noValues(all: string) {
  for (const v of [...Object.values(V), SEED]) {
    expect(all).not.toContain(v);
    expect(all).not.toContain(v.slice(0, 8));
    expect(all).not.toContain(v.slice(-8));
  }
}

/** A project with one secret (SEED), and a function telling what the store holds now. */
async function seeded(): Promise<{ p: Project; state: () => Promise<string> }> {
  const p = makeProject();
  const r = await p.run(['secret', 'put', 'SEEDED'], { stdin: SEED });
  expect(r.code, r.stderr).toBe(0);
  const state = async () => {
    const list = await p.run(['secret', 'list', '--json']);
    const versions = await p.run(['versions', 'list', '--json']);
    return JSON.stringify([list.json().secrets, versions.json()]);
  };
  return { p, state };
}

describe('.env bulk refuses what it would alter', () => {
  it.each([
    ['an unquoted value with #', `ALPHA=${V.a}\nPW=abc#${V.b}\n`, /line 2: the unquoted value of "PW" contains #/],
    ['an unquoted value with a spaced # comment', `ALPHA=${V.a} # note ${V.b}\n`, /line 1: the unquoted value of "ALPHA" contains #/],
    ['an unterminated double quote', `ALPHA=${V.a}\nU="${V.b}\nC=1\n`, /line 2: the value of "U" opens a quote \("\) that is never closed/],
    ['an unterminated single quote', `U='${V.b}\n`, /line 1: the value of "U" opens a quote \('\) that is never closed/],
    ['a __proto__ line', `ALPHA=${V.a}\n__proto__=${V.b}\n`, /line 2: "__proto__" cannot be a secret name/],
    ['a constructor line', `constructor=${V.b}\n`, /line 1: "constructor" cannot be a secret name/],
    ['a prototype line', `prototype=${V.b}\n`, /line 1: "prototype" cannot be a secret name/],
    ['a duplicate name', `ALPHA=${V.a}\nBETA=x\nALPHA=${V.b}\n`, /line 3: "ALPHA" is given twice \(first on line 1\)/],
    ['text after a closing quote', `ALPHA="${V.a}" ${V.b}\n`, /line 1: unexpected text after the closing quote of "ALPHA"/],
  ])('%s: exit 2 naming the line, nothing stored', async (_l, text, message) => {
    const { p, state } = await seeded();
    const before = await state();
    const r = await p.run(['secret', 'bulk'], { stdin: text });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(await state()).toBe(before);
    noValues(r.all);
  });

  it('quoted values keep #, quotes and escapes exactly; CRLF line ends are fine', async () => {
    const p = makeProject();
    const text = `PW="abc#def"\r\nSQ='it is "so"'\r\nDQ="say \\"hi\\"\\nnext"\r\nRAW='C:\\path\\n'\r\n`;
    const r = await p.run(['secret', 'bulk', '--json'], { stdin: text });
    expect(r.code, r.stderr).toBe(0);
    expect(r.json().changes.map((c: { name: string }) => c.name).sort()).toEqual(['DQ', 'PW', 'RAW', 'SQ']);
    expect(secretValue(p, 'PW')).toBe('abc#def');
    expect(secretValue(p, 'SQ')).toBe('it is "so"');
    expect(secretValue(p, 'DQ')).toBe('say "hi"\nnext');
    expect(secretValue(p, 'RAW')).toBe('C:\\path\\n');
  });
});

describe('JSON bulk refuses what it would alter', () => {
  it.each([
    ['a duplicate key', `{"ALPHA": "${V.a}",\n "ALPHA": "${V.b}"}`, /line 2: "ALPHA" is given twice \(first on line 1\)/],
    ['a __proto__ key', `{"ALPHA": "${V.a}", "__proto__": "${V.b}"}`, /line 1: "__proto__" cannot be a secret name/],
    ['a constructor key', `{"constructor": "${V.b}"}`, /"constructor" cannot be a secret name/],
    ['an unquoted value', `{"API_KEY": ${V.a}}`, /stdin is not valid JSON: line 1, column 13: /],
    ['a missing comma on line 3', `{\n  "ALPHA": "${V.a}"\n  "BETA": "${V.b}"\n}`, /stdin is not valid JSON: line 3, column 3: a comma was expected/],
    ['a short broken input', `{"K": sk_live_1}`, /not valid JSON: line 1, column 7/],
    ['a comment', `{"ALPHA": "${V.a}" // ${V.b}\n}`, /not valid JSON: line 1, column \d+: a comment is not allowed/],
  ])('%s: exit 2 naming the line, never the text, nothing stored', async (_l, text, message) => {
    const { p, state } = await seeded();
    const before = await state();
    const r = await p.run(['secret', 'bulk'], { stdin: text });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/Unexpected token|sk_live/);
    expect(await state()).toBe(before);
    noValues(r.all);
  });

  it('a UTF-8 byte order mark is not part of the first name, and is never echoed', async () => {
    const p = makeProject();
    const ok = await p.run(['secret', 'bulk', '--json'], { stdin: `\uFEFF{"ALPHA": "${V.a}"}` });
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.json().changes).toEqual([{ name: 'ALPHA', action: 'added' }]);
    const bad = await p.run(['secret', 'bulk', '--json'], { stdin: `\uFEFF{"BETA": ${V.b}}` });
    expect(bad.code).toBe(2);
    expect(bad.json().error.message).toMatch(/line 1, column \d+/);
    noValues(ok.all + bad.all);
  });
});

describe('--env names are own environments only', () => {
  const JSON_CONFIG = JSON.stringify({ name: 'my-worker', main: 'src/index.js', env: { staging: { name: 'my-worker-staging' } } });
  it.each(['constructor', 'toString', 'hasOwnProperty', 'valueOf', '__proto__'])('--env %s: exit 2, no Worker named after Object', async (env) => {
    const p = makeProject({ 'wrangler.json': JSON_CONFIG });
    rmSync(join(p.dir, 'wrangler.toml'));
    const r = await p.run(['secret', 'put', 'API_KEY', '--env', env, '--json'], { stdin: V.a });
    expect(r.code).toBe(2);
    expect(r.json().error.message).toMatch(new RegExp(`environment "${env}" is not defined`));
    expect(r.json().error.hint).toMatch(/defined environments: staging/);
    const list = await p.run(['secret', 'list', '--name', 'my-worker-staging', '--json']);
    expect(list.stdout).not.toMatch(/Object|function/);
    noValues(r.all);
  });

  it('a "__proto__" key in wrangler.json is refused with its position', async () => {
    const p = makeProject({ 'wrangler.json': `{\n  "__proto__": { "name": "evil" },\n  "main": "src/index.js"\n}` });
    rmSync(join(p.dir, 'wrangler.toml'));
    const r = await p.run(['secret', 'put', 'API_KEY'], { stdin: V.a });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/wrangler\.json:2:3: "__proto__" cannot be a key/);
    noValues(r.all);
  });
});

describe('config nesting is bounded', () => {
  const deep = 100_000;
  it.each([
    ['wrangler.json', `{"name": "my-worker", "vars": {"X": ${'['.repeat(deep)}${']'.repeat(deep)}}}`, /wrangler\.json:1:\d+: nesting deeper than 64 levels/],
    ['wrangler.jsonc', `// deep\n{"name": "my-worker", "vars": {"X": ${'{"a":'.repeat(deep)}1${'}'.repeat(deep)}}}`, /wrangler\.jsonc:2:\d+: nesting deeper than 64 levels/],
    ['wrangler.toml', `name = "my-worker"\n[vars]\nX = ${'['.repeat(deep)}${']'.repeat(deep)}\n`, /wrangler\.toml:3:\d+: nesting deeper than 64 levels/],
    ['wrangler.toml', `name = "my-worker"\n[vars]\n${Array.from({ length: 200 }, (_, i) => `k${i}`).join('.')} = 1\n`, /wrangler\.toml:1:1: nesting deeper than 64 levels \(at vars\.k0\.k1/],
  ])('%s nested far too deep: exit 2 with the location, no stack overflow', async (file, content, message) => {
    const p = makeProject({ [file]: content });
    if (file !== 'wrangler.toml') rmSync(join(p.dir, 'wrangler.toml'));
    const r = await p.run(['secret', 'put', 'API_KEY', '--json'], { stdin: V.a });
    expect(r.code).toBe(2);
    expect(r.json().error.code).toBe('config');
    expect(r.json().error.message).toMatch(message);
    expect(r.all).not.toMatch(/call stack/i);
    noValues(r.all);
  });

  it('a bracket inside a string or comment does not count', async () => {
    const p = makeProject({ 'wrangler.jsonc': `{\n  // ${'['.repeat(100)}\n  "name": "my-worker", "main": "src/index.js",\n  "vars": {"S": "${'{'.repeat(100)}"}\n}` });
    rmSync(join(p.dir, 'wrangler.toml'));
    const r = await p.run(['secret', 'put', 'API_KEY'], { stdin: V.a });
    expect(r.code, r.stderr).toBe(0);
    noValues(r.all);
  });
});
