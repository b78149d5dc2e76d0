import type { EvaluationContext, MachineSubject } from '../context.js';
import { assessPatchesCommands, assignEsuPatchPolicyCommands, patchAssessmentCommands } from '../../remediation/fixes.js';
import { ESU_POLICY_DEFINITIONS } from '../../programs/catalogue.js';
import { defineRule } from '../rule.js';
import { PATCH_LINKS, PATCH_POLICY_TITLE, patchProgramEvidence, patchSubjectOf, policyCovers } from './patchFacts.js';
import { PERIODIC } from './patchAssessment.js';

/** Neither source reports the machine: its ESU patch state cannot be known (seed 000: use Update Manager or the policy). */
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
      (e['periodicAssessment'] ? `${e['policyApplies'] ? 'trigger' : 'Trigger'} a patch assessment (periodic assessment is on, yet Resource Graph holds no result)` : `${e['policyApplies'] ? 'turn' : 'Turn'} on Update Manager periodic assessment (assessmentMode AutomaticByPlatform)`) +
      ', so that missing ESU updates are seen.',
  },
  evaluate(machine: MachineSubject, context: EvaluationContext) {
    const subject = patchSubjectOf(machine, context);
    // A source whose read failed is its own Error finding; "no evidence" is said only when both were read.
    if (!subject || !subject.index.guestConfigurationRead || !subject.index.updateManagerRead) return undefined;
    const sources = [subject.evidence?.esuAssignment ? 'machine configuration' : '', subject.evidence?.assessment ? 'Update Manager' : ''].filter(Boolean);
    const evidence = {
      ...patchProgramEvidence(subject),
      policyApplies: policyCovers(subject.standing),
      policyDefinitionId: ESU_POLICY_DEFINITIONS.esuPatchesInstalled,
      periodicAssessment: machine.assessmentMode?.toLowerCase() === PERIODIC,
      sources: sources.join(', '),
    };
    return { key: sources.length > 0 ? 'Passed' : 'PassedWithWarning.NoEvidence', evidence };
  },
  remediation: {
    jobType: (outcome) => (outcome.evidence?.['policyApplies'] ? 'assign-esu-policy' : outcome.evidence?.['periodicAssessment'] ? 'assess-patches' : 'enable-patch-assessment'),
    onWarning: true,
    commands: (machine, outcome) =>
      outcome.evidence?.['policyApplies']
        ? assignEsuPatchPolicyCommands(machine, ESU_POLICY_DEFINITIONS.esuPatchesInstalled)
        : outcome.evidence?.['periodicAssessment'] ? assessPatchesCommands(machine) : patchAssessmentCommands(machine),
  },
});
