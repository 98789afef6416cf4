/**
 * Rollout gates (issue 16 item 6): a `--check` command does not inherit mycli's credentials
 * unless passed on purpose with `--check-env`, and its output is redacted as a whole stream —
 * a credential printed in pieces shorter than 8 characters (`fold -w 7`, `fold -w 1`) is still
 * caught.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeProject } from '../helpers/cli.js';
import { twoVersions } from '../helpers/scenarios.js';
import { fakeWorld, runRollout } from '../helpers/rollout.js';

const TOKEN = 'cf-token-Zq81mXv04LkPw7Ty';
const CREDS = { CLOUDFLARE_API_TOKEN: TOKEN, CLOUDFLARE_API_KEY: 'cf-key-0d9c8b7a6f5e4d3c', CLOUDFLARE_EMAIL: 'ops@example.com', MYCLI_SERVE_TOKEN: 'serve-token-55aa66bb77' };

async function setup() {
  const p = makeProject();
  const { v1, v2 } = await twoVersions(p);
  return { p, v1, v2 };
}

describe('rollout gates: their environment', () => {
  it('a --check sees none of mycli\'s credentials (MYCLI_LOCAL_KEY, CLOUDFLARE_*); other variables and the rollout\'s own are there', async () => {
    const { p, v2 } = await setup();
    const out = join(p.dir, 'env.txt');
    const r = await runRollout(p, { version: v2, steps: '100', wait: '0', check: `env > "${out}"` }, fakeWorld(), { json: true, env: { ...CREDS, HARMLESS: 'kept' } });
    expect(r.code, r.all).toBe(0);
    const seen = readFileSync(out, 'utf8');
    for (const name of ['MYCLI_LOCAL_KEY', 'CLOUDFLARE_API_TOKEN', 'CLOUDFLARE_API_KEY', 'CLOUDFLARE_EMAIL', 'MYCLI_SERVE_TOKEN']) expect(seen).not.toMatch(new RegExp(`^${name}=`, 'm'));
    expect(seen).not.toContain(p.env.MYCLI_LOCAL_KEY);
    expect(seen).not.toContain(TOKEN);
    expect(seen).toMatch(/^HARMLESS=kept$/m);
    expect(seen).toMatch(/^MYCLI_ROLLOUT_VERSION=/m);
  });

  it('--check-env NAME[,NAME] passes the named ones on purpose', async () => {
    const { p, v2 } = await setup();
    const out = join(p.dir, 'env.txt');
    const r = await runRollout(p, { version: v2, steps: '100', wait: '0', check: `env > "${out}"`, checkEnv: 'CLOUDFLARE_API_TOKEN,CLOUDFLARE_EMAIL' }, fakeWorld(), { json: true, env: CREDS });
    expect(r.code, r.all).toBe(0);
    const seen = readFileSync(out, 'utf8');
    expect(seen).toContain(`CLOUDFLARE_API_TOKEN=${TOKEN}`);
    expect(seen).toMatch(/^CLOUDFLARE_EMAIL=ops@example.com$/m);
    expect(seen).not.toMatch(/^MYCLI_LOCAL_KEY=/m);
  });

  it('--check-env with a bad name: exit 2 before anything is deployed', async () => {
    const { p, v2 } = await setup();
    const r = await runRollout(p, { version: v2, steps: '100', wait: '0', check: 'true', checkEnv: 'NOT-A-NAME' }, fakeWorld(), { json: true });
    expect(r.code).toBe(2);
    expect(r.json().error.message).toBe('--check-env "NOT-A-NAME" is not an environment variable name');
  });
});

describe('rollout gates: output redacted as a whole stream', () => {
  it.each([7, 1, 3])('a credential printed by a failing gate through fold -w %i never appears, not even 8 characters of it', async (width) => {
    const { p, v2 } = await setup();
    // The gate knows the token on purpose (--check-env), prints it folded, and fails.
    const check = `printf '%s\\n' "before $CLOUDFLARE_API_TOKEN after" | fold -w ${width}; exit 3`;
    const r = await runRollout(p, { version: v2, steps: '100', wait: '0', check, checkEnv: 'CLOUDFLARE_API_TOKEN' }, fakeWorld(), { json: true, env: { CLOUDFLARE_API_TOKEN: TOKEN } });
    expect(r.code, r.all).toBe(1);
    expect(r.all).toMatch(/last lines of its output/);
    const flat = r.all.replace(/\\n|\n/g, '');
    expect(flat).not.toContain(TOKEN);
    for (let i = 0; i + 8 <= TOKEN.length; i++) expect(flat).not.toContain(TOKEN.slice(i, i + 8));
    for (let i = 0; i + 7 <= TOKEN.length; i += 7) if (width === 7) expect(r.all).not.toContain(TOKEN.slice(i, i + 7));
  });
});
