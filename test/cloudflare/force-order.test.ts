/**
 * Force only after refusal (wrangler's order): every deployment and rollback is posted without
 * `force` first; only when the API answers 10220, and the user confirms or gave --yes, is the same
 * body sent again with `?force=true`. The local preview of changed secrets is information only.
 * Against the fake Cloudflare API, a real HTTP server on 127.0.0.1.
 */
import { describe, expect, it } from 'vitest';
import type { FakeVersion } from './fake-api.js';
import { TOKEN } from './fake-api.js';
import { cf, cfProject, expectNotPrinted, expectValidRequests, useFakeApi } from './helpers.js';

const api = useFakeApi();
const worker = () => api.workers.get('my-worker')!;
const NEW_VALUE = 'n3w-s3cret-v4lue-f0rce';

/** The deployment POSTs as "deployments" / "deployments?force=true". */
function posts(): string[] {
  return api.requests
    .filter((x) => x.method === 'POST' && x.path.endsWith('/deployments'))
    .map((x) => `deployments${x.query.size ? `?${x.query}` : ''}`);
}

/** v1 (seeded: OLD_SECRET) and v2 = v1 + NEW_SECRET; `deployV2` makes v2 live at 100%. */
function twoVersions(deployV2: boolean): { v1: FakeVersion; v2: FakeVersion } {
  const w = worker();
  const v1 = api.latest(w)!;
  const v2 = api.addVersion(w, [...v1.bindings, { type: 'secret_text', name: 'NEW_SECRET', text: NEW_VALUE }], 'secret', {});
  if (deployV2) api.addDeployment(w, [{ version_id: v2.id, percentage: 100 }], 'deployment', {});
  api.requests = [];
  return { v1, v2 };
}

describe('force only after the API refused with 10220', () => {
  it('rollback --yes to a version whose secret names differ, which the API accepts: one POST, no force', async () => {
    // Live: v1 (as after an earlier rollback). Rolling "forward" to v2 brings NEW_SECRET back;
    // the preview says so, but the API does not refuse a newer version, so force is never sent.
    const { v2 } = twoVersions(false);
    const r = await cfProject(api).run(cf('rollback', v2.id, '--yes', '--json'));
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/secrets that change: NEW_SECRET \(added\)/);
    expect(posts()).toEqual(['deployments']);
    expect(r.json()).toMatchObject({ versionId: v2.id, changed: true, secretsChanged: [] });
    expectValidRequests(api.requests);
    expectNotPrinted(r.all, NEW_VALUE, 'old-secret-value-123', TOKEN);
  });

  it('rollback --yes that the API refuses: POST without force, then the same body with ?force=true', async () => {
    const { v1 } = twoVersions(true);
    const r = await cfProject(api).run(cf('rollback', v1.id, '--yes', '--json'));
    expect(r.code, r.stderr).toBe(0);
    expect(posts()).toEqual(['deployments', 'deployments?force=true']);
    const bodies = api.requests.filter((x) => x.method === 'POST').map((x) => x.json);
    expect(bodies[1]).toEqual(bodies[0]);
    expect(r.json().secretsChanged).toEqual(['NEW_SECRET']);
    expect(r.stderr).toMatch(/secrets that change: NEW_SECRET \(goes away\)/);
    expectValidRequests(api.requests);
    expectNotPrinted(r.all, NEW_VALUE, 'old-secret-value-123', TOKEN);
  });

  it('versions deploy <older>@100% --yes: POST without force, then ?force=true after the 10220', async () => {
    const { v1 } = twoVersions(true);
    const r = await cfProject(api).run(cf('versions', 'deploy', `${v1.id}@100%`, '--yes', '--json'));
    expect(r.code, r.stderr).toBe(0);
    expect(posts()).toEqual(['deployments', 'deployments?force=true']);
    expect(r.json().secretsChanged).toEqual(['NEW_SECRET']);
    expectValidRequests(api.requests);
    expectNotPrinted(r.all, NEW_VALUE, 'old-secret-value-123', TOKEN);
  });

  it('versions deploy of a newer version: one POST, no force', async () => {
    const { v2 } = twoVersions(false);
    const r = await cfProject(api).run(cf('versions', 'deploy', `${v2.id}@100%`, '--yes', '--json'));
    expect(r.code, r.stderr).toBe(0);
    expect(posts()).toEqual(['deployments']);
    expectNotPrinted(r.all, NEW_VALUE, 'old-secret-value-123', TOKEN);
  });

  it('interactive, declining after the 10220: exit 5 naming the secrets; force never sent', async () => {
    const { v1, v2 } = twoVersions(true);
    const r = await cfProject(api).run(cf('rollback', v1.id), { tty: true, answers: [true, false] });
    expect(r.code).toBe(5);
    expect(r.prompts[1]).toMatch(/^Secrets NEW_SECRET will change on Worker my-worker · env \(top level\) · backend cloudflare \(127\.0\.0\.1:\d+, account [0-9a-f]{32}\)\. Deploy anyway\?$/);
    expect(posts()).toEqual(['deployments']);
    expect(api.live(worker())!.versions).toEqual([{ version_id: v2.id, percentage: 100 }]);
    expectNotPrinted(r.all, NEW_VALUE, 'old-secret-value-123', TOKEN);
  });

  it('not interactive, no --yes, secrets differ: exit 5 naming them, nothing posted', async () => {
    const { v1 } = twoVersions(true);
    const r = await cfProject(api).run(cf('rollback', v1.id, '--json'));
    expect(r.code).toBe(5);
    expect(r.json().error).toMatchObject({ code: 'secrets_changed', secrets: ['NEW_SECRET'] });
    expect(posts()).toEqual([]);
    expectNotPrinted(r.all, NEW_VALUE, 'old-secret-value-123', TOKEN);
  });
});
