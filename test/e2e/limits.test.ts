/**
 * Cloudflare's limits, as the local backend declares them: 5,120 bytes per secret value, 128 vars
 * + secrets per Worker. Over a limit: exit 2 naming it, before anything is written, and the value
 * is never printed. Input is read up to the limit and no further: /dev/zero is refused (stdin,
 * --from-file, bulk), and a FIFO nobody writes to is bounded by the stdin timeout.
 */
import { execFileSync, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fingerprint } from '../helpers/store-reader.js';
import { BIN, decryptLatest, makeTempProject, type TempProject } from './helpers.js';

const LIMIT = 5120;
const value = (n: number) => 'v'.repeat(n - 8) + 'ENDVALUE';

/** Run with stdin from a file or device (not a pipe), as `mycli ... < path` does. */
function runFromPath(p: TempProject, args: string[], path: string, env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn('/bin/sh', ['-c', `exec "${process.execPath}" "${BIN}" "$@" < "${path}"`, 'sh', ...args], { cwd: p.dir, env: { ...p.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b) => (stdout += b));
    child.stderr.on('data', (b) => (stderr += b));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000); // a safety net only
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

describe('limits', () => {
  it('5,120 bytes are accepted (also with a trailing newline); 5,121 are refused with exit 2, nothing written', { timeout: 60_000 }, async () => {
    const p = makeTempProject();
    const ok = await p.run(['secret', 'put', 'BIG'], { input: value(LIMIT) });
    expect(ok.code, ok.stderr).toBe(0);
    expect(decryptLatest(p, 'BIG')).toBe(value(LIMIT));
    const nl = await p.run(['secret', 'put', 'BIG_NL'], { input: value(LIMIT) + '\n' });
    expect(nl.code, nl.stderr).toBe(0);
    expect(decryptLatest(p, 'BIG_NL')).toBe(value(LIMIT));

    const before = fingerprint(join(p.dir, '.mycli'));
    const file = join(p.root, 'big.txt');
    writeFileSync(file, value(LIMIT + 1));
    for (const [args, input] of [
      [['secret', 'put', 'TOO_BIG'], value(LIMIT + 1)],
      [['secret', 'put', 'TOO_BIG', '--from-file', file], undefined],
      [['versions', 'secret', 'put', 'TOO_BIG'], value(LIMIT + 1)],
      [['secret', 'bulk'], JSON.stringify({ OK: 'fine', TOO_BIG: value(LIMIT + 1) })],
      [['--json', 'secret', 'put', 'TOO_BIG'], value(LIMIT + 1)],
    ] as [string[], string | undefined][]) {
      const r = await p.run(args, { input });
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(2);
      expect(r.all).toMatch(/5,120 bytes per secret value/);
      expect(r.all).not.toContain('ENDVALUE');
    }
    // Multi-byte characters count as bytes: 2,561 "é" are 5,122 bytes.
    const accents = await p.run(['secret', 'put', 'ACCENTS'], { input: 'é'.repeat(2561) });
    expect(accents.code, accents.stderr).toBe(2);
    expect(fingerprint(join(p.dir, '.mycli'))).toBe(before);
  });

  it('/dev/zero is refused: piped in, --from-file, and as a bulk file', { timeout: 120_000 }, async () => {
    const p = makeTempProject();
    const stdin = await runFromPath(p, ['secret', 'put', 'ZERO'], '/dev/zero');
    expect(stdin.code, stdin.stderr).toBe(2);
    expect(stdin.stderr).toMatch(/5,120 bytes per secret value/);
    const file = await p.run(['secret', 'put', 'ZERO', '--from-file', '/dev/zero'], { timeoutMs: 60_000 });
    expect(file.code, file.stderr).toBe(2);
    expect(file.stderr).toMatch(/5,120 bytes per secret value/);
    const bulk = await p.run(['secret', 'bulk', '/dev/zero'], { timeoutMs: 60_000 });
    expect(bulk.code, bulk.stderr).toBe(2);
    expect(bulk.stderr).toMatch(/over the limit of 1 MiB/);
    const bulkStdin = await runFromPath(p, ['secret', 'bulk'], '/dev/zero');
    expect(bulkStdin.code, bulkStdin.stderr).toBe(2);
    expect(bulkStdin.stderr).toMatch(/over the limit of 1 MiB/);
  });

  it('/dev/zero is refused by secrets-store secret create and update too (read up to 65,536 bytes, no further)', { timeout: 120_000 }, async () => {
    const p = makeTempProject();
    expect((await p.run(['secrets-store', 'store', 'create', 's'])).code).toBe(0);
    const create = await p.run(['secrets-store', 'secret', 'create', 'zero', '--store', 's', '--from-file', '/dev/zero'], { timeoutMs: 60_000 });
    expect(create.killedByTimeout).toBe(false);
    expect(create.code, create.stderr).toBe(2);
    expect(create.stderr).toMatch(/the Secrets Store takes at most 65536 bytes/);
    const piped = await runFromPath(p, ['secrets-store', 'secret', 'create', 'zero', '--store', 's'], '/dev/zero');
    expect(piped.code, piped.stderr).toBe(2);
    expect((await p.run(['secrets-store', 'secret', 'create', 'ok', '--store', 's'], { input: 'v4lue' })).code).toBe(0);
    const update = await p.run(['secrets-store', 'secret', 'update', 'ok', '--store', 's', '--from-file', '/dev/zero'], { timeoutMs: 60_000 });
    expect(update.killedByTimeout).toBe(false);
    expect(update.code, update.stderr).toBe(2);
    const list = await p.run(['secrets-store', 'secret', 'list', '--store', 's', '--json']);
    expect(JSON.parse(list.stdout).secrets.map((x: { name: string }) => x.name)).toEqual(['ok']);
  });

  it('a FIFO nobody writes to is bounded by the stdin timeout (--from-file and bulk)', { timeout: 120_000 }, async () => {
    const p = makeTempProject();
    const fifo = join(p.root, 'fifo');
    execFileSync('mkfifo', [fifo]);
    const env = { MYCLI_STDIN_TIMEOUT: '1' };
    const put = await p.run(['secret', 'put', 'F', '--from-file', fifo], { env, timeoutMs: 60_000 });
    expect(put.killedByTimeout).toBe(false);
    expect(put.code, put.stderr).toBe(2);
    expect(put.stderr).toMatch(/nothing could be read from --from-file/);
    const bulk = await p.run(['secret', 'bulk', fifo], { env, timeoutMs: 60_000 });
    expect(bulk.killedByTimeout).toBe(false);
    expect(bulk.code, bulk.stderr).toBe(2);
  });

  it('128 vars + secrets per Worker: the 129th is refused with exit 2, nothing written', { timeout: 60_000 }, async () => {
    const p = makeTempProject();
    const many = Object.fromEntries(Array.from({ length: 128 }, (_, i) => [`S_${i}`, `bulk-value-${i}`]));
    const ok = await p.run(['secret', 'bulk'], { input: JSON.stringify(many) });
    expect(ok.code, ok.stderr).toBe(0);
    // One change wrote 128 blobs (side by side, a batch at a time): every one is there and opens.
    const verify = await p.run(['store', 'verify']);
    expect(verify.code, verify.stderr).toBe(0);
    for (const out of [ok.all, verify.all]) expect(out).not.toContain('bulk-value-');
    const before = fingerprint(join(p.dir, '.mycli'));
    const r = await p.run(['secret', 'put', 'ONE_MORE'], { input: 'x' });
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/129 vars and secrets, over the limit of 128 per Worker/);
    expect(fingerprint(join(p.dir, '.mycli'))).toBe(before);
    // Replacing one is fine.
    const again = await p.run(['secret', 'put', 'S_0'], { input: 'new' });
    expect(again.code, again.stderr).toBe(0);
  });
});
