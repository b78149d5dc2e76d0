import { machine, parsedLicense, type RuleCase } from '../../support/ruleHarness.js';
import { assigned } from '../caseFixtures/machineLicensing.js';
import { assigned2012, BETWEEN, license2016, linked2016, ws2016, WS2016_ACTIVE } from '../caseFixtures/programs.js';

/** Every case of ESU.Machine.EsuKeyActive: one subject through the rule, the messageIds and jobs it must give. */
export const CASES: readonly RuleCase[] = [
  { ruleId: 'ESU.Machine.EsuKeyActive', name: 'pass: key active', subject: machine({ esuProfile: { ...assigned, esuKeyState: 'Active' } }, [parsedLicense()]), expect: ['EsuKeyActive.Passed'] },
  { ruleId: 'ESU.Machine.EsuKeyActive', name: 'pass: casing ignored', subject: machine({ esuProfile: { ...assigned, esuKeyState: 'ACTIVE' } }), expect: ['EsuKeyActive.Passed'] },
  {
    ruleId: 'ESU.Machine.EsuKeyActive', name: 'fail: key inactive, known causes named',
    subject: machine({ esuProfile: assigned }, [parsedLicense()]), expect: ['EsuKeyActive.Failed.Inactive'], jobs: ['fix-esu-activation'],
    messageIncludes: ['12002', '12029', 'pkiops/certs', 'Issuing CA 03, 04, 07 and 08', 'HRESULT 1633', 'license.json', 'himds', '15 days'],
  },
  {
    ruleId: 'ESU.Machine.EsuKeyActive', name: 'fail: the linked license is deactivated: no activation job, points to ESU.License.Activated', subject: machine({ esuProfile: assigned }, [parsedLicense({ details: { state: 'Deactivated' } })]),
    expect: ['EsuKeyActive.Failed.LicenseCannotDeliver'], messageIncludes: ['it is Deactivated', 'ESU.License.Activated (LicenseActivated.Failed.Deactivated)'],
  },
  {
    ruleId: 'ESU.Machine.EsuKeyActive', name: 'fail: a license linked to an OS no program covers (upgraded to 2019): points to LicenseOnIneligibleOs', subject: machine({ esuProfile: assigned, properties: { osName: 'Windows Server 2019 Datacenter', osSku: null, osVersion: '10.0.17763' } }),
    expect: ['EsuKeyActive.Failed.LicenseCannotDeliver'], evidence: { rootMessageId: 'LicenseOnIneligibleOs.Failed.IneligibleOs', cannotDeliverReason: 'noProgram' },
  },
  { ruleId: 'ESU.Machine.EsuKeyActive', name: 'missing: esuKeyState absent', subject: machine({ esuProfile: { ...assigned, esuKeyState: null } }), expect: ['EsuKeyActive.PassedWithWarning.Missing'] },
  { ruleId: 'ESU.Machine.EsuKeyActive', name: 'malformed: unknown esuKeyState', subject: machine({ esuProfile: { ...assigned, esuKeyState: 'Pending' } }), expect: ['EsuKeyActive.PassedWithWarning.UnknownValue'], messageIncludes: ['"Pending"'] },
  { ruleId: 'ESU.Machine.EsuKeyActive', name: 'malformed: non-string esuKeyState counts as missing', subject: machine({ esuProfile: { ...assigned, esuKeyState: 1 } }), expect: ['EsuKeyActive.PassedWithWarning.Missing'] },
  { ruleId: 'ESU.Machine.EsuKeyActive', name: 'not applicable: no license linked', subject: machine(), expect: [] },
  { ruleId: 'ESU.Machine.EsuKeyActive', name: 'WS2012 ended: the ESU key no longer matters', subject: machine({ esuProfile: assigned2012 }), context: BETWEEN, expect: [] },
  { ruleId: 'ESU.Machine.EsuKeyActive', name: 'WS2016 upcoming: a linked machine whose key is still Inactive is a warning, no job', subject: machine(ws2016({}, linked2016), [license2016()]), context: BETWEEN, expect: ['EsuKeyActive.PassedWithWarning.InactiveBeforeStart'], messageIncludes: ['13 January 2027'] },
  { ruleId: 'ESU.Machine.EsuKeyActive', name: 'WS2016 active: Inactive key fails', subject: machine(ws2016({}, linked2016), [license2016()]), context: WS2016_ACTIVE, expect: ['EsuKeyActive.Failed.Inactive'], jobs: ['fix-esu-activation'] },
];
