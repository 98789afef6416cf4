/**
 * Account-level routes of `mycli serve`: the one fake account, token checks, and the account
 * answers `wrangler deploy` / `wrangler delete` ask for (workers.dev subdomain, KV namespaces).
 */
import { ok } from '../envelope.js';
import type { Handler } from '../context.js';

export const accounts: Handler = async (ctx) =>
  ok([{ id: ctx.account.id, name: ctx.account.name, type: 'standard', created_on: '2025-01-01T00:00:00Z', settings: {} }], {
    page: 1,
    per_page: 20,
    count: 1,
    total_count: 1,
    total_pages: 1,
  });

export const memberships: Handler = async (ctx) =>
  ok([{ id: 'mycli-serve', status: 'accepted', account: { id: ctx.account.id, name: ctx.account.name }, roles: ['Administrator'] }], {
    page: 1,
    per_page: 20,
    count: 1,
    total_count: 1,
    total_pages: 1,
  });

export const verifyToken: Handler = async () => ok({ id: 'mycli-serve-token', status: 'active' });

// No KV here: `wrangler delete` lists namespaces (to remove a Workers Sites one); there are none.
export const listKvNamespaces: Handler = async () => ok([]);

export const getAccountSubdomain: Handler = async () => ok({ subdomain: 'mycli-serve' });
