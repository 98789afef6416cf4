/**
 * Listing endpoints that page with result_info: every page is fetched, bounded (maxPages), and
 * an item seen twice (a list that moved under us) is kept once. Paging stops at the last page,
 * at a page without result_info, or at a page that brings nothing new.
 */
import type { ApiResponse, RequestOptions } from './request.js';

export async function paginate<I>(
  request: (o: RequestOptions) => Promise<ApiResponse>,
  o: RequestOptions,
  pick: (result: unknown) => I[],
  key: (item: I) => string,
  maxPages = 50,
): Promise<I[]> {
  const all: I[] = [];
  const seen = new Set<string>();
  let query = { ...o.query };
  for (let page = 1; page <= maxPages; page++) {
    const res = await request({ ...o, query });
    const items = pick(res.result);
    let fresh = 0;
    for (const item of items) {
      const k = key(item);
      if (seen.has(k)) continue;
      seen.add(k);
      all.push(item);
      fresh++;
    }
    const info = res.resultInfo;
    const current = info?.page ?? page;
    const total = info?.total_pages ?? (info?.total_count !== undefined && info?.per_page ? Math.ceil(info.total_count / info.per_page) : undefined);
    if (!info || total === undefined || current >= total || fresh === 0 || items.length === 0) break;
    query = { ...o.query, page: current + 1, ...(info.per_page ? { per_page: info.per_page } : {}) };
  }
  return all;
}
