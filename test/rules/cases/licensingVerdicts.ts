import { parseMachine } from '../../../shared/domain/machine.js';
import { toMachineSubject } from '../../../shared/rules/machineSubject.js';
import { LicenseLedger, type LicenseLedgerEntry } from '../../../shared/plan/licenseLedger.js';
import { armMachine, type MachineOverrides } from '../../support/armFixtures.js';
import { ledgerEntry, machine, parsedLicense, type RuleCase } from '../../support/ruleHarness.js';

/** The tenant ledger's entries when machines link to licenses the scan may or may not have read. */
const ledgerOf = (registered: ReturnType<typeof parsedLicense>[], linked: readonly MachineOverrides[], pick: (entries: LicenseLedgerEntry[]) => LicenseLedgerEntry | undefined) => (): LicenseLedgerEntry => {
  const ledger = new LicenseLedger();
  for (const license of registered) ledger.registerLicense(license);
  for (const overrides of linked) {
    const parsed = parseMachine(armMachine(overrides));
    if (!parsed.ok) throw new Error(parsed.reason);
    const subject = toMachineSubject(parsed.value);
    ledger.addLink(subject.link, { machineId: subject.id, machineName: subject.name, subscriptionId: subject.subscriptionId, hostType: subject.host.type, cores: subject.host.cores, inScope: subject.inScope });
  }
  const entry = pick(ledger.entries());
  if (!entry) throw new Error('no such ledger entry');
  return entry;
};
const ASSIGNED = { licenseAssignmentState: 'Assigned', assignedLicenseImmutableId: '11111111-2222-4333-8444-555555555555' };
const linkedTo = (name: string, esuProfile: Record<string, unknown>): MachineOverrides => ({ name, esuProfile: { licenseAssignmentState: 'Assigned', ...esuProfile } });

/**
 * Licensing as Microsoft decides it (issue 10), one row per decision, each citing the sentence it encodes:
 * "License provisioning guidelines for ESU" (scenarios 2, 5, 7, 8 and the Important box), "Deliver ESU", the
 * DINE policy (GuestConfiguration_ArcESU_DINE.json: `esuEligibility` equals `Eligible`) and the REST spec.
 * The harness evaluates on 2026-09-01, while Windows Server 2012 ESU ran.
 */
const E = 'ESU.Machine.Enrolled';
const vm = (logicalCores: number, extra: Record<string, unknown> = {}, kind = 'VMware', serverType = 'Standard') => ({
  kind,
  properties: {
    osName: `Windows Server 2012 R2 ${serverType}`, osSku: `Windows Server 2012 R2 ${serverType}`,
    detectedProperties: { manufacturer: 'VMware, Inc.', model: 'VMware7,1', coreCount: String(Math.max(1, logicalCores / 2)), logicalCoreCount: String(logicalCores) },
    hardwareProfile: { numberOfCpuSockets: 1, processors: [{ name: 'vCPU', numberOfCores: Math.max(1, logicalCores / 2) }] },
    ...extra,
  },
  esuProfile: { serverType },
});
const dc = (name: string, processors: number, details: Record<string, unknown> = {}) => parsedLicense({ name, details: { edition: 'Datacenter', processors, immutableId: `imm-${name}`, ...details } });

