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
