import type { RuleCase } from '../../support/ruleHarness.js';
import { assignment, enrolled, evidence, summary } from '../caseFixtures/patchCompliance.js';

/** Every case of ESU.Machine.PatchAssessmentCurrent: one subject through the rule, the messageIds and jobs it must give. */
export const CASES: readonly RuleCase[] = [
  { ruleId: 'ESU.Machine.PatchAssessmentCurrent', name: 'pass: one day old', subject: enrolled, context: evidence({ rows: [summary()] }), expect: ['PatchAssessmentCurrent.Passed'], evidence: { ageDays: 0, maxAgeDays: 3 } },
  { ruleId: 'ESU.Machine.PatchAssessmentCurrent', name: 'pass: exactly 3 days old', subject: enrolled, context: evidence({ rows: [summary({ lastModifiedDateTime: '2026-08-29T00:00:00Z' })] }), expect: ['PatchAssessmentCurrent.Passed'], evidence: { ageDays: 3 } },
  {
    ruleId: 'ESU.Machine.PatchAssessmentCurrent', name: 'warn: 12 days old, with an assess job',
    subject: enrolled, context: evidence({ rows: [summary({ lastModifiedDateTime: '2026-08-20T00:00:00Z' })] }),
    expect: ['PatchAssessmentCurrent.PassedWithWarning.Stale'], jobs: ['assess-patches'], evidence: { ageDays: 12 }, messageIncludes: ['12 days old', 'more than 3 days'],
  },
  {
    ruleId: 'ESU.Machine.PatchAssessmentCurrent', name: 'the limit is a setting: 15 days allowed',
    subject: enrolled, context: { ...evidence({ rows: [summary({ lastModifiedDateTime: '2026-08-20T00:00:00Z' })] }), settings: { patchAssessmentMaxAgeDays: 15 } }, expect: ['PatchAssessmentCurrent.Passed'],
  },
  { ruleId: 'ESU.Machine.PatchAssessmentCurrent', name: 'malformed: no readable date', subject: enrolled, context: evidence({ rows: [summary({ lastModifiedDateTime: 'last week' })] }), expect: ['PatchAssessmentCurrent.PassedWithWarning.NoDate'], jobs: ['assess-patches'] },
  { ruleId: 'ESU.Machine.PatchAssessmentCurrent', name: 'a date after the evaluation time counts as current', subject: enrolled, context: evidence({ rows: [summary({ lastModifiedDateTime: '2026-11-30T00:00:00Z' })] }), expect: ['PatchAssessmentCurrent.Passed'], evidence: { ageDays: 0 } },
  { ruleId: 'ESU.Machine.PatchAssessmentCurrent', name: 'silent: no assessment', subject: enrolled, context: evidence({ assignments: [assignment('Compliant')] }), expect: [] },
];
