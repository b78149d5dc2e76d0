import { license, type RuleCase } from '../../support/ruleHarness.js';
import { BETWEEN } from '../caseFixtures/programs.js';

/** Every case of ESU.License.CoreMinimum: one subject through the rule, the messageIds and jobs it must give. */
export const CASES: readonly RuleCase[] = [
  { ruleId: 'ESU.License.CoreMinimum', name: 'pass: pCore 16', subject: license(), expect: ['CoreMinimum.Passed'] },
  { ruleId: 'ESU.License.CoreMinimum', name: 'pass: vCore 8', subject: license({ details: { type: 'vCore', processors: 8 } }), expect: ['CoreMinimum.Passed'] },
  { ruleId: 'ESU.License.CoreMinimum', name: 'fail: pCore 8', subject: license({ details: { processors: 8 } }), expect: ['CoreMinimum.Failed.BelowMinimum'], jobs: ['resize-license'], evidence: { minimum: 16, processors: 8 } },
  { ruleId: 'ESU.License.CoreMinimum', name: 'fail: vCore 4', subject: license({ details: { type: 'vCore', processors: 4 } }), expect: ['CoreMinimum.Failed.BelowMinimum'], jobs: ['resize-license'], evidence: { minimum: 8 } },
  { ruleId: 'ESU.License.CoreMinimum', name: 'fail: spec example (Datacenter pCore with 6)', subject: license({ details: { edition: 'Datacenter', processors: 6 } }), expect: ['CoreMinimum.Failed.BelowMinimum'], jobs: ['resize-license'] },
  { ruleId: 'ESU.License.CoreMinimum', name: 'pass: numeric string core count', subject: license({ details: { processors: '24' } }), expect: ['CoreMinimum.Passed'] },
  { ruleId: 'ESU.License.CoreMinimum', name: 'missing: no licenseDetails', subject: license({ details: null }), expect: ['CoreMinimum.Error.MissingDetails'] },
  { ruleId: 'ESU.License.CoreMinimum', name: 'malformed: non-numeric processors', subject: license({ details: { processors: 'sixteen' } }), expect: ['CoreMinimum.Error.InvalidCoreCount'] },
  { ruleId: 'ESU.License.CoreMinimum', name: 'malformed: fractional processors', subject: license({ details: { processors: 16.5 } }), expect: ['CoreMinimum.Error.InvalidCoreCount'] },
  { ruleId: 'ESU.License.CoreMinimum', name: 'malformed: unknown license type', subject: license({ details: { type: 'socket' } }), expect: ['CoreMinimum.Error.UnknownType'] },
  { ruleId: 'ESU.License.CoreMinimum', name: 'not applicable: non-ESU license', subject: license({ licenseType: 'WindowsServer' }), expect: [] },
  { ruleId: 'ESU.License.CoreMinimum', name: 'WS2016 license with no type yet (chosen when ESU is enabled): a warning, not an error', subject: license({ details: { target: 'Windows Server 2016', type: null } }), context: BETWEEN, expect: ['CoreMinimum.PassedWithWarning.TypeNotChosen'] },
  { ruleId: 'ESU.License.CoreMinimum', name: 'WS2016 pCore license below 16 cores fails', subject: license({ details: { target: 'Windows Server 2016', processors: 8 } }), context: BETWEEN, expect: ['CoreMinimum.Failed.BelowMinimum'], jobs: ['resize-license'] },
];
