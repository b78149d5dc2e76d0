import { SUBSCRIPTION_ID } from '../../support/armFixtures.js';
import { registered, type RuleCase } from '../../support/ruleHarness.js';
import { assignment, DENY, DINE, withPolicies } from '../caseFixtures/programs.js';

/** Every case of ESU.Subscription.LicensePolicy: one subject through the rule, the messageIds and jobs it must give. */
export const CASES: readonly RuleCase[] = [
  { ruleId: 'ESU.Subscription.LicensePolicy', name: 'an enforced Deny assignment: license writes are denied', subject: withPolicies(assignment('deny-esu', DENY)), expect: ['LicensePolicy.PassedWithWarning.LicenseWritesDenied'], messageIncludes: ['deny-esu'] },
  { ruleId: 'ESU.Subscription.LicensePolicy', name: 'a Deny assignment in DoNotEnforce mode passes', subject: withPolicies(assignment('deny-audit', DENY, { enforcementMode: 'DoNotEnforce' })), expect: ['LicensePolicy.Passed.DenyNotEnforced'] },
  { ruleId: 'ESU.Subscription.LicensePolicy', name: 'a Deny assignment with effect Disabled passes', subject: withPolicies(assignment('deny-off', DENY, { parameters: { effect: { value: 'Disabled' } } })), expect: ['LicensePolicy.Passed.DenyNotEnforced'] },
  { ruleId: 'ESU.Subscription.LicensePolicy', name: 'the DINE assignment names the license it links to', subject: withPolicies(assignment('link-esu', DINE, { parameters: { ESULicenseResourceId: { value: '/subscriptions/x/resourceGroups/rg/providers/Microsoft.HybridCompute/licenses/ws2016' } } })), expect: ['LicensePolicy.Passed.AutoLink'], messageIncludes: ['licenses/ws2016'] },
  { ruleId: 'ESU.Subscription.LicensePolicy', name: 'a DINE assignment without its license parameter warns', subject: withPolicies(assignment('link-empty', DINE)), expect: ['LicensePolicy.PassedWithWarning.AutoLinkWithoutLicense'] },
  { ruleId: 'ESU.Subscription.LicensePolicy', name: 'other policies: no finding', subject: withPolicies(assignment('tags', '/providers/Microsoft.Authorization/policyDefinitions/1e30110a-5ceb-460c-a204-c1c3969c6d62')), expect: [] },
  { ruleId: 'ESU.Subscription.LicensePolicy', name: 'bad input: an assignment without id is skipped (the list reports it), odd fields never crash', subject: withPolicies({ name: 'no-id' }, assignment('deny-odd', DENY, { notScopes: 'not-a-list', parameters: [] })), expect: ['LicensePolicy.PassedWithWarning.LicenseWritesDenied'] },
  { ruleId: 'ESU.Subscription.LicensePolicy', name: 'policy list unreadable: no finding here (Access reports the read)', subject: () => ({ subscriptionId: SUBSCRIPTION_ID, providers: registered(), sqlDiscoveredInScope: false }), expect: [] },
];
