import type { EvaluationContext, MachineSubject } from '../context.js';
import { assessPatchesCommands } from '../../remediation/fixes.js';
import { defineRule } from '../rule.js';
import { assessmentAgeDays, PATCH_LINKS, patchProgramEvidence, patchSubjectOf } from './patchFacts.js';

/**
 * An old assessment shows an old patch state: Update Manager's periodic assessment runs every 24 hours (assessment
 * options). The 12 hours of Azure Automation's retired Update Management solution are not Update Manager's.
 */
export const patchAssessmentCurrentRule = defineRule({
  id: 'ESU.Machine.PatchAssessmentCurrent',
  title: "An enrolled machine's Update Manager assessment is current",
  group: 'Machine',
  severity: 'Medium',
  messagePrefix: 'PatchAssessmentCurrent',
  description:
    'Azure Update Manager assesses a machine with periodic assessment every 24 hours, and Resource Graph keeps the results for 7 days. An assessment older than the setting patchAssessmentMaxAgeDays (default 3 days) ' +
    'no longer shows whether this month\'s ESU updates are installed: the machine may be disconnected, or assessment may have stopped. ' +
    'After 7 days Resource Graph drops the row, and ESU.Machine.PatchEvidence reports the machine as having no patch evidence.',
  recommendation: 'Trigger a patch assessment of the machine now, and check that periodic assessment stays on.',
  links: [PATCH_LINKS.programmatic, PATCH_LINKS.assessmentOptions, PATCH_LINKS.queryLogs, PATCH_LINKS.queries, PATCH_LINKS.troubleshoot],
  messages: {
    Passed: (e) => `The Update Manager assessment is ${e['ageDays']} day(s) old (${e['lastAssessment']}), within ${e['maxAgeDays']} days.`,
    'PassedWithWarning.Stale': (e) =>
      `The latest Update Manager assessment of this ESU-enrolled machine is ${e['ageDays']} days old (${e['lastAssessment']}), more than ${e['maxAgeDays']} days: it no longer shows whether the ESU updates are installed.`,
    'PassedWithWarning.NoDate': (e) =>
      `The Update Manager assessment of this ESU-enrolled machine has no readable lastModifiedDateTime (${e['lastAssessment'] ?? 'none'}): how current it is cannot be told.`,
  },
  evaluate(machine: MachineSubject, context: EvaluationContext) {
    const subject = patchSubjectOf(machine, context);
    const assessment = subject?.index.updateManagerRead ? subject.evidence?.assessment : undefined;
    if (!subject || !assessment) return undefined;
    const ageDays = assessmentAgeDays(assessment, context.now);
    const maxAgeDays = context.settings.patchAssessmentMaxAgeDays;
    const evidence = { ...patchProgramEvidence(subject), lastAssessment: assessment.lastModifiedDateTime ?? null, ageDays: ageDays ?? null, maxAgeDays };
    if (ageDays === undefined) return { key: 'PassedWithWarning.NoDate', evidence };
    return { key: ageDays > maxAgeDays ? 'PassedWithWarning.Stale' : 'Passed', evidence };
  },
  remediation: {
    jobType: 'assess-patches',
    onWarning: true,
    commands: (machine) => assessPatchesCommands(machine),
  },
});
