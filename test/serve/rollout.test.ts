/**
 * `mycli serve` takes a deployment with a version at 0% (the first step of a rollout), and a
 * whole `versions rollout` runs against it through the cloudflare backend (both built binaries).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeProject } from '../helpers/cli.js';
import { runBin } from '../e2e/helpers.js';
import { ACCOUNT, startServe, TOKEN, uploadForm, type Served } from './helpers.js';

let s: Served;
beforeAll(async () => {
  s = await startServe();
});
afterAll(async () => {
  expect(await s?.stop()).toBe(0);
  expect(s.stderr()).not.toContain(TOKEN);
});

async function twoVersions(w: string): Promise<[string, string]> {
  // A Worker that does not exist yet is made by a settings PATCH (a PUT of a secret answers 10007).
  const put = await s.api('PATCH', s.script(w, '/settings'), { body: { bindings: [{ name: 'API_KEY', text: 'serve-rollout-secret', type: 'secret_text' }] } });
  expect(put.status).toBe(200);
  const [v1] = (await s.api('GET', s.script(w, '/versions'))).json.result.items;
  const up = await s.api('POST', s.script(w, '/versions'), { raw: uploadForm({ bindings: [], keep_bindings: ['secret_text'] }) });
  expect(up.status).toBe(200);
  return [v1.id, up.json.result.id];
}

describe('serve and rollouts', () => {
  it('POST a deployment with the new version at 0% beside the old at 100%; one version alone at 0% -> 400', async () => {
    const [v1, v2] = await twoVersions('zero-pct');
    const alone = await s.api('POST', s.script('zero-pct', '/deployments'), { body: { strategy: 'percentage', versions: [{ version_id: v2, percentage: 0 }] } });
    expect(alone.status).toBe(400);
    const r = await s.api('POST', s.script('zero-pct', '/deployments'), {
      body: { strategy: 'percentage', versions: [{ version_id: v2, percentage: 0 }, { version_id: v1, percentage: 100 }] },
    });
    expect(r.status, r.text).toBe(200);
    const live = (await s.api('GET', s.script('zero-pct', '/deployments'))).json.result.deployments[0];
    expect(live.versions).toEqual([
      { version_id: v2, percentage: 0 },
      { version_id: v1, percentage: 100 },
    ]);
  });

  it('versions rollout --backend cloudflare against serve: 0 -> 50 -> 100', { timeout: 120_000 }, async () => {
    const [, v2] = await twoVersions('rollout-served');
    const p = makeProject({ 'wrangler.toml': 'name = "rollout-served"\n' });
    const env = { ...p.env, CLOUDFLARE_API_BASE_URL: s.base, CLOUDFLARE_API_TOKEN: TOKEN, CLOUDFLARE_ACCOUNT_ID: ACCOUNT, NO_COLOR: '1' };
    const r = await runBin(['--backend', 'cloudflare', 'versions', 'rollout', v2, '--steps', '0,50', '--wait', '0', '--check', 'true', '--yes', '--json'], { cwd: p.dir, env });
    expect(r.code, r.stderr).toBe(0);
    expect(r.json().steps.map((x: { percent: number }) => x.percent)).toEqual([0, 50, 100]);
    const live = (await s.api('GET', s.script('rollout-served', '/deployments'))).json.result.deployments;
    expect(live[0].versions).toEqual([{ version_id: v2, percentage: 100 }]);
    expect(live[2].versions[0]).toEqual({ version_id: v2, percentage: 0 });
    expect(r.all).not.toContain('serve-rollout-secret');
    expect(r.all).not.toContain(TOKEN);
  });
});
