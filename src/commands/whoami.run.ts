/**
 * mycli whoami (wrangler's name): the backend in use, where it acts, and — on cloudflare — whether
 * the credentials work (a verify request) and which accounts they see, so a token can be tested
 * before an incident. Exit 4 when the credentials are refused.
 */
import type { RunOf } from '../cli/define-command.js';
import type { command } from './whoami.js';
import type { CloudflareIdentity } from '../backends/cloudflare/backend.js';



/** Where to create a token, and what each command group needs (README "cloudflare"). */
export const TOKEN_PERMISSIONS = [
  ['secret, versions, deployments, rollback', 'Workers Scripts Edit (Read for the list/view commands)'],
  ['finding the account (no CLOUDFLARE_ACCOUNT_ID)', 'Account Settings Read'],
  ['secrets-store', 'Secrets Store Edit (Read for list/get)'],
  ['versions rollout --check-health', 'Workers Observability Read'],
] as const;

export const run: RunOf<typeof command> = async (ctx) => {
  const backend = await ctx.backend();
  const target = await ctx.target();
  const place = backend.describe ? backend.describe(target) : undefined;
  const who = (backend as { whoami?: (t: typeof target) => Promise<CloudflareIdentity> }).whoami;
  const s = ctx.out.out;
  if (!who) {
    ctx.out.document({ backend: backend.name, where: place ?? null, credentials: null });
    ctx.out.data(`backend ${s.bold(backend.name)}${place ? ` (${place})` : ''}: no credentials needed`);
    return;
  }
  const id = await who.call(backend, target);
  ctx.out.document({ backend: backend.name, where: place ?? null, credentials: id });
  if (ctx.out.json) return;
  ctx.out.data(`backend ${s.bold(backend.name)} (${id.host})`);
  if (id.token) {
    ctx.out.data(`token: ${id.token.status === 'active' ? s.green('active') : s.yellow(id.token.status)} (${id.token.scope} token${id.token.id ? ` ${id.token.id}` : ''}${id.token.expiresOn ? `, expires ${id.token.expiresOn}` : ''})`);
  } else {
    ctx.out.data('credentials: API key and email (accepted: the accounts below were listed with them)');
  }
  if (id.accounts) {
    ctx.out.data(`accounts (${id.accounts.length}):`);
    for (const a of id.accounts) ctx.out.data(`  ${a.name ?? '(no name)'}  ${a.id}${a.id === id.account ? '  (in use)' : ''}`);
  } else {
    ctx.out.data(`accounts: not listed (${id.accountsError ?? 'unknown'}); the token lacks Account Settings Read — set CLOUDFLARE_ACCOUNT_ID`);
  }
  if (id.account && !id.accounts?.some((a) => a.id === id.account)) ctx.out.data(`account in use: ${id.account}`);
};
