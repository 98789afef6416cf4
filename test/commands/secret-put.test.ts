import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { makeProject } from '../helpers/cli.js';
import { rawState, secretValue, snapshot, storeExists } from '../helpers/local-store.js';
import { put, UUID } from '../helpers/scenarios.js';
import { stripSingleTrailingNewline, valueWarnings } from '../../src/io/stdin.js';

const PEM =
  '-----BEGIN PRIVATE KEY-----\n' +
  'MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7VJTUt9Us8cKj\n' +
  'MzEfYyjiWA4R4/M2bS1GB4t7NXp98C3SC6dVMvDuictGeurT8jNbvJZHtCSuYEvu\n' +
  '-----END PRIVATE KEY-----\n';

describe('secret put: the value from a pipe', () => {
  // [label, piped bytes, stored value]
  const cases: [string, string, string][] = [
    ['one trailing \\n removed', 'piped-s3cret-lf\n', 'piped-s3cret-lf'],
    ['one trailing \\r\\n removed', 'piped-s3cret-crlf\r\n', 'piped-s3cret-crlf'],
    ['no trailing newline kept as is', 'piped-s3cret-bare', 'piped-s3cret-bare'],
    ['two trailing newlines kept', 'piped-s3cret-two\n\n', 'piped-s3cret-two\n\n'],
    ['a PEM block kept byte-exact', PEM, PEM],
    ['a PEM block with CRLF kept byte-exact', PEM.replace(/\n/g, '\r\n'), PEM.replace(/\n/g, '\r\n')],
    ['a multi-line value without final newline kept', 'line-0ne\nline-tw0', 'line-0ne\nline-tw0'],
    ['non-ASCII text kept', 'pässwörd-✓-秘密\n', 'pässwörd-✓-秘密'],
  ];
  it.each(cases)('%s', async (_label, piped, stored) => {
    const p = makeProject();
    const r = await p.run(['secret', 'put', 'API_KEY'], { stdin: piped });
    expect(r.code, r.stderr).toBe(0);
    expect(secretValue(p, 'API_KEY')).toBe(stored);
    // Never printed, never on disk in plain text.
    for (const line of stored.split(/\r?\n/).filter((l) => l.length > 8)) {
      expect(r.all).not.toContain(line);
      expect(rawState(p)).not.toContain(line);
    }
    expect(r.all).not.toContain(stored);
  });

  it.each(cases)('the stdin rule itself: %s', (_label, piped, stored) => {
    expect(stripSingleTrailingNewline(piped)).toBe(stored);
  });

  it('a lone \\r is not treated as a line ending to strip', () => {
    expect(stripSingleTrailingNewline('abc\r')).toBe('abc\r');
  });

  it('refuses bytes that are not UTF-8 instead of altering them (exit 2)', async () => {
    const p = makeProject();
    const r = await p.run(['secret', 'put', 'BIN'], { stdin: Buffer.from([0xff, 0xfe, 0x41, 0x0a]) });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/not valid UTF-8/);
    expect(storeExists(p)).toBe(false);
  });
});

describe('secret put --from-file', () => {
  it('reads the file (one trailing newline removed) and never prints it', async () => {
    const value = 'fr0m-file-s3cret';
    const p = makeProject({ 'secret.txt': value + '\n' });
    const r = await p.run(['secret', 'put', 'FILE_SECRET', '--from-file', 'secret.txt']);
    expect(r.code, r.stderr).toBe(0);
    expect(secretValue(p, 'FILE_SECRET')).toBe(value);
    expect(r.all).not.toContain(value);
  });

  it('keeps a PEM file byte-exact, and ignores stdin', async () => {
    const p = makeProject({ 'key.pem': PEM });
    const r = await p.run(['secret', 'put', 'TLS_KEY', '--from-file', join(p.dir, 'key.pem')], { stdin: 'not-this-one\n' });
    expect(r.code, r.stderr).toBe(0);
    expect(secretValue(p, 'TLS_KEY')).toBe(PEM);
    expect(r.all).not.toContain('MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7VJTUt9Us8cKj');
  });

  it('a missing file is a usage error naming --from-file (exit 2), nothing created', async () => {
    const p = makeProject();
    const r = await p.run(['secret', 'put', 'X', '--from-file', 'nope.txt']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--from-file nope\.txt/);
    expect(r.stderr).toMatch(/no such file/);
    expect(storeExists(p)).toBe(false);
  });

  it('an empty file is refused unless --allow-empty', async () => {
    const p = makeProject({ 'empty.txt': '' });
    const r = await p.run(['secret', 'put', 'X', '--from-file', 'empty.txt']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/empty/);
    expect(r.stderr).toMatch(/--allow-empty/);
    const ok = await p.run(['secret', 'put', 'X', '--from-file', 'empty.txt', '--allow-empty']);
    expect(ok.code, ok.stderr).toBe(0);
    expect(secretValue(p, 'X')).toBe('');
  });
});

