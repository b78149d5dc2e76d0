import { hash } from 'node:crypto';
/** Facts read from an ARM resource id, tolerant of casing and of missing segments. */
export interface ResourceIdParts {
  readonly subscriptionId: string;
  readonly resourceGroup: string;
  readonly name: string;
}

export function parseResourceId(resourceId: string): ResourceIdParts {
  const segments = resourceId.split('/').filter((segment) => segment.length > 0);
  const valueAfter = (key: string): string => {
    const index = segments.findIndex((segment) => segment.toLowerCase() === key);
    return index >= 0 ? (segments[index + 1] ?? '') : '';
  };
  return {
    subscriptionId: valueAfter('subscriptions'),
    resourceGroup: valueAfter('resourcegroups'),
    name: segments.at(-1) ?? '',
  };
}

export function subscriptionResourceId(subscriptionId: string): string {
  return `/subscriptions/${subscriptionId}`;
}

/**
 * 120 bits of SHA-1 of an ARM id, case ignored, as 20 characters: a key for sets and maps that hold one entry
 * per machine of a subscription (100,000 ids of 150 characters each would otherwise be held to the scan's end).
 */
export function resourceIdDigest(id: string): string {
  return hash('sha1', id.toLowerCase(), 'buffer').toString('base64', 0, 15);
}
