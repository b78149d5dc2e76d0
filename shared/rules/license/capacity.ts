import type { LinkedMachineContribution } from '../../plan/licenseLedger.js';
import type { EvaluationContext, TenantLicenseSubject } from '../context.js';
import { updateLicenseCommands } from '../../remediation/fixes.js';
import { defineRule } from '../rule.js';
import {
  coreTypeOf, editionOf, isEsuLicense, knownCores, machineLabel, processorsOf, sampleNote, shown, usageOf,
  type LicenseCoreType, coresRequired, exemptUsageOf, ofEndedProgram } from '../../plan/licenseFacts.js';

/**
 * The license must hold enough cores for every machine linked to it, in any subscription of the tenant
 * (Troubleshoot ESU, "ESU enrollment issues"; license provisioning guidelines): pCore Σ max(16, physical cores) over physical
 * servers, vCore Σ max(8, vCPUs) over VMs. VMs on a pCore license are covered through their host's cores,
 * which Arc cannot see: Standard covers 2 VMs per 16 licensed cores, Datacenter any number. Unknown counts
 * are taken at their most favourable value, so a failure is certain and anything uncertain is a warning.
 */
export const capacityRule = defineRule({
  id: 'ESU.License.Capacity',
  title: 'ESU license has enough cores for its linked machines',
  group: 'License',
  severity: 'High',
  messagePrefix: 'LicenseCapacity',
  description:
    'An ESU license must provision enough cores for every machine linked to it across the tenant: at least 16 physical cores per physical server (pCore) or 8 virtual cores per VM (vCore), or the real count when higher.',
  recommendation: 'Increase the license core count to at least the cores its linked machines need (the core count can be changed; edition and type cannot).',
  links: [
    { title: 'License provisioning guidelines for ESU for Windows Server 2012', url: 'https://learn.microsoft.com/azure/azure-arc/servers/license-extended-security-updates' },
    { title: 'Troubleshoot ESU for Windows Server 2012 on Azure Arc', url: 'https://learn.microsoft.com/azure/azure-arc/servers/troubleshoot-extended-security-updates' },
    { title: 'Billing service for ESU for Windows Server 2012 enabled by Azure Arc', url: 'https://learn.microsoft.com/azure/azure-arc/servers/billing-extended-security-updates' },
  ],
  messages: {
    Passed: (e) => `The license's ${e['processors']} ${e['type']} cores cover the ${e['required']} cores its ${e['linkedMachines']} linked machine(s) need.${notCounted(e['physicalServersNotCovered'])}`,
    'Failed.Exceeded': (e) =>
      `The ${e['linkedMachines']} machine(s) linked to the license need at least ${e['required']} ${e['type']} cores, but it provides ${e['processors']}: ${e['shortfall']} cores short, so not every linked machine is covered.${notCounted(e['physicalServersNotCovered'])}`,
    'PassedWithWarning.UnknownCores': (e) =>
      `${e['uncertainMachines']} linked machine(s) report no core count or no host type and were counted at the minimum: the license's ${e['processors']} ${e['type']} cores cover the ${e['required']} cores needed so counted, but the real need may be higher.${notCounted(e['physicalServersNotCovered'])}`,
    'PassedWithWarning.HostCoresNotVisible': (e) =>
      `${e['virtualMachines']} virtual machine(s) are linked to this pCore license (edition: ${e['edition']}) and are covered through their hosts' physical cores, which Azure Arc cannot see: at least ${e['required']} of its ${e['processors']} cores are needed, so verify that the hosts' cores are fully licensed.`,
    'Error.MissingDetails': () => 'The license has no licenseDetails; its capacity cannot be checked.',
    'Error.UnknownType': (e) => `${e['type'] === 'missing' ? 'The license reports no core type' : `The license core type "${e['type']}" is neither pCore nor vCore`}; the cores its machines need cannot be counted.`,
    'Error.InvalidCoreCount': (e) => `${e['processors'] === 'missing' ? 'The license reports no core count' : `The license core count "${e['processors']}" is not a whole, non-negative number`}; its capacity cannot be checked.`,
  },
  evaluate(entry: TenantLicenseSubject, context: EvaluationContext) {
    const license = entry.license;
    if (!isEsuLicense(license)) return undefined;
    if (ofEndedProgram(license, context.settings.programs, context.now)) return undefined;
    const usage = usageOf(entry);
    if (usage.linkedMachines === 0) return undefined;
    if (!license.hasDetails) return { key: 'Error.MissingDetails', evidence: { linkedMachines: usage.linkedMachines } };
    const type = coreTypeOf(license.type);
    if (!type) return { key: 'Error.UnknownType', evidence: { type: shown(license.type), linkedMachines: usage.linkedMachines } };
    const processors = processorsOf(license);
    if (processors === undefined) {
      return { key: 'Error.InvalidCoreCount', evidence: { type, processors: shown(license.processorsRaw), linkedMachines: usage.linkedMachines } };
    }
    const pMin = context.settings.pCoreMinimum;
    const vMin = context.settings.vCoreMinimum;
    const edition = editionOf(license.edition);
    const note = sampleNote(usage);
    const exempt = exemptUsageOf(license, usage, context.settings.programs);
    const common = {
      type,
      edition: edition ?? shown(license.edition),
      processors,
      linkedMachines: usage.linkedMachines,
      physicalServers: usage.physicalServers,
      virtualMachines: usage.virtualMachines,
      unknownHosts: usage.unknownHosts,
      unknownCoreCounts: usage.physicalUnknownCores + usage.virtualUnknownCores,
      machines: usage.sample.map((item) => contribution(item, type, pMin, vMin)),
      ...(exempt.machines > 0 ? { exemptMachines: exempt.machines, exemptUsage: exempt.values } : {}),
      ...(note ? { sampleNote: note } : {}),
    };

    if (type === 'vCore') {
      // Physical servers are not covered by a vCore license at all (ESU.License.VCoreOnPhysical): not counted here.
      // Tagged dev/test and disaster-recovery VMs the license's tag exempts add no cores.
      const { required, uncertainMachines } = coresRequired('vCore', edition, usage, exempt, context.settings);
      const evidence = { ...common, required, physicalServersNotCovered: usage.physicalServers, uncertainMachines };
      if (required > processors) return { key: 'Failed.Exceeded', evidence: { ...evidence, shortfall: required - processors } };
      return { key: uncertainMachines > 0 ? 'PassedWithWarning.UnknownCores' : 'Passed', evidence };
    }

    const { required, physicalRequired, virtualAllowance, uncertainMachines } = coresRequired('pCore', edition, usage, exempt, context.settings);
    const evidence = { ...common, required, physicalRequired, virtualAllowance, uncertainMachines };
    if (required > processors) return { key: 'Failed.Exceeded', evidence: { ...evidence, shortfall: required - processors } };
    if (usage.virtualMachines > 0) return { key: 'PassedWithWarning.HostCoresNotVisible', evidence };
    return { key: uncertainMachines > 0 ? 'PassedWithWarning.UnknownCores' : 'Passed', evidence };
  },
  remediation: {
    jobType: 'resize-license',
    commands: (entry, outcome) => {
      const required = Number(outcome.evidence?.['required']);
      return updateLicenseCommands(entry.license, { processors: Number.isInteger(required) && required > 0 ? required : 0 });
    },
  },
});

