import { asRecord } from '../../domain/read.js';
import { resourceIdDigest } from '../../domain/resourceId.js';
import { MalformedResponseError } from './armErrors.js';

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

/**
 * The items of one subscription's list, checked as the pages come: a `null` item is skipped and counted; an
 * id seen before (ARM ids are case-insensitive) is evaluated once and reported; an id of another
 * subscription is reported and left out, so it is never written into that subscription's partition.
 * Items without a string id pass through (their parser says what is wrong with them).
 */
export class ListItems {
  private readonly seen = new Set<string>();
  private readonly prefix: string;
  nullItems = 0;
  readonly duplicates: string[] = [];
  readonly foreign: string[] = [];

  private readonly outsideIdsAllowed: boolean;

  /** `outsideIdsAllowed`: a list whose items may live above the subscription (policy assignments of management groups). */
  constructor(subscriptionId: string, options: { outsideIdsAllowed?: boolean } = {}) {
    this.prefix = `/subscriptions/${subscriptionId.toLowerCase()}/`;
    this.outsideIdsAllowed = options.outsideIdsAllowed ?? false;
  }

  take(page: readonly unknown[]): unknown[] {
    const kept: unknown[] = [];
    for (const item of page) {
      if (item === null || item === undefined) {
        this.nullItems += 1;
        continue;
      }
      const id = asRecord(item)?.['id'];
      if (typeof id === 'string') {
        const key = id.toLowerCase();
        if (!this.outsideIdsAllowed && !key.startsWith(this.prefix)) {
          this.foreign.push(id);
          continue;
        }
        const seenKey = resourceIdDigest(id);
        if (this.seen.has(seenKey)) {
          this.duplicates.push(id);
          continue;
        }
        this.seen.add(seenKey);
      }
      kept.push(item);
    }
    return kept;
  }

  /** One line per kind of problem (a few ids named), for the list's finding; empty when the list was clean. */
  problems(): string[] {
    const lines: string[] = [];
    if (this.nullItems > 0) lines.push(`${this.nullItems} null item(s) skipped`);
    if (this.duplicates.length > 0) lines.push(`${this.duplicates.length} repeated id(s) evaluated once: ${sample(this.duplicates)}`);
    if (this.foreign.length > 0) lines.push(`${this.foreign.length} item(s) of another subscription left out: ${sample(this.foreign)}`);
    return lines;
  }
}

function sample(ids: readonly string[]): string {
  const shown = ids.slice(0, 3).map((id) => id.slice(0, 300));
  return `${shown.join(', ')}${ids.length > shown.length ? `, … (${ids.length - shown.length} more)` : ''}`;
}
