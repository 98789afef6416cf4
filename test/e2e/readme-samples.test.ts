/**
 * README samples are the real output (issue 19 item 15): the first-run sample and the `secret sync`
 * plan are read from README.md and compared line by line with what the built binary prints in a
 * fresh folder, after putting back the README's example paths (/work/app, /home/me) and its id.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '..', '..');
const BIN = join(ROOT, 'bin', 'mycli.js');
const README = readFileSync(join(ROOT, 'README.md'), 'utf8');
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** The lines of the first fenced block after `marker` in the README. */
function sampleAfter(marker: string): string[] {
  const at = README.indexOf(marker);
  expect(at, `README has "${marker}"`).toBeGreaterThan(-1);
  const m = /```[a-z]*\n([\s\S]*?)```/.exec(README.slice(at));
  return m![1].trimEnd().split('\n');
}

function mycli(dir: string, home: string, argv: string[], stdin: string) {
  const r = spawnSync(process.execPath, [BIN, ...argv], {
    cwd: dir,
    input: stdin,
    encoding: 'utf8',
    env: { PATH: process.env.PATH, HOME: home, XDG_CONFIG_HOME: join(home, '.config'), MYCLI_AUTHOR: 'me', NO_COLOR: '1' },
    timeout: 60_000,
  });
  return { code: r.status, out: (r.stderr ?? '') + (r.stdout ?? '') };
}

function freshFolder(): { dir: string; home: string } {
  const base = mkdtempSync(join(tmpdir(), 'mycli-readme-'));
  dirs.push(base);
  const dir = join(base, 'app');
  const home = join(base, 'home');
  mkdirSync(join(dir, 'examples', 'worker'), { recursive: true });
  mkdirSync(home);
  return { dir, home };
}

describe('README samples are real output', () => {
  it('the first run of the set-up command', { timeout: 60_000 }, () => {
    const { dir, home } = freshFolder();
    copyFileSync(join(ROOT, 'wrangler.example.toml'), join(dir, 'wrangler.example.toml'));
    copyFileSync(join(ROOT, 'examples', 'worker', 'index.js'), join(dir, 'examples', 'worker', 'index.js'));
    const sample = sampleAfter('The first run of the');
    const r = mycli(dir, home, ['--config', 'wrangler.example.toml', 'secret', 'put', 'API_KEY'], 'my-first-secret');
    expect(r.code, r.out).toBe(0);
    expect(r.out).not.toContain('my-first-secret');
    const [readmeId] = sample.join('\n').match(UUID)!;
    const printed = r.out
      .split(dir).join('/work/app')
      .split(home).join('/home/me')
      .replace(UUID, readmeId)
      .trimEnd()
      .split('\n');
    expect(printed).toEqual(sample);
  });

  it('the plan of secret sync', { timeout: 60_000 }, () => {
    const { dir, home } = freshFolder();
    writeFileSync(join(dir, 'wrangler.toml'), 'name = "my"\nmain = "src/index.js"\n\n[env.production]\nname = "my-worker"\n');
    const sample = sampleAfter('It first shows\nthe plan, by name:');
    const put = (argv: string[], stdin: string) => expect(mycli(dir, home, [...argv, '--env', 'production'], stdin).code).toBe(0);
    put(['secret', 'bulk'], JSON.stringify({ API_KEY: 'same-value-1', DB_URL: 'old-value-22', LEGACY_TOKEN: 'legacy-333' }));
    writeFileSync(join(dir, '.env.production'), 'STRIPE_KEY=new-value-4444\nDB_URL=new-value-55555\nAPI_KEY=same-value-1\n');
    // The plan is printed before the sync applies it (nothing is removed, so nothing is asked).
    const r = mycli(dir, home, ['secret', 'sync', '.env.production', '--env', 'production'], '');
    expect(r.code, r.out).toBe(0);
    for (const v of ['same-value-1', 'old-value-22', 'legacy-333', 'new-value-4444', 'new-value-55555']) expect(r.out).not.toContain(v);
    const lines = r.out.split('\n');
    const from = lines.findIndex((l) => l.startsWith('Plan of the secret sync'));
    expect(lines.slice(from, from + sample.length), r.out).toEqual(sample);
  });

  it('the token section names the page and the permission of each command group, as the no-credentials error does (issue 19 item 9)', { timeout: 60_000 }, () => {
    const { dir, home } = freshFolder();
    writeFileSync(join(dir, 'wrangler.toml'), 'name = "my-worker"\nmain = "src/index.js"\n');
    const r = mycli(dir, home, ['secret', 'list', '--backend', 'cloudflare'], '');
    expect(r.code, r.out).toBe(4);
    for (const words of ['https://dash.cloudflare.com/profile/api-tokens', 'Workers Scripts Edit', 'Account Settings Read', 'Secrets Store Edit', 'Workers Observability Read']) {
      expect(r.out).toContain(words);
      expect(README).toContain(words);
    }
    for (const group of ['| `secret`, `versions`, `deployments`, `rollback` | Workers Scripts Edit', '| `secrets-store` | Secrets Store Edit']) expect(README).toContain(group);
  });
});
