/**
 * mycli whoami against the fake Cloudflare API on 127.0.0.1: the token is verified (user token,
 * else account token), the accounts are listed, a refused token is exit 4 naming where to create
 * one; the no-credentials error names the dashboard page and the permissions.
 */
import { describe, expect, it } from 'vitest';
import { makeProject } from '../helpers/cli.js';
import { ACCOUNT, TOKEN } from './fake-api.js';
import { cf, cfProject, expectNotPrinted, lines, useFakeApi } from './helpers.js';

describe('mycli whoami (cloudflare)', () => {
  const api = useFakeApi();

  it('a user token: verified, active, and the accounts it sees', async () => {
    api.accountToken = false;
    api.accountsForbidden = false;
    const r = await cfProject(api, { CLOUDFLARE_ACCOUNT_ID: '' }).run(cf('whoami'));
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^backend cloudflare \(127\.0\.0\.1:\d+\)$/m);
    expect(r.stdout).toContain('token: active (user token fake-token-id, expires 2030-01-01T00:00:00Z)');
    expect(r.stdout).toContain(`accounts (1):\n  Example Account  ${ACCOUNT}`);
    expect(lines(api.requests)).toEqual(['GET /user/tokens/verify', 'GET /accounts?per_page=50']);
    expectNotPrinted(r.all, TOKEN);
  });

  it('an account token: /user refuses it, /accounts/{id}/tokens/verify accepts it; --json', async () => {
    api.accountToken = true;
    api.accountsForbidden = true;
    const r = await cfProject(api).run(cf('whoami', '--json'));
    expect(r.code, r.stderr).toBe(0);
    expect(r.json()).toMatchObject({
      backend: 'cloudflare',
      credentials: { auth: 'token', token: { scope: 'account', status: 'active' }, account: ACCOUNT },
    });
    expect(r.json().credentials.accounts).toBeUndefined();
    expect(lines(api.requests)).toEqual(['GET /user/tokens/verify', 'GET /A/tokens/verify', 'GET /accounts?per_page=50']);
    const text = await cfProject(api).run(cf('whoami'));
    expect(text.stdout).toMatch(/accounts: not listed .*Account Settings Read/);
    expect(text.stdout).toContain(`account in use: ${ACCOUNT}`);
    api.accountToken = false;
    api.accountsForbidden = false;
    expectNotPrinted(r.all + text.all, TOKEN);
  });

  it('a refused token: exit 4, nothing else asked', async () => {
    const r = await cfProject(api, { CLOUDFLARE_API_TOKEN: 'wrong-token-abcdef0123456789' }).run(cf('whoami'));
    expect(r.code).toBe(4);
    expectNotPrinted(r.all, 'wrong-token-abcdef0123456789');
  });

  it('the local backend needs no credentials', async () => {
    const r = await makeProject().run(['whoami']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^backend local \(.*\.mycli\): no credentials needed$/m);
  });

  it('no credentials: where to create a token and which permissions each command group needs', async () => {
    const r = await makeProject().run(cf('secret', 'list'));
    expect(r.code).toBe(4);
    expect(r.stderr).toContain('https://dash.cloudflare.com/profile/api-tokens');
    for (const p of ['Workers Scripts Edit', 'Account Settings Read', 'Secrets Store Edit', 'Workers Observability Read']) expect(r.stderr).toContain(p);
    expect(r.stderr).toContain('`mycli whoami --backend cloudflare`');
  });
});
