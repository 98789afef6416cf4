/**
 * A real HTTP server that misbehaves on purpose: transient faults end in success, permanent ones
 * in the right exit code and message, the deployment POST is never blindly repeated, and no
 * output (stdout, stderr, --debug) ever contains the token or a secret value.
 */
import { describe, expect, it } from 'vitest';
import { ACCOUNT, TOKEN, type Fault, type Recorded } from './fake-api.js';
import { cf, cfProject, expectNotPrinted, lines, useFakeApi } from './helpers.js';
import { createCloudflareBackend } from '../../src/backends/cloudflare/backend.js';
import { SecretsChangedError, GradualRolloutError } from '../../src/errors.js';

const api = useFakeApi();

const SECRET = 'fault-s3cret-v4lue';
const worker = () => api.workers.get('my-worker')!;
const envelope = (code: number, message: string) => JSON.stringify({ success: false, errors: [{ code, message }], messages: [], result: null });
const json = (status: number, body: string, headers: Record<string, string> = {}): Fault => ({ status, body, headers: { 'content-type': 'application/json', ...headers } });
const html = (status: number, title: string): Fault => ({
  status,
  headers: { 'content-type': 'text/html; charset=UTF-8', 'cf-ray': '8a1b2c3d4e5f-LHR' },
  body: `<!DOCTYPE html><html><head><title>${title}</title></head><body><h1>${title}</h1></body></html>`,
});
/** Fault the first `times` requests that match, then behave. */
function first(times: number, match: (r: Recorded) => boolean, fault: Fault): (r: Recorded) => Fault {
  let n = 0;
  return (r) => (match(r) && n++ < times ? fault : undefined);
}
const isGet = (r: Recorded) => r.method === 'GET';
const isDeployPost = (r: Recorded) => r.method === 'POST' && r.path.endsWith('/deployments');

describe('transient faults end in success', () => {
  it('429 with Retry-After (seconds) is honoured, then success', async () => {
    api.fault = first(1, isGet, json(429, envelope(971, 'Please wait and consider throttling your request speed'), { 'retry-after': '1' }));
    const started = Date.now();
    const r = await cfProject(api).run(cf('secret', 'list', '--json', '--debug'));
    expect(r.code, r.stderr).toBe(0);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(api.requests).toHaveLength(2);
    expect(r.stderr).toMatch(/retrying in (9\d\d|1000) ms/);
    expectNotPrinted(r.all, TOKEN, 'old-secret-value-123');
  });

  it('503 then success', async () => {
    api.fault = first(2, isGet, json(503, envelope(10013, 'Service unavailable')));
    const r = await cfProject(api).run(cf('secret', 'list', '--json'));
    expect(r.code, r.stderr).toBe(0);
    expect(api.requests).toHaveLength(3);
    expect(r.json().secrets).toEqual([{ name: 'OLD_SECRET', type: 'secret_text' }]);
  });

  it('a reset connection then success (GET)', async () => {
    api.fault = first(1, isGet, 'reset');
    const r = await cfProject(api).run(cf('secret', 'list', '--json'));
    expect(r.code, r.stderr).toBe(0);
    expect(api.requests).toHaveLength(2);
  });

  it('an HTML 502 from a proxy then success', async () => {
    api.fault = first(1, isGet, html(502, 'Bad gateway'));
    const r = await cfProject(api).run(cf('deployments', 'list', '--json'));
    expect(r.code, r.stderr).toBe(0);
    expect(api.requests).toHaveLength(2);
  });

  it('a reset on the secret PUT is retried (PUT is idempotent) and the value stays unprinted', async () => {
    api.fault = first(1, (r) => r.method === 'PUT', 'reset');
    const r = await cfProject(api).run(cf('secret', 'put', 'API_KEY', '--json', '--debug'), { stdin: SECRET });
    expect(r.code, r.stderr).toBe(0);
    expect(api.requests.filter((x) => x.method === 'PUT')).toHaveLength(2);
    expect(api.secretsOf(api.latest(worker())).get('API_KEY')).toBe(SECRET);
    expectNotPrinted(r.all, SECRET, TOKEN);
  });

  it('a DELETE whose answer was lost and whose retry finds nothing counts as done', async () => {
    api.fault = first(1, (r) => r.method === 'DELETE', 'reset-after');
    const r = await cfProject(api).run(cf('secret', 'delete', 'OLD_SECRET', '--yes', '--json'));
    expect(r.code, r.stderr).toBe(0);
    expect(api.requests.filter((x) => x.method === 'DELETE')).toHaveLength(2);
    expect(api.secretsOf(api.latest(worker())).has('OLD_SECRET')).toBe(false);
  });
});

