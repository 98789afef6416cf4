/**
 * Account-level routes of `mycli serve`: the one fake account, token checks, and the account
 * answers `wrangler deploy` / `wrangler delete` ask for (workers.dev subdomain, KV namespaces).
 */
import { ok } from '../envelope.js';
import type { Handler, ServeContext } from '../context.js';
import { direction, paginate } from '../paging.js';

/** GET /accounts and /memberships: page 1.. of at most 50 (at least 5) per page, as the API. */
const ACCOUNT_PAGES = { perPage: 20, minPerPage: 5, maxPerPage: 50 };

/** The one account of a server, as the Account of GET /accounts. */
function account(ctx: ServeContext) {
  return { id: ctx.account.id, name: ctx.account.name, type: 'standard', created_on: '2025-01-01T00:00:00Z', settings: {} };
}

export const accounts: Handler = async (ctx, req) => {
  direction(req.query, 'asc');
  const name = req.query.get('name');
  const all = [account(ctx)].filter(
    (a) => !name || a.name === name,
  );
  const { items, info } = paginate(all, req.query, ACCOUNT_PAGES);
  return ok(items, info);
};

export const memberships: Handler = async (ctx, req) => {
  const all = [{ id: 'mycli-serve', status: 'accepted', account: account(ctx), roles: ['Administrator'] }];
  const { items, info } = paginate(all, req.query, ACCOUNT_PAGES);
  return ok(items, info);
};

export const verifyToken: Handler = async () => ok({ id: 'mycli-serve-token', status: 'active' });

// No KV here: `wrangler delete` lists namespaces (to remove a Workers Sites one); there are none.
export const listKvNamespaces: Handler = async (_ctx, req) => {
  const { items, info } = paginate([], req.query, { perPage: 20, maxPerPage: 1000 });
  return ok(items, info);
};

export const getAccountSubdomain: Handler = async () => ok({ subdomain: 'mycli-serve' });
