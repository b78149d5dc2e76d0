import { DEFAULT_RULE_SETTINGS } from '../../../shared/rules/context.js';
import { SUBSCRIPTION_ID, type MachineOverrides } from '../../support/armFixtures.js';
import { ledgerEntry, license, type RuleCase } from '../../support/ruleHarness.js';

/** The license fixture's immutable id and resource id (see armLicense). */
const IMMUTABLE_ID = '11111111-2222-4333-8444-555555555555';
const LICENSE_ID = `/subscriptions/${SUBSCRIPTION_ID}/resourceGroups/rg-esu/providers/Microsoft.HybridCompute/licenses/esu-license-01`;
const LINKED = { licenseAssignmentState: 'Assigned', assignedLicenseImmutableId: IMMUTABLE_ID };

/** A physical server with `cores` cores (undefined: no core count reported), linked to the fixture license. */
const physical = (name: string, cores?: number): MachineOverrides => ({
  name,
  properties: {
    detectedProperties: { manufacturer: 'Dell Inc.', model: 'PowerEdge R730', ...(cores !== undefined ? { coreCount: String(cores) } : {}) },
    hardwareProfile: cores !== undefined ? { numberOfCpuSockets: 1, processors: [{ name: 'Xeon', numberOfCores: cores }] } : null,
  },
  esuProfile: LINKED,
});

/** A VMware VM with `vcpus` vCPUs (undefined: none reported), linked to the fixture license. */
const vm = (name: string, vcpus?: number): MachineOverrides => ({
  name,
  properties: {
    detectedProperties: { manufacturer: 'VMware, Inc.', model: 'VMware7,1', ...(vcpus !== undefined ? { logicalCoreCount: String(vcpus), coreCount: String(vcpus) } : {}) },
    hardwareProfile: null,
  },
  esuProfile: LINKED,
});

/** No kind, cluster, cloud or vendor reported: host type unknown. */
const unknownHost = (name: string): MachineOverrides => ({ name, properties: { detectedProperties: {}, hardwareProfile: null }, esuProfile: LINKED });

const many = (count: number, make: (name: string) => MachineOverrides): MachineOverrides[] =>
  Array.from({ length: count }, (_, index) => make(`srv-${String(index + 1).padStart(2, '0')}`));

const C = 'ESU.License.Combination';
const A = 'ESU.License.Activated';
const U = 'ESU.License.Unused';
const K = 'ESU.License.Capacity';
const V = 'ESU.License.VCoreOnPhysical';
const L = 'ESU.License.Limits';

