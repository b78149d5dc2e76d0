import type { EvaluationContext, LicenseSubject } from '../context.js';
import { updateLicenseCommands } from '../../remediation/fixes.js';
import { defineRule } from '../rule.js';
import { coreTypeNotYetChosen, ofEndedProgram } from '../../plan/licenseFacts.js';

/** 16 physical cores per machine (pCore) and 8 virtual cores per VM (vCore) are the floor (Troubleshoot ESU, "License provisioning issues"). */
export const coreMinimumRule = defineRule({
  id: 'ESU.License.CoreMinimum',
  title: 'ESU license meets the core minimum',
  group: 'License',
  severity: 'High',
  messagePrefix: 'CoreMinimum',
  description:
    'A pCore ESU license needs at least 16 physical cores and a vCore license at least 8 virtual cores; the API accepts smaller licenses, but they can never cover a machine.',
  recommendation: 'Increase the license core count to at least the minimum (the core count can be changed; edition and type cannot).',
  links: [
    { title: 'Prepare to deliver ESUs: license core minimums', url: 'https://learn.microsoft.com/azure/azure-arc/servers/prepare-extended-security-updates' },
    { title: 'Troubleshoot ESU for Windows Server 2012 on Azure Arc', url: 'https://learn.microsoft.com/azure/azure-arc/servers/troubleshoot-extended-security-updates' },
  ],
  messages: {
    Passed: (e) => `${e['type']} license has ${e['processors']} cores (minimum ${e['minimum']}).`,
    'Failed.BelowMinimum': (e) =>
      `${e['type']} license has ${e['processors']} cores, below the minimum of ${e['minimum']}: it cannot cover any machine.`,
    'Error.MissingDetails': () => 'The license has no licenseDetails; its core count cannot be checked.',
    'PassedWithWarning.TypeNotChosen': (e) => `The license (target ${e['target']}) has no core type yet, which ${e['target']} licenses may choose when ESU is enabled on machines; its core minimum (16 pCore or 8 vCore per machine) is checked once it has one.`,
    'Error.UnknownType': (e) => `The license type "${e['type']}" is neither pCore nor vCore; its core minimum is unknown.`,
    'Error.InvalidCoreCount': (e) => `The license core count "${e['processors']}" is not a number.`,
  },
  evaluate(license: LicenseSubject, context: EvaluationContext) {
    if (license.licenseType !== undefined && license.licenseType.toUpperCase() !== 'ESU') return undefined;
    if (ofEndedProgram(license, context.settings.programs, context.now)) return undefined;
    if (!license.hasDetails) return { key: 'Error.MissingDetails', evidence: { licenseType: license.licenseType ?? null } };
    if (coreTypeNotYetChosen(license, context.settings.programs)) return { key: 'PassedWithWarning.TypeNotChosen', evidence: { type: null, target: license.target ?? null } };
    const type = license.type ?? 'missing';
    const minimum = type.toLowerCase() === 'pcore' ? context.settings.pCoreMinimum
      : type.toLowerCase() === 'vcore' ? context.settings.vCoreMinimum : undefined;
    if (minimum === undefined) return { key: 'Error.UnknownType', evidence: { type } };
    if (license.processors === undefined || !Number.isInteger(license.processors)) {
      return { key: 'Error.InvalidCoreCount', evidence: { type, processors: JSON.stringify(license.processorsRaw ?? null) } };
    }
    const key = license.processors >= minimum ? 'Passed' : 'Failed.BelowMinimum';
    return { key, evidence: { type, processors: license.processors, minimum, edition: license.edition ?? null } };
  },
  remediation: {
    jobType: 'resize-license',
    commands: (license, outcome) => {
      const minimum = Number(outcome.evidence?.['minimum'] ?? 0);
      return updateLicenseCommands(license, { processors: minimum });
    },
  },
});
