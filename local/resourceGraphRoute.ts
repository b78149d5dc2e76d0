// Resource Graph's POST /providers/Microsoft.ResourceGraph/resources as the ARM stand-in serves it: the rows of
// `resourceGraph/<table>.json` for the query's table (`patchassessmentresources`, `guestconfigurationresources`;
// or generated ones), filtered by the request's subscriptions and paged with `$top` and `$skipToken`. The stand-in
// does not evaluate KQL: an estate file holds the rows of the documented query of its table
// (shared/adapters/arm/resourceGraphReader.ts, PATCH_ASSESSMENT_QUERY and GUEST_CONFIGURATION_QUERY).
import type { Reply } from './armReplies.js';

export const RESOURCE_GRAPH_PATH = '/providers/microsoft.resourcegraph/resources';

/** Resource Graph's default quota: 15 requests per 5-second window per user. */
const QUOTA_HEADERS = { 'x-ms-user-quota-remaining': '14', 'x-ms-user-quota-resets-after': '00:00:05' };

/** The tables the scanner queries, each served from `resourceGraph/<table>.json`. */
export const RESOURCE_GRAPH_TABLES = ['patchassessmentresources', 'guestconfigurationresources'] as const;
export type ResourceGraphTable = (typeof RESOURCE_GRAPH_TABLES)[number];

export interface ResourceGraphQuery {
  /** The table the query starts with (lower-cased). */
  readonly table: ResourceGraphTable;
  readonly subscriptions: readonly string[];
  readonly top: number;
  readonly offset: number;
}

/** Rows of a table, produced a page at a time (a generated estate never materialises them). */
export interface RowSource {
  readonly total: number;
  slice(from: number, to: number): unknown[];
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function badRequest(code: string, message: string): Reply {
  return { status: 400, body: JSON.stringify({ error: { code, message } }), headers: QUOTA_HEADERS };
}

/** The request body the SDK sends: `{ subscriptions, query, options: { $top, $skipToken, resultFormat } }`. */
export function parseResourceGraphQuery(body: string): ResourceGraphQuery | Reply {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return badRequest('InvalidRequestContent', 'The request content is not valid JSON.');
  }
  if (!isRecord(parsed) || typeof parsed['query'] !== 'string') return badRequest('BadRequest', 'The request has no query.');
  const table = /^\s*([A-Za-z_]\w*)/.exec(parsed['query'])?.[1]?.toLowerCase() ?? '';
  if (!(RESOURCE_GRAPH_TABLES as readonly string[]).includes(table)) return badRequest('BadRequest', `Table '${table.slice(0, 100)}' is not served by the stand-in.`);
  const subscriptions = Array.isArray(parsed['subscriptions']) ? parsed['subscriptions'].filter((s): s is string => typeof s === 'string') : [];
  const options = isRecord(parsed['options']) ? parsed['options'] : {};
  const top = typeof options['$top'] === 'number' ? options['$top'] : 100;
  const token = options['$skipToken'];
  const offset = token === undefined ? 0 : Number(token);
  if (!Number.isSafeInteger(offset) || offset < 0) return badRequest('InvalidSkipToken', `The skip token '${String(token)}' is not valid.`);
  return { table: table as ResourceGraphTable, subscriptions: subscriptions.map((s) => s.toLowerCase()), top: Math.min(1000, Math.max(1, top)), offset };
}

/** One page as Resource Graph answers it (`objectArray` format), with the quota headers. */
export function resourceGraphPage(rows: RowSource, query: ResourceGraphQuery, pageSize: number): Reply {
  const size = Math.min(query.top, pageSize);
  const end = Math.min(rows.total, query.offset + size);
  const data = query.offset < end ? rows.slice(query.offset, end) : [];
  const body: Record<string, unknown> = { totalRecords: rows.total, count: data.length, data, facets: [], resultTruncated: 'false' };
  if (end < rows.total) body['$skipToken'] = String(end);
  return { status: 200, body: JSON.stringify(body), headers: QUOTA_HEADERS };
}

/** The 429 Resource Graph sends when the user's window is spent: no Retry-After, only the quota headers. */
export function resourceGraphThrottled(resetsAfter: string): Reply {
  return {
    status: 429,
    body: JSON.stringify({ error: { code: 'RateLimiting', message: 'Please provide below info when asking for support: the user quota of Resource Graph requests is exhausted.' } }),
    headers: { 'x-ms-user-quota-remaining': '0', 'x-ms-user-quota-resets-after': resetsAfter },
  };
}

/** Rows of an estate file whose subscription was asked for; a file that is not `{ data: [...] }` is served raw. */
export function estateRows(text: string | undefined, query: ResourceGraphQuery): RowSource | { raw: string } {
  if (text === undefined) return { total: 0, slice: () => [] };
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { raw: text };
  }
  if (!isRecord(parsed) || !Array.isArray(parsed['data'])) return { raw: text };
  // An answer that is not one whole result (a page of a larger one, a count or truncation flag that disagrees) is
  // served as captured, so the scanner sees what a partial answer looks like.
  const held = parsed['data'].length;
  const whole = (parsed['totalRecords'] === undefined || parsed['totalRecords'] === held) && (parsed['count'] === undefined || parsed['count'] === held)
    && parsed['resultTruncated'] !== true && parsed['resultTruncated'] !== 'true' && parsed['$skipToken'] === undefined;
  if (!whole) return { raw: text };
  const wanted = new Set(query.subscriptions);
  const rows = parsed['data'].filter((row) => {
    const id = isRecord(row) && typeof row['id'] === 'string' ? row['id'] : '';
    const subscription = /^\/subscriptions\/([^/]+)/i.exec(id)?.[1]?.toLowerCase();
    // A row without a readable id is kept: the scanner must see what the file holds.
    return subscription === undefined || wanted.has(subscription);
  });
  return { total: rows.length, slice: (from, to) => rows.slice(from, to) };
}
