/**
 * The Cloudflare protocol in few round trips, and an API answer that cannot hurt: every write
 * sends at most 2 requests (the write as wrangler sends it, then one read for the version it
 * made); an answer past 16 MiB is refused after reading at most that much; a redirect is never
 * followed and never success, whatever its body says. Real HTTP servers on 127.0.0.1.
 */
import { createServer, type Server } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { ACCOUNT, TOKEN } from './fake-api.js';
import { cf, cfProject, expectNotPrinted, expectValidRequests, lines, useFakeApi } from './helpers.js';
import { makeProject } from '../helpers/cli.js';

const api = useFakeApi();
const VALUE = 'protocol-secret-value-7Hq2';
const worker = () => api.workers.get('my-worker')!;

describe('every write in at most 2 requests, still reporting the version it made', () => {
  const writes: [string, string[], string | undefined, string[]][] = [
    ['secret put', ['secret', 'put', 'API_KEY'], VALUE, ['PUT /A/workers/scripts/my-worker/secrets', 'GET /A/workers/scripts/my-worker/versions?per_page=1']],
    ['secret delete', ['secret', 'delete', 'OLD_SECRET', '--yes'], undefined, ['DELETE /A/workers/scripts/my-worker/secrets/OLD_SECRET?url_encoded=true', 'GET /A/workers/scripts/my-worker/versions?per_page=1']],
    ['secret bulk', ['secret', 'bulk'], JSON.stringify({ A_KEY: VALUE, B_KEY: VALUE + '-b' }), ['PATCH /A/workers/scripts/my-worker/secrets-bulk', 'GET /A/workers/scripts/my-worker/versions?per_page=1']],
    ['versions secret put', ['versions', 'secret', 'put', 'API_KEY'], VALUE, ['PATCH /A/workers/workers/my-worker/versions/latest']],
    ['versions secret delete', ['versions', 'secret', 'delete', 'OLD_SECRET', '--yes'], undefined, ['GET /A/workers/scripts/my-worker/secrets', 'PATCH /A/workers/workers/my-worker/versions/latest']],
    ['versions secret bulk', ['versions', 'secret', 'bulk'], `A_KEY=${VALUE}\nB_KEY="${VALUE}-b"\n`, ['PATCH /A/workers/workers/my-worker/versions/latest']],
  ];
  it.each(writes)('%s', async (_label, argv, stdin, expected) => {
    const r = await cfProject(api).run(cf(...argv, '--json'), stdin === undefined ? {} : { stdin });
    expect(r.code, r.stderr).toBe(0);
    expect(lines(api.requests)).toEqual(expected);
    expect(api.requests.length).toBeLessThanOrEqual(2);
    expectValidRequests(api.requests);
    const newest = api.latest(worker())!;
    expect(newest.number).toBe(2);
    const doc = r.json();
    expect(doc.versionId).toBe(newest.id);
    expect(doc.version).toEqual({ id: newest.id, number: 2 });
    expectNotPrinted(r.all, VALUE, TOKEN, 'old-secret-value-123');
  });

  it('versions secret bulk with one delete: the list bulk makes is reused, 2 requests', async () => {
    const r = await cfProject(api).run(cf('versions', 'secret', 'bulk', '--json', '--yes'), { stdin: JSON.stringify({ OLD_SECRET: null }) });
    expect(r.code, r.stderr).toBe(0);
    expect(lines(api.requests)).toEqual(['GET /A/workers/scripts/my-worker/secrets', 'PATCH /A/workers/workers/my-worker/versions/latest']);
    expect(r.json().changes).toEqual([{ name: 'OLD_SECRET', action: 'deleted' }]);
  });

  it('secret put during a gradual rollout: the API refuses (10215), exit 5, nothing changed; only then two reads tell which case', async () => {
    const w = worker();
    const v1 = api.latest(w)!;
    const v2 = api.addVersion(w, v1.bindings, 'upload', {});
    api.addDeployment(w, [{ version_id: v1.id, percentage: 90 }, { version_id: v2.id, percentage: 10 }], 'deployment', {});
    const r = await cfProject(api).run(cf('secret', 'put', 'API_KEY', '--json'), { stdin: VALUE });
    expect(r.code).toBe(5);
    expect(r.json().error).toMatchObject({ code: 'gradual_rollout', apiCode: 10215 });
    expect(r.json().error.message).toMatch(/a gradual rollout is in progress on Worker "my-worker" \(version \d+ at 90%, version \d+ at 10%\)/);
    expect(r.json().error.hint).toMatch(/`mycli versions secret put API_KEY --backend cloudflare` makes the change .*or end the rollout with `mycli versions deploy \d+@100% --backend cloudflare`/);
    expect(api.requests.map((x) => x.method)).toEqual(['PUT', 'GET', 'GET']);
    expect(api.latest(w)!.id).toBe(v2.id);
    expectNotPrinted(r.all, VALUE, TOKEN);
  });

  it('secret put after an upload not deployed: 10215 too, but told apart (latest_not_deployed) with both ways out', async () => {
    const w = worker();
    const v1 = api.latest(w)!;
    const v2 = api.addVersion(w, v1.bindings, 'upload', {});
    const r = await cfProject(api).run(cf('secret', 'put', 'API_KEY', '--json'), { stdin: VALUE });
    expect(r.code).toBe(5);
    const { error } = r.json();
    expect(error).toMatchObject({ code: 'latest_not_deployed', apiCode: 10215 });
    expect(error.message).toMatch(/is not the one fully deployed \(live: version \d+ at 100%\); no rollout is in progress/);
    expect(error.hint).toContain(`\`mycli versions deploy ${v2.number}@100% --backend cloudflare\``);
    expect(error.hint).toContain('`mycli versions secret put API_KEY --backend cloudflare`');
    expect(api.latest(w)!.id).toBe(v2.id);
    expectNotPrinted(r.all, VALUE, TOKEN);
  });

  it('reads stay where they are: secret list 1, versions list / view / deployments status at most 2', async () => {
    const id = api.latest(worker())!.id;
    for (const [argv, most] of [[['secret', 'list'], 1], [['versions', 'list'], 2], [['versions', 'view', id], 2], [['deployments', 'status'], 2]] as const) {
      api.requests = [];
      const r = await cfProject(api).run(cf(...argv, '--json'));
      expect(r.code, r.stderr).toBe(0);
      expect(api.requests.length, argv.join(' ')).toBeLessThanOrEqual(most);
    }
  });
});

