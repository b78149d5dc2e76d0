import { NOT_FOUND_LICENSE_TYPE } from '../../plan/licenseLedger.js';
import type { EvaluationContext, TenantLicenseSubject } from '../context.js';
import { defineRule, type RuleOutcome } from '../rule.js';
import { machineLabel } from '../../plan/licenseFacts.js';

/**
 * A machine linked to a license that no scanned subscription of the tenant holds: the license may sit in a
 * subscription the scanner cannot read, or it is gone; a license of another tenant cannot be linked at all.
 * Evaluated once per run over the tenant-wide ledger, because only then are all readable licenses known.
 */
export const linkedLicenseFoundRule = defineRule({
  id: 'ESU.Machine.LinkedLicenseFound',
  title: 'The ESU license a machine is linked to exists in the tenant',
  group: 'Machine',
  severity: 'Medium',
  messagePrefix: 'LinkedLicenseFound',
  description:
    "A machine's licenseProfile names the ESU license it is linked to. When no scanned subscription of the tenant holds that license, its state, target and cores cannot be checked: it may be in a subscription the scanner cannot read (grant Reader there), deleted, or in another tenant, which ESU does not allow.",
  recommendation: 'Find the license the machine names (grant the scanner Reader on its subscription), or link the machine to a license of this tenant.',
  links: [
    { title: 'Deliver ESUs: link a license to a machine', url: 'https://learn.microsoft.com/azure/azure-arc/servers/deliver-extended-security-updates' },
    { title: 'Manage ESU licenses through the API', url: 'https://learn.microsoft.com/azure/azure-arc/servers/api-extended-security-updates' },
  ],
  messages: {
    'PassedWithWarning.NotFound': (e) =>
      `The machine is linked to ESU license ${e['linkedLicense']}, which no subscription the scan could read holds (${e['linkedMachines']} machine(s) name it): ` +
      'it may sit in a subscription the scanner cannot read, or no longer exist; a license of another tenant cannot be linked. Its state, target and capacity cannot be verified.',
  },
  evaluate(entry: TenantLicenseSubject, _context: EvaluationContext) {
    if (entry.license.licenseType !== NOT_FOUND_LICENSE_TYPE) return undefined;
    const linkedLicense = entry.license.immutableId ? `with immutable id ${entry.license.immutableId}` : entry.license.id;
    const linkedMachines = entry.usage.linkedMachines;
    return entry.usage.sample.map((machine): RuleOutcome<'PassedWithWarning.NotFound'> => ({
      key: 'PassedWithWarning.NotFound',
      evidence: { linkedLicense, linkedLicenseId: entry.license.immutableId ? null : entry.license.id, linkedLicenseImmutableId: entry.license.immutableId ?? null, linkedMachines, machineName: machineLabel(machine) },
      target: { resourceId: machine.machineId, resourceType: 'Microsoft.HybridCompute/machines', resourceName: machineLabel(machine) },
    }));
  },
});
