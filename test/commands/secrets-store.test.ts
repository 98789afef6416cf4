/**
 * mycli secrets-store on the local backend: stores and secrets shared by every Worker of the state
 * folder, values sealed on disk (never printed), addressed by name or id, the config's store as
 * the default, the Workers that bind each secret, and the bindings in versions.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeProject, EXAMPLE_TOML, type Project } from '../helpers/cli.js';
import { fingerprint, storeSecretValue } from '../helpers/store-reader.js';

const KEY = Buffer.from('0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef', 'hex');
const dir = (p: Project) => join(p.dir, '.mycli');
/** Every file of the local store with its bytes (the Secrets Store lives in it: head, records, blobs). */
const raw = (p: Project) => fingerprint(dir(p));
const files = (p: Project) => readdirSync(dir(p), { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));

/** The stored value of a secret, decrypted with the test key (proves it is byte-exact). */
function storedValue(p: Project, storeName: string, secretName: string): string | undefined {
  return storeSecretValue(dir(p), KEY, storeName, secretName);
}

async function ok(p: Project, argv: string[], stdin?: string) {
  const r = await p.run([...argv, '--json'], stdin === undefined ? {} : { stdin });
  expect(r.code, r.all).toBe(0);
  return r;
}

const withBinding = (storeId: string, extra = '') =>
  EXAMPLE_TOML.replace('[env.staging]', `[[secrets_store_secrets]]\nbinding = "BILLING_KEY"\nstore_id = "${storeId}"\nsecret_name = "billing-key"\n${extra}\n[env.staging]`);

