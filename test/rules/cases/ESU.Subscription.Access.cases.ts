import { readFailure, type RuleCase } from '../../support/ruleHarness.js';

/** Every case of ESU.Subscription.Access: one subject through the rule, the messageIds and jobs it must give. */
export const CASES: readonly RuleCase[] = [
  { ruleId: 'ESU.Subscription.Access', name: 'error: 403 names the missing Reader role', subject: readFailure({ statusCode: 403 }), expect: ['Access.Error.AccessDenied'], evidence: { missingRole: 'Reader', statusCode: 403 } },
  { ruleId: 'ESU.Subscription.Access', name: 'error: 404 subscription not found', subject: readFailure({ statusCode: 404, code: 'SubscriptionNotFound' }), expect: ['Access.Error.NotFound'] },
  { ruleId: 'ESU.Subscription.Access', name: 'error: malformed response', subject: readFailure({ code: 'MalformedResponse', detail: 'not JSON' }), expect: ['Access.Error.Malformed'] },
  { ruleId: 'ESU.Subscription.Access', name: 'error: service unavailable', subject: readFailure({ statusCode: 503, code: 'ServiceUnavailable' }), expect: ['Access.Error.Unavailable'] },
];
