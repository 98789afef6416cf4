/**
 * Two `mycli serve` servers in one process (as the contract suite runs them) keep their own
 * in-memory state: what one is told about script settings or workers.dev is not seen by the other,
 * even over the same folder.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_PREFIX, DEFAULT_ACCOUNT, startServer, type RunningServer } from '../../src/serve/server.js';

const TOKEN = 'context-test-token-0123456789';
const env = { MYCLI_LOCAL_KEY: 'd'.repeat(64), MYCLI_AUTHOR: 'ctx' };
let dir: string;
let a: RunningServer;
let b: RunningServer;

async function call(srv: RunningServer, method: string, path: string, body?: unknown) {
  const res = await fetch(new URL(`${API_PREFIX}/accounts/${DEFAULT_ACCOUNT.id}/workers/scripts/${path}`, srv.url), {
    method,
    headers: { authorization: `Bearer ${TOKEN}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    body: body !== undefined ? JSON.stringify(body) : undefined,
  });
  const json = (await res.json()) as { success: boolean; result: any };
  expect(res.status, JSON.stringify(json)).toBe(200);
  return json.result;
}

describe('mycli serve: state per server', () => {
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mycli-serve-ctx-'));
    a = await startServer({ projectDir: dir, token: TOKEN, env, host: '127.0.0.1', port: 0 });
    b = await startServer({ projectDir: dir, token: TOKEN, env, host: '127.0.0.1', port: 0 });
    // One Worker in the shared folder, so both servers see it.
    await call(a, 'PATCH', 'ctx-worker/settings', { bindings: [{ type: 'plain_text', name: 'GREETING', text: 'hello' }] });
  });
  afterAll(async () => {
    await Promise.all([a?.close(), b?.close()]);
    rmSync(dir, { recursive: true, force: true });
  });

  it('both servers see the Worker of the folder they serve', async () => {
    const onB = await call(b, 'GET', 'ctx-worker/settings');
    expect(onB.bindings).toEqual([{ type: 'plain_text', name: 'GREETING', text: 'hello' }]);
  });

  it('script settings set on one server are not seen on the other', async () => {
    const set = await call(a, 'PATCH', 'ctx-worker/script-settings', { logpush: true });
    expect(set.logpush).toBe(true);
    expect((await call(a, 'GET', 'ctx-worker/script-settings')).logpush).toBe(true);
    expect((await call(b, 'GET', 'ctx-worker/script-settings')).logpush).toBe(false);
  });

  it('a workers.dev setting made on one server is not seen on the other', async () => {
    await call(a, 'POST', 'ctx-worker/subdomain', { enabled: false });
    expect((await call(a, 'GET', 'ctx-worker/subdomain')).enabled).toBe(false);
    expect((await call(b, 'GET', 'ctx-worker/subdomain')).enabled).toBe(true);
  });
});
