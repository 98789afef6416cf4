/**
 * What the local backend leaves on disk, checked byte by byte: the store's .gitignore and modes,
 * the key file (created on first use, mode 0600, in the user's config dir, never in the project),
 * and no secret value in plain text anywhere.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decryptLatest, filesContaining, filesUnder, makeTempProject, mode } from './helpers.js';

describe('files on disk', () => {
  it('the state dir gets a .gitignore; state.json and the dir are private; no value in plain text', async () => {
    const p = makeTempProject();
    const values = [`file-a-${randomUUID()}`, `file-b-${randomUUID()}`];
    for (const [i, v] of values.entries()) {
      const r = await p.run(['secret', 'put', `S_${i}`], { input: v + '\n' });
      expect(r.code).toBe(0);
      expect(r.all).not.toContain(v);
    }
    const up = await p.run(['versions', 'upload']); // copies the sealed secrets into another version
    expect(up.code).toBe(0);

    const stateDir = join(p.dir, '.mycli');
    const gitignore = readFileSync(join(stateDir, '.gitignore'), 'utf8');
    expect(gitignore.split('\n')).toContain('*');
    expect(mode(p.stateFile)).toBe(0o600);
    expect(mode(stateDir) & 0o077).toBe(0);
    for (const f of filesUnder(stateDir)) expect(mode(f) & 0o077, f).toBe(0);

    for (const v of values) {
      expect(filesContaining([p.dir, p.home], v)).toEqual([]);
      // Nor base64 of it (encryption, not encoding).
      expect(filesContaining([p.dir, p.home], Buffer.from(v).toString('base64').slice(0, 24))).toEqual([]);
    }
    expect(decryptLatest(p, 'S_0')).toBe(values[0]);
    expect(decryptLatest(p, 'S_1')).toBe(values[1]);
  });

  it('without MYCLI_LOCAL_KEY: the key file is created once, mode 0600, under XDG_CONFIG_HOME/mycli/, never in the project', async () => {
    const p = makeTempProject({ key: null });
    const value = `keyfile-${randomUUID()}`;
    const r = await p.run(['secret', 'put', 'TOKEN'], { input: value + '\n' });
    expect(r.code, r.stderr).toBe(0);
    expect(r.all).not.toContain(value);
    const keyFile = join(p.configHome, 'mycli', 'local.key');
    expect(existsSync(keyFile)).toBe(true);
    expect(mode(keyFile)).toBe(0o600);
    expect(mode(join(p.configHome, 'mycli')) & 0o077).toBe(0);
    expect(r.stderr).toContain(keyFile); // said so once
    const keyText = readFileSync(keyFile, 'utf8').trim();
    expect(Buffer.from(keyText, 'base64')).toHaveLength(32);
    // Nothing key-like in the project.
    expect(filesUnder(p.dir).filter((f) => /\.key$/.test(f))).toEqual([]);
    expect(filesContaining([p.dir], keyText)).toEqual([]);
    expect(filesContaining([p.dir, p.home], value)).toEqual([]);

    // Second use: the same key, no new notice.
    const second = await p.run(['secret', 'put', 'OTHER'], { input: 'other-value\n' });
    expect(second.code).toBe(0);
    expect(second.stderr).not.toMatch(/created the local store key/);
    expect(readFileSync(keyFile, 'utf8').trim()).toBe(keyText);
    expect(decryptLatest(p, 'TOKEN')).toBe(value);
  });

  it('without XDG_CONFIG_HOME: the key file goes to $HOME/.config/mycli/', async () => {
    const p = makeTempProject({ key: null });
    const r = await p.run(['secret', 'put', 'TOKEN'], { input: 'v-home\n', env: { XDG_CONFIG_HOME: undefined } });
    expect(r.code, r.stderr).toBe(0);
    const keyFile = join(p.home, '.config', 'mycli', 'local.key');
    expect(mode(keyFile)).toBe(0o600);
    expect(filesUnder(p.dir).filter((f) => /\.key$/.test(f))).toEqual([]);
  });

  it(
    'without MYCLI_LOCAL_KEY, 10 first uses at once all agree on one key file',
    async () => {
      const p = makeTempProject({ key: null });
      const values = Array.from({ length: 10 }, (_, i) => `race-${i}-${randomUUID()}`);
      const results = await Promise.all(values.map((v, i) => p.run(['secret', 'put', `R_${i}`], { input: v + '\n', timeoutMs: 60_000 })));
      expect(results.filter((r) => r.code !== 0).map((r) => r.stderr)).toEqual([]);
      for (const [i, r] of results.entries()) expect(r.all).not.toContain(values[i]);
      // All values were sealed with the one key that is in the file.
      for (const [i, v] of values.entries()) expect(decryptLatest(p, `R_${i}`)).toBe(v);
      // Exactly one of them created it (and said so), and no temp file is left beside it.
      expect(results.filter((r) => /created the local store key/.test(r.stderr))).toHaveLength(1);
      expect(readdirSync(join(p.configHome, 'mycli'))).toEqual(['local.key']);
    },
    90_000,
  );
});
