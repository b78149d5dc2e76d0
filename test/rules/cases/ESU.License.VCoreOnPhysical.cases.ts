import { ledgerEntry, type RuleCase } from '../../support/ruleHarness.js';
import { many, physical, unknownHost, vm } from '../caseFixtures/licenses.js';

/** Every case of ESU.License.VCoreOnPhysical: one subject through the rule, the messageIds and jobs it must give. */
export const CASES: readonly RuleCase[] = [
  {
    ruleId: 'ESU.License.VCoreOnPhysical', name: 'fail: vCore license linked to a 24-core physical server',
    subject: ledgerEntry({ details: { type: 'vCore', processors: 16 } }, [physical('srv-phys', 24), vm('vm-b', 8)]),
    expect: ['LicenseVCoreOnPhysical.Failed.PhysicalServerLinked'], jobs: ['replace-license'],
    evidence: { physicalServers: 1, servers: ['srv-phys (24 cores)'], replacementName: 'esu-license-01-pcore', replacementEdition: 'Standard', replacementProcessors: 24 },
    messageIncludes: ['srv-phys (24 cores)'],
  },
  {
    ruleId: 'ESU.License.VCoreOnPhysical', name: 'fail: physical server without a core count, Datacenter edition kept',
    subject: ledgerEntry({ details: { type: 'VCORE', edition: 'Datacenter', processors: 8 } }, [physical('srv-a'), physical('srv-b', 8)]),
    expect: ['LicenseVCoreOnPhysical.Failed.PhysicalServerLinked'], jobs: ['replace-license'],
    evidence: { physicalServers: 2, servers: ['srv-a (cores unknown)', 'srv-b (8 cores)'], replacementEdition: 'Datacenter', replacementProcessors: 32 },
  },
  {
    ruleId: 'ESU.License.VCoreOnPhysical', name: 'fail: unknown edition falls back to Standard for the pCore replacement',
    subject: ledgerEntry({ details: { type: 'vCore', edition: 'Weird' } }, [physical('srv-a', 16)]),
    expect: ['LicenseVCoreOnPhysical.Failed.PhysicalServerLinked'], jobs: ['replace-license'], evidence: { replacementEdition: 'Standard' },
  },
  {
    ruleId: 'ESU.License.VCoreOnPhysical', name: 'fail: physical servers beyond the sample are counted and noted',
    subject: ledgerEntry({ details: { type: 'vCore', processors: 400 } }, [...many(25, (name) => vm(name, 8)), physical('srv-late', 16)]),
    expect: ['LicenseVCoreOnPhysical.Failed.PhysicalServerLinked'], jobs: ['replace-license'],
    evidence: { physicalServers: 1, servers: [], sampleNote: 'Listing 0 of 1 physical servers (the sample holds the first 25 linked machines); relink the others too.' },
  },
  { ruleId: 'ESU.License.VCoreOnPhysical', name: 'not applicable: vCore license with VMs only', subject: ledgerEntry({ details: { type: 'vCore' } }, [vm('vm-a', 8), unknownHost('odd-1')]), expect: [] },
  { ruleId: 'ESU.License.VCoreOnPhysical', name: 'not applicable: pCore license with a physical server', subject: ledgerEntry({}, [physical('srv-a', 16)]), expect: [] },
  { ruleId: 'ESU.License.VCoreOnPhysical', name: 'not applicable (missing): type missing', subject: ledgerEntry({ details: { type: null } }, [physical('srv-a', 16)]), expect: [] },
  { ruleId: 'ESU.License.VCoreOnPhysical', name: 'not applicable (malformed): type is a number', subject: ledgerEntry({ details: { type: 7 } }, [physical('srv-a', 16)]), expect: [] },
  { ruleId: 'ESU.License.VCoreOnPhysical', name: 'not applicable: nothing linked', subject: ledgerEntry({ details: { type: 'vCore' } }, []), expect: [] },
];