/** One line of evidence per sampled machine: what it is and what it counts for. */
function contribution(item: LinkedMachineContribution, type: LicenseCoreType, pMin: number, vMin: number): string {
  const name = machineLabel(item);
  const cores = knownCores(item);
  if (item.hostType === 'Physical') {
    const what = cores !== undefined ? `Physical ${cores} cores` : 'Physical, cores unknown';
    if (type === 'vCore') return `${name}: ${what} → not covered by a vCore license`;
    return cores !== undefined ? `${name}: ${what} → ${Math.max(pMin, cores)}` : `${name}: ${what} → ${pMin} (minimum)`;
  }
  if (item.hostType === 'Virtual') {
    const what = cores !== undefined ? `Virtual ${cores} vCPUs` : 'Virtual, vCPUs unknown';
    if (type === 'pCore') return `${name}: ${what} → covered by its host's cores (not visible)`;
    return cores !== undefined ? `${name}: ${what} → ${Math.max(vMin, cores)}` : `${name}: ${what} → ${vMin} (minimum)`;
  }
  return type === 'vCore'
    ? `${name}: host type unknown → ${vMin} (minimum)`
    : `${name}: host type unknown → counted as a virtual machine`;
}

function notCounted(physicalServers: unknown): string {
  return typeof physicalServers === 'number' && physicalServers > 0
    ? ` ${physicalServers} linked physical server(s) are not counted: a vCore license does not cover physical servers.`
    : '';
}
