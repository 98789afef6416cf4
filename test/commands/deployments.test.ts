import { describe, expect, it } from 'vitest';
import { makeProject } from '../helpers/cli.js';
import { storeExists } from '../helpers/local-store.js';
import { deploy, put, twoVersions } from '../helpers/scenarios.js';

const VALUE = 'deployments-s3cret';

describe('deployments list', () => {
  it('none yet: a note, an empty JSON list, no store created', async () => {
    const p = makeProject();
    const r = await p.run(['deployments', 'list']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/has no deployments yet/);
    expect((await p.run(['deployments', 'list', '--json'])).json()).toEqual({ worker: 'my-worker', env: null, backend: 'local', deployments: [] });
    expect(storeExists(p)).toBe(false);
  });

  it('newest (live) first, with versions, percentages, author, source and message', async () => {
    const p = makeProject();
    const { v1, v2 } = await twoVersions(p);
    await deploy(p, `${v2}@25%`, '--message', 'canary');
    const r = await p.run(['deployments', 'list', '--json']);
    const ds = r.json().deployments;
    expect(ds).toHaveLength(2);
    expect(ds[0]).toMatchObject({
      author: 'tester@example.com',
      source: 'deployment',
      message: 'canary',
      versions: [
        { versionId: v2, percentage: 25 },
        { versionId: v1, percentage: 75 },
      ],
    });
    expect(ds[1].versions).toEqual([{ versionId: v1, percentage: 100 }]);
    const human = await p.run(['deployments', 'list']);
    const lines = human.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^CREATED\s+DEPLOYMENT ID\s+AUTHOR\s+SOURCE\s+VERSIONS\s+MESSAGE$/);
    expect(lines[1]).toMatch(/\(live\)/);
    expect(lines[1]).toContain(`${v2} 25%, ${v1} 75%`);
    expect(lines[1]).toMatch(/canary$/);
    expect(lines[2]).not.toMatch(/\(live\)/);
  });
});

describe('deployments status', () => {
  it('nothing deployed: a note; --json deployment null and no versions', async () => {
    const p = makeProject();
    const r = await p.run(['deployments', 'status']);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/has no deployment yet/);
    expect((await p.run(['deployments', 'status', '--json'])).json()).toMatchObject({ deployment: null, versions: [] });
  });

  it('a single version: one full bar', async () => {
    const p = makeProject();
    const v1 = await put(p, 'A', VALUE);
    const r = await p.run(['deployments', 'status']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Deployment [0-9a-f-]{36}/);
    expect(r.stdout).toContain(`${'█'.repeat(20)}     100%  ${v1}  (version 1)`);
    expect(r.all).not.toContain(VALUE);
  });

  it('a split: a bar per version; --json gives each live version id and percentage', async () => {
    const p = makeProject();
    const { v1, v2 } = await twoVersions(p);
    await deploy(p, `${v1}@60%`, `${v2}@40%`);
    const r = await p.run(['deployments', 'status']);
    expect(r.stdout).toContain(`${'█'.repeat(12)}${'░'.repeat(8)}      60%  ${v1}  (version 1)`);
    expect(r.stdout).toContain(`${'█'.repeat(8)}${'░'.repeat(12)}      40%  ${v2}  (version 2)`);
    const j = await p.run(['deployments', 'status', '--json']);
    expect(j.code).toBe(0);
    expect(j.json().versions).toEqual([
      { id: v1, versionId: v1, number: 1, percentage: 60 },
      { id: v2, versionId: v2, number: 2, percentage: 40 },
    ]);
    expect(j.json().deployment.versions).toEqual([
      { versionId: v1, percentage: 60 },
      { versionId: v2, percentage: 40 },
    ]);
  });

  it.each([['deployments', 'list'], ['deployments', 'status']])('%s %s --name of a Worker never seen: exit 3', async (...cmd) => {
    const p = makeProject();
    await put(p, 'A', VALUE);
    const r = await p.run([...cmd, '--name', 'unknown-worker']);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/Worker "unknown-worker" does not exist/);
  });

  it('per environment', async () => {
    const p = makeProject();
    await put(p, 'A', VALUE, ['--env', 'production']);
    expect((await p.run(['deployments', 'status', '--json'])).json().versions).toEqual([]);
    const prod = await p.run(['deployments', 'status', '--env', 'production', '--json']);
    expect(prod.json()).toMatchObject({ worker: 'my-worker-production', env: 'production' });
    expect(prod.json().versions).toHaveLength(1);
  });
});
