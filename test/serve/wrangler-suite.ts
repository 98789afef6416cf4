/**
 * The wrangler suite run against `mycli serve` by each pinned wrangler (wrangler.test.ts: 4.80,
 * wrangler-4164.test.ts: 4.164): each command exits 0 and has its effect on the same local
 * store, as `mycli` sees it. Offline: the update check is pointed at a closed local port, the
 * banner (which triggers it) is hidden, metrics are off.
 */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACCOUNT, ROOT, startServe, TOKEN, type Served } from './helpers.js';

export interface WranglerUnderTest {
  /** e.g. "4.80" */
  label: string;
  /** The package folder under node_modules (each has its own bin/wrangler.js). */
  pkg: string;
  /** The node that runs it, or why it cannot run here (the suite is skipped with that reason). */
  node: string | { skip: string };
  /**
   * Newer wranglers send `secret bulk` as PATCH …/secrets-bulk and `versions secret put` as
   * PATCH workers/workers/{name}/versions/latest; 4.80 reads the settings / latest version back
   * and PATCHes the settings / POSTs a version.
   */
  modern: boolean;
}

/** The package's own launcher: node_modules/.bin/wrangler is one of the two, whichever npm linked last. */
export function launcherOf(pkg: string): string {
  return join(ROOT, 'node_modules', pkg, 'bin', 'wrangler.js');
}

/** The Node 22.12+ that wrangler 4.164 needs: MYCLI_NODE22 (.ci/run installs it), or this Node when new enough. */
export function node22(): string | { skip: string } {
  const fromEnv = process.env.MYCLI_NODE22;
  if (fromEnv && existsSync(fromEnv)) return fromEnv;
  const [major, minor] = process.versions.node.split('.').map(Number);
  if (major > 22 || (major === 22 && minor >= 12)) return process.execPath;
  return {
    skip: `wrangler 4.164 needs Node >= 22.12 and this is Node ${process.versions.node}; set MYCLI_NODE22 to a Node 22 binary (bash .ci/run installs one and sets it) to run this suite`,
  };
}

const W = 'my-worker';

export interface Ran {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * One wrangler command against the server `s`, run by `node` (with that Node first on PATH: wrangler
 * starts helpers with the `node` it finds there), offline and without a terminal.
 */
export function runWrangler(s: Served, launcher: string, args: string[], stdin?: string, node = process.execPath): Promise<Ran> {
  return new Promise((resolve) => {
    const child = execFile(
      node,
      [launcher, ...args],
      {
        cwd: s.project.dir,
        timeout: 60_000,
        env: {
          PATH: `${dirname(node)}${delimiter}${process.env.PATH}`,
          HOME: s.project.dir,
          XDG_CONFIG_HOME: join(s.project.dir, '.config'),
          CI: 'true',
          CLOUDFLARE_API_BASE_URL: s.base,
          CLOUDFLARE_API_TOKEN: TOKEN,
          CLOUDFLARE_ACCOUNT_ID: ACCOUNT,
          WRANGLER_SEND_METRICS: 'false',
          WRANGLER_HIDE_BANNER: 'true',
          // The update check (npm registry) goes to a closed local port instead of the internet.
          npm_config_registry: 'http://127.0.0.1:9/',
          NO_COLOR: '1',
        },
      },
      (error, stdout, stderr) => resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr }),
    );
    child.stdin!.end(stdin ?? '');
  });
}

/** The requests `s` answered since `mark`: "METHOD /path?query", the path under `under` (the account's by default). */
export function requestsSince(s: Served, mark: number, under = `/client/v4/accounts/${ACCOUNT}`): string[] {
  return s
    .requests()
    .slice(mark)
    .map((r) => {
      const q = new URLSearchParams(r.query).toString();
      return `${r.method} ${r.path.replace(under, '')}${q ? `?${q}` : ''}`;
    });
}

/** What a version's own tests get from the shared suite (its server and helpers). */
export interface SuiteTools {
  wrangler: (args: string[], stdin?: string) => Promise<Ran>;
  serve: () => Served;
  mycliJson: (args: string[]) => Promise<any>;
  sentSince: (mark: number) => string[];
  expectClean: (r: Ran) => void;
  secretNames: (worker?: string) => Promise<string[]>;
  versionIds: () => Promise<string[]>;
  liveSplit: () => Promise<string[]>;
}

