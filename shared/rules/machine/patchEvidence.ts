import type { EvaluationContext, MachineSubject } from '../context.js';
import { assessPatchesCommands, assignEsuPatchPolicyCommands, patchAssessmentCommands } from '../../remediation/fixes.js';
import { appliesTo, sameDefinition } from '../../domain/policyAssignment.js';
import { ESU_POLICY_DEFINITIONS } from '../../programs/catalogue.js';
import { defineRule } from '../rule.js';
import { esuAssignmentOf, PATCH_LINKS, PATCH_POLICY_TITLE, patchProgramEvidence, patchSubjectOf, policyCovers, type PatchSubject } from './patchFacts.js';
import { PERIODIC } from './patchAssessment.js';

/** The Update Manager half of the advice: assess now, or turn periodic assessment on. */
const updateManagerAdvice = (e: Readonly<Record<string, unknown>>, first: boolean): string =>
  e['periodicAssessment']
    ? `${first ? 'Trigger' : 'trigger'} a patch assessment (periodic assessment is on, yet Resource Graph holds no result)`
    : `${first ? 'Turn' : 'turn'} on Update Manager periodic assessment (assessmentMode AutomaticByPlatform)`;

/** An assignment of the ESU patch policy that covers the machine (effect not Disabled), when the list was read. */
function assignedPatchPolicy(subject: PatchSubject, machineId: string) {
  return subject.index.esuPolicyAssignments?.find((assignment) => {
    const effect = assignment.parameters['effect'];
    return sameDefinition(assignment, ESU_POLICY_DEFINITIONS.esuPatchesInstalled) && appliesTo(assignment, machineId) && !(typeof effect === 'string' && effect.toLowerCase() === 'disabled');
  });
}

/** Neither source reports the machine: its ESU patch state cannot be known (Troubleshoot ESU, "ESU patch status": use Update Manager or the policy). */
export const patchEvidenceRule = defineRule({
  id: 'ESU.Machine.PatchEvidence',
  title: 'An enrolled machine reports its ESU patch state',
  group: 'Machine',
  severity: 'Medium',
  messagePrefix: 'PatchEvidence',
  description:
    `Whether an enrolled machine installs the ESU updates is visible only through Azure Update Manager assessments or, for Windows Server 2012 / 2012 R2, the built-in policy "${PATCH_POLICY_TITLE}" (machine configuration). ` +
    'A machine that neither reports could be missing every ESU update unnoticed.',
  recommendation: 'Turn on a patch source for the machine: assign the ESU patch policy (Windows Server 2012 / 2012 R2), or turn on Update Manager periodic assessment and assess once.',
  links: [PATCH_LINKS.troubleshoot, PATCH_LINKS.deliver, PATCH_LINKS.programmatic],
  messages: {
    Passed: (e) => `The machine reports its patch state (${e['sources']}).`,
    'PassedWithWarning.NoEvidence': (e) =>
      'No patch evidence for this ESU-enrolled machine: no Update Manager assessment in Resource Graph' +
      (e['policyApplies'] ? ` and no machine configuration result of the policy "${PATCH_POLICY_TITLE}"` : '') +
      '. ' +
      (e['policyApplies'] ? `Assign the policy "${PATCH_POLICY_TITLE}" (${e['policyDefinitionId']}), or ` : '') +
      updateManagerAdvice(e, !e['policyApplies']) +
      ', so that missing ESU updates are seen.',
    'PassedWithWarning.PolicyAssignedNoResult': (e) =>
      `The policy "${PATCH_POLICY_TITLE}" is assigned (${e['policyAssignment']}), but no machine configuration result of it was read for this ESU-enrolled machine, ` +
      'and Resource Graph holds no Update Manager assessment: assigned, no result yet (the machine configuration agent may not have reported, ' +
      'or the Guest Configuration prerequisites the policy requires are not deployed to its scope). ' +
      `${updateManagerAdvice(e, true)}, so that missing ESU updates are seen.`,
  },
  evaluate(machine: MachineSubject, context: EvaluationContext) {
    const subject = patchSubjectOf(machine, context);
    if (!subject) return undefined;
    const policyApplies = policyCovers(subject.standing);
    // A source whose read failed is its own Error finding; "no evidence" is said only when the sources that
    // count for this program were read (guest configuration only for the program the policy checks).
    if (!subject.index.updateManagerRead || (policyApplies && !subject.index.guestConfigurationRead)) return undefined;
    const sources = [esuAssignmentOf(subject) ? 'machine configuration' : '', subject.evidence?.assessment ? 'Update Manager' : ''].filter(Boolean);
    const assigned = policyApplies ? assignedPatchPolicy(subject, machine.id) : undefined;
    const evidence = {
      ...patchProgramEvidence(subject),
      policyApplies,
      policyDefinitionId: ESU_POLICY_DEFINITIONS.esuPatchesInstalled,
      policyAssignment: assigned ? (assigned.displayName ?? assigned.name) : null,
      policyAssignmentId: assigned?.id ?? null,
      periodicAssessment: machine.assessmentMode?.toLowerCase() === PERIODIC,
      sources: sources.join(', '),
    };
    if (sources.length > 0) return { key: 'Passed', evidence };
    return { key: assigned ? 'PassedWithWarning.PolicyAssignedNoResult' : 'PassedWithWarning.NoEvidence', evidence };
  },
  remediation: {
    // The policy job only when it applies and is not assigned yet: an assigned policy needs no second assignment.
    jobType: (outcome) => (outcome.evidence?.['policyApplies'] && !outcome.evidence['policyAssignmentId'] ? 'assign-esu-policy' : outcome.evidence?.['periodicAssessment'] ? 'assess-patches' : 'enable-patch-assessment'),
    onWarning: true,
    commands: (machine, outcome) =>
      outcome.evidence?.['policyApplies'] && !outcome.evidence['policyAssignmentId']
        ? assignEsuPatchPolicyCommands(machine, ESU_POLICY_DEFINITIONS.esuPatchesInstalled)
        : outcome.evidence?.['periodicAssessment'] ? assessPatchesCommands(machine) : patchAssessmentCommands(machine),
  },
});
