import type { EvaluationContext, TenantLicenseSubject } from '../context.js';
import { defineRule } from '../rule.js';
import { isEsuLicense, processorsOf, shown, ofEndedProgram } from '../../plan/licenseFacts.js';

/**
 * Each WS2012 ESU license covers up to and including 10,000 cores (Microsoft licensing doc), and each
 * license should have a unique name (Troubleshoot ESU, "License provisioning issues"). One outcome per license: findings are stored per
 * rule and resource, so the worst result wins and the message also names the other problem.
 */
export const limitsRule = defineRule({
  id: 'ESU.License.Limits',
  title: 'ESU license stays within the license limits',
  group: 'License',
  severity: 'Medium',
  messagePrefix: 'LicenseLimits',
  description:
    'A Windows Server 2012 ESU license can cover at most 10,000 cores; more cores must be split across several licenses. Each license should also have a unique name, so that it is not confused with another one when machines are linked.',
  recommendation: 'Split licenses above 10,000 cores across several licenses, and give each ESU license a unique name in the tenant.',
  links: [
    { title: 'License provisioning guidelines for ESU for Windows Server 2012: license limits', url: 'https://learn.microsoft.com/azure/azure-arc/servers/license-extended-security-updates' },
    { title: 'Troubleshoot ESU for Windows Server 2012 on Azure Arc', url: 'https://learn.microsoft.com/azure/azure-arc/servers/troubleshoot-extended-security-updates' },
  ],
  messages: {
    Passed: (e) => `The license has ${e['processors']} cores (limit ${e['maximumCores']}) and a name unique in the tenant.`,
    'Failed.TooManyCores': (e) =>
      `The license has ${e['processors']} cores, above the limit of ${e['maximumCores']} cores per ESU license: split the cores across several licenses.${duplicateSentence(e['sameNameCount'])}`,
    'Error.InvalidCoreCount': (e) =>
      `${e['processors'] === 'missing' ? 'The license reports no core count' : `The license core count "${e['processors']}" is not a whole, non-negative number`}; the limit of ${e['maximumCores']} cores per license cannot be checked.${duplicateSentence(e['sameNameCount'])}`,
    'PassedWithWarning.DuplicateName': (e) =>
      `${e['sameNameCount']} ESU licenses in the tenant are named "${e['name']}"; give each license a unique name so that the right one is linked.`,
  },
  evaluate(entry: TenantLicenseSubject, context: EvaluationContext) {
    const license = entry.license;
    if (!isEsuLicense(license)) return undefined;
    if (ofEndedProgram(license, context.settings.programs, context.now)) return undefined;
    const maximumCores = context.settings.maximumLicenseCores;
    const sameNameCount = Number.isInteger(entry.sameNameCount) && entry.sameNameCount > 0 ? entry.sameNameCount : 1;
    const processors = processorsOf(license);
    const base = { name: license.name, maximumCores, sameNameCount };
    if (processors === undefined) return { key: 'Error.InvalidCoreCount', evidence: { ...base, processors: shown(license.processorsRaw) } };
    const evidence = { ...base, processors };
    if (processors > maximumCores) return { key: 'Failed.TooManyCores', evidence };
    if (sameNameCount > 1) return { key: 'PassedWithWarning.DuplicateName', evidence };
    return { key: 'Passed', evidence };
  },
});

function duplicateSentence(sameNameCount: unknown): string {
  return typeof sameNameCount === 'number' && sameNameCount > 1 ? ` Its name is also used by ${sameNameCount - 1} other license(s) in the tenant.` : '';
}
