/**
 * The conformance kit: one set of behaviour checks that every backend must pass — the built-in
 * ones in this repository's tests, and any plugin through `mycli backend check <spec>`.
 *
 * Each check runs on a fresh throwaway Worker and uses only the public Backend interface. Checks
 * for a capability the backend does not declare are skipped. Failure messages never include
 * secret values (the kit's values are random, but the rule holds everywhere).
 */
import { randomBytes } from 'node:crypto';
import type { Backend, CapabilityName, Deployment, Target, Version } from './types.js';
// The kit checks backends against the same rule the commands use: same split, one tolerance.
import { deploymentServes } from '../domain/deployments.js';
import { hasCapabilities, missingMembers, type BackendWith } from './capabilities.js';
import { guardEdge } from './edge.js';

/** What a check runs with: the backend, narrowed to the capabilities C the check needs. */
export interface CheckContext<C extends CapabilityName = never> {
  backend: BackendWith<C>;
  target: Target;
}

export interface Check<C extends CapabilityName = CapabilityName> {
  id: string;
  title: string;
  needs: C[];
  /** An optional Backend member the check is about: skipped when the backend does not have it. */
  member?: keyof Backend;
  run(c: CheckContext<C>): Promise<void>;
}

/** A check whose `run` sees the members of exactly the capabilities in `needs` as required. */
function defineCheck<C extends CapabilityName>(check: Check<C>): Check {
  return check as unknown as Check;
}

export interface CheckResult {
  id: string;
  title: string;
  status: 'pass' | 'fail' | 'skip';
  /** Why it failed, or which capability it needs when skipped. */
  reason?: string;
  ms: number;
}

export class CheckFailure extends Error {}

function check(cond: unknown, message: string): asserts cond {
  if (!cond) throw new CheckFailure(message);
}

/** A secret-looking value that is easy to search for and never printed. */
function secretValue(): string {
  return `kit-${randomBytes(12).toString('hex')}`;
}

function errorInfo(e: unknown): { exitCode?: number; code?: string; apiCode?: number; secrets?: unknown } {
  const o = (e && typeof e === 'object' ? e : {}) as { exitCode?: number; code?: string; apiCode?: number; secrets?: unknown; details?: { secrets?: unknown } };
  return { exitCode: o.exitCode, code: o.code, apiCode: o.apiCode, secrets: o.details?.secrets ?? o.secrets };
}

async function expectError(p: Promise<unknown>, exitCode: number, what: string): Promise<ReturnType<typeof errorInfo>> {
  try {
    await p;
  } catch (e) {
    const info = errorInfo(e);
    check(
      info.exitCode === exitCode,
      `${what}: expected a typed error with exit code ${exitCode}, got ${info.exitCode === undefined ? `an untyped error (${e instanceof Error ? e.name : typeof e})` : `exit code ${info.exitCode}`}`,
    );
    return info;
  }
  throw new CheckFailure(`${what}: expected it to be refused, but it succeeded`);
}

/** Deep search: does `value` occur anywhere in `data`? */
function contains(data: unknown, value: string): boolean {
  if (typeof data === 'string') return data.includes(value);
  if (Array.isArray(data)) return data.some((d) => contains(d, value));
  if (data && typeof data === 'object') return Object.values(data).some((d) => contains(d, value));
  return false;
}

async function names(c: CheckContext<'secrets'>): Promise<string[]> {
  const list = await c.backend.listSecrets(c.target);
  check(Array.isArray(list), 'listSecrets must return an array');
  return list.map((s) => s.name).sort();
}

async function live(c: CheckContext<'versions'>): Promise<Deployment | undefined> {
  const ds = await c.backend.listDeployments(c.target);
  check(Array.isArray(ds), 'listDeployments must return an array');
  return ds[0];
}

async function versionsOf(c: CheckContext<'versions'>): Promise<Version[]> {
  const vs = await c.backend.listVersions(c.target);
  check(Array.isArray(vs), 'listVersions must return an array');
  return vs;
}