/** The suite for one wrangler; `extra` adds that version's own tests after the shared ones. */
export function wranglerSuite(w: WranglerUnderTest, extra?: (t: SuiteTools) => void): void {
  const launcher = launcherOf(w.pkg);
  const skip = typeof w.node !== 'string' ? w.node.skip : !existsSync(launcher) ? `${w.pkg} is not installed (run npm ci)` : undefined;
  const node = typeof w.node === 'string' ? w.node : process.execPath;
  let s: Served;

  const wrangler = (args: string[], stdin?: string) => runWrangler(s, launcher, args, stdin, node);

  async function mycliJson(args: string[]) {
    const r = await s.project.run([...args, '--json']);
    expect(r.code, r.all).toBe(0);
    return r.json();
  }
  const secretNames = async (worker = W) => (await mycliJson(['secret', 'list', '--name', worker])).secrets.map((x: { name: string }) => x.name);
  const liveSplit = async () => (await mycliJson(['deployments', 'status', '--name', W])).versions.map((v: { id: string; percentage: number }) => `${v.id}@${v.percentage}`);
  const versionIds = async () => (await mycliJson(['versions', 'list', '--name', W])).versions.map((v: { id: string }) => v.id);

  /** Why a wrangler run failed: its output and what serve answered it. */
  function explain(r: Ran): string {
    const answered = s.requests().slice(-12).map((x) => `${x.method} ${x.path} -> ${x.status}${x.code ? ` (${x.code})` : ''}`);
    return `${r.stderr}\n${r.stdout}\nlast requests:\n${answered.join('\n')}`;
  }

  const sentSince = (mark: number) => requestsSince(s, mark);

  const SECRET_VALUES = ['wrangler-value-1', 'bulk-value-a', 'bulk-value-b', 'versions-value-c', 'fresh-value'];

  function expectClean(r: Ran) {
    for (const v of SECRET_VALUES) expect(r.stdout + r.stderr).not.toContain(v);
    expect(r.stdout + r.stderr).not.toContain(TOKEN);
  }

  // wrangler is a devDependency (installed by `npm ci`); a skip says why (a partial install, or no Node new enough).
  describe.skipIf(skip !== undefined)(`wrangler ${w.label} against mycli serve${skip ? ` (skipped: ${skip})` : ''}`, { timeout: 180_000 }, () => {
    beforeAll(async () => {
      s = await startServe();
    });
    afterAll(async () => {
      expect(await s?.stop()).toBe(0);
      const log = readFileSync(s.logFile, 'utf8');
      for (const v of SECRET_VALUES) expect(log).not.toContain(v);
    });

    let firstVersion = '';
    let secretVersion = '';

    it('secret put (piped) on a new Worker: 10007, wrangler creates a draft Worker, then the secret', async () => {
      const mark = s.requests().length;
      const r = await wrangler(['secret', 'put', 'API_KEY'], 'wrangler-value-1');
      expect(r.code, explain(r)).toBe(0);
      expect(r.stdout).toContain('Success! Uploaded secret API_KEY');
      expectClean(r);
      const sent = sentSince(mark);
      expect(sent[0]).toBe(`PUT /workers/scripts/${W}/secrets`);
      expect(s.requests()[mark].code).toBe(10007);
      expect(sent.slice(1).filter((x) => x.startsWith(`PUT /workers/scripts/${W}?`) || x === `PUT /workers/scripts/${W}`)).toHaveLength(1);
      expect(sent.at(-1)).toBe(`PUT /workers/scripts/${W}/secrets`);
      expect(await secretNames()).toEqual(['API_KEY']);
      [firstVersion] = await versionIds();
    });

    it('secret list', async () => {
      const mark = s.requests().length;
      const r = await wrangler(['secret', 'list']);
      expect(r.code, explain(r)).toBe(0);
      expect(JSON.parse(r.stdout)).toEqual([{ name: 'API_KEY', type: 'secret_text' }]);
      expect(sentSince(mark)).toEqual([`GET /workers/scripts/${W}/secrets`]);
    });

    it('secret bulk: PATCH secrets-bulk, or (4.80) reads and patches the settings (multipart)', async () => {
      const file = join(s.project.dir, 'secrets.json');
      writeFileSync(file, JSON.stringify({ A: 'bulk-value-a', B: 'bulk-value-b' }));
      const mark = s.requests().length;
      const r = await wrangler(['secret', 'bulk', file]);
      expect(r.code, explain(r)).toBe(0);
      expectClean(r);
      if (w.modern) {
        expect(sentSince(mark)).toEqual([`PATCH /workers/scripts/${W}/secrets-bulk`]);
        expect(s.requests()[mark].body).toEqual({
          secrets: {
            // The log keeps the shape (keys, type words, lengths), never a value (issue 16 item 5).
            A: { type: 'secret_text', name: '[1 chars]', text: `[${'bulk-value-a'.length} chars]` },
            B: { type: 'secret_text', name: '[1 chars]', text: `[${'bulk-value-b'.length} chars]` },
          },
        });
      } else {
        expect(sentSince(mark)).toEqual([`GET /workers/scripts/${W}/settings`, `PATCH /workers/scripts/${W}/settings`]);
        const patch = s.requests()[mark + 1];
        expect(patch.body).toEqual({
          multipart: [
            {
              name: 'settings',
              json: {
                bindings: [
                  { type: 'secret_text', name: '[7 chars]' },
                  { type: 'secret_text', name: '[1 chars]', text: `[${'bulk-value-a'.length} chars]` },
                  { type: 'secret_text', name: '[1 chars]', text: `[${'bulk-value-b'.length} chars]` },
                ],
              },
            },
          ],
        });
      }
      expect(await secretNames()).toEqual(['A', 'API_KEY', 'B']);
    });

    it('secret delete', async () => {
      const mark = s.requests().length;
      const r = await wrangler(['secret', 'delete', 'B']);
      expect(r.code, explain(r)).toBe(0);
      expect(sentSince(mark)).toEqual([`DELETE /workers/scripts/${W}/secrets/B?url_encoded=true`]);
      expect(await secretNames()).toEqual(['A', 'API_KEY']);
    });

    it('versions list', async () => {
      const mark = s.requests().length;
      const r = await wrangler(['versions', 'list', '--json']);
      expect(r.code, explain(r)).toBe(0);
      const listed = JSON.parse(r.stdout).map((v: { id: string }) => v.id);
      expect(listed.slice().reverse()).toEqual(await versionIds());
      expect(sentSince(mark)).toEqual([`GET /workers/scripts/${W}/versions?deployable=true`]);
    });

    it('versions secret put makes a new version from the latest, not deployed', async () => {
      const liveBefore = await liveSplit();
      const mark = s.requests().length;
      const r = await wrangler(['versions', 'secret', 'put', 'C'], 'versions-value-c');
      expect(r.code, explain(r)).toBe(0);
      expectClean(r);
      const [latest, previous] = await versionIds();
      if (w.modern) {
        expect(sentSince(mark)).toEqual([`PATCH /workers/workers/${W}/versions/latest`]);
        expect(s.requests()[mark].body).toMatchObject({ env: { C: { type: 'secret_text', text: `[${'versions-value-c'.length} chars]` } } });
      } else {
        expect(sentSince(mark)).toEqual([
          `GET /workers/scripts/${W}/versions`,
          `GET /workers/scripts/${W}/versions/${previous}`,
          `GET /workers/scripts/${W}/content/v2?version=${previous}`,
          `GET /workers/scripts/${W}/script-settings`,
          `POST /workers/scripts/${W}/versions?include_subdomain_availability=true&excludeScript=true`,
        ]);
      }
      expect(r.stdout).toContain(`Created version ${latest} with secret C`);
      expect(await liveSplit()).toEqual(liveBefore);
      const view = await mycliJson(['versions', 'view', latest, '--name', W]);
      expect(JSON.stringify(view)).toContain('"C"');
      secretVersion = latest;
    });

    it('versions view', async () => {
      const mark = s.requests().length;
      const r = await wrangler(['versions', 'view', secretVersion]);
      expect(r.code, explain(r)).toBe(0);
      expect(r.stdout).toContain(secretVersion);
      expect(r.stdout).toMatch(/Secret Name:\s+C/);
      expect(sentSince(mark)).toEqual([`GET /workers/scripts/${W}/versions/${secretVersion}`]);
    });

    it('versions deploy <id>@100% -y', async () => {
      const mark = s.requests().length;
      const r = await wrangler(['versions', 'deploy', `${secretVersion}@100%`, '-y', '--message', 'ship C']);
      expect(r.code, explain(r)).toBe(0);
      expect(await liveSplit()).toEqual([`${secretVersion}@100`]);
      const sent = sentSince(mark);
      expect(sent[0]).toBe(`GET /workers/scripts/${W}/deployments`);
      expect(sent).toContain(`POST /workers/scripts/${W}/deployments`);
      expect(sent.at(-1)).toBe(`GET /workers/services/${W}`);
    });

    it('deployments list and status', async () => {
      let mark = s.requests().length;
      const list = await wrangler(['deployments', 'list']);
      expect(list.code, explain(list)).toBe(0);
      expect(list.stdout).toContain(secretVersion);
      expect(sentSince(mark)[0]).toBe(`GET /workers/scripts/${W}/deployments`);
      mark = s.requests().length;
      const status = await wrangler(['deployments', 'status']);
      expect(status.code, explain(status)).toBe(0);
      expect(status.stdout).toContain(`(100%) ${secretVersion}`);
      expect(sentSince(mark)).toEqual([`GET /workers/scripts/${W}/deployments`, `GET /workers/scripts/${W}/versions/${secretVersion}`]);
    });

    it('rollback with changed secrets: 10220, confirmed, resent with ?force=true', async () => {
      const mark = s.requests().length;
      const r = await wrangler(['rollback', firstVersion, '-y', '--message', 'x']);
      expect(r.code, explain(r)).toBe(0);
      expect(r.stdout).toMatch(/secrets have changed[\s\S]*\* A[\s\S]*\* C/);
      expect(await liveSplit()).toEqual([`${firstVersion}@100`]);
      const posts = s.requests().slice(mark).filter((x) => x.method === 'POST');
      expect(posts.map((p) => [p.query, p.status, p.code ?? null])).toEqual([
        [{}, 400, 10220],
        [{ force: 'true' }, 200, null],
      ]);
      // 4.164 also sends code_update_strategy (not in the reference schema; serve ignores it).
      expect(posts[0].body).toMatchObject({ strategy: 'percentage', versions: [{ version_id: firstVersion, percentage: 100 }], annotations: { 'workers/message': '[1 chars]' } }); // the log keeps lengths, not text
    });

    it('secret put during a gradual rollout fails with wrangler\'s 10215 explanation; nothing changes', async () => {
      const [latest] = await versionIds();
      await s.project.run(['versions', 'deploy', `${latest}@50%`, `${firstVersion}@50%`, '--name', W, '--yes']);
      expect(await liveSplit()).toHaveLength(2);
      const before = await versionIds();
      const r = await wrangler(['secret', 'put', 'LATE'], 'wrangler-value-1');
      expect(r.code).not.toBe(0);
      expect(r.stdout + r.stderr).toContain('wrangler versions secret put');
      expectClean(r);
      expect(await versionIds()).toEqual(before);
    });

    it('secret bulk on a Worker that does not exist: wrangler creates a draft Worker first', async () => {
      const file = join(s.project.dir, 'fresh.json');
      writeFileSync(file, JSON.stringify({ FRESH: 'fresh-value' }));
      const mark = s.requests().length;
      const r = await wrangler(['secret', 'bulk', file, '--name', 'fresh-worker']);
      expect(r.code, explain(r)).toBe(0);
      expectClean(r);
      expect(sentSince(mark)).toEqual(
        w.modern
          ? ['PATCH /workers/scripts/fresh-worker/secrets-bulk', 'PUT /workers/scripts/fresh-worker', 'PATCH /workers/scripts/fresh-worker/secrets-bulk']
          : ['GET /workers/scripts/fresh-worker/settings', 'PUT /workers/scripts/fresh-worker', 'PATCH /workers/scripts/fresh-worker/settings'],
      );
      expect(s.requests()[mark].code).toBe(10007);
      expect(await secretNames('fresh-worker')).toEqual(['FRESH']);
    });

    it('deploy: uploads, deploys at 100% and sets workers.dev (a demo without an account)', async () => {
      const mark = s.requests().length;
      const r = await wrangler(['deploy', '--name', 'deployed-worker', '--env', '']);
      expect(r.code, explain(r)).toBe(0);
      expect(r.stdout).toMatch(/Current Version ID: [0-9a-f-]{36}/);
      expectClean(r);
      const sent = sentSince(mark);
      // A new Worker: one script upload (wrangler reads the version id from its answer).
      expect(sent.filter((x) => /^PUT \/workers\/scripts\/deployed-worker(\?|$)/.test(x))).toHaveLength(1);
      expect(sent).toContain('GET /workers/subdomain');
      expect(r.stdout).toContain(`Current Version ID: ${(await mycliJson(['versions', 'list', '--name', 'deployed-worker'])).versions[0].id}`);
      const versions = (await mycliJson(['versions', 'list', '--name', 'deployed-worker'])).versions;
      expect(versions).toHaveLength(1);
      expect(versions[0].percentage).toBe(100);
      const view = (await mycliJson(['versions', 'view', versions[0].id, '--name', 'deployed-worker'])).version;
      expect(view.bindings.find((b: { name: string }) => b.name === 'GREETING')).toMatchObject({ type: 'plain_text', text: 'hello' });
    });

    it('delete: the Worker and its versions are gone', async () => {
      const r = await wrangler(['delete', '--name', 'deployed-worker', '--force']);
      expect(r.code, explain(r)).toBe(0);
      const list = await s.project.run(['versions', 'list', '--name', 'deployed-worker']);
      expect(list.code).toBe(3);
    });

    extra?.({ wrangler, serve: () => s, mycliJson, sentSince, expectClean, secretNames, versionIds, liveSplit });
  });
}
