/**
 * Issue 18 on the cloudflare backend, against the fake API on 127.0.0.1 (every request checked
 * against the OpenAPI subset): secret sync's plan (names on both sides are `set`: the API never
 * returns values, and the plan says so), one PATCH .../secrets-bulk per sync (one version),
 * nothing sent when a dry run; versions upload --secrets-file as the upload's own metadata (one
 * request, no extra version); [secrets] required refusals before any write; types with
 * [secrets] required. No value or credential is ever printed.
 */
import { describe, expect, it } from 'vitest';
import { TOKEN } from './fake-api.js';
import { cf, cfProject, expectNotPrinted, expectValidRequests, lines, useFakeApi } from './helpers.js';

const api = useFakeApi();
const worker = () => api.workers.get('my-worker')!;
const V = { a: 'cf-sync-v4lue-a', b: 'cf-sync-v4lue-b', old: 'old-secret-value-123' };
const printedNothing = (all: string) => expectNotPrinted(all, V.a, V.b, V.old, TOKEN);

describe('secret sync on cloudflare', () => {
  it('the plan: new names added, names on both sides "set" (not compared, and why); a dry run sends only the list', async () => {
    const p = cfProject(api);
    p.write('s.json', JSON.stringify({ OLD_SECRET: V.a, NEW_ONE: V.b }));
    const r = await p.run(cf('secret', 'sync', 's.json', '--dry-run', '--exit-code', '--json'));
    printedNothing(r.all);
    expect(r.code, r.all).toBe(6);
    expect(r.json().plan).toMatchObject({ added: ['NEW_ONE'], set: ['OLD_SECRET'], changed: [], unchanged: [], compared: false });
    expect(r.json().plan.notComparedBecause).toMatch(/the cloudflare backend cannot tell whether a stored value differs/);
    expect(r.stderr).toMatch(/= OLD_SECRET set \(written again: not compared\)/);
    expect(lines(api.requests)).toEqual(['GET /A/workers/scripts/my-worker/secrets']);
    expectValidRequests(api.requests);
    expect(worker().versions).toHaveLength(1);
  });

  it('sync --prune --yes: one PATCH .../secrets-bulk (puts and null deletes), one new version, deployed', async () => {
    const p = cfProject(api);
    p.write('.env.ci', `A=${V.a}\nB=${V.b}\n`);
    const r = await p.run(cf('secret', 'sync', '.env.ci', '--prune', '--yes', '--json'));
    printedNothing(r.all);
    expect(r.code, r.all).toBe(0);
    expect(lines(api.requests)).toEqual([
      'GET /A/workers/scripts/my-worker/secrets',
      'PATCH /A/workers/scripts/my-worker/secrets-bulk',
      'GET /A/workers/scripts/my-worker/versions?per_page=1',
    ]);
    expect(api.requests[1].json).toEqual({
      secrets: { A: { name: 'A', text: V.a, type: 'secret_text' }, B: { name: 'B', text: V.b, type: 'secret_text' }, OLD_SECRET: null },
    });
    expectValidRequests(api.requests);
    expect(worker().versions).toHaveLength(2);
    expect([...api.secretsOf(api.latest(worker())).entries()]).toEqual([
      ['A', V.a],
      ['B', V.b],
    ]);
    expect(r.json()).toMatchObject({ plan: { added: ['A', 'B'], removed: ['OLD_SECRET'] }, deployed: true, versionId: api.latest(worker())!.id });
  });

  it('sync --no-deploy: one PATCH .../versions/latest, the live deployment unchanged', async () => {
    const p = cfProject(api);
    p.write('s.json', JSON.stringify({ A: V.a }));
    const liveBefore = JSON.stringify(worker().deployments);
    const r = await p.run(cf('secret', 'sync', 's.json', '--no-deploy', '--json'));
    printedNothing(r.all);
    expect(r.code, r.all).toBe(0);
    expect(lines(api.requests)).toEqual(['GET /A/workers/scripts/my-worker/secrets', 'PATCH /A/workers/workers/my-worker/versions/latest']);
    expectValidRequests(api.requests);
    expect(JSON.stringify(worker().deployments)).toBe(liveBefore);
    expect(r.json()).toMatchObject({ deployed: false });
  });

  it('a --prune sync refused for lack of --yes sends no write', async () => {
    const p = cfProject(api);
    p.write('s.json', JSON.stringify({ A: V.a }));
    const r = await p.run(cf('secret', 'sync', 's.json', '--prune'));
    printedNothing(r.all);
    expect(r.code).toBe(2);
    expect(api.requests.every((x) => x.method === 'GET')).toBe(true);
    expect(worker().versions).toHaveLength(1);
  });
});

