/**
 * One name rule for put and bulk, and a lone newline on stdin said as it is (issue 16 item 12).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeProject } from '../helpers/cli.js';
import { storeExists } from '../helpers/local-store.js';

const VALUE = 'names-test-S3cr3t-value';

describe('reserved names: refused by secret put as by secret bulk', () => {
  it.each(['__proto__', 'constructor', 'prototype'])('secret put, versions secret put, bulk and delete of %s: exit 2, nothing stored', async (name) => {
    const p = makeProject();
    for (const args of [['secret', 'put', name], ['versions', 'secret', 'put', name]]) {
      const r = await p.run(args, { stdin: VALUE });
      expect(r.code, r.all).toBe(2);
      expect(r.stderr).toContain(`"${name}" cannot be a secret name (it is reserved in JavaScript objects)`);
      expect(r.all).not.toContain(VALUE);
    }
    const bulk = await p.run(['secret', 'bulk'], { stdin: JSON.stringify({ [name]: VALUE }) });
    expect(bulk.code).toBe(2);
    expect(bulk.stderr).toContain(`"${name}" cannot be a secret name`);
    const del = await p.run(['secret', 'delete', name, '--yes']);
    expect(del.code).toBe(2);
    expect(storeExists(p)).toBe(false);
  });
});

describe('a value that is only a newline', () => {
  it.each([
    ['\n', 'stdin held only a newline'],
    ['\r\n', 'stdin held only a newline'],
    ['', 'stdin was empty'],
  ])('stdin %j: exit 2, "%s"', async (input, said) => {
    const p = makeProject();
    const r = await p.run(['secret', 'put', 'API_KEY'], { stdin: input });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`refusing to store an empty value for secret API_KEY (${said})`);
    expect(storeExists(p)).toBe(false);
  });

  it('--from-file holding only a newline says so', async () => {
    const p = makeProject();
    writeFileSync(join(p.dir, 'v.txt'), '\n');
    const r = await p.run(['secret', 'put', 'API_KEY', '--from-file', 'v.txt']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('(v.txt held only a newline)');
  });
});
