import { license, type RuleCase } from '../../support/ruleHarness.js';
import { dc } from '../caseFixtures/licensingVerdicts.js';
import { BEFORE_2012_END, BETWEEN } from '../caseFixtures/programs.js';

/** Every case of ESU.License.Combination: one subject through the rule, the messageIds and jobs it must give. */
export const CASES: readonly RuleCase[] = [
  { ruleId: 'ESU.License.Combination', name: 'pass: Standard + pCore', subject: license(), expect: ['LicenseCombination.Passed'] },
  { ruleId: 'ESU.License.Combination', name: 'pass: Standard + vCore', subject: license({ details: { type: 'vCore', processors: 8 } }), expect: ['LicenseCombination.Passed'] },
  { ruleId: 'ESU.License.Combination', name: 'pass: Datacenter + pCore', subject: license({ details: { edition: 'Datacenter' } }), expect: ['LicenseCombination.Passed'] },
  { ruleId: 'ESU.License.Combination', name: 'pass: casing ignored (datacenter + PCORE)', subject: license({ details: { edition: 'datacenter', type: 'PCORE' } }), expect: ['LicenseCombination.Passed'], evidence: { edition: 'Datacenter', type: 'pCore' } },
  {
    ruleId: 'ESU.License.Combination', name: 'fail: Datacenter + vCore must be replaced by Standard + vCore with the same cores',
    subject: license({ details: { edition: 'Datacenter', type: 'vCore', processors: 24 } }),
    expect: ['LicenseCombination.Failed.InvalidCombination'], jobs: ['replace-license'],
    evidence: { replacementEdition: 'Standard', replacementType: 'vCore', replacementProcessors: 24, replacementName: 'esu-license-01-standard-vcore' },
    messageIncludes: ['Datacenter + vCore', 'cores provisioned: 24'],
  },
  {
    ruleId: 'ESU.License.Combination', name: 'fail: Datacenter + vCore below the vCore minimum is replaced at the minimum',
    subject: license({ details: { edition: 'Datacenter', type: 'vCore', processors: 4 } }),
    expect: ['LicenseCombination.Failed.InvalidCombination'], jobs: ['replace-license'], evidence: { replacementProcessors: 8 },
  },
  {
    ruleId: 'ESU.License.Combination', name: 'fail: upper-case DATACENTER + vcore with no target and non-numeric cores',
    subject: license({ details: { edition: 'DATACENTER', type: 'vcore', target: null, processors: 'lots' } }),
    expect: ['LicenseCombination.Failed.InvalidCombination'], jobs: ['replace-license'], evidence: { processors: 'lots', target: null, replacementProcessors: 8 },
  },
  { ruleId: 'ESU.License.Combination', name: 'missing: no licenseDetails', subject: license({ details: null }), expect: ['LicenseCombination.Error.MissingDetails'] },
  { ruleId: 'ESU.License.Combination', name: 'missing: edition null', subject: license({ details: { edition: null } }), expect: ['LicenseCombination.Error.UnknownEdition'], evidence: { edition: 'missing' } },
  { ruleId: 'ESU.License.Combination', name: 'missing: type empty', subject: license({ details: { type: '' } }), expect: ['LicenseCombination.Error.UnknownType'], evidence: { type: 'missing' } },
  { ruleId: 'ESU.License.Combination', name: 'malformed: unknown edition "Enterprise"', subject: license({ details: { edition: 'Enterprise' } }), expect: ['LicenseCombination.Error.UnknownEdition'], messageIncludes: ['"Enterprise"'] },
  { ruleId: 'ESU.License.Combination', name: 'malformed: edition is a number', subject: license({ details: { edition: 42 } }), expect: ['LicenseCombination.Error.UnknownEdition'] },
  { ruleId: 'ESU.License.Combination', name: 'malformed: unknown type "socket"', subject: license({ details: { type: 'socket' } }), expect: ['LicenseCombination.Error.UnknownType'] },
  { ruleId: 'ESU.License.Combination', name: 'not applicable: non-ESU license', subject: license({ licenseType: 'WindowsServer', details: { edition: 'Datacenter', type: 'vCore' } }), expect: [] },
  { ruleId: 'ESU.License.Combination', name: 'WS2016 license with no type yet: a warning, not an error', subject: license({ details: { target: 'Windows Server 2016', type: null } }), context: BETWEEN, expect: ['LicenseCombination.PassedWithWarning.TypeNotChosen'] },
  { ruleId: 'ESU.License.Combination', name: 'WS2012 license with no type stays an error', subject: license({ details: { type: null } }), context: BEFORE_2012_END, expect: ['LicenseCombination.Error.UnknownType'] },
  { ruleId: 'ESU.License.Combination', name: 'WS2016 Datacenter vCore is invalid too', subject: license({ details: { target: 'Windows Server 2016', edition: 'Datacenter', type: 'vCore', processors: 8 } }), context: BETWEEN, expect: ['LicenseCombination.Failed.InvalidCombination'], jobs: ['replace-license'] },
  // 9. Datacenter + vCore: invalid for new licenses; existing ones are charged as Datacenter (translated to Datacenter pCore)
  { ruleId: 'ESU.License.Combination', name: 'fail: Datacenter vCore says how Microsoft charges it and proposes Standard vCore', subject: () => dc('dc-vcore', 16, { type: 'vCore' }), expect: ['LicenseCombination.Failed.InvalidCombination'], jobs: ['replace-license'], messageIncludes: ['may be charged as Datacenter pCore', 'Standard vCore, 16 cores'] },
];