describe('secret put: empty values', () => {
  it.each([
    ['nothing piped', ''],
    ['just a newline', '\n'],
    ['just CRLF', '\r\n'],
  ])('refuses an empty value (%s) with exit 2 and a hint naming --allow-empty; nothing stored', async (_l, stdin) => {
    const p = makeProject();
    const r = await p.run(['secret', 'put', 'EMPTY'], { stdin });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/refusing to store an empty value for secret EMPTY/);
    expect(r.stderr).toMatch(/--allow-empty/);
    expect(storeExists(p)).toBe(false);
  });

  it('stores an empty value with --allow-empty', async () => {
    const p = makeProject();
    const r = await p.run(['secret', 'put', 'EMPTY', '--allow-empty'], { stdin: '' });
    expect(r.code, r.stderr).toBe(0);
    expect(secretValue(p, 'EMPTY')).toBe('');
  });

  it('an empty answer at the prompt (Enter by mistake) is asked again; the next value is stored', async () => {
    const p = makeProject();
    const r = await p.run(['secret', 'put', 'EMPTY'], { tty: true, answers: ['', 'typed-after-enter'] });
    expect(r.code, r.stderr).toBe(0);
    expect(r.prompts).toEqual(['Enter the value of secret EMPTY:', 'The value is empty; enter the value of secret EMPTY (Ctrl+C to cancel):']);
    expect(secretValue(p, 'EMPTY')).toBe('typed-after-enter');
    expect(r.all).not.toContain('typed-after-enter');
  });

  it('empty answers every time: refused (exit 2) after asking again, nothing stored', async () => {
    const p = makeProject();
    const r = await p.run(['secret', 'put', 'EMPTY'], { tty: true, answers: ['', '', '', ''] });
    expect(r.code).toBe(2);
    expect(r.prompts).toHaveLength(4);
    expect(r.stderr).toMatch(/--allow-empty/);
    expect(storeExists(p)).toBe(false);
  });

  it('--allow-empty: an empty answer at the prompt is stored without asking again', async () => {
    const p = makeProject();
    const r = await p.run(['secret', 'put', 'EMPTY', '--allow-empty'], { tty: true, answers: [''] });
    expect(r.code, r.stderr).toBe(0);
    expect(r.prompts).toHaveLength(1);
    expect(secretValue(p, 'EMPTY')).toBe('');
  });
});

describe('secret put: names are checked before the store is touched', () => {
  const value = 'n4me-check-s3cret';
  it.each(['1ABC', 'API-KEY', 'API.KEY', 'a b', 'ÄPI', '$X', ''])('refuses %j (exit 2), no .mycli created', async (name) => {
    const p = makeProject();
    const r = await p.run(['secret', 'put', name], { stdin: value });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/is not a valid secret name/);
    expect(r.stderr).toMatch(/hint:/);
    expect(storeExists(p)).toBe(false);
    expect(r.all).not.toContain(value);
  });

  it.each([
    ['GREETING', [], /\[vars\]/],
    ['LIMITS', [], /\[vars\]/],
    ['GREETING', ['--env', 'staging'], /\[env\.staging\.vars\]/],
  ] as [string, string[], RegExp][])('refuses %s, a [vars] key (%j), exit 2, nothing created', async (name, extra, where) => {
    const p = makeProject();
    const r = await p.run(['secret', 'put', name, ...extra], { stdin: value });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(where);
    expect(r.stderr).toContain(name);
    expect(r.stderr).toContain('wrangler.toml');
    expect(storeExists(p)).toBe(false);
    expect(r.all).not.toContain(value);
  });

  it('a top-level [vars] key is a fine secret name in an environment that does not define it (vars not inherited)', async () => {
    const p = makeProject();
    const r = await p.run(['secret', 'put', 'LIMITS', '--env', 'staging'], { stdin: value });
    expect(r.code, r.stderr).toBe(0);
    expect(secretValue(p, 'LIMITS', { worker: 'my-worker-staging' })).toBe(value);
    expect(r.all).not.toContain(value);
  });
});

