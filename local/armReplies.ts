// What the ARM stand-in's routes answer, and the paging both of its modes share.
import { armErrors, type ArmErrorReply } from './armErrors.js';

export interface Reply {
  status: number;
  body: string;
  headers?: Record<string, string>;
}

export const fromError = (e: ArmErrorReply): Reply =>
  e.headers ? { status: e.status, body: JSON.stringify(e.body), headers: e.headers } : { status: e.status, body: JSON.stringify(e.body) };

/** Query parameters are case-insensitive in ARM (`$skipToken`, `$skiptoken`). */
export function queryParam(params: URLSearchParams, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [k, v] of params) if (k.toLowerCase() === wanted) return v;
  return undefined;
}

export interface PageRequest {
  /** The request URL (its `$skipToken` is the offset). */
  url: URL;
  /** Origin the nextLink points at. */
  endpoint: string;
  apiVersion: string;
  pageSize: number;
  /** Rows per Resource Graph page (at most the request's `$top`). */
  resourceGraphPageSize: number;
  /** The request body (Resource Graph's POST). */
  body?: string;
}

/**
 * One page of a list of `total` items, `$skipToken` being the offset; `slice(from, to)` produces only the
 * items of the page, so a generated list is never materialised whole.
 */
export function pagedReply(request: PageRequest, total: number, slice: (from: number, to: number) => unknown[]): Reply {
  const token = queryParam(request.url.searchParams, '$skiptoken');
  const offset = token === undefined ? 0 : Number(token);
  if (!Number.isSafeInteger(offset) || offset < 0) return fromError(armErrors.invalidSkipToken(token ?? ''));
  const end = Math.min(total, offset + request.pageSize);
  const page: { value: unknown[]; nextLink?: string } = { value: offset < end ? slice(offset, end) : [] };
  // The SDKs follow nextLink verbatim, so it must be absolute and carry the api-version.
  if (end < total) {
    const pathname = request.url.pathname.replace(/\/+$/, '');
    page.nextLink = `${request.endpoint}${pathname}?api-version=${encodeURIComponent(request.apiVersion)}&$skipToken=${end}`;
  }
  return { status: 200, body: JSON.stringify(page) };
}
