import { parsedLicense, type RuleCase } from '../../support/ruleHarness.js';
import { ledgerOf, linkedTo } from '../caseFixtures/licensingVerdicts.js';

/** Every case of ESU.Machine.LinkedLicenseFound: one subject through the rule, the messageIds and jobs it must give. */
export const CASES: readonly RuleCase[] = [
  // 12. Links Microsoft will refuse: a license no scanned subscription holds is a warning (it may be in an unscanned subscription)
  {
    ruleId: 'ESU.Machine.LinkedLicenseFound', name: 'warn: two machines linked to a license no scanned subscription holds, one finding each on the machine',
    subject: ledgerOf([], [linkedTo('srv-a', { assignedLicenseImmutableId: 'AAAA-1' }), linkedTo('srv-b', { assignedLicenseImmutableId: 'aaaa-1' })], (entries) => entries[0]),
    expect: ['LinkedLicenseFound.PassedWithWarning.NotFound', 'LinkedLicenseFound.PassedWithWarning.NotFound'], evidence: { linkedMachines: 2, linkedLicenseImmutableId: 'aaaa-1', machineName: 'srv-a' },
  },
  {
    ruleId: 'ESU.Machine.LinkedLicenseFound', name: 'warn: linked by resource id to a license of an unreadable subscription',
    subject: ledgerOf([parsedLicense()], [linkedTo('srv-c', { assignedLicense: '/subscriptions/other/resourceGroups/rg/providers/Microsoft.HybridCompute/licenses/far-away' })], (entries) => entries.find((e) => e.license.name === 'far-away')),
    expect: ['LinkedLicenseFound.PassedWithWarning.NotFound'], messageIncludes: ['licenses/far-away'],
  },
  {
    ruleId: 'ESU.Machine.LinkedLicenseFound', name: 'not applicable: the license was read; the other tenant rules see it',
    subject: ledgerOf([parsedLicense()], [linkedTo('srv-d', { assignedLicenseImmutableId: '11111111-2222-4333-8444-555555555555' })], (entries) => entries[0]),
    expect: [],
  },
];
