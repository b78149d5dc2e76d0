/**
 * Table Storage keys may not contain `/ \ # ?` or control characters, and ARM ids are full of `/`.
 * Escaping (`~XX`, with `~` itself escaped) keeps keys readable, reversible and injective.
 * ARM ids are case-insensitive, so keys are lower-cased: a casing change in ARM is the same row.
 */
// eslint-disable-next-line no-control-regex -- control characters are exactly what must be escaped
const UNSAFE = /[/\\#?~\u0000-\u001f\u007f-\u009f]/g;

export function encodeKey(value: string): string {
  return value.replace(UNSAFE, (character) => `~${character.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
}

export function decodeKey(key: string): string {
  return key.replace(/~([0-9A-F]{2})/g, (_match, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
}

export function findingRowKey(ruleId: string, resourceId: string): string {
  return `${ruleId}~7C${encodeKey(resourceId.toLowerCase())}`;
}

export function partitionKeyForSubscription(subscriptionId: string): string {
  return encodeKey(subscriptionId.toLowerCase());
}

/** Splits a list into chunks of at most `size` (Table transactions hold ≤ 100 entities). */
export function chunk<T>(items: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let index = 0; index < items.length; index += size) chunks.push(items.slice(index, index + size));
  return chunks;
}
