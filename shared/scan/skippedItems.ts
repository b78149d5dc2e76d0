import type { ListItems } from '../domain/listItems.js';
import type { FindingTarget } from '../rules/rule.js';

/** List items that could not be used: those the list check left out, and those that did not parse (counted with their distinct reasons). */
export class SkippedItems {
  count = 0;
  /** The list's read failed: its one finding says so. */
  dropped = false;
  readonly reasons = new Set<string>();

  constructor(private readonly items: ListItems) {}

  add(reason: string): void {
    this.count += 1;
    this.reasons.add(reason);
  }

  problems(): string[] {
    if (this.dropped) return [];
    const lines = this.items.problems();
    if (this.count > 0) lines.unshift(`${this.count} item(s) of the list were skipped: ${[...this.reasons].join('; ')}`);
    return lines;
  }
}

/** A finding's target: the resource id, its type, and its name (the id's last segment). */
export function targetOf(resourceId: string, resourceType: string): FindingTarget {
  return { resourceId, resourceType, resourceName: resourceId.split('/').filter(Boolean).at(-1) ?? resourceId };
}
