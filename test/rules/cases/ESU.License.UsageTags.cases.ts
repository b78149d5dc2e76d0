import { ledgerEntry, type RuleCase } from '../../support/ruleHarness.js';
import { ASSIGNED } from '../caseFixtures/licensingVerdicts.js';

/** Every case of ESU.License.UsageTags: one subject through the rule, the messageIds and jobs it must give. */
export const CASES: readonly RuleCase[] = [
  {
    ruleId: 'ESU.License.UsageTags', name: 'pass: a DR server on a MULTIPURPOSE license is exempt',
    subject: ledgerEntry({ tags: { 'ESU Usage': 'WS2012 MULTIPURPOSE' }, details: { edition: 'Datacenter', processors: 16 } }, [{ name: 'prod-01', esuProfile: ASSIGNED }, { name: 'dr-01', esuProfile: ASSIGNED, tags: { 'ESU Usage': 'WS2012 DISASTER RECOVERY' } }]),
    expect: ['LicenseUsageTags.Passed'], evidence: { exemptMachines: 1 },
  },
  {
    ruleId: 'ESU.License.UsageTags', name: 'fail: every linked machine is Visual Studio dev/test ("You can\'t create an ESU license where all associated servers are entitled to the Visual Studio subscription benefit")',
    subject: ledgerEntry({ tags: { 'ESU Usage': 'WS2012 VISUAL STUDIO DEV TEST' } }, [{ name: 'dev-01', esuProfile: ASSIGNED, tags: { 'ESU Usage': 'WS2012 VISUAL STUDIO DEV TEST' } }]),
    expect: ['LicenseUsageTags.Failed.OnlyDevTest'],
  },
  { ruleId: 'ESU.License.UsageTags', name: 'warn: machine tagged, license not: the tag exempts nothing', subject: ledgerEntry({}, [{ name: 'prod-01', esuProfile: ASSIGNED }, { name: 'dev-01', esuProfile: ASSIGNED, tags: { 'ESU Usage': 'WS2012 VISUAL STUDIO DEV TEST' } }]), expect: ['LicenseUsageTags.PassedWithWarning.MachineTagOnly'] },
  { ruleId: 'ESU.License.UsageTags', name: 'warn: license tagged, no machine tagged', subject: ledgerEntry({ tags: { 'ESU Usage': 'WS2012 DISASTER RECOVERY' } }, [{ name: 'prod-01', esuProfile: ASSIGNED }]), expect: ['LicenseUsageTags.PassedWithWarning.LicenseTagOnly'] },
  { ruleId: 'ESU.License.UsageTags', name: 'warn: WS2016 has no dev/test benefit', subject: ledgerEntry({ tags: { 'ESU Usage': 'WS2012 VISUAL STUDIO DEV TEST' }, details: { target: 'Windows Server 2016' } }, []), expect: ['LicenseUsageTags.PassedWithWarning.NoBenefit'] },
  { ruleId: 'ESU.License.UsageTags', name: 'not applicable: no ESU Usage tag anywhere', subject: ledgerEntry({}, [{ name: 'prod-01', esuProfile: ASSIGNED }]), expect: [] },
];
