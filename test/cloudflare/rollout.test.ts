/**
 * versions rollout on the cloudflare backend against the fake API: each step POSTs the same
 * request form as `versions deploy`; a rollback over changed secrets follows wrangler's order
 * (refused with 10220, then ?force=true). Time and signals are injected; nothing waits.
 */
import { describe, expect, it } from 'vitest';
import { TOKEN, type Recorded } from './fake-api.js';
import { cf, cfProject, expectNotPrinted, expectValidRequests, useFakeApi } from './helpers.js';
import { fakeWorld, ROLLOUT_ID, runRollout } from '../helpers/rollout.js';
import { parseFlags } from '../../src/commands/versions/rollout/run.js';
import { gatesTag } from '../../src/commands/versions/rollout/continuation.js';

const api = useFakeApi();
const worker = () => api.workers.get('my-worker')!;
const OLD = 'old-secret-value-123';
const NEW = 'n3w-secret-v4lue-456';

const posts = (requests: Recorded[]) => requests.filter((r) => r.method === 'POST' && r.path.endsWith('/deployments'));

describe('versions rollout on the cloudflare backend', () => {
  it('each step POSTs {strategy, versions, annotations} like `versions deploy`; 0% is sent as 0', async () => {
    const w = worker();
    const v1 = api.latest(w)!;
    const v2 = api.addVersion(w, v1.bindings, 'upload', {});

    // The form `versions deploy` sends.
    const p = cfProject(api);
    const d = await p.run(cf('versions', 'deploy', `${v2.id}@10%`, '-m', 'canary', '--yes'));
    expect(d.code, d.stderr).toBe(0);
    const deployForm = posts(api.requests)[0];
    expect((await p.run(cf('versions', 'deploy', `${v1.id}@100%`, '--yes'))).code).toBe(0);

    api.requests = [];
    const r = await runRollout(p, { version: v2.id, steps: '10,50', wait: '5m', check: 'true', message: 'canary' }, fakeWorld(), { backend: 'cloudflare', json: true });
    expect(r.code, r.all).toBe(0);
    const sent = posts(api.requests);
    const { hash } = gatesTag(parseFlags({ version: v2.id, steps: '10,50', wait: '5m', check: 'true' }))!;
    expect(sent.map((x) => x.json)).toEqual([
      { strategy: 'percentage', versions: [{ version_id: v2.id, percentage: 10 }, { version_id: v1.id, percentage: 90 }], annotations: { 'workers/message': `rollout ${ROLLOUT_ID}: step 1/3, 10%, gates ${hash} c - canary` } },
      { strategy: 'percentage', versions: [{ version_id: v2.id, percentage: 50 }, { version_id: v1.id, percentage: 50 }], annotations: { 'workers/message': `rollout ${ROLLOUT_ID}: step 2/3, 50%, gates ${hash} c - canary` } },
      { strategy: 'percentage', versions: [{ version_id: v2.id, percentage: 100 }], annotations: { 'workers/message': `rollout ${ROLLOUT_ID}: step 3/3, 100%, gates ${hash} c - canary` } },
    ]);
    for (const s of sent) {
      expect(s.path).toBe(deployForm.path);
      expect(s.query.size).toBe(0);
      expect(s.headers['content-type']).toBe(deployForm.headers['content-type']);
      expect(Object.keys(s.json as object)).toEqual(Object.keys(deployForm.json as object));
    }
    expectValidRequests(api.requests);
    expect(r.json()).toMatchObject({ backend: 'cloudflare', outcome: 'completed' });
    expectNotPrinted(r.all, TOKEN, OLD);

    // Step 0 sends the target at 0% beside the stable version at 100%. (The OpenAPI subset says
    // minimum 0.01, but Cloudflare documents 0% deployments for version-override smoke tests.)
    const v3 = api.addVersion(w, v1.bindings, 'upload', {});
    api.requests = [];
    const zero = await runRollout(p, { version: v3.id, steps: '0', wait: '0' }, fakeWorld(), { backend: 'cloudflare', json: true });
    expect(zero.code, zero.all).toBe(0);
    expect(posts(api.requests)[0].json).toMatchObject({ versions: [{ version_id: v3.id, percentage: 0 }, { version_id: v2.id, percentage: 100 }] });
  });

  it('a failed gate rolls back over changed secrets: 10220, then ?force=true, without a prompt; no value printed', async () => {
    const w = worker();
    const v1 = api.latest(w)!;
    const v2 = api.addVersion(w, v1.bindings.map((b) => (b.name === 'OLD_SECRET' ? { ...b, text: NEW } : b)), 'secret', {});
    const p = cfProject(api);
    api.requests = [];
    const r = await runRollout(p, { version: v2.id, steps: '10', wait: '1m', check: 'echo unhealthy; exit 1' }, fakeWorld(), { backend: 'cloudflare', json: true });
    expect(r.code, r.all).toBe(1);
    expect(r.json().outcome).toBe('rolled_back');
    const sent = posts(api.requests);
    expect(sent.map((x) => `${x.query.size ? `?${x.query}` : ''}`)).toEqual(['', '', '?force=true']);
    expect(sent[1].json).toEqual(sent[2].json);
    expect(sent[2].json).toMatchObject({ versions: [{ version_id: v1.id, percentage: 100 }], annotations: { 'workers/message': `rollout ${ROLLOUT_ID}: rolled back` } });
    expect(api.live(w)!.versions).toEqual([{ version_id: v1.id, percentage: 100 }]);
    expectNotPrinted(r.all, TOKEN, OLD, NEW);
  });
});