describe('secrets-store on the local backend', () => {
  it('the whole cycle: stores and secrets by name or id, values sealed and never printed', async () => {
    const p = makeProject();
    const V1 = 'b1lling-v4lue-0ne';
    const V2 = 'b1lling-v4lue-tw0';
    const created = (await ok(p, ['secrets-store', 'store', 'create', 'shared'])).json();
    expect(created.store).toMatchObject({ name: 'shared' });
    expect(created.store.id).toMatch(/^[0-9a-f]{32}$/);
    const storeId = created.store.id;
    expect((await ok(p, ['secrets-store', 'store', 'list'])).json().stores).toEqual([expect.objectContaining({ id: storeId, name: 'shared' })]);
    const dup = await p.run(['secrets-store', 'store', 'create', 'shared']);
    expect(dup.code).toBe(5);

    const c = await ok(p, ['secrets-store', 'secret', 'create', 'billing-key', '--store', 'shared', '--comment', 'for billing'], V1 + '\n');
    const secret = c.json().secret;
    expect(secret).toMatchObject({ name: 'billing-key', scopes: ['workers'], comment: 'for billing', status: 'active' });
    expect(storedValue(p, 'shared', 'billing-key')).toBe(V1);
    // Taken: exit 5, and the hint is the command that changes it, in the same store, runnable as written.
    const taken = await p.run(['secrets-store', 'secret', 'create', 'billing-key', '--store', 'shared', '--env', 'staging'], { stdin: 'other-v4lue' });
    expect(taken.code).toBe(5);
    expect(taken.stderr).toContain('`mycli secrets-store secret update billing-key --store shared --env staging`');
    expect(taken.stderr).not.toContain('other-v4lue');

    const list = (await ok(p, ['secrets-store', 'secret', 'list', '--store', storeId])).json();
    expect(list.store).toEqual({ id: storeId, name: 'shared' });
    expect(list.secrets).toEqual([expect.objectContaining({ id: secret.id, name: 'billing-key', scopes: ['workers'], comment: 'for billing', boundBy: [] })]);
    const byId = (await ok(p, ['secrets-store', 'secret', 'get', secret.id, '--store', 'shared'])).json();
    const byName = (await ok(p, ['secrets-store', 'secret', 'get', 'billing-key', '--store', 'shared'])).json();
    expect(byId.secret).toEqual(byName.secret);
    expect(Object.keys(byId.secret).sort()).toEqual(['boundBy', 'comment', 'created', 'id', 'modified', 'name', 'scopes', 'status']);

    const human = await p.run(['secrets-store', 'secret', 'list', '--store', 'shared']);
    expect(human.stdout).toMatch(/NAME\s+ID\s+SCOPES\s+BOUND BY\s+COMMENT\nbilling-key\s+[0-9a-f]{32}\s+workers\s+-\s+for billing/);

    const u = await ok(p, ['secrets-store', 'secret', 'update', 'billing-key', '--store', 'shared', '--scopes', 'workers,ai_gateway'], V2);
    expect(u.json().secret.scopes).toEqual(['workers', 'ai_gateway']);
    expect(storedValue(p, 'shared', 'billing-key')).toBe(V2);
    const keep = await ok(p, ['secrets-store', 'secret', 'update', 'billing-key', '--store', 'shared', '--keep-value', '--comment', 'rotated']);
    expect(keep.json()).toMatchObject({ valueChanged: false, secret: { comment: 'rotated' } });
    expect(storedValue(p, 'shared', 'billing-key')).toBe(V2);
    const nothing = await p.run(['secrets-store', 'secret', 'update', 'billing-key', '--store', 'shared', '--keep-value']);
    expect(nothing.code).toBe(2);

    const d = (await ok(p, ['secrets-store', 'secret', 'duplicate', 'billing-key', 'billing-key-next', '--store', 'shared'])).json();
    expect(d.secret).toMatchObject({ name: 'billing-key-next', scopes: ['workers', 'ai_gateway'], comment: 'rotated' });
    expect(d.secret.id).not.toBe(secret.id);
    expect(storedValue(p, 'shared', 'billing-key-next')).toBe(V2);

    // Deleting needs confirmation: no terminal and no --yes is exit 2, nothing deleted.
    const refused = await p.run(['secrets-store', 'secret', 'delete', 'billing-key-next', '--store', 'shared']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/needs confirmation.*\n.*--yes/);
    const asked = await p.run(['secrets-store', 'secret', 'delete', 'billing-key-next', '--store', 'shared'], { tty: true, answers: [false] });
    expect(asked.code).toBe(130);
    expect(asked.prompts[0]).toMatch(/^Delete secret billing-key-next \([0-9a-f]{32}\) from store shared · backend local \(.*\.mycli\)\?$/);
    await ok(p, ['secrets-store', 'secret', 'delete', 'billing-key-next', '--store', 'shared', '--yes']);
    expect((await ok(p, ['secrets-store', 'secret', 'list', '--store', 'shared'])).json().secrets.map((s: { name: string }) => s.name)).toEqual(['billing-key']);
    const gone = await p.run(['secrets-store', 'secret', 'get', 'billing-key-next', '--store', 'shared']);
    expect(gone.code).toBe(3);

    // A store with secrets is kept unless --force.
    const notEmpty = await p.run(['secrets-store', 'store', 'delete', 'shared', '--yes']);
    expect(notEmpty.code).toBe(5);
    expect(notEmpty.stderr).toMatch(/still holds 1 secret[\s\S]*--force/);
    await ok(p, ['secrets-store', 'store', 'delete', 'shared', '--yes', '--force']);
    expect((await ok(p, ['secrets-store', 'store', 'list'])).json().stores).toEqual([]);

    // On disk: sealed, 0600; never printed.
    expect(raw(p)).not.toContain(V1);
    expect(raw(p)).not.toContain(V2);
    for (const f of files(p)) expect(statSync(f).mode & 0o777, f).toBe(0o600);
    for (const r of [c, u, keep, human]) {
      expect(r.all).not.toContain(V1);
      expect(r.all).not.toContain(V2);
    }
  });

  it('the value limit (65,536 bytes, as Cloudflare) is checked before any request, and values never come from argv', async () => {
    const p = makeProject();
    const long = 'L0ng'.repeat(16_384) + 'x'; // 65,537 bytes
    // The store does not even exist: the limit is what fails, before the store is looked up.
    const r = await p.run(['secrets-store', 'secret', 'create', 'big', '--store', 'nowhere'], { stdin: long });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/the value of secret big is (over the limit|65537 bytes); the Secrets Store takes at most 65536 bytes/);
    expect(r.all).not.toContain('L0ngL0ng');
    expect(existsSync(join(dir(p), 'HEAD'))).toBe(false);
    // Bytes, not characters: 21,846 three-byte characters are 65,538 bytes.
    const wide = await p.run(['secrets-store', 'secret', 'create', 'wide', '--store', 'nowhere'], { stdin: '€'.repeat(21_846) });
    expect(wide.code).toBe(2);
    expect(wide.stderr).toMatch(/at most 65536 bytes/);
    expect(wide.all).not.toContain('€€€€');
    // A 2,000-character key (more than the beta's 1,024) is stored, byte for byte.
    const pem = 'K3y-'.repeat(500);
    await ok(p, ['secrets-store', 'store', 'create', 's']);
    await ok(p, ['secrets-store', 'secret', 'create', 'pem', '--store', 's'], pem);
    expect(storedValue(p, 's', 'pem')).toBe(pem);
    const exact = 'E'.repeat(65_536);
    await ok(p, ['secrets-store', 'secret', 'create', 'edge', '--store', 's'], exact);
    expect(storedValue(p, 's', 'edge')).toBe(exact);
    const tooBigUpdate = await p.run(['secrets-store', 'secret', 'update', 'edge', '--store', 's'], { stdin: exact + 'E' });
    expect(tooBigUpdate.code).toBe(2);
    expect(storedValue(p, 's', 'edge')).toBe(exact);

    const argv = await p.run(['secrets-store', 'secret', 'create', 'x', '--store', 's', '--value', 'nope']);
    expect(argv.code).toBe(2);
    expect(argv.stderr).toMatch(/never taken as arguments/);
    const noValue = await p.run(['secrets-store', 'secret', 'create', 'x', '--store', 's'], { stdinIsTTY: true });
    expect(noValue.code).toBe(2);
    expect(noValue.stderr).toMatch(/--from-file/);
    const badName = await p.run(['secrets-store', 'secret', 'create', 'bad name!', '--store', 's'], { stdin: 'v' });
    expect(badName.code).toBe(2);
    const badScope = await p.run(['secrets-store', 'secret', 'create', 'ok', '--store', 's', '--scopes', 'workers,nope'], { stdin: 'v' });
    expect(badScope.code).toBe(2);
    expect(badScope.stderr).toMatch(/unknown scope nope/);
  });

  it('--store defaults to the store of the config\'s secrets_store_secrets; otherwise exit 2 listing the stores', async () => {
    const p = makeProject();
    const a = (await ok(p, ['secrets-store', 'store', 'create', 'alpha'])).json().store;
    const b = (await ok(p, ['secrets-store', 'store', 'create', 'beta'])).json().store;
    const none = await p.run(['secrets-store', 'secret', 'list']);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain(`the stores: alpha (${a.id}), beta (${b.id})`);

    p.write('wrangler.toml', withBinding(a.id));
    await ok(p, ['secrets-store', 'secret', 'create', 'billing-key'], 'v');
    expect((await ok(p, ['secrets-store', 'secret', 'list'])).json().store).toEqual({ id: a.id, name: 'alpha' });

    p.write('wrangler.toml', withBinding(a.id, `[[secrets_store_secrets]]\nbinding = "OTHER"\nstore_id = "${b.id}"\nsecret_name = "other"\n`));
    const two = await p.run(['secrets-store', 'secret', 'list', '--json']);
    expect(two.code).toBe(2);
    expect(two.json().error.message).toMatch(/name 2 stores/);
    expect(two.json().error.hint).toContain('alpha');
  });

  it('--store may be left out when exactly one store exists', async () => {
    const p = makeProject();
    const only = (await ok(p, ['secrets-store', 'store', 'create', 'solo'])).json().store;
    const made = await ok(p, ['secrets-store', 'secret', 'create', 'solo-key'], 'solo-v4lue-123');
    expect(made.json().store).toEqual({ id: only.id, name: 'solo' });
    expect((await ok(p, ['secrets-store', 'secret', 'list'])).json().secrets.map((s: { name: string }) => s.name)).toEqual(['solo-key']);
    await ok(p, ['secrets-store', 'store', 'create', 'second']);
    const two = await p.run(['secrets-store', 'secret', 'list']);
    expect(two.code).toBe(2);
    expect(two.stderr).toMatch(/pass --store <name or id>/);
    expect(made.all + two.all).not.toContain('solo-v4lue-123');
  });

  it('update --comment in CI without a value points at --keep-value (and --keep-value does it)', async () => {
    const p = makeProject();
    await ok(p, ['secrets-store', 'store', 'create', 'ci-store']);
    await ok(p, ['secrets-store', 'secret', 'create', 'ci-key'], 'ci-v4lue-123');
    const before = raw(p);
    const r = await p.run(['secrets-store', 'secret', 'update', 'ci-key', '--comment', 'rotated'], { env: { CI: '1' } });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/refusing to store an empty value for secret ci-key \(stdin was empty\)/);
    expect(r.stderr).toMatch(/hint: .*to change only --comment and keep the value, add --keep-value/);
    expect(raw(p)).toBe(before);
    const kept = await ok(p, ['secrets-store', 'secret', 'update', 'ci-key', '--comment', 'rotated', '--keep-value']);
    expect(kept.json()).toMatchObject({ valueChanged: false, secret: { comment: 'rotated' } });
    expect(storedValue(p, 'ci-store', 'ci-key')).toBe('ci-v4lue-123');
    expect(r.all + kept.all).not.toContain('ci-v4lue-123');
  });

  it('stores are account-wide: every Worker and environment of the state folder sees them', async () => {
    const p = makeProject();
    await ok(p, ['secrets-store', 'store', 'create', 'shared']);
    await ok(p, ['secrets-store', 'secret', 'create', 'k', '--store', 'shared'], 'v4l');
    for (const extra of [['--env', 'staging'], ['--name', 'another-worker']]) {
      const l = (await ok(p, ['secrets-store', 'secret', 'list', '--store', 'shared', ...extra])).json();
      expect(l.secrets.map((s: { name: string }) => s.name)).toEqual(['k']);
    }
  });

  it('versions carry the config\'s secrets_store_secrets; view shows them; secret list shows who binds them; secret put refuses the name', async () => {
    const p = makeProject();
    const store = (await ok(p, ['secrets-store', 'store', 'create', 'shared'])).json().store;
    p.write('wrangler.toml', withBinding(store.id));
    await ok(p, ['secrets-store', 'secret', 'create', 'billing-key'], 'b1ll');
    await ok(p, ['secrets-store', 'secret', 'create', 'unused'], 'unu5ed');
    const up = (await ok(p, ['versions', 'upload'])).json();
    expect(up.version.bindings).toContainEqual({ type: 'secrets_store_secret', name: 'BILLING_KEY', store_id: store.id, secret_name: 'billing-key' });
    const view = await p.run(['versions', 'view', up.versionId]);
    expect(view.stdout).toContain(`BILLING_KEY → billing-key (store ${store.id})`);
    // A secret change makes a version from the latest one: the binding stays.
    await ok(p, ['versions', 'deploy', `${up.versionId}@100%`, '--yes']);
    await ok(p, ['secret', 'put', 'OTHER_SECRET'], 'x');
    const latestId = (await ok(p, ['versions', 'list'])).json().versions[0].id;
    expect(latestId).not.toBe(up.versionId);
    expect((await ok(p, ['versions', 'view', latestId])).json().version.bindings).toContainEqual(expect.objectContaining({ type: 'secrets_store_secret', name: 'BILLING_KEY' }));

    const list = (await ok(p, ['secrets-store', 'secret', 'list'])).json();
    const byName = Object.fromEntries(list.secrets.map((s: { name: string; boundBy: unknown }) => [s.name, s.boundBy]));
    expect(byName['billing-key']).toEqual([{ worker: 'my-worker', binding: 'BILLING_KEY' }]);
    expect(byName.unused).toEqual([]);

    const clash = await p.run(['secret', 'put', 'BILLING_KEY'], { stdin: 'should-not-store' });
    expect(clash.code).toBe(2);
    expect(clash.stderr).toMatch(/BILLING_KEY is a Secrets Store binding/);
    expect(clash.all).not.toContain('should-not-store');
  });

  it('deploy and rollback previews name the Secrets Store bindings that change, before anything is sent', async () => {
    const p = makeProject();
    const store = (await ok(p, ['secrets-store', 'store', 'create', 'shared'])).json().store;
    const v1 = (await ok(p, ['versions', 'upload'])).json().versionId;
    await ok(p, ['versions', 'deploy', `${v1}@100%`, '--yes']);
    p.write('wrangler.toml', withBinding(store.id));
    const v2 = (await ok(p, ['versions', 'upload'])).json().versionId;
    const plan = await p.run(['versions', 'deploy', `${v2}@100%`, '--dry-run']);
    expect(plan.code, plan.all).toBe(0);
    expect(plan.stderr).toMatch(/Secrets Store bindings that change: BILLING_KEY \(added\)/);
    const planJson = (await ok(p, ['versions', 'deploy', `${v2}@100%`, '--dry-run'])).json();
    expect(planJson.preview.changes[0].secretsStore).toEqual([{ name: 'BILLING_KEY', change: 'added' }]);
    await ok(p, ['versions', 'deploy', `${v2}@100%`, '--yes']);
    const back = await p.run(['rollback', v1, '--yes']);
    expect(back.code, back.all).toBe(0);
    expect(back.stderr).toMatch(/Secrets Store bindings that change: BILLING_KEY \(removed\)/);
    // Without such bindings on either side, the preview says nothing about them.
    const none = await p.run(['versions', 'deploy', `${v1}@100%`, '--dry-run']);
    expect(none.stderr).not.toMatch(/Secrets Store/);
  });

  it('a Secrets Store written with another key is refused (exit 4), nothing changed', async () => {
    const p = makeProject();
    await ok(p, ['secrets-store', 'store', 'create', 'shared']);
    const before = raw(p);
    const r = await p.run(['secrets-store', 'store', 'create', 'other'], { env: { MYCLI_LOCAL_KEY: 'a different passphrase' } });
    expect(r.code).toBe(4);
    expect(raw(p)).toBe(before);
  });

  it('on a terminal the value comes from a hidden prompt', async () => {
    const p = makeProject();
    await ok(p, ['secrets-store', 'store', 'create', 's']);
    const r = await p.run(['secrets-store', 'secret', 'create', 'typed', '--store', 's'], { tty: true, answers: ['typ3d-at-the-prompt'] });
    expect(r.code, r.all).toBe(0);
    expect(r.prompts).toEqual(['Enter the value of secret typed:']);
    expect(r.all).not.toContain('typ3d-at-the-prompt');
    expect(storedValue(p, 's', 'typed')).toBe('typ3d-at-the-prompt');
  });

  it('--json errors are one document', async () => {
    const p = makeProject();
    const r = await p.run(['secrets-store', 'store', 'delete', 'nope', '--yes', '--json']);
    expect(r.code).toBe(3);
    expect(r.json().error.code).toBe('not_found');
  });
});
