import type { EvaluationContext, TenantLicenseSubject } from '../context.js';
import { defineRule } from '../rule.js';
import { coreTypeOf, editionOf, isEsuLicense, processorsOf, shown, stateOf, usageOf } from './licenseFacts.js';

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
    'PassedWithWarning.NoLinkedMachines': (e) =>
      `The license is Activated (cores: ${e['processors']}, type: ${e['type']}, edition: ${e['edition']}) but no machine the scan could read is linked to it: it is billed while covering nothing.`,
  },
  evaluate(entry: TenantLicenseSubject, _context: EvaluationContext) {
    if (!isEsuLicense(entry.license)) return undefined;
    if (stateOf(entry.license.state) !== 'Activated') return undefined;
    if (usageOf(entry).linkedMachines > 0) return undefined;
    const processors = processorsOf(entry.license);
    return {
      key: 'PassedWithWarning.NoLinkedMachines',
      evidence: {
        state: 'Activated',
        linkedMachines: 0,
        processors: processors ?? shown(entry.license.processorsRaw),
        type: coreTypeOf(entry.license.type) ?? shown(entry.license.type),
        edition: editionOf(entry.license.edition) ?? shown(entry.license.edition),
      },
    };
  },
});
