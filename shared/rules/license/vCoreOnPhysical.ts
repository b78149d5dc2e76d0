import type { LicenseLedgerEntry, LinkedMachineContribution } from '../../plan/licenseLedger.js';
import type { EvaluationContext, TenantLicenseSubject } from '../context.js';
import { defineRule } from '../rule.js';
import {
  coreTypeOf, editionOf, isEsuLicense, knownCores, machineLabel, siblingLicenseId, usageOf, ofEndedProgram } from '../../plan/licenseFacts.js';
import { linkLicenseByIdCommands, replaceLicenseCommands } from '../../remediation/fixes.js';

/**
 * Virtual core licensing is not available for physical servers (Microsoft licensing doc): a physical
 * server linked to a vCore license is not properly covered. It needs a pCore license.
 */
export const vCoreOnPhysicalRule = defineRule({
  id: 'ESU.License.VCoreOnPhysical',
  title: 'vCore ESU license is not linked to physical servers',
  group: 'License',
  severity: 'High',
  messagePrefix: 'LicenseVCoreOnPhysical',
  description:
    'Virtual core (vCore) ESU licensing is for virtual machines only; a physical server must be covered by a physical core (pCore) license with at least 16 cores per server.',
  recommendation: 'Create a pCore license sized for the physical servers (at least 16 cores each), link them to it, and keep the vCore license for virtual machines only.',
  links: [
    { title: 'License provisioning guidelines for ESU for Windows Server 2012', url: 'https://learn.microsoft.com/azure/azure-arc/servers/license-extended-security-updates' },
    { title: 'Programmatically deploy and manage Azure Arc ESU licenses', url: 'https://learn.microsoft.com/azure/azure-arc/servers/api-extended-security-updates' },
  ],
  messages: {
    'Failed.PhysicalServerLinked': (e) => {
      const servers = Array.isArray(e['servers']) ? e['servers'].join(', ') : '';
      return `${e['physicalServers']} physical server(s) are linked to this vCore license, which does not cover physical servers${servers ? `: ${servers}` : ''}.`;
    },
  },
  evaluate(entry: TenantLicenseSubject, context: EvaluationContext) {
    if (!isEsuLicense(entry.license)) return undefined;
    if (ofEndedProgram(entry.license, context.settings.programs, context.now)) return undefined;
    if (coreTypeOf(entry.license.type) !== 'vCore') return undefined;
    const usage = usageOf(entry);
    if (usage.physicalServers === 0) return undefined;
    const listed = physicalInSample(entry);
    const replacement = replacementOf(entry, context.settings.pCoreMinimum);
    return {
      key: 'Failed.PhysicalServerLinked',
      evidence: {
        physicalServers: usage.physicalServers,
        servers: listed.map(describe),
        ...(listed.length < usage.physicalServers
          ? { sampleNote: `Listing ${listed.length} of ${usage.physicalServers} physical servers (the sample holds the first ${usage.sample.length} linked machines); relink the others too.` }
          : {}),
        linkedMachines: usage.linkedMachines,
        replacementName: replacement.name,
        replacementEdition: replacement.edition,
        replacementType: 'pCore',
        replacementProcessors: replacement.processors,
      },
    };
  },
  remediation: {
    jobType: 'replace-license',
    commands: (entry, outcome) => {
      const fromEvidence = Number(outcome.evidence?.['replacementProcessors']);
      const base = replacementOf(entry, 16);
      const replacement = { ...base, processors: Number.isInteger(fromEvidence) && fromEvidence > 0 ? fromEvidence : base.processors };
      const newId = siblingLicenseId(entry.license, replacement.name);
      return [
        ...replaceLicenseCommands(entry.license, replacement),
        ...physicalInSample(entry)
          .filter((item) => typeof item.machineId === 'string' && item.machineId !== '')
          .flatMap((item) => linkLicenseByIdCommands(item.machineId, newId)),
      ];
    },
  },
});

function physicalInSample(entry: LicenseLedgerEntry): LinkedMachineContribution[] {
  return usageOf(entry).sample.filter((item) => item.hostType === 'Physical');
}

function describe(item: LinkedMachineContribution): string {
  const cores = knownCores(item);
  return `${machineLabel(item)} (${cores !== undefined ? `${cores} cores` : 'cores unknown'})`;
}

/** A pCore license of the same edition (Standard when unknown) for all physical servers linked to the vCore one. */
function replacementOf(entry: LicenseLedgerEntry, pMin: number) {
  const usage = usageOf(entry);
  const name = typeof entry.license?.name === 'string' ? entry.license.name : 'license';
  return {
    name: `${name}-pcore`,
    edition: editionOf(entry.license?.edition) ?? 'Standard',
    type: 'pCore' as const,
    processors: Math.max(pMin, usage.physicalCoresRequired + usage.physicalUnknownCores * pMin),
  };
}