describe('permanent faults: exit code and a clear one-line message', () => {
  it('503 forever: bounded attempts, exit 1', async () => {
    api.fault = () => json(503, envelope(10013, 'Service unavailable'));
    const r = await cfProject(api).run(cf('secret', 'list'));
    expect(r.code).toBe(1);
    expect(api.requests).toHaveLength(4);
    expect(r.stderr).toMatch(/gave up after 4 attempts/);
  });

  it('a response that never comes: a timeout error, not retried', async () => {
    // The server never answers: without the 0.3 s timeout this run would hang until the test's
    // own timeout (a safety net) fails it. No assertion on elapsed time: the machine is shared.
    api.fault = () => 'hang';
    const r = await cfProject(api, { MYCLI_HTTP_TIMEOUT: '0.3' }).run(cf('secret', 'list', '--json'));
    expect(r.code).toBe(1);
    expect(api.requests).toHaveLength(1);
    const err = r.json().error;
    expect(err.message).toBe(`no answer from 127.0.0.1:${api.port} within 0.3 s (GET /client/v4/accounts/${ACCOUNT}/workers/scripts/my-worker/secrets)`);
    expect(err.hint).toMatch(/MYCLI_HTTP_TIMEOUT/);
  });

  it('a WAF block (403 with an HTML page): exit 1, one line, not retried', async () => {
    api.fault = () => html(403, 'Attention Required! | Cloudflare');
    const r = await cfProject(api).run(cf('secret', 'list'));
    expect(r.code).toBe(1);
    expect(api.requests).toHaveLength(1);
    const line = r.stderr.split('\n').find((l) => l.startsWith('error:'))!;
    expect(line).toBe('error: the request was blocked: HTTP 403 with an HTML page instead of the API\'s JSON ("Attention Required! | Cloudflare", cf-ray 8a1b2c3d4e5f-LHR)');
    expect(r.stderr).toMatch(/hint: .*firewall/);
  });

  it('an HTML body with 200: exit 1, clear message', async () => {
    api.fault = () => html(200, 'Captive portal');
    const r = await cfProject(api).run(cf('secret', 'list'));
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/HTTP 200 with an HTML page/);
  });

  it('a refused connection: exit 1 naming CLOUDFLARE_API_BASE_URL', async () => {
    const r = await cfProject(api, { CLOUDFLARE_API_BASE_URL: 'http://127.0.0.1:9/client/v4', MYCLI_HTTP_MAX_ATTEMPTS: '2' }).run(cf('secret', 'list'));
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/cannot connect to 127\.0\.0\.1:9: connection refused/);
    expect(r.stderr).toMatch(/CLOUDFLARE_API_BASE_URL/);
  });

  const CODES: { code: number; status: number; argv: string[]; stdin?: string; exit: number; message: RegExp; hint?: RegExp }[] = [
    { code: 10000, status: 403, argv: ['secret', 'list'], exit: 4, message: /refused the credentials: Authentication error/, hint: /CLOUDFLARE_API_TOKEN/ },
    { code: 9106, status: 400, argv: ['secret', 'list'], exit: 4, message: /Missing X-Auth-Key/, hint: /CLOUDFLARE_API_TOKEN/ },
    { code: 10007, status: 404, argv: ['secret', 'list'], exit: 3, message: /Worker "my-worker" not found/, hint: /wrangler deploy/ },
    { code: 10215, status: 400, argv: ['secret', 'put', 'API_KEY'], stdin: SECRET, exit: 5, message: /is not fully deployed \(a gradual rollout may be in progress\)/, hint: /versions secret put/ },
    { code: 10220, status: 400, argv: ['versions', 'rollback', '--yes'], exit: 5, message: /differ from the live version's: API_KEY, DB_URL/, hint: /--yes/ },
    { code: 10021, status: 400, argv: ['secret', 'list'], exit: 1, message: /the Cloudflare API refused GET .*: Something specific went wrong/ },
  ];
  for (const c of CODES) {
    it(`success:false with ${c.code} -> exit ${c.exit}`, async () => {
      const messages: Record<number, string> = {
        10000: 'Authentication error',
        9106: 'Missing X-Auth-Key, X-Auth-Email or Authorization headers',
        10007: 'This Worker does not exist on your account.',
        10215: "Secret edit failed. The latest version isn't currently deployed.",
        10220: 'A deployment could not be created because the following secrets have changed since the target version: API_KEY, DB_URL',
        10021: 'Something specific went wrong',
      };
      if (c.code === 10220) {
        // A second version so that rollback has a target; every deployment POST is refused.
        const w = worker();
        const v2 = api.addVersion(w, api.latest(w)!.bindings, 'upload', {});
        api.addDeployment(w, [{ version_id: v2.id, percentage: 100 }], 'deployment', {});
      }
      const writes = (r: Recorded) => (c.code === 10220 ? isDeployPost(r) : c.code === 10215 ? r.method === 'PUT' : true);
      api.fault = (r) => (writes(r) ? json(c.status, envelope(c.code, messages[c.code])) : undefined);
      const r = await cfProject(api).run(cf(...c.argv, '--debug'), { stdin: c.stdin });
      expect(r.code, r.stderr).toBe(c.exit);
      expect(r.stderr).toMatch(c.message);
      if (c.hint) expect(r.stderr).toMatch(c.hint);
      expect(r.stderr).toContain(`(API error code ${c.code})`);
      if (c.code === 10220) {
        // Refused, confirmed with --yes, resent once with force=true, refused again: exit 5.
        expect(api.requests.filter(isDeployPost).map((x) => x.query.get('force'))).toEqual([null, 'true']);
      }
      expectNotPrinted(r.all, TOKEN, SECRET, 'old-secret-value-123');
      // JSON errors carry the code too.
      const j = await cfProject(api).run(cf(...c.argv, '--json'), { stdin: c.stdin });
      expect(j.json().error).toMatchObject({ apiCode: c.code, exitCode: c.exit });
      if (c.code === 10220) expect(j.json().error.secrets).toEqual(['API_KEY', 'DB_URL']);
    });
  }
});

