/** Shared pieces of the cloudflare backend tests. */
import { afterAll, beforeAll, beforeEach, expect } from 'vitest';
import { makeProject, type Project } from '../helpers/cli.js';
import { ACCOUNT, FakeApi, TOKEN, type Recorded } from './fake-api.js';
import { check, checkPathParams, checkQuery, findOperation } from './schema.js';

/** A project whose runs talk to `api` with `--backend cloudflare` (fast retries, short timeout). */
export function cfProject(api: FakeApi, env: Record<string, string> = {}): Project {
  return makeProject({}, {
    CLOUDFLARE_API_BASE_URL: api.base,
    CLOUDFLARE_API_TOKEN: TOKEN,
    CLOUDFLARE_ACCOUNT_ID: ACCOUNT,
    MYCLI_HTTP_RETRY_DELAY_MS: '5',
    MYCLI_HTTP_TIMEOUT: '5',
    ...env,
  });
}

export const cf = (...argv: string[]) => ['--backend', 'cloudflare', ...argv];

/** One line per request: "METHOD /path?query" (account prefix shortened to /A). */
export function lines(requests: Recorded[]): string[] {
  return requests.map((r) => `${r.method} ${r.path.replace(`/accounts/${ACCOUNT}`, '/A')}${r.query.size ? `?${r.query}` : ''}`);
}

/**
 * Every recorded request matches an operation of the OpenAPI subset: path parameters, query
 * parameters, content type and body schema; and carries our User-Agent and credentials.
 */
export function expectValidRequests(requests: Recorded[]): void {
  expect(requests.length).toBeGreaterThan(0);
  for (const r of requests) {
    const found = findOperation(r.method, r.path);
    expect(found, `${r.method} ${r.path} is not an operation of the OpenAPI subset`).toBeDefined();
    const { op, params } = found!;
    const problems = [...checkPathParams(op, params), ...checkQuery(op, r.query)];
    expect(r.headers['user-agent']).toMatch(/^mycli\/\d+\.\d+\.\d+/);
    expect(r.headers.authorization ?? r.headers['x-auth-key']).toBeTruthy();
    if (op.requestBody) {
      const type = String(r.headers['content-type'] ?? '').split(';')[0].trim();
      const media = op.requestBody.content[type];
      expect(media, `${op.method} ${op.path}: content type ${type} is not one of ${Object.keys(op.requestBody.content)}`).toBeDefined();
      if (type === 'multipart/form-data') {
        expect(r.parts?.some((p) => p.name === 'metadata'), 'multipart has a metadata part').toBe(true);
        const md = r.parts!.find((p) => p.name === 'metadata')!;
        expect(md.contentType).toBe(media.encoding?.metadata?.contentType ?? 'application/json');
        problems.push(...check(media.schema.properties.metadata, r.json, '$.metadata'));
        const allowed = (media.encoding?.['<any part name>']?.contentType ?? '').split(/,\s*/);
        for (const p of r.parts!.filter((x) => x.name !== 'metadata')) {
          expect(allowed, `part ${p.name} content type`).toContain(p.contentType);
        }
      } else {
        expect(r.json, `${op.method} ${op.path}: body is JSON`).toBeDefined();
        problems.push(...check(media.schema, r.json));
      }
    } else {
      expect(r.body.length, `${r.method} ${r.path} sends no body`).toBe(0);
    }
    expect(problems, `${r.method} ${r.path}`).toEqual([]);
  }
}

/** Nothing printed (stdout, stderr, debug) contains any of the given texts. */
export function expectNotPrinted(output: string, ...texts: string[]): void {
  for (const t of texts) expect(output.includes(t), `printed a secret/credential: ${t.slice(0, 3)}…`).toBe(false);
}

/** A fake Cloudflare API on 127.0.0.1 for a test file: started once, reset and seeded before each test. */
export function useFakeApi(): FakeApi {
  const api = new FakeApi();
  beforeAll(async () => {
    await api.start();
  });
  afterAll(async () => {
    await api.stop();
  });
  beforeEach(() => {
    api.reset();
    api.workers.clear();
    api.seed('my-worker', { OLD_SECRET: 'old-secret-value-123' });
  });
  return api;
}