describe('secret put: values that are usually a mistake are stored with a warning', () => {
  // [label, stored value, warning text]
  const cases: [string, string, RegExp][] = [
    ['double quotes', '"qu0ted-s3cret"', /wrapped in quotes/],
    ['single quotes', "'qu0ted-s3cret'", /wrapped in quotes/],
    ['literal \\n', 'line1\\nline2-s3cret', /literal \\n/],
    ['leading space', ' lead1ng-s3cret', /starts or ends with spaces/],
    ['trailing space', 'tra1ling-s3cret ', /starts or ends with spaces/],
    ['trailing tab', 'tra1ling-s3cret\t', /starts or ends with spaces/],
  ];
  it.each(cases)('%s', async (_label, value, warning) => {
    const p = makeProject();
    const r = await p.run(['secret', 'put', 'ODD'], { stdin: value + '\n' });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/warning:/);
    expect(r.stderr).toMatch(warning);
    expect(r.stderr).toContain('ODD');
    expect(secretValue(p, 'ODD')).toBe(value);
    expect(r.all).not.toContain(value.trim());
    expect(r.stdout).toBe('');
  });

  it('a plain value gives no warning', async () => {
    const p = makeProject();
    // --env "": the top level, chosen (the example config has environments, which would warn).
    const r = await p.run(['secret', 'put', 'PLAIN', '--env', ''], { stdin: 'pl4in-s3cret\n' });
    expect(r.code).toBe(0);
    expect(r.stderr).not.toMatch(/warning:/);
    expect(valueWarnings('pl4in-s3cret')).toEqual([]);
    expect(r.all).not.toContain('pl4in-s3cret');
  });
});

describe('secret put: the hidden prompt and the no-value paths', () => {
  it('prompts on a terminal, stores the typed value and never prints it', async () => {
    const value = 'typed-at-the-pr0mpt';
    const p = makeProject();
    const r = await p.run(['secret', 'put', 'API_KEY', '--no-color'], { tty: true, answers: [value] });
    expect(r.code, r.stderr).toBe(0);
    expect(r.prompts).toEqual(['Enter the value of secret API_KEY:']);
    // What is acted on is said before the value is asked for.
    expect(r.stderrAtPrompt[0]).toMatch(/Putting secret API_KEY on Worker my-worker · env \(top level\) · backend local/);
    expect(secretValue(p, 'API_KEY')).toBe(value);
    expect(r.all).not.toContain(value);
  });

  it('does not strip anything from a typed value', async () => {
    const p = makeProject();
    const r = await p.run(['secret', 'put', 'API_KEY'], { tty: true, answers: [' typed-with-space '] });
    expect(r.code).toBe(0);
    expect(secretValue(p, 'API_KEY')).toBe(' typed-with-space ');
    expect(r.stderr).toMatch(/starts or ends with spaces/);
    expect(r.all).not.toContain('typed-with-space');
  });

  it('cancelling the prompt exits 130 and changes nothing', async () => {
    const p = makeProject();
    const r = await p.run(['secret', 'put', 'API_KEY'], { tty: true, answers: [{ cancel: true }] });
    expect(r.code).toBe(130);
    expect(storeExists(p)).toBe(false);
  });

  it.each([
    ['CI set with a terminal on stdin', { tty: true, env: { CI: 'true' } }],
    ['GITHUB_ACTIONS set with a terminal on stdin', { tty: true, env: { GITHUB_ACTIONS: 'true' } }],
    ['stdin a terminal, stdout not', { stdinIsTTY: true, stdoutIsTTY: false }],
  ] as [string, object][])('no prompt and nothing piped (%s): exit 2 at once, hint names --from-file', async (_l, o) => {
    const p = makeProject();
    // A 10-minute stdin timeout: a run that waited for input would hit the test's safety timeout.
    const r = await p.run(['secret', 'put', 'API_KEY'], { ...o, env: { ...((o as { env?: object }).env ?? {}), MYCLI_STDIN_TIMEOUT: '600' } });
    expect(r.code).toBe(2);
    expect(r.prompts).toEqual([]);
    expect(r.stderr).toMatch(/no value for secret API_KEY/);
    expect(r.stderr).toMatch(/--from-file/);
    expect(storeExists(p)).toBe(false);
  });

  it('a stdin that never ends fails with a clear error instead of hanging', async () => {
    const p = makeProject();
    const r = await p.run(['secret', 'put', 'API_KEY'], { stdinNeverEnds: true, env: { MYCLI_STDIN_TIMEOUT: '0.2' } });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no value arrived on stdin within 0\.2s/);
    expect(r.stderr).toMatch(/--from-file/);
    expect(storeExists(p)).toBe(false);
  });
});

