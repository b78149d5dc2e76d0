import type { EvaluationContext, MachineSubject } from '../context.js';
import { assessPatchesCommands } from '../../remediation/fixes.js';
import { defineRule } from '../rule.js';
import { isCompleted, isFailing, PATCH_LINKS, patchProgramEvidence, patchSubjectOf } from './patchFacts.js';

/**
 * A failed assessment says nothing about the machine's patches (its `errorDetails` say why). Statuses are the
 * HybridCompute PatchOperationStatus values: CompletedWithWarnings and Succeeded finished with counts, Failed did
 * not, InProgress and Unknown have no result yet.
 */
export const patchAssessmentHealthyRule = defineRule({
  id: 'ESU.Machine.PatchAssessmentHealthy',
  title: "An enrolled machine's Update Manager assessment succeeds",
  group: 'Machine',
  severity: 'Medium',
  messagePrefix: 'PatchAssessmentHealthy',
  description:
    'An Update Manager assessment that failed (status Failed, or errorDetails while it did not complete) reports no usable patch counts, so the machine\'s ESU patch state is unknown until an assessment succeeds. ' +
    'CompletedWithWarnings counts as finished: its counts stand, even with errorDetails. An assessment InProgress, Unknown or without a status has no result yet.',
  recommendation: 'Fix the cause in errorDetails (often the Windows Update service or connectivity on the machine), then trigger a patch assessment again.',
  links: [PATCH_LINKS.assessResult, PATCH_LINKS.programmatic, PATCH_LINKS.troubleshoot, PATCH_LINKS.queries],
  messages: {
    Passed: (e) => `The latest Update Manager assessment finished (status ${e['status'] ?? 'not reported'}).`,
    'PassedWithWarning.NoResult': (e) =>
      `The latest Update Manager assessment of this ESU-enrolled machine (${e['lastAssessment'] ?? 'undated'}) has status ${e['status'] ?? 'not reported'}` +
      `${e['countsReported'] ? '' : ' and no patch counts'}: it has no result yet, so the machine's ESU patch state is unknown.`,
    'Failed.AssessmentFailed': (e) =>
      `The latest Update Manager assessment of this ESU-enrolled machine (${e['lastAssessment'] ?? 'undated'}) failed with status ${e['status'] ?? 'not reported'}` +
      `${e['errorCode'] ? `, ${e['errorCode']}` : ''}${e['errorMessage'] ? `: ${e['errorMessage']}` : ''}. Its ESU patch state is unknown.`,
  },
  evaluate(machine: MachineSubject, context: EvaluationContext) {
    const subject = patchSubjectOf(machine, context);
    const assessment = subject?.index.updateManagerRead ? subject.evidence?.assessment : undefined;
    if (!subject || !assessment) return undefined;
    const evidence = {
      ...patchProgramEvidence(subject),
      status: assessment.status ?? null,
      lastAssessment: assessment.lastModifiedDateTime ?? null,
      errorCode: assessment.errorCode ?? null,
      errorMessage: assessment.errorMessage?.slice(0, 1000) ?? null,
      countsReported: assessment.countsReported,
    };
    if (isFailing(assessment)) return { key: 'Failed.AssessmentFailed', evidence };
    return { key: isCompleted(assessment) ? 'Passed' : 'PassedWithWarning.NoResult', evidence };
  },
  remediation: {
    jobType: 'assess-patches',
    commands: (machine) => assessPatchesCommands(machine),
  },
});
