import type { EvaluationContext, TenantLicenseSubject } from '../context.js';
import { defineRule } from '../rule.js';
import { formatDay } from '../../programs/program.js';
import { licenseStanding, programEvidence } from '../programFacts.js';
import { coreTypeOf, editionOf, isEsuLicense, processorsOf, shown, stateOf, usageOf } from '../../plan/licenseFacts.js';

/**
 * An activated license is billed for its cores and edition even when no machine is linked to it, and
 * removing idle licenses is the customer's job (Microsoft billing doc for WS2012 ESU enabled by Azure Arc).
 * A warning, not a failure: machines in subscriptions the scanner cannot read may still be linked to it.
 */
export const unusedRule = defineRule({
  id: 'ESU.License.Unused',
  title: 'Activated ESU license is linked to a machine',
  group: 'License',
  severity: 'Medium',
  messagePrefix: 'LicenseUnused',
  description:
    'An activated ESU license is billed for its provisioned cores even when no machine is linked to it; deactivating or deleting idle licenses is not automatic.',
  recommendation: 'Link the license to the machines it was bought for, or deactivate or delete it if it is no longer needed.',
  links: [
    { title: 'Billing service for ESU for Windows Server 2012 enabled by Azure Arc', url: 'https://learn.microsoft.com/azure/azure-arc/servers/billing-extended-security-updates' },
    { title: 'License provisioning guidelines for ESU for Windows Server 2012', url: 'https://learn.microsoft.com/azure/azure-arc/servers/license-extended-security-updates' },
  ],
  messages: {
    'PassedWithWarning.NotYetBilled': (e) =>
      `The license is Activated (cores: ${e['processors']}, type: ${e['type']}, edition: ${e['edition']}) but no machine the scan could read is linked to it. ${e['programName']} ESU is not billed before ${formatDay(String(e['billingStart']))}; ` +
      `from then this license is billed whether or not machines are linked, and licenses provisioned later are back-billed to ${formatDay(String(e['backBilledTo']))}. Link the machines it was bought for, or deactivate it before billing starts.`,
    'PassedWithWarning.NoLinkedMachines': (e) =>
      `The license is Activated (cores: ${e['processors']}, type: ${e['type']}, edition: ${e['edition']}) but no machine the scan could read is linked to it: it is billed while covering nothing.`,
  },
  evaluate(entry: TenantLicenseSubject, context: EvaluationContext) {
    if (!isEsuLicense(entry.license)) return undefined;
    if (stateOf(entry.license.state) !== 'Activated') return undefined;
    if (usageOf(entry).linkedMachines > 0) return undefined;
    // An Activated license of an ended program is ESU.License.Program's failure.
    const standing = licenseStanding(entry.license, context);
    if (standing?.phase === 'ended') return undefined;
    const processors = processorsOf(entry.license);
    const notYetBilled = standing !== undefined && standing.program.billingStart !== undefined && context.now.getTime() < Date.parse(`${standing.program.billingStart}T00:00:00Z`);
    return {
      key: notYetBilled ? 'PassedWithWarning.NotYetBilled' : 'PassedWithWarning.NoLinkedMachines',
      evidence: {
        ...(notYetBilled && standing ? { ...programEvidence(standing), billingStart: standing.program.billingStart, backBilledTo: standing.program.backBilledTo ?? null } : {}),
        state: 'Activated',
        linkedMachines: 0,
        // Azure's own count of assignments (read-only; not documented further): a non-zero value hints at links the scan could not read.
        assignedLicenses: entry.license.assignedLicenses ?? null,
        processors: processors ?? shown(entry.license.processorsRaw),
        type: coreTypeOf(entry.license.type) ?? shown(entry.license.type),
        edition: editionOf(entry.license.edition) ?? shown(entry.license.edition),
      },
    };
  },
});