describe('secret put: what it says and what it returns', () => {
  it('names Worker, environment and backend on stderr; says once that the Worker was created', async () => {
    const p = makeProject();
    const first = await p.run(['secret', 'put', 'A'], { stdin: 'first-s3cret-value\n' });
    expect(first.code).toBe(0);
    expect(first.stderr).toMatch(/on Worker my-worker · env \(top level\) · backend local/);
    expect(first.stderr).toContain(join(p.dir, '.mycli'));
    expect(first.stderr.match(/created Worker "my-worker"/g)).toHaveLength(1);
    expect(first.stdout).toBe('');
    const second = await p.run(['secret', 'put', 'B'], { stdin: 'second-s3cret-value\n' });
    expect(second.code).toBe(0);
    expect(second.stderr).not.toMatch(/created Worker/);
    expect(second.stderr).toMatch(/secret B added: version 2 .*deployed at 100%/);
    expect(first.all + second.all).not.toMatch(/first-s3cret-value|second-s3cret-value/);
  });

  it('names the environment and its Worker', async () => {
    const p = makeProject();
    const r = await p.run(['secret', 'put', 'A', '--env', 'staging'], { stdin: 'env-s3cret-value\n' });
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/on Worker my-worker-staging · env staging · backend local/);
    expect(r.stderr).toMatch(/created Worker "my-worker-staging"/);
    expect(r.all).not.toContain('env-s3cret-value');
  });

  it('--json: one document with the target, the action and the new version id', async () => {
    const p = makeProject();
    const value = 'js0n-s3cret-value';
    const r = await p.run(['secret', 'put', 'API_KEY', '--json'], { stdin: value });
    expect(r.code).toBe(0);
    const doc = r.json();
    expect(doc).toMatchObject({ worker: 'my-worker', env: null, backend: 'local', secret: { name: 'API_KEY', action: 'added' }, deployed: true });
    expect(doc.versionId).toMatch(UUID);
    expect(doc.version).toEqual({ id: doc.versionId, number: 1 });
    expect(doc.deployment.versions).toEqual([{ versionId: doc.versionId, percentage: 100 }]);
    expect(r.all).not.toContain(value);
    const again = await p.run(['secret', 'put', 'API_KEY', '--json'], { stdin: value + '2' });
    expect(again.json().secret.action).toBe('updated');
    expect(again.json().version.number).toBe(2);
    expect(again.all).not.toContain(value);
  });

  it('--debug prints no value either', async () => {
    const p = makeProject();
    const value = 'debug-m0de-s3cret';
    const r = await p.run(['secret', 'put', 'API_KEY', '--debug'], { stdin: value });
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/debug:/);
    expect(r.all).not.toContain(value);
  });

  it('the value never lands on disk in plain text', async () => {
    const p = makeProject();
    await put(p, 'API_KEY', 'plaintext-must-not-be-on-disk');
    expect(rawState(p)).not.toContain('plaintext-must-not-be-on-disk');
    expect(snapshot(p)).toContain('API_KEY');
  });
});
