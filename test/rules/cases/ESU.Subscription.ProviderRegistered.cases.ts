import { registered, type RuleCase, subscription } from '../../support/ruleHarness.js';
import { allPassed } from '../caseFixtures/core.js';

/** Every case of ESU.Subscription.ProviderRegistered: one subject through the rule, the messageIds and jobs it must give. */
export const CASES: readonly RuleCase[] = [
  { ruleId: 'ESU.Subscription.ProviderRegistered', name: 'pass: all registered, no SQL', subject: subscription(registered()), expect: allPassed },
  {
    ruleId: 'ESU.Subscription.ProviderRegistered', name: 'fail: GuestConfiguration not registered; warn: Security registering',
    subject: subscription(registered(['Microsoft.GuestConfiguration', 'NotRegistered'], ['Microsoft.Security', 'Registering'])),
    expect: ['ProviderRegistered.Passed', 'ProviderRegistered.Failed.NotRegistered', 'ProviderRegistered.Passed', 'ProviderRegistered.PassedWithWarning.Registering', 'ProviderRegistered.Passed', 'ProviderRegistered.Passed'],
    jobs: ['register-provider'],
  },
  { ruleId: 'ESU.Subscription.ProviderRegistered', name: 'Microsoft.Sql needed only with SQL in scope', subject: subscription(registered(['Microsoft.Sql', 'NotRegistered']), true), expect: [...allPassed, 'ProviderRegistered.Failed.NotRegistered'], jobs: ['register-provider'] },
  { ruleId: 'ESU.Subscription.ProviderRegistered', name: 'Microsoft.Sql ignored without SQL', subject: subscription(registered(['Microsoft.Sql', 'NotRegistered']), false), expect: allPassed },
  { ruleId: 'ESU.Subscription.ProviderRegistered', name: 'missing: provider absent from the list counts as not registered', subject: subscription(registered().filter((p) => p.namespace !== 'Microsoft.Compute')), expect: ['ProviderRegistered.Passed', 'ProviderRegistered.Passed', 'ProviderRegistered.Failed.NotRegistered', 'ProviderRegistered.Passed', 'ProviderRegistered.Passed', 'ProviderRegistered.Passed'], jobs: ['register-provider'] },
  { ruleId: 'ESU.Subscription.ProviderRegistered', name: 'malformed: unknown state fails, casing ignored', subject: subscription(registered(['Microsoft.HybridCompute', 'Weird']).map((p) => ({ ...p, namespace: p.namespace.toLowerCase() }))), expect: ['ProviderRegistered.Failed.NotRegistered', ...allPassed.slice(1)], jobs: ['register-provider'] },
];
