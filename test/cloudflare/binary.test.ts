/**
 * The built binary (bin/mycli.js, bundled by scripts/build.mjs) with `--backend cloudflare`
 * against the real HTTP fake: catches what only the bundle can break (how node:http and, for
 * proxies, undici are loaded), checks that the process exits promptly after talking to the API,
 * and that the direct path loads neither undici nor zod (the start-up budget of issue 3).
 */
import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { TOKEN } from './fake-api.js';
import { cfProject, expectNotPrinted, useFakeApi } from './helpers.js';
import { loadRecorder, MARKERS } from '../helpers/loaded.js';

const BIN = fileURLToPath(new URL('../../bin/mycli.js', import.meta.url));
const api = useFakeApi();

/** Run the binary without blocking this process (the fake server lives here). */
function runBin(
  argv: string[],
  o: { cwd: string; env: Record<string, string>; stdin?: string; nodeArgs?: string[] },
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [...(o.nodeArgs ?? []), BIN, ...argv], { cwd: o.cwd, env: { PATH: process.env.PATH ?? '', ...o.env }, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    // A safety net only: a binary that does not exit (a socket left open) is killed and fails.
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(o.stdin ?? '');
  });
}

const UNDICI = MARKERS.undici;
const ZOD = MARKERS.zod;

describe('the built binary with --backend cloudflare', () => {
  it('secret put then list, with --debug: works, exits promptly, prints no secret or token', async () => {
    const p = cfProject(api);
    const put = await runBin(['secret', 'put', 'API_KEY', '--backend', 'cloudflare', '--json', '--debug'], { cwd: p.dir, env: p.env, stdin: 'binary-s3cret-value\n' });
    expect(put.code, put.stderr).toBe(0);
    expect(JSON.parse(put.stdout).versionId).toBe(api.latest(api.workers.get('my-worker')!)!.id);
    expect(api.requests.find((r) => r.method === 'PUT')!.headers['user-agent']).toMatch(/^mycli\/\d+\.\d+\.\d+$/);
    const list = await runBin(['secret', 'list', '--backend', 'cloudflare', '--json'], { cwd: p.dir, env: p.env });
    expect(list.code, list.stderr).toBe(0);
    expect(JSON.parse(list.stdout).secrets.map((s: { name: string }) => s.name)).toEqual(['API_KEY', 'OLD_SECRET']);
    expectNotPrinted(put.stdout + put.stderr + list.stdout + list.stderr, 'binary-s3cret-value', TOKEN, 'old-secret-value-123');
  });

  it('without a proxy: node:http, and neither undici nor zod is loaded', async () => {
    const p = cfProject(api);
    const rec = loadRecorder();
    const list = await runBin(['secret', 'list', '--backend', 'cloudflare', '--json'], { cwd: p.dir, env: p.env, nodeArgs: rec.nodeArgs });
    expect(list.code, list.stderr).toBe(0);
    expect(JSON.parse(list.stdout).secrets.map((s: { name: string }) => s.name)).toEqual(['OLD_SECRET']);
    expect(rec.loaded(UNDICI), 'undici was loaded').toBe(false);
    expect(rec.loaded(ZOD), 'zod was loaded').toBe(false);
  });

  it('through HTTPS_PROXY/HTTP_PROXY (the proxy agent loads in the bundle too)', async () => {
    const { createServer } = await import('node:http');
    const net = await import('node:net');
    let tunnels = 0;
    const proxy = createServer((_q, s) => s.writeHead(405).end());
    proxy.on('connect', (req, client, head) => {
      tunnels++;
      const [host, port] = String(req.url).split(':');
      const up = net.connect(Number(port), host, () => {
        client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        up.write(head);
        up.pipe(client);
        client.pipe(up);
      });
      up.on('error', () => client.destroy());
      client.on('error', () => up.destroy());
    });
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', () => r()));
    try {
      const p = cfProject(api, { HTTP_PROXY: `http://127.0.0.1:${(proxy.address() as { port: number }).port}` });
      const rec = loadRecorder();
      const r = await runBin(['secret', 'list', '--backend', 'cloudflare', '--json'], { cwd: p.dir, env: p.env, nodeArgs: rec.nodeArgs });
      expect(r.code, r.stderr).toBe(0);
      expect(tunnels).toBe(1);
      expect(rec.loaded(UNDICI), 'undici (the proxy agent) was loaded').toBe(true);
    } finally {
      proxy.closeAllConnections();
      await new Promise<void>((r) => proxy.close(() => r()));
    }
  });
});
