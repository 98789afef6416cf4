/**
 * A state folder that cannot be written (issue 16, item 8) is named with its cause, exit 1, and
 * the store is left as it was: a read-only mount (EROFS), a folder this user may not write
 * (EACCES), a full disk (ENOSPC) — for secret put, versions upload and Secrets Store changes.
 * Real file systems: a user and mount namespace (unshare -r -m) gives a read-only bind mount and
 * a small full tmpfs; EACCES runs the binary as another user (as root) or uses chmod (not root).
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, makeTempProject, readState, WORKER, type TempProject } from './helpers.js';

const NS = spawnSync('unshare', ['-r', '-m', 'true']).status === 0;
const ROOT = process.getuid?.() === 0;
/**
 * As root the EACCES case runs mycli as user "nobody": with a Node that user can start mycli with —
 * this one, else the machine's (CI's Node 22 and 24 live in root's private cache folder, and a
 * clone in a `mktemp -d` folder is 0700: nobody may enter neither). undefined: none, and the case
 * is skipped (said in its title).
 */
/** Whether every folder above `file` lets other users through (a `mktemp -d` clone is 0700). */
function othersMayEnter(file: string): boolean {
  for (let d = dirname(file); ; d = dirname(d)) {
    if ((statSync(d).mode & 0o001) === 0) return false;
    if (dirname(d) === d) return true;
  }
}
const NOBODY_NODE = ROOT
  ? othersMayEnter(BIN)
    ? [process.execPath, '/usr/bin/node', '/usr/local/bin/node'].find((n) => existsSync(n) && spawnSync(n, ['-e', '0'], { uid: 65534, gid: 65534 }).status === 0)
    : undefined
  : process.execPath;

/** Run mycli in a mount namespace where `.mycli` is read-only, or a full tmpfs holding a copy of it. */
function runIn(p: TempProject, how: 'readonly' | 'full', args: string[], input = '') {
  const D = join(p.dir, '.mycli');
  const setup =
    how === 'readonly'
      ? `mount --bind "$D" "$D" && mount -o remount,ro,bind "$D"`
      : `T=$(mktemp -d) && cp -a "$D/." "$T/" && mount -t tmpfs -o size=512k tmpfs "$D" && cp -a "$T/." "$D/" && (head -c 2000000 /dev/zero > "$D/.fill" 2>/dev/null; true)`;
  return spawnSync('unshare', ['-r', '-m', 'sh', '-c', `D="$1"; shift; ${setup} && exec "$@"`, 'sh', D, process.execPath, BIN, ...args], {
    cwd: p.dir,
    env: p.env,
    input,
    encoding: 'utf8',
  });
}

async function storeWithSecretsStore() {
  const p = makeTempProject();
  const put = await p.run(['secret', 'put', 'A'], { input: 'a-value-1' });
  expect(put.code, put.all).toBe(0);
  const st = await p.run(['secrets-store', 'store', 'create', 's1']);
  expect(st.code, st.all).toBe(0);
  return p;
}

/** The store folder named: its lock, the store, its folder or the Secrets Store in it, whichever failed first. */
const NAMED = /cannot write the (lock of the )?local (Secrets Store in|store folder|store) .*\.mycli: /;

const CASES: [string, string[], string, RegExp][] = [
  ['secret put', ['secret', 'put', 'B'], 'b-value-22', NAMED],
  ['versions upload', ['versions', 'upload'], '', NAMED],
  ['secrets-store store create', ['secrets-store', 'store', 'create', 's2'], '', NAMED],
  ['secrets-store secret create', ['secrets-store', 'secret', 'create', 'k2', '--store', 's1'], 'k2-value-333', NAMED],
];

function expectNamed(r: { status: number | null; stderr: string; stdout: string }, what: RegExp, cause: RegExp, label: string) {
  expect(r.status, `${label}: ${r.stderr}`).toBe(1);
  expect(r.stderr, label).toMatch(what);
  expect(r.stderr, label).toMatch(cause);
  expect(r.stderr, label).toMatch(/^hint: /m);
  expect(r.stderr, label).not.toMatch(/unexpected failure|report it/);
  for (const v of ['b-value-22', 'k2-value-333']) expect(r.stdout + r.stderr).not.toContain(v);
}

describe('an unwritable state folder is named', () => {
  it.skipIf(!NS)('read-only (EROFS): each change names the folder and "read-only", exit 1, nothing changed', { timeout: 120_000 }, async () => {
    const p = await storeWithSecretsStore();
    for (const [label, args, input, what] of CASES) {
      expectNamed(runIn(p, 'readonly', args, input), what, /the file system is read-only \(EROFS\)/, label);
    }
    expect(readState(p).workers[WORKER].versions).toHaveLength(1);
  });

  it.skipIf(!NS)('a full disk (ENOSPC): each change names the folder and "the disk is full", exit 1', { timeout: 120_000 }, async () => {
    const p = await storeWithSecretsStore();
    for (const [label, args, input, what] of CASES) {
      expectNamed(runIn(p, 'full', args, input), what, /the disk is full \(ENOSPC\)/, label);
    }
    // The namespace's tmpfs is gone: the real folder was never touched.
    expect(readState(p).workers[WORKER].versions).toHaveLength(1);
  });

  it.skipIf(!NOBODY_NODE)('a folder this user may not write (EACCES): named, with the folder to check, exit 1 (as root: run as nobody, skipped when no Node nobody can start)', { timeout: 120_000 }, async () => {
    const p = await storeWithSecretsStore();
    const D = join(p.dir, '.mycli');
    if (ROOT) {
      // Root writes anywhere: run as "nobody", owner of the files, in a folder it may not write.
      for (const f of [p.root, p.dir, p.home]) chmodSync(f, 0o755);
      const chownAll = (d: string) => {
        chownSync(d, 65534, 65534);
        if (statSync(d).isDirectory()) for (const e of readdirSync(d)) chownAll(join(d, e));
      };
      chownAll(D);
    }
    chmodSync(D, 0o500);
    try {
      for (const [label, args, input, what] of CASES) {
        const r = spawnSync(NOBODY_NODE!, [BIN, ...args], { cwd: p.dir, env: p.env, input, encoding: 'utf8', ...(ROOT ? { uid: 65534, gid: 65534 } : {}) });
        expectNamed(r, what, /this user may not write there \(EACCES\)/, label);
        expect(r.stderr, label).toContain(`ls -ld`);
      }
    } finally {
      chmodSync(D, 0o700);
    }
    expect(readState(p).workers[WORKER].versions).toHaveLength(1);
  });
});