const module = (text: string) => ({ name: 'index.js', content: new TextEncoder().encode(text) });

async function twoVersions(c: CheckContext<'versions'>): Promise<[Version, Version]> {
  const r1 = await c.backend.updateSecrets(c.target, { KIT_A: secretValue() }, { deploy: true });
  const v2 = await c.backend.uploadVersion(c.target, { mainModule: module('export default {fetch(){return new Response("2")}}'), bindings: [] });
  check(r1.version, 'updateSecrets must return the version it made');
  return [r1.version!, v2];
}

export const checks: Check[] = [
  defineCheck({
    id: 'secrets.put-list',
    title: 'a secret that was put is listed by name, with type secret_text',
    needs: ['secrets'],
    async run(c) {
      const r = await c.backend.updateSecrets(c.target, { KIT_ONE: secretValue() }, { deploy: true });
      check(Array.isArray(r.changes), 'updateSecrets must return { changes: [...] }');
      check(r.changes.some((x) => x.name === 'KIT_ONE' && (x.action === 'added' || x.action === 'set')), 'a new secret must be reported as "added" (or "set")');
      const list = await c.backend.listSecrets(c.target);
      const one = list.find((s) => s.name === 'KIT_ONE');
      check(one, 'KIT_ONE is missing from listSecrets after it was put');
      check(one.type === 'secret_text', `KIT_ONE has type ${String(one.type)}, expected secret_text`);
      const again = await c.backend.updateSecrets(c.target, { KIT_ONE: secretValue() }, { deploy: true });
      check(again.changes.some((x) => x.name === 'KIT_ONE' && (x.action === 'updated' || x.action === 'set')), 'putting an existing secret must be reported as "updated" (or "set")');
    },
  }),
  defineCheck({
    id: 'secrets.different',
    title: 'differentSecrets names the values that differ from the stored ones (and new names), never a value',
    needs: ['secrets'],
    member: 'differentSecrets',
    async run(c) {
      const same = secretValue();
      const old = secretValue();
      await c.backend.updateSecrets(c.target, { KIT_SAME: same, KIT_OLD: old }, { deploy: true });
      const other = secretValue();
      const got = await c.backend.differentSecrets!(c.target, { KIT_SAME: same, KIT_OLD: other, KIT_NEW: secretValue() });
      check(Array.isArray(got) && got.every((n) => typeof n === 'string'), 'differentSecrets must return an array of names');
      const names = [...got].sort();
      check(JSON.stringify(names) === JSON.stringify(['KIT_NEW', 'KIT_OLD']), `differentSecrets returned [${names.join(', ')}], expected [KIT_NEW, KIT_OLD] (KIT_SAME has the stored value)`);
      check(!contains(got, same) && !contains(got, other) && !contains(got, old), 'differentSecrets returned a secret value');
      const none = await c.backend.differentSecrets!(c.target, { KIT_SAME: same, KIT_OLD: old });
      check(Array.isArray(none) && none.length === 0, `with the stored values differentSecrets returned [${none.join(', ')}], expected none`);
    },
  }),
  defineCheck({
    id: 'secrets.never-returned',
    title: 'secret values never come back out (lists, versions, results)',
    needs: ['secrets'],
    async run(c) {
      const value = secretValue();
      const r = await c.backend.updateSecrets(c.target, { KIT_HIDDEN: value }, { deploy: true });
      check(!contains(r, value), 'updateSecrets returned the secret value');
      check(!contains(await c.backend.listSecrets(c.target), value), 'listSecrets returned the secret value');
      const b = c.backend;
      if (hasCapabilities(b, 'versions')) {
        const vs = await versionsOf({ backend: b, target: c.target });
        check(!contains(vs, value), 'listVersions returned the secret value');
        for (const v of vs) check(!contains(await b.getVersion(c.target, v.id), value), 'getVersion returned the secret value');
        check(!contains(await b.listDeployments(c.target), value), 'listDeployments returned the secret value');
      }
    },
  }),
  defineCheck({
    id: 'secrets.kept-across-calls',
    title: 'secrets are kept across calls: putting one does not lose the others',
    needs: ['secrets'],
    async run(c) {
      await c.backend.updateSecrets(c.target, { KIT_A: secretValue() }, { deploy: true });
      await c.backend.updateSecrets(c.target, { KIT_B: secretValue() }, { deploy: true });
      await c.backend.updateSecrets(c.target, { KIT_A: secretValue() }, { deploy: true });
      const n = await names(c);
      check(n.includes('KIT_A') && n.includes('KIT_B'), `after putting KIT_A, KIT_B, KIT_A the list is [${n.join(', ')}]`);
    },
  }),
  defineCheck({
    id: 'secrets.delete',
    title: 'delete removes a secret; deleting a missing one is not found (exit 3)',
    needs: ['secrets'],
    async run(c) {
      await c.backend.updateSecrets(c.target, { KIT_KEEP: secretValue(), KIT_GONE: secretValue() }, { deploy: true });
      const r = await c.backend.updateSecrets(c.target, { KIT_GONE: null }, { deploy: true });
      check(r.changes.some((x) => x.name === 'KIT_GONE' && x.action === 'deleted'), 'a deletion must be reported as "deleted"');
      const n = await names(c);
      check(!n.includes('KIT_GONE'), 'KIT_GONE is still listed after it was deleted');
      check(n.includes('KIT_KEEP'), 'deleting KIT_GONE also removed KIT_KEEP');
      await expectError(c.backend.updateSecrets(c.target, { KIT_NEVER_THERE: null }, { deploy: true }), 3, 'deleting a missing secret');
    },
  }),
  defineCheck({
    id: 'secrets.bulk-atomic',
    title: 'a patch of several secrets is all or nothing',
    needs: ['secrets'],
    async run(c) {
      await c.backend.updateSecrets(c.target, { KIT_BASE: secretValue() }, { deploy: true });
      const before = await names(c);
      await expectError(
        c.backend.updateSecrets(c.target, { KIT_NEW: secretValue(), KIT_MISSING: null }, { deploy: true }),
        3,
        'a patch that deletes a missing secret',
      );
      const after = await names(c);
      check(JSON.stringify(after) === JSON.stringify(before), `a refused patch changed the secrets: [${before.join(', ')}] -> [${after.join(', ')}]`);
      const r = await c.backend.updateSecrets(c.target, { KIT_X: secretValue(), KIT_Y: secretValue(), KIT_BASE: null }, { deploy: true });
      check(r.changes.length === 3, `a patch of 3 names reported ${r.changes.length} changes`);
      const n = await names(c);
      check(n.includes('KIT_X') && n.includes('KIT_Y') && !n.includes('KIT_BASE'), `after the patch the list is [${n.join(', ')}]`);
    },
  }),
  defineCheck({
    id: 'secrets.invalid-name',
    title: 'a name that is not a valid binding name is refused (exit 2)',
    needs: ['secrets'],
    async run(c) {
      await expectError(c.backend.updateSecrets(c.target, { '1-not valid': secretValue() }, { deploy: true }), 2, 'putting secret "1-not valid"');
    },
  }),
  defineCheck({
    id: 'versions.secret-change-deploys',
    title: 'a secret change makes a new version and deploys it at 100%',
    needs: ['secrets', 'versions'],
    async run(c) {
      const r1 = await c.backend.updateSecrets(c.target, { KIT_A: secretValue() }, { deploy: true });
      const r2 = await c.backend.updateSecrets(c.target, { KIT_B: secretValue() }, { deploy: true });
      check(r1.version && r2.version, 'updateSecrets must return the version it made');
      check(r2.version.number > r1.version.number, `version numbers must grow (${r1.version.number} then ${r2.version.number})`);
      const d = await live(c);
      check(deploymentServes(d, [{ versionId: r2.version.id, percentage: 100 }]), 'the live deployment must be the new version at 100%');
      const vs = await versionsOf(c);
      check(vs[0]?.id === r2.version.id, 'listVersions must be newest first');
      const v = await c.backend.getVersion(c.target, r2.version.id);
      const secretNames = v.bindings.filter((b) => b.type === 'secret_text').map((b) => b.name).sort();
      check(secretNames.includes('KIT_A') && secretNames.includes('KIT_B'), `version ${v.number} binds [${secretNames.join(', ')}], expected KIT_A and KIT_B`);
    },
  }),
  defineCheck({
    id: 'versions.unknown',
    title: 'an unknown version id is not found (exit 3)',
    needs: ['versions'],
    async run(c) {
      await c.backend.updateSecrets(c.target, { KIT_A: secretValue() }, { deploy: true });
      await expectError(c.backend.getVersion(c.target, '00000000-0000-4000-8000-000000000000'), 3, 'getVersion of an unknown id');
      await expectError(
        c.backend.deploy(c.target, { versions: [{ versionId: '00000000-0000-4000-8000-000000000000', percentage: 100 }] }),
        3,
        'deploying an unknown version',
      );
    },
  }),
  defineCheck({
    id: 'versions.upload',
    title: 'an upload makes a version that carries the secrets and is not deployed',
    needs: ['secrets', 'versions'],
    async run(c) {
      const r = await c.backend.updateSecrets(c.target, { KIT_A: secretValue() }, { deploy: true });
      const v = await c.backend.uploadVersion(c.target, {
        mainModule: module('export default {fetch(){return new Response("kit")}}'),
        bindings: [{ type: 'plain_text', name: 'KIT_VAR', text: 'plain' }],
        message: 'kit upload',
      });
      check(v.number > r.version!.number, 'the uploaded version must be numbered after the previous one');
      const got = await c.backend.getVersion(c.target, v.id);
      check(got.bindings.some((b) => b.type === 'secret_text' && b.name === 'KIT_A'), 'the uploaded version must carry secret KIT_A');
      check(got.bindings.some((b) => b.type === 'plain_text' && b.name === 'KIT_VAR'), 'the uploaded version must have var KIT_VAR');
      check(deploymentServes(await live(c), [{ versionId: r.version!.id, percentage: 100 }]), 'an upload must not change the live deployment');
    },
  }),
  defineCheck({
    id: 'deploy.percentages',
    title: 'deployments need 1 or 2 versions whose percentages sum to 100 (else exit 2)',
    needs: ['versions', 'gradualDeployments'],
    async run(c) {
      const [a, b] = await twoVersions(c);
      const before = await live(c);
      await expectError(c.backend.deploy(c.target, { versions: [{ versionId: a.id, percentage: 60 }, { versionId: b.id, percentage: 30 }] }), 2, 'deploying 60% + 30%');
      await expectError(c.backend.deploy(c.target, { versions: [{ versionId: a.id, percentage: 50 }] }), 2, 'deploying one version at 50%');
      await expectError(c.backend.deploy(c.target, { versions: [{ versionId: a.id, percentage: 70 }, { versionId: b.id, percentage: 50 }] }), 2, 'deploying 70% + 50%');
      check((await live(c))?.id === before?.id, 'a refused deployment changed the live deployment');
      const d = await c.backend.deploy(c.target, { versions: [{ versionId: b.id, percentage: 10 }, { versionId: a.id, percentage: 90 }] });
      check(deploymentServes(d, [{ versionId: b.id, percentage: 10 }, { versionId: a.id, percentage: 90 }]), 'deploy must return the deployment it made');
      check(deploymentServes(await live(c), d.versions), 'the new deployment must be the live one (first in listDeployments)');
    },
  }),
  defineCheck({
    id: 'deploy.expect-live',
    title: 'deploy with expectLive commits only over that live deployment (else exit 5, nothing changed)',
    needs: ['versions', 'expectLive'],
    async run(c) {
      const [a, b] = await twoVersions(c);
      const before = await live(c);
      check(before, 'a deployment must be live after updateSecrets with deploy: true');
      await expectError(c.backend.deploy(c.target, { versions: [{ versionId: b.id, percentage: 100 }], expectLive: 'kit-not-the-live-deployment' }), 5, 'deploying with expectLive naming another deployment');
      await expectError(c.backend.deploy(c.target, { versions: [{ versionId: b.id, percentage: 100 }], expectLive: null }), 5, 'deploying with expectLive null while a deployment is live');
      check((await live(c))?.id === before.id, 'a deployment refused by expectLive changed the live deployment');
      const d = await c.backend.deploy(c.target, { versions: [{ versionId: b.id, percentage: 100 }], expectLive: before.id });
      check(deploymentServes(await live(c), d.versions), 'a deployment over the expected live one must become live');
      await expectError(c.backend.deploy(c.target, { versions: [{ versionId: a.id, percentage: 100 }], expectLive: before.id, force: true }), 5, 'deploying with expectLive naming the deployment live before the last one');
      check((await live(c))?.id === d.id, 'a deployment refused by expectLive changed the live deployment');
    },
  }),
  defineCheck({
    id: 'deploy.zero-percent',
    title: 'a version may be deployed at 0% beside one at 100% (version overrides reach it); one version alone at 0% is refused',
    needs: ['versions', 'gradualDeployments'],
    async run(c) {
      const [a, b] = await twoVersions(c);
      await c.backend.deploy(c.target, { versions: [{ versionId: a.id, percentage: 100 }] });
      await expectError(c.backend.deploy(c.target, { versions: [{ versionId: b.id, percentage: 0 }] }), 2, 'deploying one version at 0%');
      const d = await c.backend.deploy(c.target, { versions: [{ versionId: b.id, percentage: 0 }, { versionId: a.id, percentage: 100 }] });
      check(deploymentServes(d, [{ versionId: b.id, percentage: 0 }, { versionId: a.id, percentage: 100 }]), 'deploy must keep the 0% version in the deployment it made');
      check(deploymentServes(await live(c), d.versions), 'the 0% version must be in the live deployment');
    },
  }),
  defineCheck({
    id: 'deploy.gradual-blocks-secret-change',
    title: 'during a gradual rollout a deploying secret change is refused (exit 5, 10215)',
    needs: ['secrets', 'versions', 'gradualDeployments'],
    async run(c) {
      const [a, b] = await twoVersions(c);
      await c.backend.deploy(c.target, { versions: [{ versionId: a.id, percentage: 50 }, { versionId: b.id, percentage: 50 }] });
      const before = await names(c);
      const info = await expectError(c.backend.updateSecrets(c.target, { KIT_NEW: secretValue() }, { deploy: true }), 5, 'a secret change during a gradual rollout');
      check(info.apiCode === undefined || info.apiCode === 10215, `expected API code 10215, got ${info.apiCode}`);
      check(JSON.stringify(await names(c)) === JSON.stringify(before), 'the refused change still changed the secrets');
    },
  }),
  defineCheck({
    id: 'versions.secret-change-without-deploy',
    title: 'a versioned secret change makes a version and leaves the live deployment alone',
    needs: ['secrets', 'versions', 'versionedSecrets'],
    async run(c) {
      const r1 = await c.backend.updateSecrets(c.target, { KIT_A: secretValue() }, { deploy: true });
      const r2 = await c.backend.updateSecrets(c.target, { KIT_B: secretValue() }, { deploy: false });
      check(r2.version && r2.version.number > r1.version!.number, 'a versioned change must return a newer version');
      check(!r2.deployment, 'a versioned change must not return a deployment');
      check(deploymentServes(await live(c), [{ versionId: r1.version!.id, percentage: 100 }]), 'a versioned change must not change the live deployment');
      const v = await c.backend.getVersion(c.target, r2.version!.id);
      check(v.bindings.some((b) => b.name === 'KIT_B'), 'the new version must bind KIT_B');
    },
  }),
  defineCheck({
    id: 'rollback.secrets-changed',
    title: 'rolling back to a version with other secrets is refused (exit 5, 10220, names) unless forced',
    needs: ['secrets', 'versions', 'rollback'],
    async run(c) {
      const r1 = await c.backend.updateSecrets(c.target, { KIT_A: secretValue() }, { deploy: true });
      await c.backend.updateSecrets(c.target, { KIT_A: secretValue() }, { deploy: true });
      const info = await expectError(
        c.backend.deploy(c.target, { versions: [{ versionId: r1.version!.id, percentage: 100 }], kind: 'rollback' }),
        5,
        'rolling back to a version whose secret KIT_A differs',
      );
      check(Array.isArray(info.secrets) && info.secrets.includes('KIT_A'), 'the refusal must name the changed secret KIT_A (error.secrets)');
      const d = await c.backend.deploy(c.target, { versions: [{ versionId: r1.version!.id, percentage: 100 }], kind: 'rollback', force: true });
      check(deploymentServes(d, [{ versionId: r1.version!.id, percentage: 100 }]), 'a forced rollback must deploy the old version at 100%');
      check(deploymentServes(await live(c), d.versions), 'the rollback must be the live deployment');
    },
  }),
  defineCheck({
    id: 'rollback.same-secrets',
    title: 'rolling back to a version with the same secrets needs no force',
    needs: ['secrets', 'versions', 'rollback'],
    async run(c) {
      const r1 = await c.backend.updateSecrets(c.target, { KIT_A: secretValue() }, { deploy: true });
      const v2 = await c.backend.uploadVersion(c.target, { mainModule: module('export default {}'), bindings: [] });
      await c.backend.deploy(c.target, { versions: [{ versionId: v2.id, percentage: 100 }] });
      const d = await c.backend.deploy(c.target, { versions: [{ versionId: r1.version!.id, percentage: 100 }], kind: 'rollback' });
      check(deploymentServes(d, [{ versionId: r1.version!.id, percentage: 100 }]), 'the rollback must deploy the old version at 100%');
      const ds = await c.backend.listDeployments(c.target);
      check(ds.length >= 3 && ds[0].id === d.id, 'listDeployments must be newest first and include every deployment');
    },
  }),
];

