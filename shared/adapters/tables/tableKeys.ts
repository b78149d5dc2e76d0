import { hash } from 'node:crypto';
import type { FindingPartition } from '../../scan/findingPorts.js';

/**
 * Table Storage keys may not contain `/ \ # ?` or control characters, and ARM ids are full of `/`.
 * Escaping (`~XX`, with `~` itself escaped) keeps keys readable, reversible and injective. A lone
 * surrogate (half of a UTF-16 pair, which no URL can carry) becomes `~UXXXX`.
 * ARM ids are case-insensitive, so keys are lower-cased: a casing change in ARM is the same row.
 */
// eslint-disable-next-line no-control-regex -- control characters are exactly what must be escaped
const UNSAFE = /[/\\#?~\u0000-\u001f\u007f-\u009f]/g;
const SURROGATE = /[\uD800-\uDFFF]/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Table Storage keys hold at most 1 KiB (Azurite: 512 UTF-16 characters); longer ones are hashed to this length. */
export const MAX_KEY_CHARS = 512;
const KEPT_PREFIX_CHARS = MAX_KEY_CHARS - 40;

export function encodeKey(value: string): string {
  const escaped = value.replace(UNSAFE, (character) => `~${character.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
  return SURROGATE.test(escaped) ? escaped.replace(LONE_SURROGATE, (half) => `~U${half.charCodeAt(0).toString(16).toUpperCase()}`) : escaped;
}

export function decodeKey(key: string): string {
  return key.replace(/~(?:U([0-9A-F]{4})|([0-9A-F]{2}))/g, (_match, wide: string | undefined, hex: string | undefined) => String.fromCharCode(Number.parseInt(wide ?? hex ?? '', 16)));
}

/**
 * A key over the limit keeps its readable start and ends in `~H` and a hash of the whole key (the full id
 * stays in its column), so it stays unique and the same on every scan.
 */
export function fitKey(key: string): string {
  if (key.length <= MAX_KEY_CHARS) return key;
  // Never cut a surrogate pair in two: half of one is a lone surrogate.
  const end = /[\uD800-\uDBFF]/.test(key.charAt(KEPT_PREFIX_CHARS - 1)) ? KEPT_PREFIX_CHARS - 1 : KEPT_PREFIX_CHARS;
  return `${key.slice(0, end)}~H${hash('sha256', key, 'hex').slice(0, 32)}`;
}

export function findingRowKey(ruleId: string, resourceId: string): string {
  return fitKey(`${ruleId}~7C${encodeKey(resourceId.toLowerCase())}`);
}

export function partitionKeyForSubscription(subscriptionId: string): string {
  return fitKey(encodeKey(subscriptionId.toLowerCase()));
}

/**
 * One of a subscription's findings partitions. Chunk 0 is the subscription's own key (the only partition
 * before partitions were split, so tables written then need no migration); chunk n > 0 is that key with
 * `~P` and n in four digits, so chunks sort in the order they fill (Azurite's inserts cost more out of key order;
 * `~P` is no escape `encodeKey` writes, so no subscription's key can look like another's chunk).
 */
export function findingPartition(subscriptionId: string, chunk: number): FindingPartition {
  return findingPartitionOfKey(partitionKeyForSubscription(subscriptionId), chunk);
}

export function findingPartitionOfKey(subscriptionKey: string, chunk: number): FindingPartition {
  return { subscriptionKey, chunk, partitionKey: chunk === 0 ? subscriptionKey : fitKey(`${subscriptionKey}~P${String(chunk).padStart(4, '0')}`) };
}

/** Splits a list into chunks of at most `size` (Table transactions hold ≤ 100 entities). */
export function chunk<T>(items: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let index = 0; index < items.length; index += size) chunks.push(items.slice(index, index + size));
  return chunks;
}
