/**
 * One verdict never contradicts another: a machine whose linked license cannot deliver its program (another
 * program's target, that program ended, the license deactivated) is not Enrolled and its key is not Passed; the
 * root finding (LicenseOnIneligibleOs, or ESU.License.Activated) says why and carries the only job.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { EvaluationContext } from '../../shared/rules/context.js';
import { evaluateRules } from '../../shared/scan/evaluate.js';
import { contextFor, ledgerEntry, machine, parsedLicense, ruleById, STAMP, TARGET } from '../support/ruleHarness.js';
import type { LicenseOverrides, MachineOverrides } from '../support/armFixtures.js';

const MACHINE_RULES = ['ESU.Machine.LicenseOnIneligibleOs', 'ESU.Machine.Enrolled', 'ESU.Machine.EsuKeyActive'].map(ruleById);
const IMMUTABLE_ID = '11111111-2222-4333-8444-555555555555';
const linked = (keyState: string) => ({ licenseAssignmentState: 'Assigned', assignedLicenseImmutableId: IMMUTABLE_ID, esuKeyState: keyState });
const WS2016 = { osName: 'Windows Server 2016 Datacenter', osSku: 'Windows Server 2016 Datacenter', osVersion: '10.0.14393', agentVersion: '1.68.03100.1234' };
const WS2012R2_LICENSE: LicenseOverrides = { details: { target: 'Windows Server 2012 R2', edition: 'Datacenter', processors: 64 } };
const at = (day: string): EvaluationContext => contextFor({ ruleId: 'x', name: 'x', subject: () => undefined, expect: [], context: { now: new Date(`${day}T00:00:00Z`) } });

interface VerdictCase {
  readonly name: string;
  readonly day: string;
  readonly machine: MachineOverrides;
  readonly license: LicenseOverrides;
  readonly expect: readonly string[];
  readonly jobs: readonly string[];
  /** The root finding the others point to, when the license cannot deliver. */
  readonly root?: { readonly ruleId: string; readonly messageId: string };
  readonly messageIncludes?: readonly string[];
}

const CASES: readonly VerdictCase[] = [
  {
    name: 'a WS2016 machine on a WS2012 R2 license, WS2016 ESU running (2027-01-13): one root failure, the others point to it',
    day: '2027-01-13', machine: { properties: WS2016, esuProfile: linked('Active') }, license: WS2012R2_LICENSE,
    expect: ['LicenseOnIneligibleOs.Failed.ProgramMismatch', 'Enrolled.Failed.LicenseCannotDeliver', 'EsuKeyActive.Failed.LicenseCannotDeliver'], jobs: ['unlink-license'],
    root: { ruleId: 'ESU.Machine.LicenseOnIneligibleOs', messageId: 'LicenseOnIneligibleOs.Failed.ProgramMismatch' },
    messageIncludes: ['targets Windows Server 2012 R2 (Windows Server 2012 / 2012 R2, whose ESU ended on 13 October 2026), not Windows Server 2016'],
  },
  {
    name: 'the same before WS2016 ESU starts (2026-12-01): warnings that point to the root, still no job of their own',
    day: '2026-12-01', machine: { properties: WS2016, esuProfile: linked('Inactive') }, license: WS2012R2_LICENSE,
    expect: ['LicenseOnIneligibleOs.Failed.ProgramMismatch', 'Enrolled.PassedWithWarning.LicenseCannotDeliverBeforeDeadline', 'EsuKeyActive.PassedWithWarning.LicenseCannotDeliverBeforeStart'], jobs: ['unlink-license'],
    root: { ruleId: 'ESU.Machine.LicenseOnIneligibleOs', messageId: 'LicenseOnIneligibleOs.Failed.ProgramMismatch' },
  },
  {
    name: 'a WS2012 R2 machine on its own program\'s license, deactivated (2026-09-01): the root is ESU.License.Activated',
    day: '2026-09-01', machine: { esuProfile: linked('Inactive') }, license: { details: { state: 'Deactivated' } },
    expect: ['Enrolled.Failed.LicenseCannotDeliver', 'EsuKeyActive.Failed.LicenseCannotDeliver'], jobs: [],
    root: { ruleId: 'ESU.License.Activated', messageId: 'LicenseActivated.Failed.Deactivated' },
  },
  {
    name: 'a WS2016 machine on a deactivated WS2016 license before ESU starts (2026-12-01)',
    day: '2026-12-01', machine: { properties: WS2016, esuProfile: linked('Inactive') }, license: { details: { target: 'Windows Server 2016', state: 'Deactivated' } },
    expect: ['Enrolled.PassedWithWarning.LicenseCannotDeliverBeforeDeadline', 'EsuKeyActive.PassedWithWarning.LicenseCannotDeliverBeforeStart'], jobs: [],
    root: { ruleId: 'ESU.License.Activated', messageId: 'LicenseActivated.PassedWithWarning.DeactivatedBeforeStart' },
  },
  {
    name: 'control: a WS2012 R2 machine on an activated "Windows Server 2012" license delivers (same program): Enrolled passes',
    day: '2026-09-01', machine: { esuProfile: linked('Active') }, license: { details: { target: 'Windows Server 2012' } },
    expect: ['LicenseOnIneligibleOs.PassedWithWarning.TargetWithinProgram', 'Enrolled.Passed', 'EsuKeyActive.Passed'], jobs: [],
  },
  {
    name: 'control: a WS2016 machine on an activated WS2016 license (2027-01-13)',
    day: '2027-01-13', machine: { properties: WS2016, esuProfile: linked('Active') }, license: { details: { target: 'Windows Server 2016' } },
    expect: ['Enrolled.Passed', 'EsuKeyActive.Passed'], jobs: [],
  },
];

describe('linked licenses that cannot deliver: consistent verdicts', () => {
  for (const testCase of CASES) {
    it(testCase.name, () => {
      const context = at(testCase.day);
      const license = parsedLicense(testCase.license);
      const subject = machine(testCase.machine, [license])();
      const evaluation = evaluateRules(MACHINE_RULES, subject, TARGET, context, STAMP);
      assert.deepEqual(evaluation.findings.map((f) => f.messageId), testCase.expect);
      assert.deepEqual(evaluation.jobs.map((j) => j.jobType), testCase.jobs);
      const pointing = evaluation.findings.filter((f) => f.messageId.includes('LicenseCannotDeliver'));
      if (!testCase.root) {
        assert.deepEqual(pointing, []);
        return;
      }
      assert.equal(pointing.length, 2);
      for (const finding of pointing) {
        assert.equal(finding.evidence['rootRuleId'], testCase.root.ruleId);
        assert.equal(finding.evidence['rootMessageId'], testCase.root.messageId);
        assert.ok(finding.message.includes(`${testCase.root.ruleId} (${testCase.root.messageId})`), finding.message);
        for (const text of testCase.messageIncludes ?? []) assert.ok(finding.message.includes(text), `"${finding.message}" mentions "${text}"`);
      }
      // The root each finding names is the finding the scan really produces for it.
      const rootFindings = testCase.root.ruleId === 'ESU.License.Activated'
        ? evaluateRules([ruleById('ESU.License.Activated')], ledgerEntry(testCase.license, [testCase.machine])(), TARGET, context, STAMP).findings
        : evaluation.findings;
      assert.ok(rootFindings.some((f) => f.messageId === testCase.root!.messageId), rootFindings.map((f) => f.messageId).join(', '));
    });
  }
});
