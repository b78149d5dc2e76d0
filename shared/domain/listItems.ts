import { asRecord } from './read.js';
import { resourceIdDigest } from './resourceId.js';

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
