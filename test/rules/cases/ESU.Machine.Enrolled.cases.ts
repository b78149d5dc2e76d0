import { applyProgramOverrides } from '../../../shared/programs/overrides.js';
import { DEFAULT_RULE_SETTINGS } from '../../../shared/rules/context.js';
import { machine, parsedLicense, type RuleCase } from '../../support/ruleHarness.js';
import { vm } from '../caseFixtures/licensingVerdicts.js';
import { assigned, hci, unknownHost, vmwareVm } from '../caseFixtures/machineLicensing.js';
import { BEFORE_2012_END, BETWEEN, license2016, ws2016, WS2016_ACTIVE } from '../caseFixtures/programs.js';

/** Every case of ESU.Machine.Enrolled: one subject through the rule, the messageIds and jobs it must give. */
export const CASES: readonly RuleCase[] = [
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
  // WS2012 before and after 2026-10-13 (Microsoft lifecycle; catalogue esuEnd)
  { ruleId: 'ESU.Machine.Enrolled', name: 'WS2012 active (2026-09-01): an unlinked machine fails (its link job is the plan\'s)', subject: machine(), context: BEFORE_2012_END, expect: ['Enrolled.Failed.NotAssigned'], jobs: [], evidence: { program: 'WS2012', programPhase: 'active' } },
  { ruleId: 'ESU.Machine.Enrolled', name: 'WS2012 ended (2026-12-01): no link or buy recommendation', subject: machine(), context: BETWEEN, expect: [] },
  {
    ruleId: 'ESU.Machine.Enrolled', name: 'an extension is configuration: WS2012 esuEnd moved to 2027-10-12 keeps it active',
    subject: machine(), context: { ...BETWEEN, settings: { programs: applyProgramOverrides(DEFAULT_RULE_SETTINGS.programs, { WS2012: { esuEnd: '2027-10-12' } }) } },
    expect: ['Enrolled.Failed.NotAssigned'],
  },
  { ruleId: 'ESU.Machine.Enrolled', name: 'WS2016 upcoming: unlinked is a readiness warning with the days left; no job (the plan has it)', subject: machine(ws2016(), [license2016()]), context: BETWEEN, expect: ['Enrolled.PassedWithWarning.NotAssignedBeforeDeadline'], jobs: [], evidence: { target: 'Windows Server 2016' }, messageIncludes: ['42 days left'] },
  { ruleId: 'ESU.Machine.Enrolled', name: 'WS2016 active: unlinked fails', subject: machine(ws2016()), context: WS2016_ACTIVE, expect: ['Enrolled.Failed.NotAssigned'], jobs: [] },
  { ruleId: 'ESU.Machine.Enrolled', name: 'WS2016 linked to a license in another subscription passes (no unlink)', subject: machine(ws2016({}, { licenseAssignmentState: 'Assigned', assignedLicense: '/subscriptions/other/resourceGroups/rg/providers/Microsoft.HybridCompute/licenses/ws2016' })), context: WS2016_ACTIVE, expect: ['Enrolled.Passed'] },
  // 1. Scenario 5: "enrolled in Extended Security Updates through an activated MAK Key are as enrolled in ESUs"
  {
    ruleId: 'ESU.Machine.Enrolled', name: 'pass: MAK-enrolled (esuKeyState Active, no license): no link or buy job (scenario 5)',
    subject: machine({ esuProfile: { esuKeyState: 'Active', esuKeys: [{ sku: 'Windows Server 2012 R2 ESU Year 3', licenseStatus: 1 }] } }),
    expect: ['Enrolled.Passed.KeyEnrolled'], messageIncludes: ['through a key'],
    evidence: { esuKeys: ['Windows Server 2012 R2 ESU Year 3 (licenseStatus 1)'] },
  },
  // 2. The DINE policy and the portal act only on esuEligibility = Eligible
  { ruleId: 'ESU.Machine.Enrolled', name: 'not applicable: Ineligible machine gets no license proposal (Eligibility explains)', subject: machine({ esuProfile: { esuEligibility: 'Ineligible' } }), expect: [] },
  { ruleId: 'ESU.Machine.Enrolled', name: 'warn: eligibility Unknown: no purchase advice, no job', subject: machine({ esuProfile: { esuEligibility: 'Unknown' } }), expect: ['Enrolled.PassedWithWarning.EligibilityUnknown'] },
  // 3. Editions: Storage Server, Essentials, Foundation are out of ESU scope (no link job)
  { ruleId: 'ESU.Machine.Enrolled', name: 'not applicable: Essentials edition is out of ESU scope, never a link job', subject: machine({ properties: { osName: 'Windows Server 2012 R2 Essentials', osSku: 'Windows Server 2012 R2 Essentials' } }), expect: [] },
  // 5. Important box: vCore licenses are always Standard, "even if the operating system is datacenter edition"
  //    (which license it goes on is the plan's: test/plan/licensePlan.test.ts)
  { ruleId: 'ESU.Machine.Enrolled', name: 'fail: a Datacenter VM needs Standard vCore cores (Important box)', subject: machine(vm(8, {}, 'VMware', 'Datacenter')), expect: ['Enrolled.Failed.NotAssigned'], jobs: [], evidence: { requiredVCores: 8, requiredEdition: 'Standard (vCore licenses are always Standard)' } },
  // 6. VMs on third-party clouds use vCore
  { ruleId: 'ESU.Machine.Enrolled', name: 'fail: an AWS VM needs vCore cores (third-party host cores are not the customer\'s)', subject: machine({ kind: 'AWS', properties: { detectedProperties: { logicalCoreCount: '4' }, hardwareProfile: null } }), expect: ['Enrolled.Failed.NotAssigned'], evidence: { hostType: 'Virtual', requiredVCores: 8 } },
  // 10. Scenario 8: a VM needs max(8, the cores assigned to it): the guest's logical processors
  { ruleId: 'ESU.Machine.Enrolled', name: 'fail: an SMT VM with 6 cores and 12 logical processors needs 12 vCore cores (scenario 8)', subject: machine(vm(12)), expect: ['Enrolled.Failed.NotAssigned'], evidence: { requiredVCores: 12, coreBasis: 'detectedProperties.logicalCoreCount' } },
  { ruleId: 'ESU.Machine.Enrolled', name: 'fail: a small VM still counts the 8-core minimum (scenario 8)', subject: machine(vm(2)), expect: ['Enrolled.Failed.NotAssigned'], evidence: { requiredVCores: 8 } },
  { ruleId: 'ESU.Machine.Enrolled', name: 'fail: a physical server counts physical cores, not logical ones', subject: machine(), expect: ['Enrolled.Failed.NotAssigned'], evidence: { requiredPCores: 16, coreBasis: 'hardwareProfile.processors' } },
  {
    ruleId: 'ESU.Machine.Enrolled', name: 'WS2016 upcoming: unlinked is a readiness warning naming the deadline; the plan gives the license',
    subject: machine({ properties: { osName: 'Windows Server 2016 Standard', osSku: 'Windows Server 2016 Standard', osVersion: '10.0.14393', agentVersion: '1.68.1.1' }, esuProfile: { serverType: 'Standard' } }),
    context: { now: new Date('2026-12-01T00:00:00Z') },
    expect: ['Enrolled.PassedWithWarning.NotAssignedBeforeDeadline'], jobs: [], evidence: { target: 'Windows Server 2016' }, messageIncludes: ['12 January 2027'],
  },
];