describe('redirects', () => {
  it('a 301 carrying a success envelope is an error, and is not followed', async () => {
    const envelope = JSON.stringify({ success: true, errors: [], messages: [], result: [{ name: 'FAKE', type: 'secret_text' }] });
    api.fault = () => ({ status: 301, headers: { 'content-type': 'application/json', location: `${api.base}/accounts/${ACCOUNT}/elsewhere?token=abc` }, body: envelope });
    const r = await cfProject(api).run(cf('secret', 'list', '--json'));
    expect(r.code).toBe(1);
    const doc = r.json();
    expect(doc.error.message).toMatch(/redirect \(HTTP 301/);
    expect(doc.error.message).toMatch(/does not follow redirects/);
    expect(doc.error.message).not.toContain('token=abc');
    expect(r.stdout).not.toContain('FAKE');
    expect(api.requests).toHaveLength(1);
  });

  it('a redirected write is not taken as done', async () => {
    api.fault = (rec) => (rec.method === 'PUT' ? { status: 302, headers: { location: '/somewhere' }, body: JSON.stringify({ success: true, errors: [], messages: [], result: {} }) } : undefined);
    const r = await cfProject(api).run(cf('secret', 'put', 'API_KEY'), { stdin: VALUE });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/redirect \(HTTP 302/);
    expect(r.stderr).not.toMatch(/✓/);
    expect(api.requests.map((x) => x.method)).toEqual(['PUT']);
    expectNotPrinted(r.all, VALUE, TOKEN);
  });
});

describe('bounded responses', () => {
  let server: Server | undefined;
  afterEach(async () => {
    await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
    server = undefined;
  });

  /** A server whose every answer is a 200 JSON body of up to `total` bytes, streamed as fast as read. */
  async function streamingServer(total: number, declare: boolean): Promise<{ base: string; sent: () => number; closed: Promise<void> }> {
    let sent = 0;
    let closedResolve!: () => void;
    const closed = new Promise<void>((r) => (closedResolve = r));
    server = createServer(async (req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', ...(declare ? { 'content-length': String(total) } : {}) });
      const chunk = Buffer.alloc(64 * 1024, 0x20);
      let gone = false;
      res.on('close', () => {
        gone = true;
        closedResolve();
      });
      res.write('{"success":true,"errors":[],"messages":[],"result":"');
      while (!gone && sent < total) {
        sent += chunk.length;
        if (!res.write(chunk)) await new Promise((r) => { res.once('drain', r); res.once('close', r); });
      }
      if (!gone) res.end('"}');
    });
    server.on('connection', (s) => s.on('close', () => closedResolve()));
    await new Promise<void>((r) => server!.listen(0, '127.0.0.1', () => r()));
    const port = (server.address() as { port: number }).port;
    return { base: `http://127.0.0.1:${port}/client/v4`, sent: () => sent, closed };
  }

  it('a 600 MB answer is refused with a typed error after reading at most the bound, without a crash', async () => {
    const s = await streamingServer(600 * 1024 * 1024, false);
    const p = makeProject({}, { CLOUDFLARE_API_BASE_URL: s.base, CLOUDFLARE_API_TOKEN: TOKEN, CLOUDFLARE_ACCOUNT_ID: ACCOUNT, MYCLI_HTTP_TIMEOUT: '120' });
    const r = await p.run(cf('secret', 'list', '--json'));
    expect(r.code).toBe(1);
    const doc = r.json();
    expect(doc.error.message).toMatch(/larger than 16 MiB; mycli stopped reading it/);
    expect(r.stderr).not.toMatch(/ERR_STRING_TOO_LONG|\bat .*\.js:\d+/);
    await s.closed;
    // Reading stopped near the bound: far less than the 600 MB on offer (socket buffers aside).
    expect(s.sent()).toBeLessThan(64 * 1024 * 1024);
    expectNotPrinted(r.all, TOKEN);
  });

  it('through a proxy (the undici transport): the same bound, the same typed error', async () => {
    const s = await streamingServer(600 * 1024 * 1024, false);
    const net = await import('node:net');
    const proxy = createServer((_q, res) => res.writeHead(405).end());
    proxy.on('connect', (req, client, head) => {
      const [host, port] = String(req.url).split(':');
      const up = net.connect(Number(port), host, () => {
        client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        up.write(head);
        up.pipe(client);
        client.pipe(up);
      });
      up.on('error', () => client.destroy());
      client.on('error', () => up.destroy());
      client.on('close', () => up.destroy());
    });
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', () => r()));
    try {
      const p = makeProject({}, {
        CLOUDFLARE_API_BASE_URL: s.base,
        CLOUDFLARE_API_TOKEN: TOKEN,
        CLOUDFLARE_ACCOUNT_ID: ACCOUNT,
        MYCLI_HTTP_TIMEOUT: '120',
        HTTP_PROXY: `http://127.0.0.1:${(proxy.address() as { port: number }).port}`,
      });
      const r = await p.run(cf('secret', 'list', '--json'));
      expect(r.code).toBe(1);
      expect(r.json().error.message).toMatch(/larger than 16 MiB; mycli stopped reading it/);
      await s.closed;
      expect(s.sent()).toBeLessThan(64 * 1024 * 1024);
    } finally {
      proxy.closeAllConnections();
      await new Promise<void>((r) => proxy.close(() => r()));
    }
  });

  it('a declared Content-Length past the bound is refused before the body is read', async () => {
    const s = await streamingServer(600 * 1024 * 1024, true);
    const p = makeProject({}, { CLOUDFLARE_API_BASE_URL: s.base, CLOUDFLARE_API_TOKEN: TOKEN, CLOUDFLARE_ACCOUNT_ID: ACCOUNT, MYCLI_HTTP_TIMEOUT: '120' });
    const r = await p.run(cf('secret', 'list'));
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/larger than 16 MiB/);
    await s.closed;
    expect(s.sent()).toBeLessThan(64 * 1024 * 1024);
  });
});
