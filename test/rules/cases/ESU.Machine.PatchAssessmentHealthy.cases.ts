import type { RuleCase } from '../../support/ruleHarness.js';
import { enrolled, evidence, summary, withoutCounts } from '../caseFixtures/patchCompliance.js';

/** Every case of ESU.Machine.PatchAssessmentHealthy: one subject through the rule, the messageIds and jobs it must give. */
export const CASES: readonly RuleCase[] = [
  { ruleId: 'ESU.Machine.PatchAssessmentHealthy', name: 'pass: succeeded', subject: enrolled, context: evidence({ rows: [summary()] }), expect: ['PatchAssessmentHealthy.Passed'] },
  {
    ruleId: 'ESU.Machine.PatchAssessmentHealthy', name: 'fail: status Failed with errorDetails',
    subject: enrolled, context: evidence({ rows: [summary({ status: 'Failed', errorDetails: { code: 'WindowsUpdateServiceNotRunning', message: 'wuauserv is disabled' } })] }),
    expect: ['PatchAssessmentHealthy.Failed.AssessmentFailed'], jobs: ['assess-patches'], evidence: { errorCode: 'WindowsUpdateServiceNotRunning' }, messageIncludes: ['wuauserv is disabled'],
  },
  {
    ruleId: 'ESU.Machine.PatchAssessmentHealthy', name: 'pass: CompletedWithWarnings with errorDetails finished (its counts stand)',
    subject: enrolled, context: evidence({ rows: [summary({ status: 'CompletedWithWarnings', errorDetails: { code: 'SomePatchesFailed' } })] }), expect: ['PatchAssessmentHealthy.Passed'], messageIncludes: ['finished (status CompletedWithWarnings)'],
  },
  {
    ruleId: 'ESU.Machine.PatchAssessmentHealthy', name: 'fail: a Failed assessment without counts is read (not a malformed row) and fails',
    subject: enrolled, context: evidence({ rows: [withoutCounts({ status: 'Failed', errorDetails: { code: 'WindowsUpdateServiceNotRunning', message: 'wuauserv is disabled' } })] }),
    expect: ['PatchAssessmentHealthy.Failed.AssessmentFailed'], jobs: ['assess-patches'], evidence: { countsReported: false },
  },
  {
    ruleId: 'ESU.Machine.PatchAssessmentHealthy', name: 'fail: InProgress with errorDetails did not complete',
    subject: enrolled, context: evidence({ rows: [summary({ status: 'InProgress', errorDetails: { code: 'Timeout', message: 'assessment timed out' } })] }), expect: ['PatchAssessmentHealthy.Failed.AssessmentFailed'], jobs: ['assess-patches'],
  },
  {
    ruleId: 'ESU.Machine.PatchAssessmentHealthy', name: 'warn: InProgress without counts has no result yet (never "succeeded")',
    subject: enrolled, context: evidence({ rows: [withoutCounts({ status: 'InProgress' })] }), expect: ['PatchAssessmentHealthy.PassedWithWarning.NoResult'], evidence: { countsReported: false }, messageIncludes: ['status InProgress and no patch counts', 'no result yet'],
  },
  { ruleId: 'ESU.Machine.PatchAssessmentHealthy', name: 'warn: Unknown with zero counts has no result yet', subject: enrolled, context: evidence({ rows: [summary({ status: 'Unknown' })] }), expect: ['PatchAssessmentHealthy.PassedWithWarning.NoResult'] },
  { ruleId: 'ESU.Machine.PatchAssessmentHealthy', name: 'warn: no status at all has no result', subject: enrolled, context: evidence({ rows: [summary({ status: undefined })] }), expect: ['PatchAssessmentHealthy.PassedWithWarning.NoResult'], messageIncludes: ['status not reported'] },
  { ruleId: 'ESU.Machine.PatchAssessmentHealthy', name: 'bad input: a Succeeded row without counts is malformed (the read reports it), never a pass', subject: enrolled, context: evidence({ rows: [withoutCounts({})] }), expect: [] },
  { ruleId: 'ESU.Machine.PatchAssessmentHealthy', name: 'pass: Succeeded with an empty errorDetails', subject: enrolled, context: evidence({ rows: [summary({ errorDetails: { code: null, message: null } })] }), expect: ['PatchAssessmentHealthy.Passed'] },
];
