import { license, type RuleCase } from '../../support/ruleHarness.js';
import { BEFORE_2012_END, BETWEEN } from '../caseFixtures/programs.js';

/** Every case of ESU.License.Program: one subject through the rule, the messageIds and jobs it must give. */
export const CASES: readonly RuleCase[] = [
  // Licenses by program (ESU.License.Program)
  { ruleId: 'ESU.License.Program', name: 'WS2012 license Activated after the program ended: deactivate job', subject: license(), context: BETWEEN, expect: ['LicenseProgram.Failed.ProgramEnded'], jobs: ['deactivate-license'], messageIncludes: ['13 October 2026'] },
  { ruleId: 'ESU.License.Program', name: 'WS2012 license Deactivated after the program ended passes', subject: license({ details: { state: 'Deactivated' } }), context: BETWEEN, expect: ['LicenseProgram.Passed.EndedDeactivated'] },
  { ruleId: 'ESU.License.Program', name: 'WS2012 license while the program runs passes', subject: license(), context: BEFORE_2012_END, expect: ['LicenseProgram.Passed'] },
  { ruleId: 'ESU.License.Program', name: 'WS2016 license upcoming passes, naming billing start', subject: license({ details: { target: 'Windows Server 2016' } }), context: BETWEEN, expect: ['LicenseProgram.Passed'], messageIncludes: ['13 January 2027'] },
  { ruleId: 'ESU.License.Program', name: 'bad input: an unknown target is an Error finding, never a false failure', subject: license({ details: { target: 'Windows Server 2019' } }), context: BETWEEN, expect: ['LicenseProgram.Error.UnknownTarget'], messageIncludes: ['Windows Server 2019'] },
  { ruleId: 'ESU.License.Program', name: 'missing target: a warning', subject: license({ details: { target: null } }), context: BETWEEN, expect: ['LicenseProgram.PassedWithWarning.MissingTarget'] },
  { ruleId: 'ESU.License.Program', name: 'no licenseDetails: CoreMinimum and Combination report it', subject: license({ details: null }), context: BETWEEN, expect: [] },
];
