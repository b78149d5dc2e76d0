import { machine, parsedLicense, type RuleCase } from '../../support/ruleHarness.js';

/** Machine rules about the ESU license link: Enrolled, FreeEsuEnvironment, EsuKeyActive, LicenseOnIneligibleOs. */

const IMMUTABLE_ID = '11111111-2222-4333-8444-555555555555';
const assigned = { licenseAssignmentState: 'Assigned', assignedLicenseImmutableId: IMMUTABLE_ID };

const standardServer = { osName: 'Windows Server 2012 R2 Standard', osSku: 'Windows Server 2012 R2 Standard' };
const vmwareVm = (cores: number) => ({
  kind: 'VMware',
  // A VM's guest reports its virtual processors as logicalCoreCount (what licensing counts, scenario 8).
  properties: { ...standardServer, detectedProperties: { manufacturer: 'VMware, Inc.', model: 'VMware7,1', coreCount: String(cores), logicalCoreCount: String(cores) }, hardwareProfile: { numberOfCpuSockets: 1, processors: [{ name: 'vCPU', numberOfCores: cores }] } },
  esuProfile: { serverType: 'Standard' },
});
const unknownHost = { properties: { ...standardServer, detectedProperties: {}, hardwareProfile: null }, esuProfile: { serverType: 'Standard' } };
const hci = { kind: 'HCI' };

