import { parseResourceId } from './resourceId.js';
import { asRecord, asString, type JsonRecord } from './read.js';

export type ParseResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly reason: string };

/** What every tracked ARM resource has; the rest of its payload stays in `properties`. */
export interface ArmResourceBase {
  readonly id: string;
  readonly name: string;
  readonly subscriptionId: string;
  readonly resourceGroup: string;
  /** Azure region of the resource (needed to create related resources next to it). */
  readonly location?: string;
}

/**
 * The `ESU Usage` tag of a resource ("Deliver ESU", additional scenarios), the name compared case-insensitively,
 * the value upper-cased with its spaces folded; undefined when absent.
 */
export function esuUsageTagOf(item: JsonRecord): string | undefined {
  const tags = asRecord(item['tags']);
  if (!tags) return undefined;
  for (const [name, value] of Object.entries(tags)) {
    if (name.trim().toLowerCase() === 'esu usage' && typeof value === 'string' && value.trim() !== '') return value.trim().replace(/\s+/g, ' ').toUpperCase();
  }
  return undefined;
}

/** Reads the envelope of one list item; only a missing id makes the item unusable. */
export function parseArmResource(raw: unknown): ParseResult<{ base: ArmResourceBase; item: JsonRecord; properties: JsonRecord }> {
  const item = asRecord(raw);
  if (!item) return { ok: false, reason: 'item is not a JSON object' };
  const id = asString(item['id']);
  if (!id) return { ok: false, reason: 'item has no resource id' };
  const parts = parseResourceId(id);
  return {
    ok: true,
    value: {
      base: {
        id,
        name: asString(item['name']) ?? parts.name,
        subscriptionId: parts.subscriptionId,
        resourceGroup: parts.resourceGroup,
        location: asString(item['location']),
      },
      item,
      properties: asRecord(item['properties']) ?? {},
    },
  };
}