/** License rules: combination, activation, idle licenses, capacity across the tenant, vCore on physical, limits. */
export const LICENSES_CASES: readonly RuleCase[] = [
  // ESU.License.Combination (single license)
  { ruleId: C, name: 'pass: Standard + pCore', subject: license(), expect: ['LicenseCombination.Passed'] },
  { ruleId: C, name: 'pass: Standard + vCore', subject: license({ details: { type: 'vCore', processors: 8 } }), expect: ['LicenseCombination.Passed'] },
  { ruleId: C, name: 'pass: Datacenter + pCore', subject: license({ details: { edition: 'Datacenter' } }), expect: ['LicenseCombination.Passed'] },
  { ruleId: C, name: 'pass: casing ignored (datacenter + PCORE)', subject: license({ details: { edition: 'datacenter', type: 'PCORE' } }), expect: ['LicenseCombination.Passed'], evidence: { edition: 'Datacenter', type: 'pCore' } },
  {
    ruleId: C, name: 'fail: Datacenter + vCore must be replaced by Standard + vCore with the same cores',
    subject: license({ details: { edition: 'Datacenter', type: 'vCore', processors: 24 } }),
    expect: ['LicenseCombination.Failed.InvalidCombination'], jobs: ['replace-license'],
    evidence: { replacementEdition: 'Standard', replacementType: 'vCore', replacementProcessors: 24, replacementName: 'esu-license-01-standard-vcore' },
    messageIncludes: ['Datacenter + vCore', 'cores provisioned: 24'],
  },
  {
    ruleId: C, name: 'fail: Datacenter + vCore below the vCore minimum is replaced at the minimum',
    subject: license({ details: { edition: 'Datacenter', type: 'vCore', processors: 4 } }),
    expect: ['LicenseCombination.Failed.InvalidCombination'], jobs: ['replace-license'], evidence: { replacementProcessors: 8 },
  },
  {
    ruleId: C, name: 'fail: upper-case DATACENTER + vcore with no target and non-numeric cores',
    subject: license({ details: { edition: 'DATACENTER', type: 'vcore', target: null, processors: 'lots' } }),
    expect: ['LicenseCombination.Failed.InvalidCombination'], jobs: ['replace-license'], evidence: { processors: 'lots', target: null, replacementProcessors: 8 },
  },
  { ruleId: C, name: 'missing: no licenseDetails', subject: license({ details: null }), expect: ['LicenseCombination.Error.MissingDetails'] },
  { ruleId: C, name: 'missing: edition null', subject: license({ details: { edition: null } }), expect: ['LicenseCombination.Error.UnknownEdition'], evidence: { edition: 'missing' } },
  { ruleId: C, name: 'missing: type empty', subject: license({ details: { type: '' } }), expect: ['LicenseCombination.Error.UnknownType'], evidence: { type: 'missing' } },
  { ruleId: C, name: 'malformed: unknown edition "Enterprise"', subject: license({ details: { edition: 'Enterprise' } }), expect: ['LicenseCombination.Error.UnknownEdition'], messageIncludes: ['"Enterprise"'] },
  { ruleId: C, name: 'malformed: edition is a number', subject: license({ details: { edition: 42 } }), expect: ['LicenseCombination.Error.UnknownEdition'] },
  { ruleId: C, name: 'malformed: unknown type "socket"', subject: license({ details: { type: 'socket' } }), expect: ['LicenseCombination.Error.UnknownType'] },
  { ruleId: C, name: 'not applicable: non-ESU license', subject: license({ licenseType: 'WindowsServer', details: { edition: 'Datacenter', type: 'vCore' } }), expect: [] },

  // ESU.License.Activated (tenant)
  { ruleId: A, name: 'pass: activated license with a linked server', subject: ledgerEntry({}, [physical('srv-a', 16)]), expect: ['LicenseActivated.Passed'], evidence: { linkedMachines: 1, machines: ['srv-a'] } },
  {
    ruleId: A, name: 'fail: deactivated license with linked machines',
    subject: ledgerEntry({ details: { state: 'Deactivated' } }, [physical('srv-a', 16), vm('vm-b', 4)]),
    expect: ['LicenseActivated.Failed.Deactivated'], jobs: ['activate-license'], evidence: { linkedMachines: 2, machines: ['srv-a', 'vm-b'], state: 'Deactivated' },
  },
  { ruleId: A, name: 'fail: state casing ignored ("deactivated")', subject: ledgerEntry({ details: { state: 'deactivated' } }, [vm('vm-b', 4)]), expect: ['LicenseActivated.Failed.Deactivated'], jobs: ['activate-license'] },
  {
    ruleId: A, name: 'fail: machines linked by license resource id, in another subscription of the tenant',
    subject: ledgerEntry({ details: { state: 'Deactivated' } }, [{ ...vm('vm-far', 4), esuProfile: { licenseAssignmentState: 'Assigned', assignedLicense: LICENSE_ID } }]),
    expect: ['LicenseActivated.Failed.Deactivated'], jobs: ['activate-license'],
  },
  { ruleId: A, name: 'warn: state missing', subject: ledgerEntry({ details: { state: null } }, [physical('srv-a', 16)]), expect: ['LicenseActivated.PassedWithWarning.UnknownState'], evidence: { state: 'missing' }, messageIncludes: ['not reported'] },
  { ruleId: A, name: 'malformed: unknown state "Suspended"', subject: ledgerEntry({ details: { state: 'Suspended' } }, [physical('srv-a', 16)]), expect: ['LicenseActivated.PassedWithWarning.UnknownState'], messageIncludes: ['"Suspended"'] },
  { ruleId: A, name: 'malformed: state is a number', subject: ledgerEntry({ details: { state: 1 } }, [physical('srv-a', 16)]), expect: ['LicenseActivated.PassedWithWarning.UnknownState'] },
  {
    ruleId: A, name: 'truncated sample: evidence says so',
    subject: ledgerEntry({ details: { state: 'Deactivated' } }, many(27, (name) => vm(name, 8))),
    expect: ['LicenseActivated.Failed.Deactivated'], jobs: ['activate-license'],
    evidence: { linkedMachines: 27, sampleNote: 'Showing the first 25 of 27 linked machines.' },
  },
  { ruleId: A, name: 'not applicable: deactivated license with no linked machine', subject: ledgerEntry({ details: { state: 'Deactivated' } }, []), expect: [] },
  { ruleId: A, name: 'not applicable: machine not linked', subject: ledgerEntry({ details: { state: 'Deactivated' } }, [{ ...physical('srv-a', 16), esuProfile: { licenseAssignmentState: 'NotAssigned' } }]), expect: [] },
  { ruleId: A, name: 'not applicable: non-ESU license', subject: ledgerEntry({ licenseType: 'SQL', details: { state: 'Deactivated' } }, [physical('srv-a', 16)]), expect: [] },

  // ESU.License.Unused (tenant)
  { ruleId: U, name: 'warn: activated license linked to nothing', subject: ledgerEntry({}, []), expect: ['LicenseUnused.PassedWithWarning.NoLinkedMachines'], evidence: { processors: 16, type: 'pCore', edition: 'Standard', linkedMachines: 0 } },
  {
    ruleId: U, name: 'warn: machine linked to another license does not count',
    subject: ledgerEntry({ details: { state: 'activated' } }, [{ ...physical('srv-a', 16), esuProfile: { licenseAssignmentState: 'Assigned', assignedLicenseImmutableId: '99999999-2222-4333-8444-555555555555' } }]),
    expect: ['LicenseUnused.PassedWithWarning.NoLinkedMachines'],
  },
  { ruleId: U, name: 'malformed: non-numeric cores and missing type still warn', subject: ledgerEntry({ details: { processors: 'lots', type: null } }, []), expect: ['LicenseUnused.PassedWithWarning.NoLinkedMachines'], evidence: { processors: 'lots', type: 'missing' } },
  { ruleId: U, name: 'not applicable: linked machines exist', subject: ledgerEntry({}, [physical('srv-a', 16)]), expect: [] },
  { ruleId: U, name: 'not applicable: deactivated', subject: ledgerEntry({ details: { state: 'Deactivated' } }, []), expect: [] },
  { ruleId: U, name: 'not applicable (missing): state unknown', subject: ledgerEntry({ details: { state: null } }, []), expect: [] },
  { ruleId: U, name: 'not applicable: no licenseDetails', subject: ledgerEntry({ details: null }, []), expect: [] },

  // ESU.License.Capacity (tenant)
  { ruleId: K, name: 'pass: one 16-core server on 16 pCore', subject: ledgerEntry({}, [physical('srv-a', 16)]), expect: ['LicenseCapacity.Passed'], evidence: { required: 16, machines: ['srv-a: Physical 16 cores → 16'] } },
  { ruleId: K, name: 'pass: an 8-core server counts as 16', subject: ledgerEntry({}, [physical('srv-a', 8)]), expect: ['LicenseCapacity.Passed'], evidence: { required: 16, machines: ['srv-a: Physical 8 cores → 16'] } },
  {
    ruleId: K, name: 'fail: a 24-core server on 16 pCore',
    subject: ledgerEntry({}, [physical('srv-a', 24)]),
    expect: ['LicenseCapacity.Failed.Exceeded'], jobs: ['resize-license'],
    evidence: { required: 24, processors: 16, shortfall: 8, linkedMachines: 1, machines: ['srv-a: Physical 24 cores → 24'] },
  },
  { ruleId: K, name: 'fail: two 8-core servers need 32', subject: ledgerEntry({}, [physical('srv-a', 8), physical('srv-b', 8)]), expect: ['LicenseCapacity.Failed.Exceeded'], jobs: ['resize-license'], evidence: { required: 32 } },
  {
    ruleId: K, name: 'warn: server without a core count is counted at 16',
    subject: ledgerEntry({}, [physical('srv-a')]), expect: ['LicenseCapacity.PassedWithWarning.UnknownCores'],
    evidence: { required: 16, unknownCoreCounts: 1, machines: ['srv-a: Physical, cores unknown → 16 (minimum)'] },
  },
  { ruleId: K, name: 'fail: exceeded even with the unknown server at the minimum', subject: ledgerEntry({ details: { processors: 32 } }, [physical('srv-a', 24), physical('srv-b')]), expect: ['LicenseCapacity.Failed.Exceeded'], jobs: ['resize-license'], evidence: { required: 40 } },
  {
    ruleId: K, name: 'warn: Standard pCore covers 4 VMs with 32 cores, hosts not visible',
    subject: ledgerEntry({ details: { processors: 32 } }, many(4, (name) => vm(name, 8))),
    expect: ['LicenseCapacity.PassedWithWarning.HostCoresNotVisible'], evidence: { required: 32, virtualAllowance: 32, machines: ["srv-01: Virtual 8 vCPUs → covered by its host's cores (not visible)", "srv-02: Virtual 8 vCPUs → covered by its host's cores (not visible)", "srv-03: Virtual 8 vCPUs → covered by its host's cores (not visible)", "srv-04: Virtual 8 vCPUs → covered by its host's cores (not visible)"] },
  },
  { ruleId: K, name: 'fail: Standard pCore 32 cannot cover 5 VMs (16 × ceil(5/2) = 48)', subject: ledgerEntry({ details: { processors: 32 } }, many(5, (name) => vm(name, 8))), expect: ['LicenseCapacity.Failed.Exceeded'], jobs: ['resize-license'], evidence: { required: 48, shortfall: 16 } },
  { ruleId: K, name: 'warn: Datacenter pCore covers 10 VMs', subject: ledgerEntry({ details: { edition: 'Datacenter' } }, many(10, (name) => vm(name, 4))), expect: ['LicenseCapacity.PassedWithWarning.HostCoresNotVisible'], evidence: { required: 16 } },
  { ruleId: K, name: 'warn: Standard host of 16 cores plus its 2 VMs on 16 pCore (most favourable reading)', subject: ledgerEntry({}, [physical('host-a', 16), vm('vm-b', 4), vm('vm-c', 4)]), expect: ['LicenseCapacity.PassedWithWarning.HostCoresNotVisible'], evidence: { required: 16, physicalRequired: 16, virtualAllowance: 0 } },
  { ruleId: K, name: 'fail: Standard host of 16 cores cannot also cover 4 VMs on 16 pCore', subject: ledgerEntry({}, [physical('host-a', 16), ...many(4, (name) => vm(name, 4))]), expect: ['LicenseCapacity.Failed.Exceeded'], jobs: ['resize-license'], evidence: { required: 32 } },
  { ruleId: K, name: 'warn: unknown host on pCore counted as a VM', subject: ledgerEntry({ details: { edition: 'Datacenter' } }, [physical('srv-a', 16), unknownHost('odd-1')]), expect: ['LicenseCapacity.PassedWithWarning.UnknownCores'], evidence: { required: 16, unknownHosts: 1, machines: ['odd-1: host type unknown → counted as a virtual machine', 'srv-a: Physical 16 cores → 16'] } },
  { ruleId: K, name: 'pass: vCore 20 for VMs of 4 and 12 vCPUs (8 + 12)', subject: ledgerEntry({ details: { type: 'vCore', processors: 20 } }, [vm('vm-a', 4), vm('vm-b', 12)]), expect: ['LicenseCapacity.Passed'], evidence: { required: 20, machines: ['vm-a: Virtual 4 vCPUs → 8', 'vm-b: Virtual 12 vCPUs → 12'] } },
  { ruleId: K, name: 'fail: vCore 16 for VMs needing 20', subject: ledgerEntry({ details: { type: 'vCore', processors: 16 } }, [vm('vm-a', 4), vm('vm-b', 12)]), expect: ['LicenseCapacity.Failed.Exceeded'], jobs: ['resize-license'], evidence: { required: 20, shortfall: 4 } },
  { ruleId: K, name: 'warn: vCore with a VM of unknown vCPUs', subject: ledgerEntry({ details: { type: 'vCore', processors: 16 } }, [vm('vm-a', 8), vm('vm-b')]), expect: ['LicenseCapacity.PassedWithWarning.UnknownCores'], evidence: { required: 16, machines: ['vm-a: Virtual 8 vCPUs → 8', 'vm-b: Virtual, vCPUs unknown → 8 (minimum)'] } },
  { ruleId: K, name: 'warn: vCore with an unknown host counted at the minimum', subject: ledgerEntry({ details: { type: 'vCore', processors: 8 } }, [unknownHost('odd-1')]), expect: ['LicenseCapacity.PassedWithWarning.UnknownCores'], evidence: { required: 8 } },
  {
    ruleId: K, name: 'pass: vCore does not count a linked physical server (flagged by VCoreOnPhysical)',
    subject: ledgerEntry({ details: { type: 'vCore', processors: 8 } }, [physical('srv-a', 24), vm('vm-b', 8)]),
    expect: ['LicenseCapacity.Passed'], evidence: { required: 8, physicalServersNotCovered: 1 }, messageIncludes: ['not counted'],
  },
  {
    ruleId: K, name: 'truncated sample: totals count every machine, evidence notes the sample',
    subject: ledgerEntry({ details: { processors: 400 } }, many(26, (name) => physical(name, 16))),
    expect: ['LicenseCapacity.Failed.Exceeded'], jobs: ['resize-license'],
    evidence: { required: 416, linkedMachines: 26, sampleNote: 'Showing the first 25 of 26 linked machines.' },
  },
  { ruleId: K, name: 'settings: a higher pCore minimum counts unknown servers higher', subject: ledgerEntry({}, [physical('srv-a')]), context: { settings: { ...DEFAULT_RULE_SETTINGS, pCoreMinimum: 20 } }, expect: ['LicenseCapacity.Failed.Exceeded'], jobs: ['resize-license'], evidence: { required: 20 } },
  { ruleId: K, name: 'error: non-numeric processors', subject: ledgerEntry({ details: { processors: 'sixteen' } }, [physical('srv-a', 16)]), expect: ['LicenseCapacity.Error.InvalidCoreCount'], evidence: { processors: 'sixteen' } },
  { ruleId: K, name: 'error: processors missing', subject: ledgerEntry({ details: { processors: null } }, [physical('srv-a', 16)]), expect: ['LicenseCapacity.Error.InvalidCoreCount'], evidence: { processors: 'missing' } },
  { ruleId: K, name: 'error: negative processors', subject: ledgerEntry({ details: { processors: -16 } }, [physical('srv-a', 16)]), expect: ['LicenseCapacity.Error.InvalidCoreCount'] },
  { ruleId: K, name: 'error: unknown type', subject: ledgerEntry({ details: { type: 'socket' } }, [physical('srv-a', 16)]), expect: ['LicenseCapacity.Error.UnknownType'] },
  {
    ruleId: K, name: 'error: no licenseDetails (machine linked by resource id)',
    subject: ledgerEntry({ details: null }, [{ ...physical('srv-a', 16), esuProfile: { licenseAssignmentState: 'Assigned', assignedLicense: LICENSE_ID } }]),
    expect: ['LicenseCapacity.Error.MissingDetails'],
  },
  { ruleId: K, name: 'not applicable: nothing linked', subject: ledgerEntry({ details: { processors: 'sixteen' } }, []), expect: [] },
  { ruleId: K, name: 'not applicable: non-ESU license', subject: ledgerEntry({ licenseType: 'SQL' }, [physical('srv-a', 64)]), expect: [] },

  // ESU.License.VCoreOnPhysical (tenant)
  {
    ruleId: V, name: 'fail: vCore license linked to a 24-core physical server',
    subject: ledgerEntry({ details: { type: 'vCore', processors: 16 } }, [physical('srv-phys', 24), vm('vm-b', 8)]),
    expect: ['LicenseVCoreOnPhysical.Failed.PhysicalServerLinked'], jobs: ['replace-license'],
    evidence: { physicalServers: 1, servers: ['srv-phys (24 cores)'], replacementName: 'esu-license-01-pcore', replacementEdition: 'Standard', replacementProcessors: 24 },
    messageIncludes: ['srv-phys (24 cores)'],
  },
  {
    ruleId: V, name: 'fail: physical server without a core count, Datacenter edition kept',
    subject: ledgerEntry({ details: { type: 'VCORE', edition: 'Datacenter', processors: 8 } }, [physical('srv-a'), physical('srv-b', 8)]),
    expect: ['LicenseVCoreOnPhysical.Failed.PhysicalServerLinked'], jobs: ['replace-license'],
    evidence: { physicalServers: 2, servers: ['srv-a (cores unknown)', 'srv-b (8 cores)'], replacementEdition: 'Datacenter', replacementProcessors: 32 },
  },
  {
    ruleId: V, name: 'fail: unknown edition falls back to Standard for the pCore replacement',
    subject: ledgerEntry({ details: { type: 'vCore', edition: 'Weird' } }, [physical('srv-a', 16)]),
    expect: ['LicenseVCoreOnPhysical.Failed.PhysicalServerLinked'], jobs: ['replace-license'], evidence: { replacementEdition: 'Standard' },
  },
  {
    ruleId: V, name: 'fail: physical servers beyond the sample are counted and noted',
    subject: ledgerEntry({ details: { type: 'vCore', processors: 400 } }, [...many(25, (name) => vm(name, 8)), physical('srv-late', 16)]),
    expect: ['LicenseVCoreOnPhysical.Failed.PhysicalServerLinked'], jobs: ['replace-license'],
    evidence: { physicalServers: 1, servers: [], sampleNote: 'Listing 0 of 1 physical servers (the sample holds the first 25 linked machines); relink the others too.' },
  },
  { ruleId: V, name: 'not applicable: vCore license with VMs only', subject: ledgerEntry({ details: { type: 'vCore' } }, [vm('vm-a', 8), unknownHost('odd-1')]), expect: [] },
  { ruleId: V, name: 'not applicable: pCore license with a physical server', subject: ledgerEntry({}, [physical('srv-a', 16)]), expect: [] },
  { ruleId: V, name: 'not applicable (missing): type missing', subject: ledgerEntry({ details: { type: null } }, [physical('srv-a', 16)]), expect: [] },
  { ruleId: V, name: 'not applicable (malformed): type is a number', subject: ledgerEntry({ details: { type: 7 } }, [physical('srv-a', 16)]), expect: [] },
  { ruleId: V, name: 'not applicable: nothing linked', subject: ledgerEntry({ details: { type: 'vCore' } }, []), expect: [] },

  // ESU.License.Limits (tenant)
  { ruleId: L, name: 'pass: 16 cores, unique name', subject: ledgerEntry({}, []), expect: ['LicenseLimits.Passed'] },
  { ruleId: L, name: 'pass: exactly 10,000 cores', subject: ledgerEntry({ details: { processors: 10000 } }, []), expect: ['LicenseLimits.Passed'] },
  { ruleId: L, name: 'fail: 10,001 cores', subject: ledgerEntry({ details: { processors: 10001 } }, []), expect: ['LicenseLimits.Failed.TooManyCores'], evidence: { processors: 10001, maximumCores: 10000 } },
  { ruleId: L, name: 'fail: too many cores also names the duplicate', subject: ledgerEntry({ details: { processors: 12000 } }, [], 2), expect: ['LicenseLimits.Failed.TooManyCores'], messageIncludes: ['also used by 1 other license'] },
  { ruleId: L, name: 'warn: name used twice in the tenant', subject: ledgerEntry({}, [], 2), expect: ['LicenseLimits.PassedWithWarning.DuplicateName'], evidence: { sameNameCount: 2, name: 'esu-license-01' } },
  { ruleId: L, name: 'settings: a lower maximum', subject: ledgerEntry({ details: { processors: 128 } }, []), context: { settings: { ...DEFAULT_RULE_SETTINGS, maximumLicenseCores: 100 } }, expect: ['LicenseLimits.Failed.TooManyCores'] },
  { ruleId: L, name: 'error: non-numeric processors', subject: ledgerEntry({ details: { processors: '10k' } }, [], 3), expect: ['LicenseLimits.Error.InvalidCoreCount'], evidence: { processors: '10k' }, messageIncludes: ['also used by 2 other license'] },
  { ruleId: L, name: 'error (missing): no licenseDetails', subject: ledgerEntry({ details: null }, []), expect: ['LicenseLimits.Error.InvalidCoreCount'], evidence: { processors: 'missing' } },
  { ruleId: L, name: 'malformed: odd sameNameCount is read as unique', subject: ledgerEntry({}, [], Number.NaN), expect: ['LicenseLimits.Passed'] },
  { ruleId: L, name: 'not applicable: non-ESU license', subject: ledgerEntry({ licenseType: 'SQL', details: { processors: 20000 } }, []), expect: [] },
];
