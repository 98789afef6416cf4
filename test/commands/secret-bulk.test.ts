import { describe, expect, it } from 'vitest';
import { makeProject } from '../helpers/cli.js';
import { secretValue, snapshot, storeExists } from '../helpers/local-store.js';
import { liveSplit, put, secretNames, UUID, versionIds } from '../helpers/scenarios.js';

const V = {
  a: 'bulk-alpha-s3cret',
  b: 'bulk-beta-s3cret',
  c: 'bulk-gamma-s3cret',
};

function noValues(all: string) {
  for (const v of Object.values(V)) expect(all).not.toContain(v);
}

describe('secret bulk: sources', () => {
  it.each([
    ['a JSON file', 'secrets.json', JSON.stringify({ ALPHA: V.a, BETA: V.b })],
    ['a .env file', '.env.production', `# comment\nALPHA=${V.a}\nBETA="${V.b}"\n`],
    ['a JSON file without .json', 'secrets.txt', `  {"ALPHA": "${V.a}", "BETA": "${V.b}"}`],
  ])('from %s', async (_l, file, content) => {
    const p = makeProject({ [file]: content });
    const r = await p.run(['secret', 'bulk', file]);
    expect(r.code, r.stderr).toBe(0);
    expect(secretValue(p, 'ALPHA')).toBe(V.a);
    expect(secretValue(p, 'BETA')).toBe(V.b);
    expect(r.stderr).toMatch(/\+ ALPHA added/);
    expect(r.stderr).toMatch(/\+ BETA added/);
    expect(r.stderr).toMatch(/2 added, 0 updated, 0 deleted: version 1/);
    expect(r.stderr).toMatch(/Changing 2 secrets on Worker my-worker · env \(top level\) · backend local/);
    noValues(r.all);
  });

  it.each([
    ['JSON', JSON.stringify({ ALPHA: V.a })],
    ['.env', `ALPHA=${V.a}\n`],
  ])('from stdin (%s)', async (_l, stdin) => {
    const p = makeProject();
    const r = await p.run(['secret', 'bulk'], { stdin });
    expect(r.code, r.stderr).toBe(0);
    expect(secretValue(p, 'ALPHA')).toBe(V.a);
    noValues(r.all);
  });

  it('"-" means stdin', async () => {
    const p = makeProject();
    const r = await p.run(['secret', 'bulk', '-'], { stdin: JSON.stringify({ ALPHA: V.a }) });
    expect(r.code, r.stderr).toBe(0);
    expect(secretValue(p, 'ALPHA')).toBe(V.a);
  });

  it('a JSON value keeps its exact bytes (multi-line, trailing newline)', async () => {
    const pem = '-----BEGIN KEY-----\nbulk-pem-body-line\n-----END KEY-----\n';
    const p = makeProject();
    const r = await p.run(['secret', 'bulk'], { stdin: JSON.stringify({ TLS_KEY: pem }) });
    expect(r.code, r.stderr).toBe(0);
    expect(secretValue(p, 'TLS_KEY')).toBe(pem);
    expect(r.all).not.toContain('bulk-pem-body-line');
  });

  it('a JSON value with an escaped surrogate pair (an emoji) keeps it', async () => {
    const p = makeProject();
    const r = await p.run(['secret', 'bulk'], { stdin: '{"EMOJI": "party-\\ud83c\\udf89-time"}' });
    expect(r.code, r.stderr).toBe(0);
    expect(secretValue(p, 'EMOJI')).toBe('party-🎉-time');
    expect(r.all).not.toContain('party');
  });

  it('nothing given on a terminal: exit 2 with a hint', async () => {
    const p = makeProject();
    const r = await p.run(['secret', 'bulk'], { tty: true });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no secrets given/);
    expect(r.prompts).toEqual([]);
  });

  it('a missing file: exit 2 naming it', async () => {
    const p = makeProject();
    const r = await p.run(['secret', 'bulk', 'nope.json']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/cannot read nope\.json \(no such file\)/);
  });

  it('a stdin that never ends: an error, not a hang', async () => {
    const p = makeProject();
    const r = await p.run(['secret', 'bulk'], { stdinNeverEnds: true, env: { MYCLI_STDIN_TIMEOUT: '0.2' } });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no value arrived on stdin/);
  });
});