export const MACHINE_LICENSING_CASES: readonly RuleCase[] = [
  // ESU.Machine.Enrolled
  { ruleId: 'ESU.Machine.Enrolled', name: 'pass: license assigned by immutable id', subject: machine({ esuProfile: assigned }, [parsedLicense()]), expect: ['Enrolled.Passed'], messageIncludes: ['"esu-license-01"'] },
  { ruleId: 'ESU.Machine.Enrolled', name: 'pass: license named by resource id only, state not reported', subject: machine({ esuProfile: { licenseAssignmentState: null, assignedLicense: '/subscriptions/x/resourceGroups/rg/providers/Microsoft.HybridCompute/licenses/other' } }), expect: ['Enrolled.Passed'] },
  // Which license an unlinked machine goes on is the tenant license plan's (test/plan/licensePlan.test.ts); Enrolled says what it needs.
  {
    ruleId: 'ESU.Machine.Enrolled', name: 'fail: Datacenter server needs 16 Datacenter pCore cores; the plan names the license, no job here',
    subject: machine(), expect: ['Enrolled.Failed.NotAssigned'], jobs: [],
    evidence: { requiredPCores: 16, requiredVCores: null, requiredEdition: 'Datacenter', serverType: 'Datacenter', coreBasis: 'hardwareProfile.processors' },
    messageIncludes: ['16 spare pCore cores', 'ESU.Machine.LicensePlan'],
  },
  {
    ruleId: 'ESU.Machine.Enrolled', name: 'fail: 24-core server needs 24 pCore cores',
    subject: machine({ properties: { hardwareProfile: { numberOfCpuSockets: 2, processors: [{ numberOfCores: 12 }, { numberOfCores: 12 }] } } }),
    expect: ['Enrolled.Failed.NotAssigned'], evidence: { requiredPCores: 24 },
  },
  {
    ruleId: 'ESU.Machine.Enrolled', name: 'fail: Standard VM with 4 vCPUs needs 8 vCore cores (the minimum), or its host\'s pCore license (scenario 2)',
    subject: machine(vmwareVm(4)), expect: ['Enrolled.Failed.NotAssigned'],
    evidence: { requiredVCores: 8, requiredPCores: null, requiredEdition: 'Standard (vCore licenses are always Standard)' },
    messageIncludes: ['pCore license that covers its host'],
  },
  {
    // vCore licenses are always Standard, "even if the operating system is datacenter edition" (license guidelines, Important box);
    // a VM counts max(8, its virtual processors), here logicalCoreCount 32 (scenario 8).
    ruleId: 'ESU.Machine.Enrolled', name: 'fail: Datacenter VM needs 32 Standard vCore cores for its 32 vCPUs',
    subject: machine({ kind: 'SCVMM' }), expect: ['Enrolled.Failed.NotAssigned'],
    evidence: { requiredVCores: 32, coreBasis: 'detectedProperties.logicalCoreCount', requiredEdition: 'Standard (vCore licenses are always Standard)' },
  },
  {
    ruleId: 'ESU.Machine.Enrolled', name: 'fail: unknown host type needs pCore or vCore',
    subject: machine(unknownHost), expect: ['Enrolled.Failed.NotAssigned'], evidence: { hostType: 'Unknown', requiredPCores: 16, requiredVCores: 8 },
  },
  {
    ruleId: 'ESU.Machine.Enrolled', name: 'fail: Windows Server 2012 needs a 2012 target',
    subject: machine({ properties: { osName: 'Windows Server 2012 Datacenter', osSku: null, osVersion: '6.2.9200' } }),
    expect: ['Enrolled.Failed.NotAssigned'], evidence: { target: 'Windows Server 2012' },
  },
  {
    ruleId: 'ESU.Machine.Enrolled', name: 'missing: assignment state absent while the ESU profile exists',
    subject: machine({ esuProfile: { licenseAssignmentState: null } }), expect: ['Enrolled.Failed.NotAssigned'], evidence: { licenseAssignmentState: 'missing' },
  },
  {
    ruleId: 'ESU.Machine.Enrolled', name: 'missing: serverType absent, edition read from osSku',
    subject: machine({ esuProfile: { serverType: null } }), expect: ['Enrolled.Failed.NotAssigned'], evidence: { serverType: 'Datacenter', serverTypeBasis: 'osSku/osName' },
  },
  { ruleId: 'ESU.Machine.Enrolled', name: 'warn: no ESU profile at all', subject: machine({ properties: { licenseProfile: null } }), expect: ['Enrolled.PassedWithWarning.NoEsuProfile'] },
  { ruleId: 'ESU.Machine.Enrolled', name: 'warn: empty ESU profile', subject: machine({ properties: { licenseProfile: { esuProfile: {} } } }), expect: ['Enrolled.PassedWithWarning.NoEsuProfile'] },
  { ruleId: 'ESU.Machine.Enrolled', name: 'malformed: unknown assignment state', subject: machine({ esuProfile: { licenseAssignmentState: 'Pending' } }), expect: ['Enrolled.PassedWithWarning.UnknownState'], messageIncludes: ['"Pending"'] },
  { ruleId: 'ESU.Machine.Enrolled', name: 'malformed: casing of the assignment state and server type is ignored', subject: machine({ esuProfile: { licenseAssignmentState: 'notassigned', serverType: 'DATACENTER' } }), expect: ['Enrolled.Failed.NotAssigned'], evidence: { serverType: 'Datacenter' } },
  { ruleId: 'ESU.Machine.Enrolled', name: 'malformed: non-string assignment state counts as missing', subject: machine({ esuProfile: { licenseAssignmentState: 42 } }), expect: ['Enrolled.Failed.NotAssigned'] },
  { ruleId: 'ESU.Machine.Enrolled', name: 'not applicable: free environment (Azure Stack HCI)', subject: machine(hci), expect: [] },
  { ruleId: 'ESU.Machine.Enrolled', name: 'not applicable: Windows Server 2019', subject: machine({ properties: { osName: 'Windows Server 2019 Datacenter', osSku: null, osVersion: '10.0.17763' } }), expect: [] },

  // ESU.Machine.FreeEsuEnvironment
  { ruleId: 'ESU.Machine.FreeEsuEnvironment', name: 'pass: Azure Stack HCI, nothing linked', subject: machine(hci), expect: ['FreeEsuEnvironment.Passed'], evidence: { environment: 'AzureStackHCI', environmentBasis: 'kind=HCI' }, messageIncludes: ['Azure verification for VMs', 'legacy OS support'] },
  { ruleId: 'ESU.Machine.FreeEsuEnvironment', name: 'pass: Azure Local VM by parentClusterResourceId', subject: machine({ properties: { parentClusterResourceId: '/subscriptions/x/resourceGroups/rg/providers/Microsoft.AzureStackHCI/clusters/c1' } }), expect: ['FreeEsuEnvironment.Passed'], evidence: { environmentBasis: 'parentClusterResourceId' } },
  { ruleId: 'ESU.Machine.FreeEsuEnvironment', name: 'pass: Azure VMware Solution', subject: machine({ kind: 'AVS' }), expect: ['FreeEsuEnvironment.Passed'], messageIncludes: ['support request'] },
  { ruleId: 'ESU.Machine.FreeEsuEnvironment', name: 'pass: Azure VM by cloud metadata', subject: machine({ properties: { cloudMetadata: { provider: 'Azure' } } }), expect: ['FreeEsuEnvironment.Passed'], messageIncludes: ['automatically'] },
  { ruleId: 'ESU.Machine.FreeEsuEnvironment', name: 'pass: Azure VM by detectedProperties.cloudprovider', subject: machine({ properties: { detectedProperties: { cloudprovider: 'Azure', manufacturer: 'Microsoft Corporation', model: 'Virtual Machine' } } }), expect: ['FreeEsuEnvironment.Passed'], evidence: { environmentBasis: 'detectedProperties.cloudprovider=Azure' } },
  { ruleId: 'ESU.Machine.FreeEsuEnvironment', name: 'fail: paid license linked on Azure Stack HCI', subject: machine({ ...hci, esuProfile: assigned }, [parsedLicense()]), expect: ['FreeEsuEnvironment.Failed.PaidLicenseLinked'], jobs: ['unlink-license'], evidence: { linkedLicenseName: 'esu-license-01' } },
  { ruleId: 'ESU.Machine.FreeEsuEnvironment', name: 'fail: license linked by id on AVS (license in another subscription)', subject: machine({ kind: 'AVS', esuProfile: { licenseAssignmentState: 'NotAssigned', assignedLicenseImmutableId: 'abc' } }), expect: ['FreeEsuEnvironment.Failed.PaidLicenseLinked'], jobs: ['unlink-license'], messageIncludes: ['(abc)'] },
  { ruleId: 'ESU.Machine.FreeEsuEnvironment', name: 'missing: assignment state absent', subject: machine({ ...hci, esuProfile: { licenseAssignmentState: null } }), expect: ['FreeEsuEnvironment.PassedWithWarning.UnknownLinkState'], evidence: { licenseAssignmentState: 'missing' } },
  { ruleId: 'ESU.Machine.FreeEsuEnvironment', name: 'missing: no ESU profile', subject: machine({ kind: 'AVS', properties: { licenseProfile: null } }), expect: ['FreeEsuEnvironment.PassedWithWarning.UnknownLinkState'] },
  { ruleId: 'ESU.Machine.FreeEsuEnvironment', name: 'malformed: unknown assignment state', subject: machine({ ...hci, esuProfile: { licenseAssignmentState: 'Weird' } }), expect: ['FreeEsuEnvironment.PassedWithWarning.UnknownLinkState'], messageIncludes: ['"Weird"'] },
  { ruleId: 'ESU.Machine.FreeEsuEnvironment', name: 'not applicable: on-premises physical server', subject: machine(), expect: [] },
  { ruleId: 'ESU.Machine.FreeEsuEnvironment', name: 'not applicable: Windows Server 2019 on HCI', subject: machine({ ...hci, properties: { osName: 'Windows Server 2019 Datacenter', osSku: null, osVersion: '10.0.17763' } }), expect: [] },

  // ESU.Machine.EsuKeyActive
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

  // ESU.Machine.LicenseOnIneligibleOs
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
];