/** The shape every health report must have (what `versions rollout` reads). */
function checkHealthReport(r: unknown, asked: string[]): void {
  check(r && typeof r === 'object' && Array.isArray((r as { versions?: unknown }).versions), 'queryHealth must return { versions: [...] }');
  const report = r as { versions: Record<string, unknown>[]; unavailable?: Record<string, unknown> };
  for (const v of report.versions) {
    check(typeof v.versionId === 'string' && asked.includes(v.versionId), `queryHealth answered for version ${String(v.versionId)}, which was not asked for`);
    for (const k of ['invocations', 'failures'] as const) {
      check(Number.isInteger(v[k]) && (v[k] as number) >= 0, `queryHealth: ${k} of ${v.versionId} must be a whole number >= 0`);
    }
    check((v.failures as number) <= (v.invocations as number), `queryHealth: failures of ${v.versionId} exceed its invocations`);
    for (const k of ['wallTimeP99Ms', 'cpuTimeP99Ms'] as const) {
      check(v[k] === null || v[k] === undefined || (typeof v[k] === 'number' && (v[k] as number) >= 0), `queryHealth: ${k} of ${v.versionId} must be a number >= 0 or null`);
    }
  }
  if (report.unavailable !== undefined) {
    const u = report.unavailable;
    check(['observability_disabled', 'permission', 'no_data', 'unavailable'].includes(String(u.reason)), `queryHealth: unavailable.reason ${String(u.reason)} is not one of observability_disabled, permission, no_data, unavailable`);
    check(typeof u.message === 'string' && u.message.length > 0, 'queryHealth: unavailable.message must say what is missing');
  } else {
    for (const id of asked) check(report.versions.some((v) => v.versionId === id), `queryHealth did not report version ${id} (a version without traffic is reported with 0 invocations)`);
  }
}

