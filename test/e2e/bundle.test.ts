/**
 * The built binary is a bundle: a dependency that works from source can break inside it (a
 * CommonJS package without named exports, a UMD build with dynamic requires). These runs take
 * each lazily-loaded part through the real binary once.
 */
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeTempProject } from './helpers.js';

describe('every lazily loaded part works inside the bundle', () => {
  it.each([
    ['wrangler.json', '{"name": "json-worker", "vars": {"A": "1"}}'],
    ['wrangler.jsonc', '{\n  // comments are allowed\n  "name": "jsonc-worker",\n  "vars": {"A": "1"},\n}\n'],
  ])('a %s project (jsonc-parser)', async (file, text) => {
    const p = makeTempProject();
    rmSync(join(p.dir, 'wrangler.toml'));
    writeFileSync(join(p.dir, file), text);
    const r = await p.run(['secret', 'put', 'KEY', '--json'], { input: 'json-config-value\n' });
    expect(r.code, r.stderr).toBe(0);
    expect(r.json().worker).toMatch(/^jsonc?-worker$/);
    expect(r.all).not.toContain('json-config-value');
  });

  it('a JSON syntax error gives file:line:col (exit 2)', async () => {
    const p = makeTempProject();
    rmSync(join(p.dir, 'wrangler.toml'));
    writeFileSync(join(p.dir, 'wrangler.json'), '{\n  "name": "x",\n  "vars": {\n}\n');
    const r = await p.run(['secret', 'list']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/wrangler\.json:\d+:\d+: invalid JSON/);
  });

  it('secret bulk from a .env file (the strict .env parser of io/bulk-input.ts, not dotenv) and from JSON on stdin', async () => {
    const p = makeTempProject();
    writeFileSync(join(p.dir, 'prod.env'), 'DB_URL="postgres://u@h/db"\nexport API_TOKEN=env-bulk-token\n');
    const env = await p.run(['secret', 'bulk', 'prod.env', '--json']);
    expect(env.code, env.stderr).toBe(0);
    expect(env.json().changes.map((c: { name: string }) => c.name).sort()).toEqual(['API_TOKEN', 'DB_URL']);
    const json = await p.run(['secret', 'bulk', '--json', '--yes'], { input: '{"API_TOKEN": null, "OTHER": "json-bulk-value"}' });
    expect(json.code, json.stderr).toBe(0);
    expect(json.json().changes).toEqual([
      { name: 'API_TOKEN', action: 'deleted' },
      { name: 'OTHER', action: 'added' },
    ]);
    expect(env.all + json.all).not.toMatch(/env-bulk-token|json-bulk-value|postgres:/);
  });

  it('upload, deploy, rollback and status, non-interactive with --yes', async () => {
    const p = makeTempProject();
    const first = await p.run(['versions', 'upload', '-m', 'one', '--json']);
    expect(first.code, first.stderr).toBe(0);
    const v1 = first.json().versionId;
    expect((await p.run(['versions', 'deploy', `${v1}@100%`, '--yes'])).code).toBe(0);
    const second = await p.run(['versions', 'upload', '-m', 'two', '--json']);
    const v2 = second.json().versionId;
    expect((await p.run(['versions', 'deploy', `${v2.slice(0, 8)}@10%`, '--yes'])).code).toBe(0);
    const status = await p.run(['deployments', 'status', '--json']);
    expect(status.json().versions.map((v: { versionId: string; percentage: number }) => [v.versionId, v.percentage])).toEqual([
      [v2, 10],
      [v1, 90],
    ]);
    const back = await p.run(['rollback', '--yes', '--json']);
    expect(back.code, back.stderr).toBe(0);
    expect(back.json().versionId).toBe(v1);
  });
});
