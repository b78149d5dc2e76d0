import { ledgerEntry, type RuleCase } from '../../support/ruleHarness.js';
import { LICENSE_ID, many, physical, vm } from '../caseFixtures/licenses.js';
import { assigned2012, BETWEEN, ws2016, WS2016_ACTIVE } from '../caseFixtures/programs.js';

/** Every case of ESU.License.Activated: one subject through the rule, the messageIds and jobs it must give. */
export const CASES: readonly RuleCase[] = [
  { ruleId: 'ESU.License.Activated', name: 'pass: activated license with a linked server', subject: ledgerEntry({}, [physical('srv-a', 16)]), expect: ['LicenseActivated.Passed'], evidence: { linkedMachines: 1, machines: ['srv-a'] } },
  {
    ruleId: 'ESU.License.Activated', name: 'fail: deactivated license with linked machines',
    subject: ledgerEntry({ details: { state: 'Deactivated' } }, [physical('srv-a', 16), vm('vm-b', 4)]),
    expect: ['LicenseActivated.Failed.Deactivated'], jobs: ['activate-license'], evidence: { linkedMachines: 2, machines: ['srv-a', 'vm-b'], state: 'Deactivated' },
  },
  { ruleId: 'ESU.License.Activated', name: 'fail: state casing ignored ("deactivated")', subject: ledgerEntry({ details: { state: 'deactivated' } }, [vm('vm-b', 4)]), expect: ['LicenseActivated.Failed.Deactivated'], jobs: ['activate-license'] },
  {
    ruleId: 'ESU.License.Activated', name: 'fail: machines linked by license resource id, in another subscription of the tenant',
    subject: ledgerEntry({ details: { state: 'Deactivated' } }, [{ ...vm('vm-far', 4), esuProfile: { licenseAssignmentState: 'Assigned', assignedLicense: LICENSE_ID } }]),
    expect: ['LicenseActivated.Failed.Deactivated'], jobs: ['activate-license'],
  },
  { ruleId: 'ESU.License.Activated', name: 'warn: state missing', subject: ledgerEntry({ details: { state: null } }, [physical('srv-a', 16)]), expect: ['LicenseActivated.PassedWithWarning.UnknownState'], evidence: { state: 'missing' }, messageIncludes: ['not reported'] },
  { ruleId: 'ESU.License.Activated', name: 'malformed: unknown state "Suspended"', subject: ledgerEntry({ details: { state: 'Suspended' } }, [physical('srv-a', 16)]), expect: ['LicenseActivated.PassedWithWarning.UnknownState'], messageIncludes: ['"Suspended"'] },
  { ruleId: 'ESU.License.Activated', name: 'malformed: state is a number', subject: ledgerEntry({ details: { state: 1 } }, [physical('srv-a', 16)]), expect: ['LicenseActivated.PassedWithWarning.UnknownState'] },
  {
    ruleId: 'ESU.License.Activated', name: 'truncated sample: evidence says so',
    subject: ledgerEntry({ details: { state: 'Deactivated' } }, many(27, (name) => vm(name, 8))),
    expect: ['LicenseActivated.Failed.Deactivated'], jobs: ['activate-license'],
    evidence: { linkedMachines: 27, sampleNote: 'Showing the first 25 of 27 linked machines.' },
  },
  { ruleId: 'ESU.License.Activated', name: 'not applicable: deactivated license with no linked machine', subject: ledgerEntry({ details: { state: 'Deactivated' } }, []), expect: [] },
  { ruleId: 'ESU.License.Activated', name: 'not applicable: machine not linked', subject: ledgerEntry({ details: { state: 'Deactivated' } }, [{ ...physical('srv-a', 16), esuProfile: { licenseAssignmentState: 'NotAssigned' } }]), expect: [] },
  { ruleId: 'ESU.License.Activated', name: 'not applicable: non-ESU license', subject: ledgerEntry({ licenseType: 'SQL', details: { state: 'Deactivated' } }, [physical('srv-a', 16)]), expect: [] },
  { ruleId: 'ESU.License.Activated', name: 'WS2016 license Deactivated with linked machines before the deadline: readiness warning with an activate job', subject: ledgerEntry({ details: { target: 'Windows Server 2016', state: 'Deactivated' } }, [ws2016({}, { licenseAssignmentState: 'Assigned', assignedLicenseImmutableId: '11111111-2222-4333-8444-555555555555' })]), context: BETWEEN, expect: ['LicenseActivated.PassedWithWarning.DeactivatedBeforeStart'], jobs: ['activate-license'] },
  { ruleId: 'ESU.License.Activated', name: 'WS2016 license Deactivated with linked machines once ESU runs fails', subject: ledgerEntry({ details: { target: 'Windows Server 2016', state: 'Deactivated' } }, [ws2016({}, { licenseAssignmentState: 'Assigned', assignedLicenseImmutableId: '11111111-2222-4333-8444-555555555555' })]), context: WS2016_ACTIVE, expect: ['LicenseActivated.Failed.Deactivated'], jobs: ['activate-license'] },
  { ruleId: 'ESU.License.Activated', name: 'WS2012 license Deactivated after the program ended: nothing to activate', subject: ledgerEntry({ details: { state: 'Deactivated' } }, [{ esuProfile: assigned2012 }]), context: BETWEEN, expect: [] },
];
