/**
 * `mycli backend check <spec>` with the BUILT binary (bin/mycli.js, as a child process): the whole
 * conformance kit from the command line, for each backend the contract suite covers — local, the
 * cloudflare backend against a `mycli serve` on 127.0.0.1 (also the built binary), and the
 * example plugin — plus a plugin that breaks the contract, which must fail with exit 1.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checks as kit } from '../../src/backends/conformance.js';
import { readOnlyChecks } from '../../src/backends/conformance-read.js';
import { makeTempProject, REPO, type BinResult } from '../e2e/helpers.js';
import { ACCOUNT, TOKEN, startServe, uploadForm, type Served } from '../serve/helpers.js';

const DEV_VARS = join(REPO, 'examples', 'dev-vars-backend', 'index.mjs');
// The read-only checks run first (before anything is written), then the kit.
const checks = [...readOnlyChecks, ...kit];
const ALL = checks.map((c) => c.id);
const READ = readOnlyChecks.map((c) => c.id);
const VERSION_CHECKS = checks.filter((c) => c.needs.some((n) => n !== 'secrets')).map((c) => c.id);
/** Checks of the health capability (traffic), which the local backend does not have. */
const HEALTH_CHECKS = checks.filter((c) => c.needs.includes('health')).map((c) => c.id);
/** Checks of optional members (skipped when the backend has none): the cloudflare backend has no differentSecrets. */
const MEMBER_CHECKS = checks.filter((c) => c.member === 'differentSecrets').map((c) => c.id);

interface Report {
  backend: string;
  spec: string;
  passed: number;
  failed: number;
  skipped: number;
  results: { id: string; status: 'pass' | 'fail' | 'skip'; reason?: string }[];
}

function report(r: BinResult): Report {
  const doc = r.json<Report>();
  // The whole kit ran, each check once, in the kit's order.
  expect(doc.results.map((x) => x.id)).toEqual(ALL);
  return doc;
}

