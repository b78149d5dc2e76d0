import type { EvaluationContext, LicenseSubject } from '../context.js';
import { defineRule } from '../rule.js';
import { formatDay, programOfTarget } from '../../programs/program.js';
import { standingOf, programEvidence } from '../programFacts.js';
import { deactivateLicenseCommands } from '../../remediation/fixes.js';
import { isEsuLicense, shown, stateOf } from '../../plan/licenseFacts.js';

/**
 * Every license belongs to the program of its target (catalogue `licenseTargets`). A license of an ended
 * program covers nothing: Microsoft deactivated Windows Server 2012 ESU licenses on 14 October 2026, and one
 * still Activated (or re-activated) is a charge or a mistake to clean up. A target no program knows is
 * reported, never guessed.
 */
export const programRule = defineRule({
  id: 'ESU.License.Program',
  title: "ESU license belongs to a program that is still running",
  group: 'License',
  severity: 'Medium',
  messagePrefix: 'LicenseProgram',
  description:
    "An ESU license serves the ESU program of its target (Windows Server 2012 / 2012 R2, Windows Server 2016). Once that program has ended the license covers nothing: it should be deactivated, then deleted. A target that belongs to no known program cannot be checked.",
  recommendation: 'Deactivate the license of the ended program, then delete it once no record needs it.',
  links: [
    { title: 'Prepare to deliver Extended Security Updates (programs and dates)', url: 'https://learn.microsoft.com/azure/azure-arc/servers/prepare-extended-security-updates' },
    { title: 'Billing for Extended Security Updates', url: 'https://learn.microsoft.com/azure/azure-arc/servers/billing-extended-security-updates' },
    { title: 'Manage ESU licenses through the API', url: 'https://learn.microsoft.com/azure/azure-arc/servers/api-extended-security-updates' },
  ],
  messages: {
    Passed: (e) =>
      e['programPhase'] === 'upcoming'
        ? `The license targets ${e['target']} (${e['programName']}), which starts on ${formatDay(String(e['esuStart']))}; billing begins ${formatDay(String(e['billingStart']))}.`
        : `The license targets ${e['target']} (${e['programName']}), running until ${formatDay(String(e['esuEnd']))}.`,
    'Passed.EndedDeactivated': (e) =>
      `The license targets ${e['target']} (${e['programName']}), which ended on ${formatDay(String(e['esuEnd']))}, and is Deactivated; delete it when no record needs it.`,
    'Failed.ProgramEnded': (e) =>
      `The license targets ${e['target']} (${e['programName']}), whose ESU ended on ${formatDay(String(e['esuEnd']))}, but it is ${e['state']}: it covers nothing. Deactivate it, then delete it.`,
    'Error.UnknownTarget': (e) =>
      `The license target "${e['target']}" belongs to no ESU program this scanner knows (known targets: ${e['knownTargets']}); which program and rules apply cannot be told.`,
    'PassedWithWarning.MissingTarget': () => 'The license reports no target (licenseDetails.target); which ESU program it serves cannot be told.',
  },
  evaluate(license: LicenseSubject, context: EvaluationContext) {
    if (!isEsuLicense(license) || !license.hasDetails) return undefined;
    if (license.target === undefined || license.target.trim() === '') return { key: 'PassedWithWarning.MissingTarget', evidence: { target: null } };
    const program = programOfTarget(context.settings.programs, license.target);
    if (!program) {
      const knownTargets = context.settings.programs.flatMap((candidate) => candidate.licenseTargets).join(', ');
      return { key: 'Error.UnknownTarget', evidence: { target: license.target, knownTargets } };
    }
    const standing = standingOf(program, context);
    const state = stateOf(license.state);
    const evidence = {
      ...programEvidence(standing),
      target: license.target, state: state ?? shown(license.state),
      esuStart: program.esuStart, esuEnd: program.esuEnd, billingStart: program.billingStart ?? null,
    };
    if (standing.phase !== 'ended') return { key: 'Passed', evidence };
    return { key: state === 'Deactivated' ? 'Passed.EndedDeactivated' : 'Failed.ProgramEnded', evidence };
  },
  remediation: {
    jobType: 'deactivate-license',
    commands: (license) => deactivateLicenseCommands(license),
  },
});
