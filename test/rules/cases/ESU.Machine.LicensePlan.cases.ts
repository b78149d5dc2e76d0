import { AFTER_EOS } from '../../plan/planEstate.js';
import type { RuleCase } from '../../support/ruleHarness.js';
import { placed, unplaced, vms, ws2016, ws2016Active } from '../caseFixtures/licensePlan.js';

/** Every case of ESU.Machine.LicensePlan: one subject through the rule, the messageIds and jobs it must give. */
export const CASES: readonly RuleCase[] = [
  { ruleId: 'ESU.Machine.LicensePlan', name: 'warn before WS2016 ESU starts: link to the existing license with room, one link job', subject: placed(vms, 'a'), context: ws2016, expect: ['LicensePlan.PassedWithWarning.LinkBeforeDeadline'], jobs: ['link-license'], evidence: { licenseName: 'vcore-32', licenseExists: true, cores: 16, coreType: 'vCore' }, messageIncludes: ['vcore-32', '16 of its vCore cores'] },
  { ruleId: 'ESU.Machine.LicensePlan', name: 'warn: a machine for a proposed license links once it is created', subject: placed(vms, 'c'), context: ws2016, expect: ['LicensePlan.PassedWithWarning.LinkBeforeDeadline'], jobs: ['link-license'], evidence: { licenseName: 'esu-ws2016-standard-vcore-westeurope', licenseExists: false }, messageIncludes: ['once it is created'] },
  { ruleId: 'ESU.Machine.LicensePlan', name: 'fail once WS2016 ESU has started', subject: placed(vms, 'a', AFTER_EOS), context: ws2016Active, expect: ['LicensePlan.Failed.Link'], jobs: ['link-license'], messageIncludes: ['has started'] },
  { ruleId: 'ESU.Machine.LicensePlan', name: 'fail: no core count, with the command that reads what Azure reports', subject: unplaced({ name: 'x' }, AFTER_EOS), context: ws2016Active, expect: ['LicensePlan.Failed.NeedsCoreCount'], jobs: ['report-cores'], evidence: { cores: null } },
  { ruleId: 'ESU.Machine.LicensePlan', name: 'warn: no host type before the program starts', subject: unplaced({ name: 'x', host: 'Unknown', cores: 8 }), context: ws2016, expect: ['LicensePlan.PassedWithWarning.NeedsHostTypeBeforeDeadline'], jobs: ['report-cores'] },
  { ruleId: 'ESU.Machine.LicensePlan', name: 'fail: an absurd core count is left out', subject: unplaced({ name: 'x', cores: 50_000 }, AFTER_EOS), context: ws2016Active, expect: ['LicensePlan.Failed.AbsurdCoreCount'], jobs: ['report-cores'], messageIncludes: ['50000 cores'] },
  { ruleId: 'ESU.Machine.LicensePlan', name: 'not applicable: a program that has ended', subject: placed([{ name: 'old', cores: 8, program: 'WS2012' }], 'old'), context: ws2016, expect: [] },
];