describe('the deployment POST is never blindly repeated', () => {
  function setup() {
    const w = worker();
    const v1 = api.latest(w)!;
    const v2 = api.addVersion(w, v1.bindings, 'upload', {});
    return { w, v1, v2 };
  }

  it('answer lost after the server made it (reset): read back, found, success; one POST', async () => {
    const { w, v2 } = setup();
    api.fault = first(1, isDeployPost, 'reset-after');
    const r = await cfProject(api).run(cf('versions', 'deploy', `${v2.id}@100%`, '--yes', '--json', '--debug'));
    expect(r.code, r.stderr).toBe(0);
    expect(api.requests.filter(isDeployPost)).toHaveLength(1);
    expect(r.json().deployment.id).toBe(api.live(w)!.id);
    expect(r.stderr).toMatch(/reading the deployments back/);
  });

  it('500 after the server made it: read back, found, success; one POST', async () => {
    const { w, v2 } = setup();
    api.fault = first(1, isDeployPost, '500-after');
    const r = await cfProject(api).run(cf('versions', 'deploy', `${v2.id}@100%`, '--yes', '--json'));
    expect(r.code, r.stderr).toBe(0);
    expect(api.requests.filter(isDeployPost)).toHaveLength(1);
    expect(r.json().deployment.id).toBe(api.live(w)!.id);
  });

  it('connection reset before the server acted: nothing appeared, exit 1, one POST', async () => {
    const { w, v2 } = setup();
    const before = w.deployments.length;
    api.fault = first(1, isDeployPost, 'reset');
    const r = await cfProject(api).run(cf('versions', 'deploy', `${v2.id}@100%`, '--yes'));
    expect(r.code).toBe(1);
    expect(api.requests.filter(isDeployPost)).toHaveLength(1);
    expect(w.deployments).toHaveLength(before);
    expect(r.stderr).toMatch(/closed before the answer arrived.*most likely not made/);
    expect(r.stderr).toMatch(/deployments status/);
  });

  it('503 on the POST: not repeated, exit 1', async () => {
    const { v2 } = setup();
    api.fault = (r) => (isDeployPost(r) ? json(503, envelope(10013, 'Service unavailable')) : undefined);
    const r = await cfProject(api).run(cf('versions', 'deploy', `${v2.id}@100%`, '--yes'));
    expect(r.code).toBe(1);
    expect(api.requests.filter(isDeployPost)).toHaveLength(1);
  });

  it('a deployment with the same split made earlier by someone else is not mistaken for ours', async () => {
    const { w, v2 } = setup();
    api.addDeployment(w, [{ version_id: v2.id, percentage: 100 }], 'deployment', {});
    const v1 = w.versions[0];
    // Deploy v1 back: the POST is lost; the only v1@100% deployment is the old one.
    api.fault = first(1, isDeployPost, 'reset');
    const r = await cfProject(api).run(cf('versions', 'deploy', `${v1.id}@100%`, '--yes'));
    expect(r.code).toBe(1);
    expect(api.requests.filter(isDeployPost)).toHaveLength(1);
  });

  it('429 on the POST is a refusal, not an ambiguity: retried after Retry-After', async () => {
    const { v2 } = setup();
    api.fault = first(1, isDeployPost, json(429, envelope(971, 'rate limited'), { 'retry-after': '0' }));
    const r = await cfProject(api).run(cf('versions', 'deploy', `${v2.id}@100%`, '--yes', '--json'));
    expect(r.code, r.stderr).toBe(0);
    expect(api.requests.filter(isDeployPost)).toHaveLength(2);
  });
});

