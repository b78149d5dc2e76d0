import type { EvaluationContext, MachineSubject } from '../context.js';
import { defineRule } from '../rule.js';
import { deliveryProgram } from '../programFacts.js';

/**
 * License capacity needs each machine's host type and core count: a physical server needs
 * max(16, physical cores) on a pCore license, a VM max(8, vCPUs) on a vCore license (Troubleshoot ESU, "License provisioning issues").
 */
export const coreCountRule = defineRule({
  id: 'ESU.Machine.CoreCount',
  title: 'Host type and core count are known for licensing',
  group: 'Machine',
  severity: 'Low',
  messagePrefix: 'CoreCount',
  description:
    'ESU licenses are sized in cores: a physical server counts max(16, physical cores) on a pCore license and a virtual machine max(8, vCPUs) on a vCore license. Without a host type and a core count, license capacity cannot be verified for the machine.',
  recommendation: 'Confirm from the host inventory whether the machine is physical or virtual and how many cores it has, and size its ESU license from those figures.',
  links: [
    { title: 'Prepare to deliver ESUs: license core minimums', url: 'https://learn.microsoft.com/azure/azure-arc/servers/prepare-extended-security-updates' },
    { title: 'Troubleshoot ESU for Windows Server 2012 on Azure Arc', url: 'https://learn.microsoft.com/azure/azure-arc/servers/troubleshoot-extended-security-updates' },
  ],
  messages: {
    Passed: (e) =>
      `${e['hostType'] === 'Physical' ? 'Physical server' : 'Virtual machine'} (${e['typeBasis']}) with ${e['cores']} ${e['hostType'] === 'Physical' ? 'physical cores' : 'vCPUs'} (${e['coreBasis']}): it needs ${e['coresToLicense']} cores on a ${e['licenseType']} license.`,
    'PassedWithWarning.NoCoreCount': (e) =>
      `The machine is ${e['hostType'] === 'Physical' ? 'a physical server' : 'a virtual machine'} (${e['typeBasis']}) but reports no usable core count (no hardwareProfile.processors or detectedProperties core count): the cores it needs on an ESU license cannot be verified.`,
    'PassedWithWarning.UnknownHostType': (e) =>
      `Whether the machine is physical or virtual is unknown (${e['typeBasis']})${e['cores'] === null ? ' and it reports no usable core count' : ` although it reports ${e['cores']} cores (${e['coreBasis']})`}: whether it needs a pCore or a vCore license, and how many cores, cannot be verified.`,
  },
  evaluate(machine: MachineSubject, context: EvaluationContext) {
    if (!deliveryProgram(machine, context)) return undefined;
    const { type, typeBasis, cores, coreBasis } = machine.host;
    const evidence = { hostType: type, typeBasis, cores: cores ?? null, coreBasis: coreBasis ?? null };
    if (type === 'Unknown') return { key: 'PassedWithWarning.UnknownHostType', evidence };
    if (cores === undefined) return { key: 'PassedWithWarning.NoCoreCount', evidence };
    const physical = type === 'Physical';
    const minimum = physical ? context.settings.pCoreMinimum : context.settings.vCoreMinimum;
    return { key: 'Passed', evidence: { hostType: type, typeBasis, cores, coreBasis: coreBasis ?? null, licenseType: physical ? 'pCore' : 'vCore', coresToLicense: Math.max(minimum, cores) } };
  },
});