describe('mycli backend check (built binary)', () => {
  it('local: every check of the kit passes (exit 0), and the user project is left untouched', async () => {
    const p = makeTempProject();
    const r = await p.run(['backend', 'check', 'local', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const doc = report(r);
    expect(HEALTH_CHECKS).toEqual(['health.report', 'health.no-secrets']);
    expect(doc).toMatchObject({ backend: 'local', passed: ALL.length - HEALTH_CHECKS.length, failed: 0, skipped: HEALTH_CHECKS.length });
    expect(existsSync(join(p.dir, '.mycli'))).toBe(false);
    const text = await p.run(['backend', 'check', 'local']);
    expect(text.code, text.stderr).toBe(0);
    for (const id of ALL.filter((x) => !HEALTH_CHECKS.includes(x))) expect(text.stdout).toMatch(new RegExp(`✓ pass\\s+${id.replace('.', '\\.')}\\s`));
    expect(text.stdout).toMatch(/- skip\s+health\.report .*\n\s+needs health/);
    expect(text.stderr).toMatch(new RegExp(`backend local passes the conformance kit \\(${ALL.length - HEALTH_CHECKS.length} passed, 0 failed, ${HEALTH_CHECKS.length} skipped\\)`));
    // local writes only into a throwaway folder: nothing to confirm.
    expect(text.stderr).not.toMatch(/throwaway Workers named/);
  });

  describe('cloudflare against mycli serve on 127.0.0.1', () => {
    let served: Served;
    beforeAll(async () => {
      served = await startServe();
    });
    afterAll(async () => {
      await served?.stop();
    });

    it('every check of the kit passes (exit 0) on throwaway Workers that are removed afterwards', async () => {
      const p = makeTempProject();
      const env = { CLOUDFLARE_API_BASE_URL: served.base, CLOUDFLARE_API_TOKEN: TOKEN, CLOUDFLARE_ACCOUNT_ID: ACCOUNT, MYCLI_HTTP_RETRY_DELAY_MS: '1' };
      // A Worker of the user's, which the kit must leave alone (made first: like Cloudflare, serve
      // answers a secret put on a Worker never created with 10007).
      expect((await served.api('PUT', `/accounts/${ACCOUNT}/workers/scripts/e2e-worker`, { raw: uploadForm({}) })).status).toBe(200);
      const keep = await p.run(['secret', 'put', 'KEEP', '--backend', 'cloudflare'], { input: 'keep-value-123', env });
      expect(keep.code, keep.stderr).toBe(0);
      const workers = async () => ((await served.api('GET', `/accounts/${ACCOUNT}/workers/scripts`)).json.result as { id: string }[]).map((w) => w.id);
      // Not interactive and no --yes: the reads run, then it stops before creating anything,
      // naming the account and what would be created.
      const asked = await p.run(['backend', 'check', 'cloudflare'], { env });
      expect(asked.code, asked.stderr).toBe(2);
      expect(asked.stdout).toMatch(/✓ pass\s+read\.secrets-unknown-worker/);
      expect(asked.stderr).toContain(`creates and deletes throwaway Workers named mycli-check-<random> (one per check, each deleted after it) in backend cloudflare (127.0.0.1`);
      expect(asked.stderr).toContain(`account ${ACCOUNT})`);
      expect(asked.stderr).toContain('to check without writing: `mycli backend check cloudflare --read-only`');
      // The command carries the target it was given (issue 19 item 1).
      const named = await p.run(['backend', 'check', 'cloudflare', '--name', 'e2e-worker'], { env });
      expect(named.code, named.stderr).toBe(2);
      expect(named.stderr).toContain('to check without writing: `mycli backend check cloudflare --read-only --name e2e-worker`');
      expect(asked.stderr).toMatch(/error: the full conformance kit on backend cloudflare .*needs confirmation/);
      expect(asked.stderr).toMatch(/hint: pass --yes to confirm/);
      expect(await workers()).toEqual(['e2e-worker']);
      // --read-only: only reads, nothing created, exit 0.
      const ro = await p.run(['backend', 'check', 'cloudflare', '--read-only', '--json'], { env });
      expect(ro.code, ro.stderr).toBe(0);
      expect(ro.json()).toMatchObject({ readOnly: true, failed: 0, passed: READ.length });
      expect(ro.json().results.map((x: { id: string }) => x.id)).toEqual(READ);
      expect(await workers()).toEqual(['e2e-worker']);
      const r = await p.run(['backend', 'check', 'cloudflare', '--json', '--yes'], { env });
      expect(r.code, r.stderr).toBe(0);
      const doc = report(r);
      expect(doc).toMatchObject({ backend: 'cloudflare', passed: ALL.length - MEMBER_CHECKS.length, failed: 0, skipped: MEMBER_CHECKS.length });
      for (const id of MEMBER_CHECKS) expect(doc.results.find((x) => x.id === id)).toMatchObject({ status: 'skip', reason: 'needs the optional member differentSecrets' });
      // The kit made its Workers through the API and deleted each one after its check.
      const list = await served.api('GET', `/accounts/${ACCOUNT}/workers/scripts`);
      expect(list.status).toBe(200);
      expect((list.json.result as { id: string }[]).map((w) => w.id)).toEqual(['e2e-worker']);
      expect(r.all + keep.all).not.toContain(TOKEN);
      expect(r.all + keep.all).not.toContain('keep-value-123');
    });
  });

  it('the example plugin: the secrets checks pass, the others are skipped naming the capability (exit 0)', async () => {
    const p = makeTempProject();
    const r = await p.run(['backend', 'check', DEV_VARS, '--json', '--yes']);
    expect(r.code, r.stderr).toBe(0);
    const doc = report(r);
    expect(doc).toMatchObject({ backend: 'dev-vars', failed: 0, passed: ALL.length - VERSION_CHECKS.length, skipped: VERSION_CHECKS.length });
    for (const x of doc.results.filter((y) => VERSION_CHECKS.includes(y.id))) {
      expect(x.status, x.id).toBe('skip');
      expect(x.reason, x.id).toMatch(/^needs (versions|secretsStore)\b/);
    }
    expect(existsSync(join(p.dir, '.dev.vars'))).toBe(false);
    const text = await p.run(['backend', 'check', DEV_VARS, '--yes']);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/- skip\s+deploy\.percentages .*\n\s+needs versions, gradualDeployments/);
  });

  it('a plugin that breaks the contract fails (exit 1), naming the behaviour, without printing a secret value', async () => {
    const p = makeTempProject();
    // Forgets the secrets it was given before the last call, and echoes values in errors.
    writeFileSync(
      join(p.dir, 'forgetful.mjs'),
      `export default () => {
  let store = new Map();
  return {
    name: 'forgetful',
    capabilities: { secrets: true },
    async listSecrets() { return [...store.keys()].map((name) => ({ name, type: 'secret_text' })); },
    async updateSecrets(t, patch) {
      for (const [k, v] of Object.entries(patch)) {
        if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(k)) throw Object.assign(new Error('bad name ' + k + '=' + v), { exitCode: 2 });
        if (v === null && !store.has(k)) throw Object.assign(new Error('no secret ' + k), { exitCode: 3 });
      }
      const next = new Map();
      const changes = [];
      for (const [k, v] of Object.entries(patch)) {
        if (v === null) changes.push({ name: k, action: 'deleted' });
        else { changes.push({ name: k, action: store.has(k) ? 'updated' : 'added' }); next.set(k, v); }
      }
      store = next;
      return { changes };
    },
  };
};
`,
    );
    const r = await p.run(['backend', 'check', './forgetful.mjs', '--json', '--yes']);
    expect(r.code).toBe(1);
    const doc = report(r);
    expect(doc.results.find((x) => x.id === 'secrets.kept-across-calls')).toMatchObject({ status: 'fail', reason: expect.stringMatching(/KIT_B/) });
    expect(r.stderr).toMatch(new RegExp(`backend forgetful failed \\d+ of ${ALL.length} checks`));
    // The kit's values start with "kit-" and are random: none of them is printed.
    expect(r.all).not.toMatch(/kit-[0-9a-f]{24}/);
  });
});