checks.push(
  defineCheck({
    id: 'health.report',
    title: 'queryHealth answers for every asked version in one report (numbers, or why it cannot)',
    needs: ['secrets', 'versions', 'health'],
    async run(c) {
      const [v1, v2] = await twoVersions(c);
      const to = Date.now();
      const asked = [v2.id, v1.id];
      const r = await c.backend.queryHealth(c.target, { versionIds: asked, from: to - 5 * 60_000, to });
      checkHealthReport(r, asked);
    },
  }),
  defineCheck({
    id: 'health.no-secrets',
    title: 'queryHealth reports carry no secret value',
    needs: ['secrets', 'versions', 'health'],
    async run(c) {
      const value = secretValue();
      const r1 = await c.backend.updateSecrets(c.target, { KIT_H: value }, { deploy: true });
      check(r1.version, 'updateSecrets must return the version it made');
      const to = Date.now();
      const r = await c.backend.queryHealth(c.target, { versionIds: [r1.version!.id], from: to - 60_000, to });
      checkHealthReport(r, [r1.version!.id]);
      check(!contains(r, value), 'a health report contains a secret value');
    },
  }),
);

export interface RunOptions {
  backend: Backend;
  /** A fresh throwaway target per check. */
  makeTarget(id: string): Target | Promise<Target>;
  /** Remove a throwaway Worker after its check (best effort). */
  cleanup?(target: Target): Promise<void>;
  only?: string[];
  onResult?(r: CheckResult): void;
  /** The checks to run (default: the whole kit; `backend check --read-only` runs conformance-read.ts's). */
  checks?: readonly Check[];
}