describe('versions upload --secrets-file on cloudflare', () => {
  it('the secrets go in the upload\'s own metadata: one POST, exactly the planned names, keep_bindings without secret_text under --prune', async () => {
    const p = cfProject(api);
    p.write('s.env', `A=${V.a}\nB=${V.b}\n`);
    const dry = await p.run(cf('versions', 'upload', '--secrets-file', 's.env', '--prune', '--dry-run', '--json'));
    printedNothing(dry.all);
    expect(dry.code, dry.all).toBe(0);
    expect(dry.json().secrets).toEqual({ sets: ['A', 'B'], keeps: [], drops: ['OLD_SECRET'] });
    expect(api.requests.every((x) => x.method === 'GET')).toBe(true);

    api.reset();
    const r = await p.run(cf('versions', 'upload', '--secrets-file', 's.env', '--prune', '--json'));
    printedNothing(r.all);
    expect(r.code, r.all).toBe(0);
    const posts = api.requests.filter((x) => x.method === 'POST');
    expect(lines(posts)).toEqual(['POST /A/workers/scripts/my-worker/versions']);
    const md = posts[0].json as { bindings: { type: string; name: string; text?: string }[]; keep_bindings: string[] };
    expect(md.bindings.filter((b) => b.type === 'secret_text')).toEqual([
      { type: 'secret_text', name: 'A', text: V.a },
      { type: 'secret_text', name: 'B', text: V.b },
    ]);
    expect(md.keep_bindings).toEqual(['secret_key']);
    expectValidRequests(api.requests);
    expect(worker().versions).toHaveLength(2);
    expect([...api.secretsOf(api.latest(worker())).keys()].sort()).toEqual(['A', 'B']);
    expect(r.json().secrets).toEqual({ sets: ['A', 'B'], keeps: [], drops: ['OLD_SECRET'] });

    // Without --prune the others are kept by the API (keep_bindings), the file's names replaced.
    api.reset();
    p.write('one.env', `A=${V.b}\n`);
    const kept = await p.run(cf('versions', 'upload', '--secrets-file', 'one.env', '--json'));
    printedNothing(kept.all);
    expect(kept.code, kept.all).toBe(0);
    const md2 = api.requests.find((x) => x.method === 'POST')!.json as { keep_bindings: string[] };
    expect(md2.keep_bindings).toEqual(['secret_text', 'secret_key']);
    expect([...api.secretsOf(api.latest(worker())).entries()].sort()).toEqual([
      ['A', V.b],
      ['B', V.b],
    ]);
    expect(kept.json().secrets).toEqual({ sets: ['A'], keeps: ['B'], drops: [] });
  });
});

describe('[secrets] required on cloudflare', () => {
  const TOML = 'name = "my-worker"\nmain = "src/index.js"\n[secrets]\nrequired = ["API_KEY"]\n';

  it('deploy, rollback and upload of a version lacking API_KEY are refused before any write', async () => {
    const p = cfProject(api);
    p.write('wrangler.toml', TOML);
    const v1 = api.latest(worker())!.id;
    p.write('s.env', `API_KEY=${V.a}\n`);
    expect((await p.run(cf('secret', 'sync', 's.env', '--yes'))).code).toBe(0);
    const versions = worker().versions.length;
    const deployments = worker().deployments.length;
    for (const argv of [['versions', 'deploy', `${v1}@100%`, '--yes'], ['rollback', v1, '--yes'], ['versions', 'rollout', v1, '--steps', '100', '--wait', '0', '--yes']]) {
      api.reset();
      const r = await p.run(cf(...argv));
      printedNothing(r.all);
      expect(r.code, r.all).toBe(2);
      expect(r.stderr).toMatch(/version 1 lacks API_KEY, which \[secrets\] required in .* names/);
      expect(api.requests.every((x) => x.method === 'GET'), `${argv[1]} sent a write`).toBe(true);
    }
    expect(worker().deployments).toHaveLength(deployments);
    // Prune the required name in the upload: refused too.
    p.write('other.env', `OTHER=${V.b}\n`);
    const up = await p.run(cf('versions', 'upload', '--secrets-file', 'other.env', '--prune'));
    printedNothing(up.all);
    expect(up.code).toBe(2);
    expect(worker().versions).toHaveLength(versions);
  });

  it('types takes the names from [secrets] required and asks nothing', async () => {
    const p = cfProject(api);
    p.write('wrangler.toml', TOML);
    const r = await p.run(cf('types', '--json'));
    expect(r.code, r.all).toBe(0);
    expect(r.json().content).toContain('API_KEY: string;');
    expect(r.json().secretsFrom).toBe('[secrets] required');
    expect(api.requests).toHaveLength(0);
  });
});
