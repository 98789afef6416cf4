/**
 * Reads read what they show (issue 16, item 7), counted, not timed: the built binary runs with a
 * preload that counts the version and deployment records it reads. On a history of 300 versions,
 * each deployed, `versions view <id>`, `versions view 1`, a prefix, `deployments list --limit 5`
 * and a page of `versions list` read a handful of records, not the history. Without the number
 * index (a store made before it) answers stay right.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalBackend } from '../../src/backends/local/backend.js';
import { KEY_HEX, makeTempProject, WORKER, type TempProject } from './helpers.js';

const N = 300;
let p: TempProject;
let ids: string[] = []; // ids[n] = id of version n
const countDir = mkdtempSync(join(tmpdir(), 'mycli-reads-'));
afterAll(() => rmSync(countDir, { recursive: true, force: true }));

/** Node flags that count reads of record files; returns the flags and a reader of the count. */
function readCounter(name: string) {
  const log = join(countDir, name);
  const preload =
    `import fs from 'node:fs'; import { syncBuiltinESMExports } from 'node:module';` +
    `let n = 0; const re = /[\\/]\\.mycli[\\/](versions|deployments)[\\/]/;` +
    `const orig = fs.promises.readFile; fs.promises.readFile = function (f, ...a) { if (re.test(String(f))) n++; return orig.call(this, f, ...a); };` +
    `syncBuiltinESMExports(); process.on('exit', () => fs.writeFileSync(${JSON.stringify(log)}, String(n)));`;
  return { nodeArgs: ['--import', `data:text/javascript,${encodeURIComponent(preload)}`], count: () => Number(readFileSync(log, 'utf8')) };
}

async function counted(args: string[]) {
  const c = readCounter(args.join('_').replace(/\W/g, '_') + Math.random());
  const r = await p.run(args, { nodeArgs: c.nodeArgs });
  expect(r.code, r.all).toBe(0);
  return { r, reads: c.count() };
}

beforeAll(async () => {
  p = makeTempProject();
  const backend = new LocalBackend({ env: { MYCLI_LOCAL_KEY: KEY_HEX, MYCLI_AUTHOR: 'test' } });
  const target = { worker: WORKER, projectDir: p.dir, declared: true };
  const first = await backend.updateSecrets(target, { S: 'v-1' }, { deploy: true });
  ids = ['', first.version.id];
  const store = backend.store(target);
  // Many versions per commit (each with its deployment), through the store's own change.
  while (ids.length <= N) {
    await store.change(async (tx) => {
      let latest = await store.namedVersion(tx.worker(WORKER)!.latest!, 'test');
      for (let i = 0; i < 100 && ids.length + i <= N; i++) {
        latest = tx.addVersion(WORKER, { createdOn: new Date().toISOString(), author: 'test', source: 'secret', bindings: latest.bindings });
        tx.addDeployment(WORKER, { createdOn: new Date().toISOString(), author: 'test', source: 'secret', versions: [{ versionId: latest.id, percentage: 100 }] });
      }
    });
    ids = ['', ...(await backend.listVersions(target)).map((v) => v.id).reverse()];
  }
  expect(ids.length).toBe(N + 1);
}, 120_000);

describe(`reads at ${N} versions and deployments`, () => {
  it('versions view <id> reads the version and the live deployment, not every deployment', { timeout: 60_000 }, async () => {
    const { r, reads } = await counted(['--json', 'versions', 'view', ids[1]]);
    expect(r.json().version.number).toBe(1);
    expect(reads).toBeLessThanOrEqual(6);
  });

  it('versions view 1 finds version 1 through the number index, not by reading the history', { timeout: 60_000 }, async () => {
    const { r, reads } = await counted(['--json', 'versions', 'view', '1']);
    expect(r.json().version.id).toBe(ids[1]);
    expect(reads).toBeLessThanOrEqual(6);
    const mid = await counted(['--json', 'versions', 'view', '150']);
    expect(mid.r.json().version.id).toBe(ids[150]);
    expect(mid.reads).toBeLessThanOrEqual(6);
  });

  it('a version named by an id prefix reads only the records with that prefix', { timeout: 60_000 }, async () => {
    const prefix = ids[7].slice(0, 8);
    const { r, reads } = await counted(['--json', 'versions', 'view', prefix]);
    expect(r.json().version.number).toBe(7);
    expect(reads).toBeLessThanOrEqual(6);
  });

  it('deployments list --limit 5 reads about 5 deployments', { timeout: 60_000 }, async () => {
    const { r, reads } = await counted(['--json', 'deployments', 'list', '--limit', '5']);
    expect(r.json().deployments).toHaveLength(5);
    expect(r.json().deployments[0].versions[0].versionId).toBe(ids[N]);
    expect(reads).toBeLessThanOrEqual(10);
    const human = await p.run(['deployments', 'list', '--limit', '5']);
    expect(human.stderr).toMatch(/more deployments not shown/);
  });

  it('a page of versions list reads that page', { timeout: 60_000 }, async () => {
    const { r, reads } = await counted(['versions', 'list', '--limit', '20']);
    expect(r.stdout.trim().split('\n')).toHaveLength(21);
    expect(reads).toBeLessThanOrEqual(24);
  });

  it('without the number index (a store made before it), a number is still found right', { timeout: 60_000 }, async () => {
    rmSync(join(p.dir, '.mycli', 'numbers'), { recursive: true });
    const r = await p.run(['--json', 'versions', 'view', '42']);
    expect(r.code, r.all).toBe(0);
    expect(r.json().version.id).toBe(ids[42]);
    // A wrong entry (a writer that died before its commit) is checked and passed over.
    const uid = JSON.parse(readFileSync(join(p.dir, '.mycli', 'HEAD'), 'utf8')).workers[WORKER].uid;
    const { mkdirSync } = await import('node:fs');
    mkdirSync(join(p.dir, '.mycli', 'numbers', uid), { recursive: true });
    writeFileSync(join(p.dir, '.mycli', 'numbers', uid, '43'), ids[44]);
    const wrong = await p.run(['--json', 'versions', 'view', '43']);
    expect(wrong.json().version.id).toBe(ids[43]);
  });
});