export async function runConformance(run: RunOptions): Promise<CheckResult[]> {
  // The kit checks a backend as mycli uses it: behind the edge (its input checks), with the
  // results as the backend returned them, so a value it leaks is seen and reported.
  const o = { ...run, backend: guardEdge(run.backend, { shape: false }) };
  const results: CheckResult[] = [];
  for (const ch of o.checks ?? checks) {
    if (o.only && !o.only.includes(ch.id)) continue;
    const started = Date.now();
    const missing = ch.needs.filter((n) => !o.backend.capabilities[n]);
    let result: CheckResult;
    if (missing.length) {
      result = { id: ch.id, title: ch.title, status: 'skip', reason: `needs ${missing.join(', ')}`, ms: 0 };
    } else if (ch.member && typeof o.backend[ch.member] !== 'function') {
      result = { id: ch.id, title: ch.title, status: 'skip', reason: `needs the optional member ${ch.member}`, ms: 0 };
    } else if (!hasCapabilities(o.backend, ...ch.needs)) {
      // Declared without the members the capability requires (capabilities.ts): a failure, named.
      const problems = [...new Set(ch.needs.flatMap((n) => missingMembers(o.backend, n)))];
      result = { id: ch.id, title: ch.title, status: 'fail', reason: `the backend does not implement what it declares: ${problems.join('; ')}`, ms: 0 };
    } else {
      const target = await o.makeTarget(ch.id);
      try {
        await ch.run({ backend: o.backend, target });
        result = { id: ch.id, title: ch.title, status: 'pass', ms: Date.now() - started };
      } catch (e) {
        const reason = e instanceof CheckFailure ? e.message : `unexpected error: ${e instanceof Error ? e.message : String(e)}`;
        result = { id: ch.id, title: ch.title, status: 'fail', reason, ms: Date.now() - started };
      } finally {
        await o.cleanup?.(target).catch(() => undefined);
      }
    }
    results.push(result);
    o.onResult?.(result);
  }
  return results;
}

/** A throwaway Worker name: lowercase, valid everywhere. */
export function throwawayWorkerName(): string {
  return `mycli-check-${randomBytes(4).toString('hex')}`;
}
