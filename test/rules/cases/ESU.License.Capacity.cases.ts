import { DEFAULT_RULE_SETTINGS } from '../../../shared/rules/context.js';
import { ledgerEntry, type RuleCase } from '../../support/ruleHarness.js';
import { LICENSE_ID, many, physical, unknownHost, vm } from '../caseFixtures/licenses.js';
import { ASSIGNED, ledgerOf, linkedTo } from '../caseFixtures/licensingVerdicts.js';

/** Every case of ESU.License.Capacity: one subject through the rule, the messageIds and jobs it must give. */
export const CASES: readonly RuleCase[] = [
  { ruleId: 'ESU.License.Capacity', name: 'pass: one 16-core server on 16 pCore', subject: ledgerEntry({}, [physical('srv-a', 16)]), expect: ['LicenseCapacity.Passed'], evidence: { required: 16, machines: ['srv-a: Physical 16 cores → 16'] } },
  { ruleId: 'ESU.License.Capacity', name: 'pass: an 8-core server counts as 16', subject: ledgerEntry({}, [physical('srv-a', 8)]), expect: ['LicenseCapacity.Passed'], evidence: { required: 16, machines: ['srv-a: Physical 8 cores → 16'] } },
  {
    ruleId: 'ESU.License.Capacity', name: 'fail: a 24-core server on 16 pCore',
    subject: ledgerEntry({}, [physical('srv-a', 24)]),
    expect: ['LicenseCapacity.Failed.Exceeded'], jobs: ['resize-license'],
    evidence: { required: 24, processors: 16, shortfall: 8, linkedMachines: 1, machines: ['srv-a: Physical 24 cores → 24'] },
  },
  { ruleId: 'ESU.License.Capacity', name: 'fail: two 8-core servers need 32', subject: ledgerEntry({}, [physical('srv-a', 8), physical('srv-b', 8)]), expect: ['LicenseCapacity.Failed.Exceeded'], jobs: ['resize-license'], evidence: { required: 32 } },
  {
    ruleId: 'ESU.License.Capacity', name: 'warn: server without a core count is counted at 16',
    subject: ledgerEntry({}, [physical('srv-a')]), expect: ['LicenseCapacity.PassedWithWarning.UnknownCores'],
    evidence: { required: 16, unknownCoreCounts: 1, machines: ['srv-a: Physical, cores unknown → 16 (minimum)'] },
  },
  { ruleId: 'ESU.License.Capacity', name: 'fail: exceeded even with the unknown server at the minimum', subject: ledgerEntry({ details: { processors: 32 } }, [physical('srv-a', 24), physical('srv-b')]), expect: ['LicenseCapacity.Failed.Exceeded'], jobs: ['resize-license'], evidence: { required: 40 } },
  {
    ruleId: 'ESU.License.Capacity', name: 'warn: Standard pCore covers 4 VMs with 32 cores, hosts not visible',
    subject: ledgerEntry({ details: { processors: 32 } }, many(4, (name) => vm(name, 8))),
    expect: ['LicenseCapacity.PassedWithWarning.HostCoresNotVisible'], evidence: { required: 32, virtualAllowance: 32, machines: ["srv-01: Virtual 8 vCPUs → covered by its host's cores (not visible)", "srv-02: Virtual 8 vCPUs → covered by its host's cores (not visible)", "srv-03: Virtual 8 vCPUs → covered by its host's cores (not visible)", "srv-04: Virtual 8 vCPUs → covered by its host's cores (not visible)"] },
  },
  { ruleId: 'ESU.License.Capacity', name: 'fail: Standard pCore 32 cannot cover 5 VMs (16 × ceil(5/2) = 48)', subject: ledgerEntry({ details: { processors: 32 } }, many(5, (name) => vm(name, 8))), expect: ['LicenseCapacity.Failed.Exceeded'], jobs: ['resize-license'], evidence: { required: 48, shortfall: 16 } },
  { ruleId: 'ESU.License.Capacity', name: 'warn: Datacenter pCore covers 10 VMs', subject: ledgerEntry({ details: { edition: 'Datacenter' } }, many(10, (name) => vm(name, 4))), expect: ['LicenseCapacity.PassedWithWarning.HostCoresNotVisible'], evidence: { required: 16 } },
  { ruleId: 'ESU.License.Capacity', name: 'warn: Standard host of 16 cores plus its 2 VMs on 16 pCore (most favourable reading)', subject: ledgerEntry({}, [physical('host-a', 16), vm('vm-b', 4), vm('vm-c', 4)]), expect: ['LicenseCapacity.PassedWithWarning.HostCoresNotVisible'], evidence: { required: 16, physicalRequired: 16, virtualAllowance: 0 } },
  { ruleId: 'ESU.License.Capacity', name: 'fail: Standard host of 16 cores cannot also cover 4 VMs on 16 pCore', subject: ledgerEntry({}, [physical('host-a', 16), ...many(4, (name) => vm(name, 4))]), expect: ['LicenseCapacity.Failed.Exceeded'], jobs: ['resize-license'], evidence: { required: 32 } },
  { ruleId: 'ESU.License.Capacity', name: 'warn: unknown host on pCore counted as a VM', subject: ledgerEntry({ details: { edition: 'Datacenter' } }, [physical('srv-a', 16), unknownHost('odd-1')]), expect: ['LicenseCapacity.PassedWithWarning.UnknownCores'], evidence: { required: 16, unknownHosts: 1, machines: ['odd-1: host type unknown → counted as a virtual machine', 'srv-a: Physical 16 cores → 16'] } },
  { ruleId: 'ESU.License.Capacity', name: 'pass: vCore 20 for VMs of 4 and 12 vCPUs (8 + 12)', subject: ledgerEntry({ details: { type: 'vCore', processors: 20 } }, [vm('vm-a', 4), vm('vm-b', 12)]), expect: ['LicenseCapacity.Passed'], evidence: { required: 20, machines: ['vm-a: Virtual 4 vCPUs → 8', 'vm-b: Virtual 12 vCPUs → 12'] } },
  { ruleId: 'ESU.License.Capacity', name: 'fail: vCore 16 for VMs needing 20', subject: ledgerEntry({ details: { type: 'vCore', processors: 16 } }, [vm('vm-a', 4), vm('vm-b', 12)]), expect: ['LicenseCapacity.Failed.Exceeded'], jobs: ['resize-license'], evidence: { required: 20, shortfall: 4 } },
  { ruleId: 'ESU.License.Capacity', name: 'warn: vCore with a VM of unknown vCPUs', subject: ledgerEntry({ details: { type: 'vCore', processors: 16 } }, [vm('vm-a', 8), vm('vm-b')]), expect: ['LicenseCapacity.PassedWithWarning.UnknownCores'], evidence: { required: 16, machines: ['vm-a: Virtual 8 vCPUs → 8', 'vm-b: Virtual, vCPUs unknown → 8 (minimum)'] } },
  { ruleId: 'ESU.License.Capacity', name: 'warn: vCore with an unknown host counted at the minimum', subject: ledgerEntry({ details: { type: 'vCore', processors: 8 } }, [unknownHost('odd-1')]), expect: ['LicenseCapacity.PassedWithWarning.UnknownCores'], evidence: { required: 8 } },
  {
    ruleId: 'ESU.License.Capacity', name: 'pass: vCore does not count a linked physical server (flagged by VCoreOnPhysical)',
    subject: ledgerEntry({ details: { type: 'vCore', processors: 8 } }, [physical('srv-a', 24), vm('vm-b', 8)]),
    expect: ['LicenseCapacity.Passed'], evidence: { required: 8, physicalServersNotCovered: 1 }, messageIncludes: ['not counted'],
  },
  {
    ruleId: 'ESU.License.Capacity', name: 'truncated sample: totals count every machine, evidence notes the sample',
    subject: ledgerEntry({ details: { processors: 400 } }, many(26, (name) => physical(name, 16))),
    expect: ['LicenseCapacity.Failed.Exceeded'], jobs: ['resize-license'],
    evidence: { required: 416, linkedMachines: 26, sampleNote: 'Showing the first 25 of 26 linked machines.' },
  },
  { ruleId: 'ESU.License.Capacity', name: 'settings: a higher pCore minimum counts unknown servers higher', subject: ledgerEntry({}, [physical('srv-a')]), context: { settings: { ...DEFAULT_RULE_SETTINGS, pCoreMinimum: 20 } }, expect: ['LicenseCapacity.Failed.Exceeded'], jobs: ['resize-license'], evidence: { required: 20 } },
  { ruleId: 'ESU.License.Capacity', name: 'error: non-numeric processors', subject: ledgerEntry({ details: { processors: 'sixteen' } }, [physical('srv-a', 16)]), expect: ['LicenseCapacity.Error.InvalidCoreCount'], evidence: { processors: 'sixteen' } },
  { ruleId: 'ESU.License.Capacity', name: 'error: processors missing', subject: ledgerEntry({ details: { processors: null } }, [physical('srv-a', 16)]), expect: ['LicenseCapacity.Error.InvalidCoreCount'], evidence: { processors: 'missing' } },
  { ruleId: 'ESU.License.Capacity', name: 'error: negative processors', subject: ledgerEntry({ details: { processors: -16 } }, [physical('srv-a', 16)]), expect: ['LicenseCapacity.Error.InvalidCoreCount'] },
  { ruleId: 'ESU.License.Capacity', name: 'error: unknown type', subject: ledgerEntry({ details: { type: 'socket' } }, [physical('srv-a', 16)]), expect: ['LicenseCapacity.Error.UnknownType'] },
  {
    ruleId: 'ESU.License.Capacity', name: 'error: no licenseDetails (machine linked by resource id)',
    subject: ledgerEntry({ details: null }, [{ ...physical('srv-a', 16), esuProfile: { licenseAssignmentState: 'Assigned', assignedLicense: LICENSE_ID } }]),
    expect: ['LicenseCapacity.Error.MissingDetails'],
  },
  { ruleId: 'ESU.License.Capacity', name: 'not applicable: nothing linked', subject: ledgerEntry({ details: { processors: 'sixteen' } }, []), expect: [] },
  { ruleId: 'ESU.License.Capacity', name: 'not applicable: non-ESU license', subject: ledgerEntry({ licenseType: 'SQL' }, [physical('srv-a', 64)]), expect: [] },
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
  { ruleId: 'ESU.License.Capacity', name: 'not applicable: a license no scanned subscription holds gets no capacity verdict', subject: ledgerOf([], [linkedTo('srv-e', { assignedLicenseImmutableId: 'bbbb-2' })], (entries) => entries[0]), expect: [] },
];
