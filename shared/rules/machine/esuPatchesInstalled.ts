import type { EvaluationContext, MachineSubject } from '../context.js';
import { installEsuPatchesCommands } from '../../remediation/fixes.js';
import { pendingEsuCount } from '../../domain/patchEvidence.js';
import { defineRule } from '../rule.js';
import { esuAssignmentOf, isCompleted, isFailing, isStale, kbEvidence, kbText, PATCH_LINKS, PATCH_POLICY_TITLE, patchProgramEvidence, patchSubjectOf } from './patchFacts.js';

/**
 * Licensed is not patched: an enrolled machine can be linked, activated and key-active and still miss the ESU
 * updates. Either source can show it: the ESU guest configuration (NonCompliant; Windows Server 2012 ESU only),
 * or pending security and critical updates in the Update Manager assessment (Troubleshoot ESU, "ESU patch status").
 */
export const esuPatchesInstalledRule = defineRule({
  id: 'ESU.Machine.EsuPatchesInstalled',
  title: 'ESU updates are installed on an enrolled machine',
  group: 'Machine',
  severity: 'High',
  messagePrefix: 'EsuPatchesInstalled',
  description:
    'Enrolling a machine in ESU (a linked, activated license and an active ESU key) lets it receive the monthly Extended Security Updates; it does not install them. ' +
    `Microsoft documents two ways to see whether they are installed: Azure Update Manager (assessment of pending updates) and, for Windows Server 2012 / 2012 R2, the built-in policy "${PATCH_POLICY_TITLE}" (machine configuration); ` +
    'both are available at no additional cost for Azure Arc-enabled servers enrolled in Windows Server 2012 ESU enabled by Azure Arc.',
  recommendation: 'Install the pending security and critical updates (an Azure Update Manager one-time update), then assess the machine again.',
  links: [PATCH_LINKS.troubleshoot, PATCH_LINKS.deliver, PATCH_LINKS.programmatic, PATCH_LINKS.queries],
  messages: {
    Passed: (e) =>
      e['source'] === 'guestConfiguration'
        ? `Machine configuration (policy "${PATCH_POLICY_TITLE}") reports the machine Compliant (checked ${e['lastComplianceCheck'] ?? 'at an unreported time'}): the latest ESU updates are installed.`
        : `Azure Update Manager's assessment of ${e['lastAssessment']} lists no pending security or critical update.`,
    'Failed.GuestConfigurationNonCompliant': (e) =>
      `Machine configuration (policy "${PATCH_POLICY_TITLE}") reports the machine NonCompliant (checked ${e['lastComplianceCheck'] ?? 'at an unreported time'}): the latest ESU updates are not installed` +
      `${typeof e['reasons'] === 'string' && e['reasons'] ? ` (${e['reasons']})` : ''}${kbText(e)}. The machine is enrolled, but licensed is not patched.`,
    'Failed.UpdatesPending': (e) =>
      `Azure Update Manager's assessment of ${e['lastAssessment']} lists ${e['pendingSecurity']} security and ${e['pendingCritical']} critical update(s) pending on this ESU-enrolled machine${kbText(e)}: licensed is not patched.`,
  },
  evaluate(machine: MachineSubject, context: EvaluationContext) {
    const subject = patchSubjectOf(machine, context);
    const evidence = subject?.evidence;
    if (!subject || !evidence) return undefined;
    // The policy's verdict only for the program it checks (Windows Server 2012): elsewhere a Compliant is vacuous.
    const assignment = esuAssignmentOf(subject);
    const assessment = subject.index.updateManagerRead && evidence.assessment && !isFailing(evidence.assessment) ? evidence.assessment : undefined;
    const base = {
      ...patchProgramEvidence(subject),
      complianceStatus: assignment?.complianceStatus ?? null,
      lastComplianceCheck: assignment?.lastComplianceStatusChecked ?? null,
      lastAssessment: assessment?.lastModifiedDateTime ?? null,
      pendingSecurity: assessment?.availableByClassification['security'] ?? null,
      pendingCritical: assessment?.availableByClassification['critical'] ?? null,
      ...kbEvidence(evidence),
    };
    const status = assignment?.complianceStatus?.toLowerCase();
    if (status === 'noncompliant') {
      return { key: 'Failed.GuestConfigurationNonCompliant', evidence: { ...base, source: 'guestConfiguration', reasons: assignment?.reasons.slice(0, 3).join('; ') ?? '' } };
    }
    // Pending updates count even in an old assessment: they were missing then, and nothing newer says otherwise.
    if (assessment && pendingEsuCount(assessment) > 0) return { key: 'Failed.UpdatesPending', evidence: { ...base, source: 'updateManager' } };
    if (status === 'compliant') return { key: 'Passed', evidence: { ...base, source: 'guestConfiguration' } };
    // "Nothing pending" only from a current, finished assessment with counts: an old one proves nothing
    // (ESU.Machine.PatchAssessmentCurrent says so), nor does one InProgress, Unknown or without a status.
    if (assessment && isCompleted(assessment) && !isStale(assessment, context)) return { key: 'Passed', evidence: { ...base, source: 'updateManager' } };
    return undefined;
  },
  remediation: {
    jobType: 'install-updates',
    commands: (machine) => installEsuPatchesCommands(machine),
  },
});