describe('secret bulk: one change, all or nothing', () => {
  async function seeded() {
    const p = makeProject();
    await put(p, 'ALPHA', V.a);
    await put(p, 'BETA', V.b);
    return p;
  }

  it('adds, updates and deletes (null) in one new version deployed at 100%, with a per-name report', async () => {
    const p = await seeded();
    const r = await p.run(['secret', 'bulk', '--yes'], { stdin: JSON.stringify({ ALPHA: V.c, BETA: null, GAMMA: V.c }) });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/~ ALPHA updated/);
    expect(r.stderr).toMatch(/- BETA deleted/);
    expect(r.stderr).toMatch(/\+ GAMMA added/);
    expect(r.stderr).toMatch(/1 added, 1 updated, 1 deleted: version 3 .*deployed at 100%/);
    expect(await secretNames(p)).toEqual(['ALPHA', 'GAMMA']);
    expect(secretValue(p, 'ALPHA')).toBe(V.c);
    const ids = await versionIds(p);
    expect(ids).toHaveLength(3);
    expect(await liveSplit(p)).toEqual([[ids[0], 100]]);
    noValues(r.all);
  });

  it('--json: the changes, the skipped deletes and the new version id', async () => {
    const p = await seeded();
    const r = await p.run(['secret', 'bulk', '--json', '--yes'], { stdin: JSON.stringify({ ALPHA: V.c, BETA: null, NOT_THERE: null, GAMMA: V.c }) });
    expect(r.code, r.stderr).toBe(0);
    const doc = r.json();
    expect(doc.changes).toEqual([
      { name: 'ALPHA', action: 'updated' },
      { name: 'BETA', action: 'deleted' },
      { name: 'GAMMA', action: 'added' },
    ]);
    expect(doc.skipped).toEqual(['NOT_THERE']);
    expect(doc.versionId).toMatch(UUID);
    expect(doc.deployed).toBe(true);
    expect(doc).toMatchObject({ worker: 'my-worker', env: null, backend: 'local' });
    expect(r.stderr).toMatch(/NOT_THERE not present, skipped/);
    noValues(r.all);
  });

  it('deletions need confirmation like `secret delete`: without --yes, not interactive, exit 2 naming them and --yes; nothing changed', async () => {
    const p = await seeded();
    const before = snapshot(p);
    const r = await p.run(['secret', 'bulk'], { stdin: JSON.stringify({ ALPHA: V.c, BETA: null, NOPE: null }) });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/error: deleting secret BETA needs confirmation/);
    expect(r.stderr).toMatch(/hint:.*--yes/);
    expect(snapshot(p)).toBe(before);
    const j = await p.run(['secret', 'bulk', '--json'], { stdin: JSON.stringify({ ALPHA: null, BETA: null }) });
    expect(j.code).toBe(2);
    expect(j.json().error.message).toMatch(/deleting secrets ALPHA, BETA needs confirmation/);
    expect(snapshot(p)).toBe(before);
    noValues(r.all + j.all);
  });

  it('deletions from a FILE on a terminal: asks, naming them and the target; declining changes nothing', async () => {
    const p = await seeded();
    p.write('changes.json', JSON.stringify({ ALPHA: V.c, BETA: null }));
    const before = snapshot(p);
    const no = await p.run(['secret', 'bulk', 'changes.json'], { tty: true, answers: [false] });
    expect(no.code).toBe(130);
    expect(no.prompts).toEqual(['Delete secret BETA from Worker my-worker · env (top level) · backend local?']);
    expect(snapshot(p)).toBe(before);
    const yes = await p.run(['secret', 'bulk', 'changes.json'], { tty: true, answers: [true] });
    expect(yes.code, yes.stderr).toBe(0);
    expect(await secretNames(p)).toEqual(['ALPHA']);
    noValues(no.all + yes.all);
  });

  it('only deletes of names that are not there: nothing changes, no version made', async () => {
    const p = await seeded();
    const before = snapshot(p);
    const r = await p.run(['secret', 'bulk', '--json'], { stdin: JSON.stringify({ NOPE: null }) });
    expect(r.code).toBe(0);
    expect(r.json()).toMatchObject({ changes: [], skipped: ['NOPE'], versionId: null });
    expect(snapshot(p)).toBe(before);
  });

  // [label, input, error text]
  const refusals: [string, string, RegExp][] = [
    ['a number value', JSON.stringify({ ALPHA: V.c, COUNT: 5 }), /values must be strings.*COUNT \(number\)/],
    ['a boolean and an object value', JSON.stringify({ ALPHA: V.c, ON: true, OBJ: { a: 1 } }), /ON \(boolean\), OBJ \(object\)/],
    ['an array value', JSON.stringify({ ALPHA: V.c, LIST: ['x'] }), /LIST \(array\)/],
    ['an invalid name', JSON.stringify({ ALPHA: V.c, 'bad-name': V.c }), /"bad-name" is not a valid secret name/],
    ['a [vars] key', JSON.stringify({ ALPHA: V.c, GREETING: V.c }), /GREETING is also a \[vars\] key/],
    ['an empty value', JSON.stringify({ ALPHA: V.c, EMPTY: '' }), /refusing to store empty values for: EMPTY/],
    ['broken JSON', `{"ALPHA": "${V.c}",`, /stdin is not valid JSON/],
    ['a JSON array', JSON.stringify([V.c]), /must hold a JSON object/],
    ['an empty object', '{}', /holds no secrets/],
    // A lone surrogate escape is no UTF-8 text: stored, it would become U+FFFD (altered).
    ['a value with a lone surrogate escape', `{"ALPHA": "${V.c}",\n "BAD": "${V.b}\\ud800"}`, /in stdin, line 2: the value of "BAD" is not valid UTF-8 text/],
  ];
  it.each(refusals)('refuses %s: exit 2, nothing changed', async (_l, stdin, message) => {
    const p = await seeded();
    const before = snapshot(p);
    const r = await p.run(['secret', 'bulk'], { stdin });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(snapshot(p)).toBe(before);
    expect(secretValue(p, 'ALPHA')).toBe(V.a);
    noValues(r.all);
  });

  it.each([
    ['a line with a space in the name', `ALPHA=${V.c}\nAPI KEY=${V.b}\n`, /line 2 is not NAME=value/],
    ['a stray line', `ALPHA=${V.c}\n${V.b}\nBETA=${V.c}\n`, /line 2 is not NAME=value/],
    ['several stray lines', `garbage\nALPHA=${V.c}\nmore garbage\n`, /lines 1, 3 are not NAME=value/],
    ['an invalid name', `ALPHA=${V.c}\nbad-name=${V.b}\n`, /"bad-name" is not a valid secret name/],
  ])('a .env file with %s: exit 2 naming the line (never its text), nothing changed', async (_l, text, message) => {
    const p = await seeded();
    const before = snapshot(p);
    const r = await p.run(['secret', 'bulk'], { stdin: text });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(snapshot(p)).toBe(before);
    noValues(r.all);
  });

  it('a .env file with comments, blank lines, export and a quoted multi-line value is fine', async () => {
    const p = makeProject();
    const text = `# header\n\nexport ALPHA=${V.a}\n  # indented comment\nMULTI="first line\n${V.b}\nlast line"\nGAMMA='${V.c}'\n`;
    const r = await p.run(['secret', 'bulk'], { stdin: text });
    expect(r.code, r.stderr).toBe(0);
    expect(secretValue(p, 'ALPHA')).toBe(V.a);
    expect(secretValue(p, 'MULTI')).toBe(`first line\n${V.b}\nlast line`);
    expect(secretValue(p, 'GAMMA')).toBe(V.c);
    noValues(r.all);
  });

  it('refuses before creating a store', async () => {
    const p = makeProject();
    const r = await p.run(['secret', 'bulk'], { stdin: JSON.stringify({ GOOD: V.a, '9bad': V.b }) });
    expect(r.code).toBe(2);
    expect(storeExists(p)).toBe(false);
    noValues(r.all);
  });

  it('--allow-empty stores an empty value', async () => {
    const p = makeProject();
    const r = await p.run(['secret', 'bulk', '--allow-empty'], { stdin: JSON.stringify({ EMPTY: '' }) });
    expect(r.code, r.stderr).toBe(0);
    expect(secretValue(p, 'EMPTY')).toBe('');
  });

  it('warns about suspicious values by name, without the value', async () => {
    const p = makeProject();
    const r = await p.run(['secret', 'bulk'], { stdin: JSON.stringify({ QUOTED: `"${V.a}"`, SPACED: ` ${V.b}` }) });
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/warning: the value of QUOTED is wrapped in quotes/);
    expect(r.stderr).toMatch(/warning: the value of SPACED starts or ends with spaces/);
    expect(secretValue(p, 'SPACED')).toBe(` ${V.b}`);
    noValues(r.all);
  });
});
