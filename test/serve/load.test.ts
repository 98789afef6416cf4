/**
 * `mycli serve` under a bounded load: 2000 requests from 20 concurrent clients on one Worker,
 * mixing reads and writes (secret PUTs of distinct names, as many as a Worker may hold). Every request is answered, and no
 * write is lost.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startServe, type Served } from './helpers.js';

const TOTAL = 2000;
const CLIENTS = 20;
// 125 writes, 1875 reads: with SEED, 126 secrets, within the 128 vars + secrets a Worker may have.
const WRITE_EVERY = 16;
const DEADLINE_MS = 50_000;
const W = 'loaded';

let s: Served;
beforeAll(async () => {
  s = await startServe({}, { MYCLI_SERVE_LOG: '' });
});
afterAll(async () => {
  expect(await s?.stop()).toBe(0);
});

it(`answers ${TOTAL} mixed requests from ${CLIENTS} clients and loses no write`, { timeout: 90_000 }, async () => {
  // The Worker exists before the clients start.
  expect((await s.api('PUT', s.script(W, '/secrets'), { body: { name: 'SEED', text: 'seed', type: 'secret_text' } })).status).toBe(200);

  const started = Date.now();
  let next = 0;
  const statuses = new Map<number, number>();
  const failures: string[] = [];
  const written: string[] = [];
  let answered = 0;

  const reads = [
    () => s.script(W, '/secrets'),
    () => s.script(W, '/deployments'),
    () => s.script(W, '/versions?page=1&per_page=10'),
    () => s.script(W, '/secrets/SEED'),
  ];

  const client = async () => {
    for (;;) {
      const i = next++;
      if (i >= TOTAL) return;
      if (Date.now() - started > DEADLINE_MS) throw new Error(`load test passed its deadline after ${i} requests`);
      let r;
      if (i % WRITE_EVERY === 0) {
        const name = `LOAD_${i}`;
        r = await s.api('PUT', s.script(W, '/secrets'), { body: { name, text: `value-${i}`, type: 'secret_text' } });
        if (r.status === 200) written.push(name);
      } else {
        r = await s.api('GET', reads[i % reads.length]());
      }
      answered++;
      statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
      if (r.status !== 200 || r.json?.success !== true) failures.push(`#${i}: ${r.status} ${r.text.slice(0, 200)}`);
    }
  };
  await Promise.all(Array.from({ length: CLIENTS }, client));
  const elapsed = Date.now() - started;

  expect(answered).toBe(TOTAL);
  expect(failures).toEqual([]);
  expect(Object.fromEntries(statuses)).toEqual({ 200: TOTAL });
  const writes = Math.ceil(TOTAL / WRITE_EVERY);
  expect(written).toHaveLength(writes);

  // No write lost: every name is in the latest version, and each write made its own version.
  const names = new Set((await s.api('GET', s.script(W, '/secrets'))).json.result.map((x: { name: string }) => x.name));
  const missing = written.filter((n) => !names.has(n));
  expect(missing).toEqual([]);
  expect(names.size).toBe(writes + 1);
  const versions = await s.api('GET', s.script(W, '/versions?per_page=1'));
  expect(versions.json.result_info.total_count).toBe(writes + 1);
  // The same store, read by the CLI.
  const cli = await s.project.run(['secret', 'list', '--name', W, '--json']);
  expect(cli.code).toBe(0);
  expect(cli.json().secrets).toHaveLength(writes + 1);
  expect(cli.all).not.toContain('value-');
  expect(elapsed).toBeLessThan(DEADLINE_MS);
  console.log(`load: ${TOTAL} requests (${writes} writes) from ${CLIENTS} clients in ${elapsed} ms`);
});
