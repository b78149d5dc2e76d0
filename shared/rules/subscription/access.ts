import type { ReadFailureSubject } from '../context.js';
import { defineRule } from '../rule.js';

/** A subscription the scanner cannot read is an Error for that subscription, never a failed scan of all. */
export const accessRule = defineRule({
  id: 'ESU.Subscription.Access',
  title: 'Scanner can read the subscription',
  group: 'Subscription',
  severity: 'High',
  messagePrefix: 'Access',
  description:
    'The scanner reads machines, licenses and providers with the Reader role. When a subscription or one of its lists cannot be read, none of its ESU checks can run.',
  recommendation: "Assign the Reader role on the subscription to the scanner's managed identity, or remove the subscription from the scan list.",
  links: [
    { title: 'Assign Azure roles using the Azure CLI', url: 'https://learn.microsoft.com/azure/role-based-access-control/role-assignments-cli' },
    { title: 'Troubleshoot Azure RBAC', url: 'https://learn.microsoft.com/azure/role-based-access-control/troubleshooting' },
  ],
  messages: {
    'Error.AccessDenied': (e) =>
      `Reading ${e['collection']} answered ${e['statusCode']} ${e['code']}: the scanner's identity lacks Reader on subscription ${e['subscriptionId']}.`,
    'Error.NotFound': (e) => `Subscription ${e['subscriptionId']} was not found (${e['code']}): it is gone, disabled, or in another tenant.`,
    'Error.Malformed': (e) => `Reading ${e['collection']} returned a malformed response: ${e['detail']}`,
    'Error.Unavailable': (e) => `Reading ${e['collection']} failed (${e['statusCode']} ${e['code']}): ${e['detail']}`,
  },
  evaluate(failure: ReadFailureSubject) {
    const evidence = {
      subscriptionId: failure.subscriptionId,
      collection: failure.resourceId,
      statusCode: failure.statusCode ?? null,
      code: failure.code,
      detail: failure.detail,
      missingRole: failure.statusCode === 401 || failure.statusCode === 403 ? 'Reader' : null,
    };
    const target = { resourceId: failure.resourceId, resourceType: failure.resourceType, resourceName: failure.resourceId.split('/').at(-1) ?? '' };
    const key = failure.statusCode === 401 || failure.statusCode === 403 ? 'Error.AccessDenied'
      : failure.statusCode === 404 ? 'Error.NotFound'
        : failure.code === 'MalformedResponse' ? 'Error.Malformed' : 'Error.Unavailable';
    return { key, evidence, target } as const;
  },
});
