import { machine, parsedLicense, type RuleCase } from '../../support/ruleHarness.js';
import { assigned } from '../caseFixtures/machineLicensing.js';
import { assigned2012, BETWEEN } from '../caseFixtures/programs.js';

/** Every case of ESU.Machine.LicenseOnIneligibleOs: one subject through the rule, the messageIds and jobs it must give. */
export const CASES: readonly RuleCase[] = [
  {
    ruleId: 'ESU.Machine.LicenseOnIneligibleOs', name: 'fail: upgraded to Windows Server 2019, license still linked',
    subject: machine({ esuProfile: assigned, properties: { osName: 'Windows Server 2019 Datacenter', osSku: null, osVersion: '10.0.17763' } }, [parsedLicense()]),
    expect: ['LicenseOnIneligibleOs.Failed.IneligibleOs'], jobs: ['unlink-license'], evidence: { osName: 'Windows Server 2019 Datacenter', osFamily: 'Other', linkedLicenseName: 'esu-license-01' },
    messageIncludes: ['still billed', 'unlinked manually'],
  },
  { ruleId: 'ESU.Machine.LicenseOnIneligibleOs', name: 'fail: Storage Server 2012 R2 is not eligible', subject: machine({ esuProfile: assigned, properties: { osName: 'Windows Storage Server 2012 R2 Standard', osSku: null } }), expect: ['LicenseOnIneligibleOs.Failed.IneligibleOs'], jobs: ['unlink-license'], evidence: { osFamily: 'WindowsServer2012R2' } },
  { ruleId: 'ESU.Machine.LicenseOnIneligibleOs', name: 'fail: Windows Server 2008 R2', subject: machine({ esuProfile: assigned, properties: { osName: 'Windows Server 2008 R2 Standard', osSku: null, osVersion: '6.1.7601' } }), expect: ['LicenseOnIneligibleOs.Failed.IneligibleOs'], jobs: ['unlink-license'], evidence: { osFamily: 'LegacyWindows' } },
  { ruleId: 'ESU.Machine.LicenseOnIneligibleOs', name: 'fail: Linux linked by resource id', subject: machine({ esuProfile: { licenseAssignmentState: 'Assigned', assignedLicense: { id: '/subscriptions/x/resourceGroups/rg/providers/Microsoft.HybridCompute/licenses/l1' } }, properties: { osName: 'ubuntu', osSku: null, osType: 'linux', osVersion: '22.04' } }), expect: ['LicenseOnIneligibleOs.Failed.IneligibleOs'], jobs: ['unlink-license'] },
  // Changed with the programs catalogue (issue 15): Windows Server 2016 is a program of its own, so a 2012 R2
  // license on it is a program mismatch, and a 2016 license on it is right (no finding).
  { ruleId: 'ESU.Machine.LicenseOnIneligibleOs', name: 'fail: Windows Server 2016 linked to a 2012 R2 license (another program)', subject: machine({ esuProfile: assigned, properties: { osName: 'Windows Server 2016 Standard', osSku: null, osVersion: '10.0.14393' } }, [parsedLicense()]), expect: ['LicenseOnIneligibleOs.Failed.ProgramMismatch'], jobs: ['unlink-license'], evidence: { program: 'WS2016', licenseProgram: 'WS2012', expectedTarget: 'Windows Server 2016' } },
  { ruleId: 'ESU.Machine.LicenseOnIneligibleOs', name: 'not applicable: Windows Server 2016 linked to a Windows Server 2016 license', subject: machine({ esuProfile: assigned, properties: { osName: 'Windows Server 2016 Standard', osSku: null, osVersion: '10.0.14393' } }, [parsedLicense({ details: { target: 'Windows Server 2016' } })]), expect: [] },
  { ruleId: 'ESU.Machine.LicenseOnIneligibleOs', name: 'fail: Windows Server 2012 R2 linked to a Windows Server 2016 license (another program)', subject: machine({ esuProfile: assigned }, [parsedLicense({ details: { target: 'Windows Server 2016' } })]), expect: ['LicenseOnIneligibleOs.Failed.ProgramMismatch'], jobs: ['unlink-license'], evidence: { program: 'WS2012', licenseProgram: 'WS2016' } },
  { ruleId: 'ESU.Machine.LicenseOnIneligibleOs', name: 'warn: a Windows Server 2012 license on a 2012 R2 machine (same program; scenario 4 vs the API page)', subject: machine({ esuProfile: assigned }, [parsedLicense({ details: { target: 'Windows Server 2012' } })]), expect: ['LicenseOnIneligibleOs.PassedWithWarning.TargetWithinProgram'], evidence: { expectedTarget: 'Windows Server 2012 R2' } },
  { ruleId: 'ESU.Machine.LicenseOnIneligibleOs', name: 'not applicable: WS2016 linked to a license of another subscription (target not visible)', subject: machine({ esuProfile: { licenseAssignmentState: 'Assigned', assignedLicense: '/subscriptions/other/resourceGroups/rg/providers/Microsoft.HybridCompute/licenses/ws2016' }, properties: { osName: 'Windows Server 2016 Datacenter', osSku: null, osVersion: '10.0.14393' } }), expect: [] },
  { ruleId: 'ESU.Machine.LicenseOnIneligibleOs', name: 'missing: no OS reported', subject: machine({ esuProfile: assigned, properties: { osName: null, osSku: null, osVersion: null, osType: null } }), expect: ['LicenseOnIneligibleOs.PassedWithWarning.UnknownOs'], evidence: { osName: 'missing', osFamily: 'Unknown' } },
  { ruleId: 'ESU.Machine.LicenseOnIneligibleOs', name: 'malformed: OS fields of the wrong type', subject: machine({ esuProfile: assigned, properties: { osName: 42, osSku: [], osVersion: {}, osType: '' } }), expect: ['LicenseOnIneligibleOs.PassedWithWarning.UnknownOs'] },
  { ruleId: 'ESU.Machine.LicenseOnIneligibleOs', name: 'not applicable: in-scope machine with a license', subject: machine({ esuProfile: assigned }), expect: [] },
  { ruleId: 'ESU.Machine.LicenseOnIneligibleOs', name: 'not applicable: Windows Server 2019 without a license', subject: machine({ properties: { osName: 'Windows Server 2019 Datacenter', osSku: null, osVersion: '10.0.17763' } }), expect: [] },
  { ruleId: 'ESU.Machine.LicenseOnIneligibleOs', name: 'WS2012 ended, still linked: LegacyOs and License.Program report it, no second unlink alert', subject: machine({ esuProfile: assigned2012 }, [parsedLicense()]), context: BETWEEN, expect: [] },
];
