/**
 * An upgrade from format 1 that is interrupted (issue 16, item 1): a full disk (`ulimit -f`, the
 * natural cause) or a SIGKILL in the gap between creating `log/` and linking its first entry.
 * The upgrade is atomic from a reader's view: a log without a committed entry beside state.json is
 * an unfinished upgrade, redone by the next command, never an empty store; the failed command is
 * named (exit 1), not "no secrets yet" with exit 0.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, makeTempProject, REPO } from './helpers.js';

const FIXTURE = join(REPO, 'test', 'fixtures', 'store-format1');
const KEY = readFileSync(join(FIXTURE, 'KEY.txt'), 'utf8').trim();
const expected = (what: string) => JSON.parse(readFileSync(join(FIXTURE, 'expected', `${what}x.json`), 'utf8'));

function fixtureProject() {
  const p = makeTempProject({ key: KEY, toml: readFileSync(join(FIXTURE, 'project', 'wrangler.toml'), 'utf8') });
  cpSync(join(FIXTURE, 'store'), join(p.dir, '.mycli'), { recursive: true });
  return p;
}

/** The whole history is there, as the fixture's old binary printed it, and the store works on. */
async function expectWholeHistory(p: ReturnType<typeof fixtureProject>) {
  for (const what of ['versions', 'deployments', 'secrets']) {
    const r = await p.run(['--json', ...(what === 'secrets' ? ['secret', 'list'] : [what, 'list'])]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.json(), what).toEqual(expected(what));
  }
  // An old version is still shown as committed (its records name the committed Worker).
  const first = expected('versions').versions.at(-1).id;
  const view = await p.run(['--json', 'versions', 'view', first]);
  expect(view.code, view.stderr).toBe(0);
  expect(view.json().version.number).toBe(1);
  const put = await p.run(['--json', 'versions', 'secret', 'put', 'AFTER'], { input: 'after-upgrade' });
  expect(put.code, put.stderr).toBe(0);
  expect(put.json().version.number).toBe(7);
  expect(existsSync(join(p.dir, '.mycli', 'state.json'))).toBe(false);
}

describe('an interrupted upgrade from format 1', () => {
  it('on a full disk (ulimit -f 1): exit 1 naming the store, state.json intact; the next command upgrades it whole', { timeout: 120_000 }, async () => {
    const p = fixtureProject();
    const before = readFileSync(join(p.dir, '.mycli', 'state.json'));
    // SIGXFSZ is ignored so that the write fails with EFBIG, as on a full disk.
    const r = spawnSync('sh', ['-c', 'trap "" XFSZ; ulimit -f 1; exec "$0" "$@"', process.execPath, BIN, 'secret', 'list'], { cwd: p.dir, env: p.env, encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(1);
    expect(r.stderr).toMatch(/cannot upgrade the local store .*\.mycli/);
    expect(r.stderr).toMatch(/EFBIG/);
    expect(r.stderr).toMatch(/state\.json .*still the store/);
    expect(r.stderr + r.stdout).not.toMatch(/unexpected failure|no secrets yet/);
    expect(readFileSync(join(p.dir, '.mycli', 'state.json')).equals(before)).toBe(true);
    await expectWholeHistory(p);
  });

  it('killed between creating log/ and linking its first entry: never an empty store, redone whole', { timeout: 120_000 }, async () => {
    const p = fixtureProject();
    const killed = await p.run(['secret', 'list'], { env: { MYCLI_TEST_KILL_IN_UPGRADE: '1' } });
    expect(killed.signal).toBe('SIGKILL');
    // The gap was hit: log/ exists with no entry, beside state.json, the records already written.
    expect(readdirSync(join(p.dir, '.mycli', 'log'))).toEqual([]);
    expect(existsSync(join(p.dir, '.mycli', 'state.json'))).toBe(true);
    expect(readdirSync(join(p.dir, '.mycli', 'versions')).length).toBeGreaterThan(0);
    await expectWholeHistory(p);
  });

  it('a put after the interrupted upgrade builds on the whole history (version 7, not 1)', { timeout: 120_000 }, async () => {
    const p = fixtureProject();
    const killed = await p.run(['secret', 'list'], { env: { MYCLI_TEST_KILL_IN_UPGRADE: '1' } });
    expect(killed.signal).toBe('SIGKILL');
    const put = await p.run(['--json', 'versions', 'secret', 'put', 'FIRST_AFTER'], { input: 'first-after-kill' });
    expect(put.code, put.stderr).toBe(0);
    expect(put.json().version.number).toBe(7);
    expect(put.all).not.toContain('first-after-kill');
    const list = await p.run(['--json', 'versions', 'list']);
    expect(list.json().versions).toHaveLength(7);
  });
});
