import type { EvaluationContext, LicenseSubject } from '../context.js';
import { defineRule } from '../rule.js';
import { replaceLicenseCommands } from '../../remediation/fixes.js';
import { coreTypeNotYetChosen, coreTypeOf, editionOf, isEsuLicense, processorsOf, shown, ofEndedProgram } from '../../plan/licenseFacts.js';

/**
 * Valid edition and core type pairs: Standard + vCore, Standard + pCore, Datacenter + pCore. Virtual core
 * licensing is charged at the Standard rate, so Datacenter + vCore is not offered; edition and type cannot be
 * changed after provisioning (Microsoft licensing and billing docs for WS2012 ESU enabled by Azure Arc).
 */
export const combinationRule = defineRule({
  id: 'ESU.License.Combination',
  title: 'ESU license uses a valid edition and core type',
  group: 'License',
  severity: 'High',
  messagePrefix: 'LicenseCombination',
  description:
    'An ESU license must be Standard + vCore, Standard + pCore or Datacenter + pCore. Datacenter + vCore is not a valid combination, and edition and core type cannot be changed on an existing license.',
  recommendation:
    'Create a license with a valid edition and core type (Standard + vCore for virtual machines), link the machines to it, then deactivate or delete the old license.',
  links: [
    { title: 'License provisioning guidelines for ESU for Windows Server 2012', url: 'https://learn.microsoft.com/azure/azure-arc/servers/license-extended-security-updates' },
    { title: 'Billing service for ESU for Windows Server 2012 enabled by Azure Arc', url: 'https://learn.microsoft.com/azure/azure-arc/servers/billing-extended-security-updates' },
    { title: 'Programmatically deploy and manage Azure Arc ESU licenses', url: 'https://learn.microsoft.com/azure/azure-arc/servers/api-extended-security-updates' },
  ],
  messages: {
    Passed: (e) => `${e['edition']} + ${e['type']} is a valid ESU license combination.`,
    'Failed.InvalidCombination': (e) =>
      `Datacenter + vCore is not a valid combination for new ESU licenses (valid: Standard + vCore, Standard + pCore, Datacenter + pCore; a vCore license is always Standard, per the license guidelines). ` +
      `An existing one may be charged as Datacenter pCore with compliant core counts (unconfirmed: the current license guidelines do not say so). ` +
      `VMs are licensed at the Standard rate with vCore licenses, which are always Standard even for a Datacenter OS: create ${e['replacementName']} (Standard vCore, ${e['replacementProcessors']} cores), link the VMs to it, then deactivate this license (cores provisioned: ${e['processors']}).`,
    'Error.MissingDetails': () => 'The license has no licenseDetails; its edition and core type cannot be checked.',
    'Error.UnknownEdition': (e) => `${e['edition'] === 'missing' ? 'The license reports no edition' : `The license edition "${e['edition']}" is neither Standard nor Datacenter`}; the combination cannot be checked.`,
    'PassedWithWarning.TypeNotChosen': (e) => `The ${e['edition']} license (target ${e['target']}) has no core type yet, which ${e['target']} licenses may choose when ESU is enabled on machines; the combination is checked once it has one (Datacenter + vCore is not valid).`,
    'Error.UnknownType': (e) => `${e['type'] === 'missing' ? 'The license reports no core type' : `The license core type "${e['type']}" is neither pCore nor vCore`}; the combination cannot be checked.`,
  },
  evaluate(license: LicenseSubject, context: EvaluationContext) {
    if (!isEsuLicense(license)) return undefined;
    if (ofEndedProgram(license, context.settings.programs, context.now)) return undefined;
    if (!license.hasDetails) return { key: 'Error.MissingDetails', evidence: { licenseType: license.licenseType ?? null } };
    const edition = editionOf(license.edition);
    const type = coreTypeOf(license.type);
    if (!edition) return { key: 'Error.UnknownEdition', evidence: { edition: shown(license.edition), type: shown(license.type) } };
    if (!type && coreTypeNotYetChosen(license, context.settings.programs)) return { key: 'PassedWithWarning.TypeNotChosen', evidence: { edition, type: null, target: license.target ?? null } };
    if (!type) return { key: 'Error.UnknownType', evidence: { edition, type: shown(license.type) } };
    const processors = processorsOf(license);
    if (edition === 'Datacenter' && type === 'vCore') {
      // vCore is charged at the Standard rate: Standard + vCore with the same cores covers the same VMs.
      const replacementProcessors = Math.max(processors ?? 0, context.settings.vCoreMinimum);
      return {
        key: 'Failed.InvalidCombination',
        evidence: {
          edition, type, processors: processors ?? shown(license.processorsRaw), target: license.target ?? null,
          replacementName: replacementName(license.name), replacementEdition: 'Standard', replacementType: 'vCore', replacementProcessors,
        },
      };
    }
    return { key: 'Passed', evidence: { edition, type, processors: processors ?? null } };
  },
  remediation: {
    jobType: 'replace-license',
    commands: (license, outcome) => {
      const processors = Number(outcome.evidence?.['replacementProcessors']);
      return replaceLicenseCommands(license, {
        name: replacementName(license.name),
        edition: 'Standard',
        type: 'vCore',
        processors: Number.isInteger(processors) && processors > 0 ? processors : 8,
      });
    },
  },
});

/** License names allow letters, digits, `-`, `_` and `.`. */
function replacementName(name: string): string {
  return `${name}-standard-vcore`;
}
