import { asRecord } from '../../domain/read.js';
import { MalformedResponseError } from '../../scan/readErrors.js';

/** Pages of one list followed at most (100k machines at ARM's page size are far fewer); more is a loop. */
export const MAX_LIST_PAGES = 5_000;

export interface ListPage {
  readonly value: unknown[];
  readonly nextLink?: string;
}

/** A 2xx body of a list: `{ value: [...], nextLink?: string }`, nothing else (never an empty list by default). */
export function listPageOf(body: unknown, url: string): ListPage {
  const record = asRecord(body);
  const value = record?.['value'];
  if (!Array.isArray(value)) throw new MalformedResponseError(url, record ? 'response has no "value" array' : 'response is not a { "value": [...] } list');
  const nextLink = record?.['nextLink'];
  if (nextLink !== undefined && nextLink !== null && typeof nextLink !== 'string') throw new MalformedResponseError(url, 'nextLink is not a string');
  return { value, ...(typeof nextLink === 'string' && nextLink.length > 0 ? { nextLink } : {}) };
}

/**
 * Follows `nextLink` from `firstUrl`: at most `maxPages` pages, never a link already read (ARM paging that
 * points back at itself would otherwise be followed forever), never to another origin (the bearer token
 * goes wherever the link points).
 */
export async function* followPages(firstUrl: string, getPage: (url: string) => Promise<ListPage>, maxPages = MAX_LIST_PAGES): AsyncIterable<unknown[]> {
  const origin = new URL(firstUrl).origin;
  const seen = new Set<string>();
  let url: string | undefined = firstUrl;
  while (url) {
    if (seen.has(url)) throw new MalformedResponseError(url, `nextLink points to a page already read (after ${seen.size} page(s))`);
    if (seen.size >= maxPages) throw new MalformedResponseError(url, `the list has more than ${maxPages} pages; the rest was not read`);
    if (new URL(url).origin !== origin) throw new MalformedResponseError(url, 'nextLink points outside the ARM endpoint');
    seen.add(url);
    const page = await getPage(url);
    yield page.value;
    url = page.nextLink;
  }
}