describe('the backend directly', () => {
  const target = { worker: 'my-worker', projectDir: '/tmp', declared: true };
  const env = () => ({ CLOUDFLARE_API_BASE_URL: api.base, CLOUDFLARE_API_TOKEN: TOKEN, CLOUDFLARE_ACCOUNT_ID: ACCOUNT, MYCLI_HTTP_RETRY_DELAY_MS: '1' });

  it('deploy without force: SecretsChangedError naming the secrets (exit 5)', async () => {
    const b = createCloudflareBackend({ target, env: env() });
    try {
      const v1 = api.latest(worker())!;
      await b.updateSecrets(target, { OLD_SECRET: 'another-value-999' }, { deploy: true });
      const e = await b.deploy(target, { versions: [{ versionId: v1.id, percentage: 100 }] }).catch((x) => x);
      expect(e).toBeInstanceOf(SecretsChangedError);
      expect(e).toMatchObject({ secrets: ['OLD_SECRET'], exitCode: 5, apiCode: 10220 });
      expect(e.message).not.toContain('another-value-999');
      const d = await b.deploy(target, { versions: [{ versionId: v1.id, percentage: 100 }], force: true });
      expect(d.versions).toEqual([{ versionId: v1.id, percentage: 100 }]);
    } finally {
      await b.close();
    }
  });

  it('a secret change during a gradual rollout: GradualRolloutError (10215, exit 5)', async () => {
    const w = worker();
    const v1 = api.latest(w)!;
    const v2 = api.addVersion(w, v1.bindings, 'upload', {});
    api.addDeployment(w, [{ version_id: v2.id, percentage: 10 }, { version_id: v1.id, percentage: 90 }], 'deployment', {});
    const b = createCloudflareBackend({ target, env: env() });
    try {
      const e = await b.updateSecrets(target, { API_KEY: SECRET }, { deploy: true }).catch((x) => x);
      expect(e).toBeInstanceOf(GradualRolloutError);
      expect(e).toMatchObject({ exitCode: 5, apiCode: 10215 });
      // The versioned form works during a rollout.
      const ok = await b.updateSecrets(target, { API_KEY: SECRET }, { deploy: false });
      expect(ok.version?.number).toBe(3);
      expect(ok.deployment).toBeUndefined();
    } finally {
      await b.close();
    }
  });

  it('--debug lines name method, path and status, never the token or a secret value', async () => {
    const debug: string[] = [];
    api.fault = first(1, (r) => r.method === 'PATCH', json(502, envelope(10013, `upstream echoed ${SECRET}`)));
    const b = createCloudflareBackend({ target, env: env(), debug: (l) => debug.push(l) });
    try {
      await b.updateSecrets(target, { A_KEY: SECRET, B_KEY: 'second-secret-456' }, { deploy: true });
    } finally {
      await b.close();
    }
    const text = debug.join('\n');
    expect(text).toMatch(/→ PATCH \/client\/v4\/accounts\/.*\/secrets-bulk/);
    expect(text).toMatch(/← 502 PATCH/);
    expect(text).toMatch(/← 200 PATCH/);
    expect(text).toContain('[redacted]');
    expectNotPrinted(text, TOKEN, SECRET, 'second-secret-456');
  });

  it('close() releases the connections (the server sees them closed) and refuses new requests', async () => {
    const earlier = api.openSockets;
    const b = createCloudflareBackend({ target, env: env() });
    // Two first requests at once share one agent (a second agent would never be closed).
    await Promise.all([b.listSecrets(target), b.listDeployments(target), b.listVersions(target)]);
    const ours = () => [...api.openSockets].filter((s) => !earlier.has(s)).length;
    expect(ours()).toBeGreaterThan(0);
    await b.close();
    // The server sees the close a moment later: wait for it (up to 20 s, a safety net on a busy machine).
    for (let i = 0; i < 2000 && ours() > 0; i++) await new Promise((r) => setTimeout(r, 10));
    expect(ours()).toBe(0);
    await expect(b.listSecrets(target)).rejects.toThrow(/closed/);
  });
});

