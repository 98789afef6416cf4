/**
 * The built binary reading secret values from stdin: piped values (byte-exact), no stdin at all,
 * and a pipe that stays open with nothing written. Never a hang.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { decryptLatest, makeTempProject } from './helpers.js';

const PEM =
  '-----BEGIN PRIVATE KEY-----\n' +
  'MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7' + randomUUID().replace(/-/g, '') + '\n' +
  'aGVsbG8gd29ybGQgdGhpcyBpcyBub3QgYSByZWFsIGtleQ==\n' +
  '-----END PRIVATE KEY-----\n';

describe('piped stdin', () => {
  const cases: { title: string; input: string; stored: string }[] = [
    { title: 'one line + \\n: the newline is removed', input: `plain-${randomUUID()}\n`, stored: '' },
    { title: 'one line + \\r\\n: the CRLF is removed', input: `crlf-${randomUUID()}\r\n`, stored: '' },
    { title: 'one line without newline: kept as is', input: `bare-${randomUUID()}`, stored: '' },
    { title: 'a multi-line PEM key: kept byte-exact, final newline included', input: PEM, stored: PEM },
    { title: 'multi-line with CRLF: kept byte-exact', input: `a-${randomUUID()}\r\nb\r\n`, stored: '' },
    { title: 'one line + two newlines: kept byte-exact', input: `two-${randomUUID()}\n\n`, stored: '' },
  ];
  for (const c of cases) {
    if (c.stored === '') {
      const single = /^[^\r\n]*(\r?\n)?$/.test(c.input);
      c.stored = single ? c.input.replace(/\r?\n$/, '') : c.input;
    }
  }

  it.each(cases)('$title', async ({ input, stored }) => {
    const p = makeTempProject();
    const r = await p.run(['secret', 'put', 'MY_SECRET'], { input });
    expect(r.stderr).toMatch(/secret MY_SECRET added/);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(''); // human mode: nothing on stdout for a mutation
    expect(decryptLatest(p, 'MY_SECRET')).toBe(stored);
    // The value (and any line of it) is never printed.
    for (const line of stored.split(/\r?\n/).filter((l) => l.length > 8)) expect(r.all).not.toContain(line);
    expect(r.all).not.toContain(stored.trim());
  });

  it('--json on a piped put: one JSON document on stdout with the new version id, notes on stderr', async () => {
    const p = makeTempProject();
    const value = `json-${randomUUID()}`;
    const r = await p.run(['secret', 'put', 'API_KEY', '--json'], { input: value + '\n' });
    expect(r.code).toBe(0);
    const doc = r.json();
    expect(doc.secret).toEqual({ name: 'API_KEY', action: 'added' });
    expect(doc.worker).toBe('e2e-worker');
    expect(typeof doc.versionId === 'string' || typeof doc.version?.id === 'string').toBe(true);
    expect(r.stderr).toMatch(/e2e-worker/); // the target is named on stderr
    expect(r.all).not.toContain(value);
    expect(decryptLatest(p, 'API_KEY')).toBe(value);
  });

  it('an empty pipe is refused (exit 2) and nothing is stored', async () => {
    const p = makeTempProject();
    const r = await p.run(['secret', 'put', 'EMPTY'], { input: '' });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/empty/);
    expect(r.stderr).toMatch(/--allow-empty/);
    const list = await p.run(['secret', 'list', '--json']);
    expect(list.json().secrets).toEqual([]);
  });
});

describe('no value on stdin: a clear error, never a hang', () => {
  it('stdin is /dev/null (stdio ignore): exit 2 at once, naming stdin and the secret', async () => {
    const p = makeTempProject();
    // With a 10-minute stdin timeout, a run that waited for stdin would be killed by the 60 s
    // safety net: "at once" without timing anything.
    const r = await p.run(['secret', 'put', 'NO_STDIN'], { stdin: 'ignore', env: { MYCLI_STDIN_TIMEOUT: '600' }, timeoutMs: 60_000 });
    expect(r.killedByTimeout).toBe(false);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/error:/);
    expect(r.stderr).toMatch(/NO_STDIN/);
    expect(r.stderr).toMatch(/stdin/);
    const list = await p.run(['secret', 'list', '--json']);
    expect(list.json().secrets).toEqual([]);
  });

  it('stdin is a pipe that stays open with nothing written: fails within MYCLI_STDIN_TIMEOUT', async () => {
    const p = makeTempProject();
    const r = await p.run(['secret', 'put', 'WAITING'], {
      keepStdinOpen: true,
      env: { MYCLI_STDIN_TIMEOUT: '1' },
      timeoutMs: 60_000, // a safety net only
    });
    expect(r.killedByTimeout).toBe(false);
    expect(r.code).toBe(2);
    expect(r.ms).toBeGreaterThanOrEqual(900); // it did wait (a lower bound holds on a busy machine)
    expect(r.stderr).toMatch(/no value arrived on stdin within 1s/);
    expect(r.stderr).toMatch(/--from-file/);
    const list = await p.run(['secret', 'list', '--json']);
    expect(list.json().secrets).toEqual([]);
  });

  it('--json: the stdin timeout is a JSON error on stdout', async () => {
    const p = makeTempProject();
    const r = await p.run(['secret', 'put', 'WAITING', '--json'], {
      keepStdinOpen: true,
      env: { MYCLI_STDIN_TIMEOUT: '1' },
      timeoutMs: 60_000,
    });
    expect(r.code).toBe(2);
    expect(r.json().error.code).toBe('usage');
    expect(r.json().error.message).toMatch(/stdin/);
  });
});
