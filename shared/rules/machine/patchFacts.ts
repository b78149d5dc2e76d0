import type { EsuGuestAssignment, MachinePatchEvidence, PatchAssessment, PatchEvidenceIndex } from '../../domain/patchEvidence.js';
import { ESU_POLICY_DEFINITIONS } from '../../programs/catalogue.js';
import type { EvaluationContext, MachineSubject } from '../context.js';
import { deliveryProgram, programEvidence, type ProgramStanding } from '../programFacts.js';

const DAY_MS = 86_400_000;
/** KBs named in a message and its evidence; the rest is counted. */
const KBS_SHOWN = 20;

/** What the patch rules judge: an enrolled machine of an upcoming or active program, with the evidence read for it. */
export interface PatchSubject {
  readonly standing: ProgramStanding;
  readonly index: PatchEvidenceIndex;
  readonly evidence: MachinePatchEvidence | undefined;
}

/** Undefined when the patch rules do not apply: not enrolled, no program in delivery, or no evidence read at all. */
export function patchSubjectOf(machine: MachineSubject, context: EvaluationContext): PatchSubject | undefined {
  const index = context.patchEvidence;
  if (!index || !machine.link.assigned) return undefined;
  const standing = deliveryProgram(machine, context);
  return standing ? { standing, index, evidence: index.of(machine.id) } : undefined;
}

/** Whole days since the assessment (0 for a date after the evaluation time); undefined without a readable date. */
export function assessmentAgeDays(assessment: PatchAssessment, now: Date): number | undefined {
  const at = assessment.lastModifiedDateTime === undefined ? NaN : Date.parse(assessment.lastModifiedDateTime);
  if (!Number.isFinite(at)) return undefined;
  return Math.max(0, Math.floor((now.getTime() - at) / DAY_MS));
}

export function isStale(assessment: PatchAssessment, context: EvaluationContext): boolean {
  const age = assessmentAgeDays(assessment, context.now);
  return age === undefined || age > context.settings.patchAssessmentMaxAgeDays;
}

/**
 * Statuses of a finished assessment whose counts are the machine's state (HybridCompute PatchOperationStatus:
 * CompletedWithWarnings, Failed, InProgress, Succeeded, Unknown).
 */
const COMPLETED = new Set(['succeeded', 'completedwithwarnings']);

/** The assessment itself failed: status Failed, or an error while it did not complete. Its counts say nothing. */
export function isFailing(assessment: PatchAssessment): boolean {
  const status = assessment.status?.toLowerCase();
  if (status === 'failed') return true;
  return (assessment.errorCode !== undefined || assessment.errorMessage !== undefined) && !COMPLETED.has(status ?? '');
}

/** Finished (Succeeded or CompletedWithWarnings) with counts: only such an assessment can show "nothing pending". */
export function isCompleted(assessment: PatchAssessment): boolean {
  return COMPLETED.has(assessment.status?.toLowerCase() ?? '') && assessment.countsReported;
}

/** The built-in ESU patch policy checks this program's machines (its definition names Windows Server 2012 only). */
export function policyCovers(standing: ProgramStanding): boolean {
  return (ESU_POLICY_DEFINITIONS.esuPatchesPrograms as readonly string[]).includes(standing.program.id);
}

/**
 * The ESU guest configuration result, when it speaks for this machine's program: the policy is about Windows
 * Server 2012 ESU updates only, yet selects any Windows Arc machine with an assigned ESU license, so a WS2016
 * machine's Compliant would be vacuous.
 */
export function esuAssignmentOf(subject: PatchSubject): EsuGuestAssignment | undefined {
  return subject.index.guestConfigurationRead && policyCovers(subject.standing) ? subject.evidence?.esuAssignment : undefined;
}

/** `KB5031043`, from a kbId of `5031043` or `KB5031043`; the patch name when there is no KB. */
export function kbLabels(evidence: MachinePatchEvidence | undefined): string[] {
  const labels = new Set<string>();
  for (const patch of evidence?.pendingPatches ?? []) labels.add(patch.kbId ? `KB${patch.kbId.replace(/^kb/i, '')}` : patch.patchName.slice(0, 120));
  return [...labels].sort();
}

/** The KBs for a message: ": KB1, KB2" (and how many more), or nothing when the per-patch rows are not there. */
export function kbText(evidence: Readonly<Record<string, unknown>>): string {
  const kbs = evidence['kbIds'];
  if (!Array.isArray(kbs) || kbs.length === 0) return '';
  const more = Number(evidence['kbCount'] ?? kbs.length) - kbs.length;
  return `: ${kbs.join(', ')}${more > 0 ? ` and ${more} more` : ''}`;
}

export function kbEvidence(evidence: MachinePatchEvidence | undefined): { kbIds: string[]; kbCount: number } {
  const labels = kbLabels(evidence);
  return { kbIds: labels.slice(0, KBS_SHOWN), kbCount: labels.length };
}

export function patchProgramEvidence(subject: PatchSubject) {
  return programEvidence(subject.standing);
}

/** The policy's displayName, exactly (Azure/azure-policy, Guest Configuration/PendingESUUpdates_AINE.json). */
export const PATCH_POLICY_TITLE = '[Preview]: Extended Security Updates should be installed on Windows Server 2012 Arc machines.';

export const PATCH_LINKS = {
  troubleshoot: { title: 'Troubleshoot ESU delivery: ESU patch status (Azure Update Manager or the ESU policy)', url: 'https://learn.microsoft.com/azure/azure-arc/servers/troubleshoot-extended-security-updates' },
  deliver: { title: 'Deliver ESUs: Assess WS2012 ESU patch status', url: 'https://learn.microsoft.com/azure/azure-arc/servers/deliver-extended-security-updates' },
  queries: { title: 'Azure Update Manager: sample Azure Resource Graph queries (patchassessmentresources)', url: 'https://learn.microsoft.com/azure/update-manager/sample-query-logs' },
  programmatic: { title: 'Programmatically manage updates for Azure Arc-enabled servers (assessPatches, installPatches)', url: 'https://learn.microsoft.com/azure/update-manager/manage-arc-enabled-servers-programmatically' },
  queryLogs: { title: 'Azure Update Manager: query logs in Resource Graph (assessments kept 7 days; patchassessmentresults properties)', url: 'https://learn.microsoft.com/azure/update-manager/query-logs' },
  assessmentOptions: { title: 'Azure Update Manager: assessment options (periodic assessment every 24 hours)', url: 'https://learn.microsoft.com/azure/update-manager/assessment-options' },
  assessResult: { title: 'HybridCompute REST API specification 2024-07-10: MachineAssessPatchesResult (status CompletedWithWarnings | Failed | InProgress | Succeeded | Unknown, errorDetails, availablePatchCountByClassification)', url: 'https://github.com/Azure/azure-rest-api-specs/blob/main/specification/hybridcompute/resource-manager/Microsoft.HybridCompute/stable/2024-07-10/HybridCompute.json' },
} as const;