describe('proxies', () => {
  it('HTTP_PROXY is used (CONNECT through it); NO_PROXY bypasses it', async () => {
    const { createServer } = await import('node:http');
    const net = await import('node:net');
    const tunnels: string[] = [];
    const proxy = createServer((_req, res) => {
      res.writeHead(405);
      res.end();
    });
    proxy.on('connect', (req, client, head) => {
      tunnels.push(String(req.url));
      const [host, port] = String(req.url).split(':');
      const upstream = net.connect(Number(port), host, () => {
        client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        upstream.write(head);
        upstream.pipe(client);
        client.pipe(upstream);
      });
      upstream.on('error', () => client.destroy());
      client.on('error', () => upstream.destroy());
    });
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', () => r()));
    const proxyUrl = `http://127.0.0.1:${(proxy.address() as { port: number }).port}`;
    try {
      const via = await cfProject(api, { HTTP_PROXY: proxyUrl, NO_PROXY: '' }).run(cf('secret', 'list', '--json'));
      expect(via.code, via.stdout + via.stderr).toBe(0);
      expect(tunnels).toEqual([`127.0.0.1:${api.port}`]);
      const direct = await cfProject(api, { HTTP_PROXY: proxyUrl, NO_PROXY: '127.0.0.1' }).run(cf('secret', 'list', '--json'));
      expect(direct.code, direct.stderr).toBe(0);
      expect(tunnels).toHaveLength(1);
    } finally {
      await new Promise<void>((r) => {
        proxy.closeAllConnections();
        proxy.close(() => r());
      });
    }
  });
});

describe('request lines stay the same under faults', () => {
  it('a retried GET is the same request again', async () => {
    api.fault = first(1, isGet, json(500, envelope(10013, 'boom')));
    const r = await cfProject(api).run(cf('secret', 'list'));
    expect(r.code, r.stderr).toBe(0);
    expect(lines(api.requests)).toEqual(['GET /A/workers/scripts/my-worker/secrets', 'GET /A/workers/scripts/my-worker/secrets']);
  });
});
