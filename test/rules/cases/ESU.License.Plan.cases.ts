import { AFTER_EOS } from '../../plan/planEstate.js';
import type { RuleCase } from '../../support/ruleHarness.js';
import { row, vms, ws2016, ws2016Active } from '../caseFixtures/licensePlan.js';

/** Every case of ESU.License.Plan: one subject through the rule, the messageIds and jobs it must give. */
export const CASES: readonly RuleCase[] = [
  { ruleId: 'ESU.License.Plan', name: 'warn before billing starts: create the proposed license, one create job', subject: row(vms, 'esu-ws2016-standard-vcore-westeurope'), context: ws2016, expect: ['LicensePlan.PassedWithWarning.CreateBeforeDeadline'], jobs: ['create-license'], evidence: { processorsAfter: 12, machinesPlanned: 1, edition: 'Standard', coreType: 'vCore' }, messageIncludes: ['13 January 2027'] },
  { ruleId: 'ESU.License.Plan', name: 'fail after the program started: created now, back-billed', subject: row(vms, 'esu-ws2016-standard-vcore-westeurope', AFTER_EOS), context: ws2016Active, expect: ['LicensePlan.Failed.Create'], jobs: ['create-license'], messageIncludes: ['back-billed to 12 January 2027'] },
  { ruleId: 'ESU.License.Plan', name: 'warn: shrink a license bigger than its machines need, with a resize job', subject: row([{ name: 'h', host: 'Physical', cores: 24 }], 'big'), context: ws2016, expect: ['LicensePlan.PassedWithWarning.Shrink'], jobs: ['resize-license'], evidence: { processors: 96, processorsAfter: 24 }, messageIncludes: ['reduce it to 24'] },
  { ruleId: 'ESU.License.Plan', name: 'pass: an existing license that keeps its cores and takes machines', subject: row(vms, 'vcore-32'), context: ws2016, expect: ['LicensePlan.Passed'] },
  { ruleId: 'ESU.License.Plan', name: 'not applicable: an idle license is ESU.License.Unused\'s', subject: row([], 'vcore-32'), context: ws2016, expect: [] },
];
