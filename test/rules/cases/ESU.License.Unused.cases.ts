import { ledgerEntry, parsedLicense, type RuleCase } from '../../support/ruleHarness.js';
import { physical } from '../caseFixtures/licenses.js';
import { ledgerOf } from '../caseFixtures/licensingVerdicts.js';
import { BETWEEN, WS2016_ACTIVE } from '../caseFixtures/programs.js';

/** Every case of ESU.License.Unused: one subject through the rule, the messageIds and jobs it must give. */
export const CASES: readonly RuleCase[] = [
  { ruleId: 'ESU.License.Unused', name: 'warn: activated license linked to nothing', subject: ledgerEntry({}, []), expect: ['LicenseUnused.PassedWithWarning.NoLinkedMachines'], evidence: { processors: 16, type: 'pCore', edition: 'Standard', linkedMachines: 0 } },
  {
    ruleId: 'ESU.License.Unused', name: 'warn: machine linked to another license does not count',
    subject: ledgerEntry({ details: { state: 'activated' } }, [{ ...physical('srv-a', 16), esuProfile: { licenseAssignmentState: 'Assigned', assignedLicenseImmutableId: '99999999-2222-4333-8444-555555555555' } }]),
    expect: ['LicenseUnused.PassedWithWarning.NoLinkedMachines'],
  },
  { ruleId: 'ESU.License.Unused', name: 'malformed: non-numeric cores and missing type still warn', subject: ledgerEntry({ details: { processors: 'lots', type: null } }, []), expect: ['LicenseUnused.PassedWithWarning.NoLinkedMachines'], evidence: { processors: 'lots', type: 'missing' } },
  { ruleId: 'ESU.License.Unused', name: 'not applicable: linked machines exist', subject: ledgerEntry({}, [physical('srv-a', 16)]), expect: [] },
  { ruleId: 'ESU.License.Unused', name: 'not applicable: deactivated', subject: ledgerEntry({ details: { state: 'Deactivated' } }, []), expect: [] },
  { ruleId: 'ESU.License.Unused', name: 'not applicable (missing): state unknown', subject: ledgerEntry({ details: { state: null } }, []), expect: [] },
  { ruleId: 'ESU.License.Unused', name: 'not applicable: no licenseDetails', subject: ledgerEntry({ details: null }, []), expect: [] },
  // Tenant-wide license rules by program
  { ruleId: 'ESU.License.Unused', name: 'WS2016 license Activated and idle before billing starts: a warning about the coming charge and back-billing', subject: ledgerEntry({ details: { target: 'Windows Server 2016' } }, []), context: BETWEEN, expect: ['LicenseUnused.PassedWithWarning.NotYetBilled'], messageIncludes: ['13 January 2027', 'back-billed to 12 January 2027'] },
  { ruleId: 'ESU.License.Unused', name: 'WS2016 license idle once billing runs: billed for nothing', subject: ledgerEntry({ details: { target: 'Windows Server 2016' } }, []), context: WS2016_ACTIVE, expect: ['LicenseUnused.PassedWithWarning.NoLinkedMachines'] },
  { ruleId: 'ESU.License.Unused', name: 'WS2012 license after the program ended: ESU.License.Program reports it', subject: ledgerEntry({}, []), context: BETWEEN, expect: [] },
  { ruleId: 'ESU.License.Unused', name: 'evidence: Azure\'s read-only assignedLicenses count explains an idle verdict', subject: ledgerOf([parsedLicense({ details: { assignedLicenses: 3 } })], [], (entries) => entries[0]), context: { now: new Date('2026-09-01T00:00:00Z') }, expect: ['LicenseUnused.PassedWithWarning.NoLinkedMachines'], evidence: { assignedLicenses: 3 } },
];