export const LICENSING_VERDICT_CASES: readonly RuleCase[] = [
  // 1. Scenario 5: "enrolled in Extended Security Updates through an activated MAK Key are as enrolled in ESUs"
  {
    ruleId: E, name: 'pass: MAK-enrolled (esuKeyState Active, no license): no link or buy job (scenario 5)',
    subject: machine({ esuProfile: { esuKeyState: 'Active', esuKeys: [{ sku: 'Windows Server 2012 R2 ESU Year 3', licenseStatus: 1 }] } }),
    expect: ['Enrolled.Passed.KeyEnrolled'], messageIncludes: ['through a key'],
    evidence: { esuKeys: ['Windows Server 2012 R2 ESU Year 3 (licenseStatus 1)'] },
  },
  // 2. The DINE policy and the portal act only on esuEligibility = Eligible
  { ruleId: E, name: 'not applicable: Ineligible machine gets no license proposal (Eligibility explains)', subject: machine({ esuProfile: { esuEligibility: 'Ineligible' } }), expect: [] },
  { ruleId: E, name: 'warn: eligibility Unknown: no purchase advice, no job', subject: machine({ esuProfile: { esuEligibility: 'Unknown' } }), expect: ['Enrolled.PassedWithWarning.EligibilityUnknown'] },
  // 3. Editions: Storage Server, Essentials, Foundation are out of ESU scope (no link job)
  { ruleId: E, name: 'not applicable: Essentials edition is out of ESU scope, never a link job', subject: machine({ properties: { osName: 'Windows Server 2012 R2 Essentials', osSku: 'Windows Server 2012 R2 Essentials' } }), expect: [] },
  // 5. Important box: vCore licenses are always Standard, "even if the operating system is datacenter edition"
  //    (which license it goes on is the plan's: test/plan/licensePlan.test.ts)
  { ruleId: E, name: 'fail: a Datacenter VM needs Standard vCore cores (Important box)', subject: machine(vm(8, {}, 'VMware', 'Datacenter')), expect: ['Enrolled.Failed.NotAssigned'], jobs: [], evidence: { requiredVCores: 8, requiredEdition: 'Standard (vCore licenses are always Standard)' } },
  // 6. VMs on third-party clouds use vCore
  { ruleId: E, name: 'fail: an AWS VM needs vCore cores (third-party host cores are not the customer\'s)', subject: machine({ kind: 'AWS', properties: { detectedProperties: { logicalCoreCount: '4' }, hardwareProfile: null } }), expect: ['Enrolled.Failed.NotAssigned'], evidence: { hostType: 'Virtual', requiredVCores: 8 } },
  // 10. Scenario 8: a VM needs max(8, the cores assigned to it): the guest's logical processors
  { ruleId: E, name: 'fail: an SMT VM with 6 cores and 12 logical processors needs 12 vCore cores (scenario 8)', subject: machine(vm(12)), expect: ['Enrolled.Failed.NotAssigned'], evidence: { requiredVCores: 12, coreBasis: 'detectedProperties.logicalCoreCount' } },
  { ruleId: E, name: 'fail: a small VM still counts the 8-core minimum (scenario 8)', subject: machine(vm(2)), expect: ['Enrolled.Failed.NotAssigned'], evidence: { requiredVCores: 8 } },
  { ruleId: E, name: 'fail: a physical server counts physical cores, not logical ones', subject: machine(), expect: ['Enrolled.Failed.NotAssigned'], evidence: { requiredPCores: 16, coreBasis: 'hardwareProfile.processors' } },
  {
    ruleId: E, name: 'WS2016 upcoming: unlinked is a readiness warning naming the deadline; the plan gives the license',
    subject: machine({ properties: { osName: 'Windows Server 2016 Standard', osSku: 'Windows Server 2016 Standard', osVersion: '10.0.14393', agentVersion: '1.68.1.1' }, esuProfile: { serverType: 'Standard' } }),
    context: { now: new Date('2026-12-01T00:00:00Z') },
    expect: ['Enrolled.PassedWithWarning.NotAssignedBeforeDeadline'], jobs: [], evidence: { target: 'Windows Server 2016' }, messageIncludes: ['12 January 2027'],
  },
  // 11. Dev/test and disaster recovery ("Deliver ESU", additional scenarios): tagged machines add no cores
  {
    ruleId: 'ESU.License.Capacity', name: 'pass: a tagged dev/test server on a license tagged the same adds no cores',
    subject: ledgerEntry({ tags: { 'ESU Usage': 'WS2012 VISUAL STUDIO DEV TEST' }, details: { edition: 'Datacenter', processors: 16 } }, [
      { name: 'prod-01', esuProfile: ASSIGNED }, { name: 'dev-01', esuProfile: ASSIGNED, tags: { 'esu usage': 'ws2012 visual studio dev test' } },
    ]),
    expect: ['LicenseCapacity.Passed'], evidence: { required: 16, exemptMachines: 1 },
  },
  {
    ruleId: 'ESU.License.Capacity', name: 'fail: the same dev/test server on an untagged license counts (tag on one side only)',
    subject: ledgerEntry({ details: { edition: 'Datacenter', processors: 16 } }, [{ name: 'prod-01', esuProfile: ASSIGNED }, { name: 'dev-01', esuProfile: ASSIGNED, tags: { 'ESU Usage': 'WS2012 VISUAL STUDIO DEV TEST' } }]),
    expect: ['LicenseCapacity.Failed.Exceeded'], jobs: ['resize-license'], evidence: { required: 32 },
  },
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
  // 12. Links Microsoft will refuse: a license no scanned subscription holds is a warning (it may be in an unscanned subscription)
  {
    ruleId: 'ESU.Machine.LinkedLicenseFound', name: 'warn: two machines linked to a license no scanned subscription holds, one finding each on the machine',
    subject: ledgerOf([], [linkedTo('srv-a', { assignedLicenseImmutableId: 'AAAA-1' }), linkedTo('srv-b', { assignedLicenseImmutableId: 'aaaa-1' })], (entries) => entries[0]),
    expect: ['LinkedLicenseFound.PassedWithWarning.NotFound', 'LinkedLicenseFound.PassedWithWarning.NotFound'], evidence: { linkedMachines: 2, linkedLicenseImmutableId: 'aaaa-1', machineName: 'srv-a' },
  },
  {
    ruleId: 'ESU.Machine.LinkedLicenseFound', name: 'warn: linked by resource id to a license of an unreadable subscription',
    subject: ledgerOf([parsedLicense()], [linkedTo('srv-c', { assignedLicense: '/subscriptions/other/resourceGroups/rg/providers/Microsoft.HybridCompute/licenses/far-away' })], (entries) => entries.find((e) => e.license.name === 'far-away')),
    expect: ['LinkedLicenseFound.PassedWithWarning.NotFound'], messageIncludes: ['licenses/far-away'],
  },
  {
    ruleId: 'ESU.Machine.LinkedLicenseFound', name: 'not applicable: the license was read; the other tenant rules see it',
    subject: ledgerOf([parsedLicense()], [linkedTo('srv-d', { assignedLicenseImmutableId: '11111111-2222-4333-8444-555555555555' })], (entries) => entries[0]),
    expect: [],
  },
  { ruleId: 'ESU.License.Capacity', name: 'not applicable: a license no scanned subscription holds gets no capacity verdict', subject: ledgerOf([], [linkedTo('srv-e', { assignedLicenseImmutableId: 'bbbb-2' })], (entries) => entries[0]), expect: [] },
  { ruleId: 'ESU.License.Unused', name: 'evidence: Azure\'s read-only assignedLicenses count explains an idle verdict', subject: ledgerOf([parsedLicense({ details: { assignedLicenses: 3 } })], [], (entries) => entries[0]), context: { now: new Date('2026-09-01T00:00:00Z') }, expect: ['LicenseUnused.PassedWithWarning.NoLinkedMachines'], evidence: { assignedLicenses: 3 } },
  // 9. Datacenter + vCore: invalid for new licenses; existing ones are charged as Datacenter (translated to Datacenter pCore)
  { ruleId: 'ESU.License.Combination', name: 'fail: Datacenter vCore says how Microsoft charges it and proposes Standard vCore', subject: () => dc('dc-vcore', 16, { type: 'vCore' }), expect: ['LicenseCombination.Failed.InvalidCombination'], jobs: ['replace-license'], messageIncludes: ['may be charged as Datacenter pCore', 'Standard vCore, 16 cores'] },
];
