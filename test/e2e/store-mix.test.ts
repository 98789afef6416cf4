/**
 * Fifty processes mixing secret put, bulk, delete, versions deploy and rollback on one store, all
 * started at once (bounded by count, never by time). Puts, bulks and deletes go to one Worker,
 * deploys and rollbacks to a second Worker of the same store (a deploy of an older version makes
 * every later `secret put` of its Worker refuse, by the domain rule, until the latest is deployed
 * again: on one Worker, most puts would rightly exit 5 and prove little). All of them contend for
 * the same head and lock. Each ends with 0 or 5 (a conflict the
 * domain rules name: a rollout in progress, secrets that changed, a Worker that changed under a
 * confirmed rollback) and nothing else; every change that exited 0 is in the final history;
 * version numbers are contiguous; every deployment names an existing version.
 */
import { describe, expect, it } from 'vitest';
import { decryptLatest, makeTempProject } from './helpers.js';
import { expectConsistent, secretNames } from './store-helpers.js';

const N = 50;

describe('a mixed crowd of writers', () => {
  it(`${N} processes: put, bulk, delete, deploy, rollback`, { timeout: 300_000 }, async () => {
    const p = makeTempProject();
    const env = { MYCLI_LOCK_TIMEOUT: '120' };
    const deletable = Array.from({ length: N / 5 }, (_, i) => `D_${i}`);
    const seed = await p.run(['--json', 'secret', 'bulk'], { input: JSON.stringify(Object.fromEntries(deletable.map((n) => [n, `d-${n}`]))), env });
    expect(seed.code, seed.stderr).toBe(0);
    // A second deployment, so that a rollback always has an earlier one to go back to.
    const other = ['--name', 'e2e-other'];
    const o1 = await p.run(['--json', ...other, 'secret', 'put', 'SEED'], { input: 'seed-1', env });
    expect(o1.code, o1.stderr).toBe(0);
    const o2 = await p.run(['--json', ...other, 'secret', 'put', 'SEED'], { input: 'seed-2', env });
    expect(o2.code, o2.stderr).toBe(0);
    const otherIds: string[] = [o1.json().versionId, o2.json().versionId];

    const jobs = Array.from({ length: N }, (_, i) => {
      switch (i % 5) {
        case 0:
          return { kind: 'put', name: `P_${i}`, run: () => p.run(['--json', 'secret', 'put', `P_${i}`], { input: `p-value-${i}`, env, timeoutMs: 240_000 }) };
        case 1:
          return {
            kind: 'bulk',
            name: `B_${i}`,
            run: () => p.run(['--json', 'secret', 'bulk'], { input: JSON.stringify({ [`B_${i}`]: `b-value-${i}`, [`B_${i}_2`]: `b2-value-${i}` }), env, timeoutMs: 240_000 }),
          };
        case 2:
          return { kind: 'delete', name: deletable[(i - 2) / 5], run: () => p.run(['--json', 'secret', 'delete', deletable[(i - 2) / 5], '--yes'], { env, timeoutMs: 240_000 }) };
        case 3:
          return { kind: 'deploy', name: '', run: () => p.run(['--json', ...other, 'versions', 'deploy', `${otherIds[i % 2]}@100%`, '--yes'], { env, timeoutMs: 240_000 }) };
        default:
          return { kind: 'rollback', name: '', run: () => p.run(['--json', ...other, 'rollback', '--yes'], { env, timeoutMs: 240_000 }) };
      }
    });
    const results = await Promise.all(jobs.map((j) => j.run()));

    const unexpected = results.map((r, i) => ({ i, r })).filter(({ r }) => r.code !== 0 && r.code !== 5).map(({ i, r }) => `${jobs[i].kind} #${i}: exit ${r.code} ${r.stderr}`);
    expect(unexpected).toEqual([]);
    for (const [i, r] of results.entries()) {
      expect(r.all).not.toMatch(/[pb]2?-value-/);
      if (r.code === 5) expect(r.json().error, `${jobs[i].kind} #${i}`).toBeDefined();
    }

    const w = expectConsistent(p);
    const wo = expectConsistent(p, 'e2e-other');
    expect(wo.versions).toHaveLength(2);
    const byId = new Map(w.versions.map((v) => [v.id, v]));
    const deploymentIds = new Set(wo.deployments.map((d) => d.id));
    const latest = w.versions.at(-1)!;
    const finalNames = new Set(secretNames(latest));
    let succeeded = 0;
    for (const [i, r] of results.entries()) {
      if (r.code !== 0) continue;
      succeeded++;
      const job = jobs[i];
      const doc = r.json();
      if (job.kind === 'deploy' || job.kind === 'rollback') {
        // Its deployment is in the history as it was reported.
        if (doc.deployment?.id) expect(deploymentIds.has(doc.deployment.id), `${job.kind} #${i}`).toBe(true);
        continue;
      }
      // Its version is in the history with its change, and every later version kept it.
      const v = byId.get(doc.versionId);
      expect(v, `${job.kind} #${i} version ${doc.versionId}`).toBeDefined();
      if (job.kind === 'delete') {
        expect(secretNames(v!)).not.toContain(job.name);
        expect(finalNames.has(job.name), `${job.name} deleted`).toBe(false);
      } else {
        expect(secretNames(v!)).toContain(job.name);
        expect(finalNames.has(job.name), `${job.name} kept`).toBe(true);
      }
    }
    for (const [i, r] of results.entries()) {
      if (r.code === 0 && jobs[i].kind === 'put') expect(decryptLatest(p, jobs[i].name)).toBe(`p-value-${i}`);
      if (r.code === 0 && jobs[i].kind === 'bulk') expect(decryptLatest(p, `${jobs[i].name}_2`)).toBe(`b2-value-${i}`);
    }
    expect(succeeded).toBeGreaterThan(0);
    console.log(`mix: ${succeeded} of ${N} exited 0, ${N - succeeded} exited 5; ${w.versions.length} versions; ${wo.deployments.length} deployments of the second Worker`);
  });
});
