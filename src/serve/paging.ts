/**
 * Page-number paging as the Cloudflare API v4 does it: `page` (from 1) and `per_page` in the
 * query, one page of the list in `result` (or `result.items`) and its place in `result_info`.
 * Every list route of `mycli serve` that the API pages goes through here, so a client that
 * walks pages (the SDK's `for await`, wrangler) reaches the end: a page past the last is empty.
 */
import { badRequest, type ResultInfo } from './envelope.js';

export interface PageRule {
  /** `per_page` when the query has none. */
  perPage: number;
  minPerPage?: number;
  maxPerPage: number;
  /** The API reads 0 as "not given" (the Secrets Store lists take page=0 and per_page=0). */
  zeroIsDefault?: boolean;
}

function int(query: URLSearchParams, name: string, fallback: number, min: number, max: number, zeroIsDefault: boolean): number {
  const raw = query.get(name);
  if (raw === null || raw === '') return fallback;
  const n = Number(raw);
  if (zeroIsDefault && n === 0) return fallback;
  if (!Number.isInteger(n) || n < min || n > max) throw badRequest(`query parameter ${name} must be an integer from ${zeroIsDefault ? 0 : min} to ${max}`);
  return n;
}

/** The page and per_page a query asks for, checked against the route's rule. */
export function pageQuery(query: URLSearchParams, rule: PageRule): { page: number; perPage: number } {
  const zero = rule.zeroIsDefault ?? false;
  return {
    page: int(query, 'page', 1, 1, 1_000_000, zero),
    perPage: int(query, 'per_page', rule.perPage, rule.minPerPage ?? 1, rule.maxPerPage, zero),
  };
}

/** result_info of one page of a list of `total` items. */
export function resultInfo(page: number, perPage: number, count: number, total: number): ResultInfo {
  return { page, per_page: perPage, count, total_count: total, total_pages: Math.max(1, Math.ceil(total / perPage)) };
}

/** One page of a whole list. */
export function paginate<T>(all: readonly T[], query: URLSearchParams, rule: PageRule): { items: T[]; info: ResultInfo } {
  const { page, perPage } = pageQuery(query, rule);
  const items = all.slice((page - 1) * perPage, page * perPage);
  return { items, info: resultInfo(page, perPage, items.length, all.length) };
}

/** `direction=asc|desc` (and nothing else) of a list query. */
export function direction(query: URLSearchParams, fallback: 'asc' | 'desc'): 'asc' | 'desc' {
  const d = query.get('direction');
  if (d === null || d === '') return fallback;
  if (d !== 'asc' && d !== 'desc') throw badRequest('query parameter direction must be "asc" or "desc"');
  return d;
}
