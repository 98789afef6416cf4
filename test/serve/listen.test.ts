import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { makeProject } from '../helpers/cli.js';

describe('mycli serve cannot listen', () => {
  it('a port in use: a clear error naming the port and --port (exit 1), under --json too', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    try {
      const p = makeProject({}, { MYCLI_SERVE_TOKEN: 'listen-test-token-123' });
      const r = await p.run(['serve', '--port', String(port)]);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(new RegExp(`cannot listen on 127\\.0\\.0\\.1:${port}: the port is already in use`));
      expect(r.stderr).toMatch(/hint: pick another with --port/);
      expect(r.all).not.toMatch(/unexpected failure/);
      const j = await p.run(['serve', '--port', String(port), '--json']);
      expect(j.code).toBe(1);
      expect(j.json().error.code).toBe('failed');
    } finally {
      blocker.close();
    }
  });
});

describe('mycli serve cannot write its request log', () => {
  it('MYCLI_SERVE_LOG in a folder that does not exist: exit 2 before listening, naming the variable (not a silent serve without a log)', async () => {
    const p = makeProject({}, { MYCLI_SERVE_TOKEN: 'listen-test-token-123', MYCLI_SERVE_LOG: 'no/such/dir/requests.jsonl' });
    const r = await p.run(['serve', '--port', '0']);
    expect(r.code, r.all).toBe(2);
    expect(r.stderr).toMatch(/cannot write MYCLI_SERVE_LOG .*no\/such\/dir\/requests\.jsonl/);
    expect(r.stdout).not.toMatch(/http:\/\//);
  });
});
