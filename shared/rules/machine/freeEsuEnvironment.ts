import type { EvaluationContext, MachineSubject } from '../context.js';
import { defineRule } from '../rule.js';
import { unlinkLicenseCommands } from '../../remediation/fixes.js';
import { deliveryProgram, freeEnvironmentFor, programEvidence } from '../programFacts.js';
import { assignmentStateOf, isKnownAssignmentState, linkEvidence, linkedLicenseLabel } from './licenseLinkFacts.js';

const ENVIRONMENT_NAMES: Readonly<Record<string, string>> = {
  AzureStackHCI: 'Azure Stack HCI / Azure Local',
  AzureVMwareSolution: 'Azure VMware Solution',
  Azure: 'Azure',
};

/**
 * Each program names where its ESU is free (catalogue `freeEnvironments`): Azure Stack HCI / Azure Local,
 * Azure VMware Solution and Azure VMs for WS2012 (Prepare to deliver ESU: AVS and Azure Local VMs are eligible for free ESUs); Azure for WS2016. A paid Arc ESU license
 * linked to such a machine is billed for nothing.
 */
export const freeEsuEnvironmentRule = defineRule({
  id: 'ESU.Machine.FreeEsuEnvironment',
  title: 'Machine in a free-ESU environment has no paid license',
  group: 'Machine',
  severity: 'Medium',
  messagePrefix: 'FreeEsuEnvironment',
  description:
    'Windows Server 2012 machines running on Azure Stack HCI / Azure Local, Azure VMware Solution or as Azure VMs, and Windows Server 2016 machines migrated to Azure, get ESU at no cost through their platform; linking them to an Arc ESU license bills cores for nothing.',
  recommendation: 'Unlink the paid ESU license from this machine and get ESU through the free path of its environment.',
  links: [
    { title: 'Troubleshoot ESU for Windows Server 2012 on Azure Arc', url: 'https://learn.microsoft.com/azure/azure-arc/servers/troubleshoot-extended-security-updates' },
    { title: 'Azure verification for VMs on Azure Local', url: 'https://learn.microsoft.com/azure/azure-local/deploy/azure-verification' },
    { title: 'ESUs for SQL Server and Windows Server in Azure VMware Solution VMs', url: 'https://learn.microsoft.com/azure/azure-vmware/extended-security-updates-windows-sql-server' },
    { title: 'Extended Security Updates for Windows Server overview', url: 'https://learn.microsoft.com/windows-server/get-started/extended-security-updates-overview' },
    { title: 'Unlink a license', url: 'https://learn.microsoft.com/azure/azure-arc/servers/api-extended-security-updates' },
  ],
  messages: {
    Passed: (e) => `No paid ESU license is linked: the machine runs on ${e['environmentName']} (${e['environmentBasis']}), where ${e['programName']} ESU is free. ${freePath(e['environment'])}`,
    'Failed.PaidLicenseLinked': (e) =>
      `The machine runs on ${e['environmentName']} (${e['environmentBasis']}), where ${e['programName']} ESU is free, yet ESU license ${linkedLicenseLabel(e)} is linked to it: ` +
      `its cores are billed for nothing. Unlink it. ${freePath(e['environment'])}`,
    'PassedWithWarning.UnknownLinkState': (e) =>
      `The machine runs on ${e['environmentName']} (${e['environmentBasis']}), where ${e['programName']} ESU is free, but its license assignment state is "${e['licenseAssignmentState']}" and no license is named, ` +
      `so whether a paid license is linked cannot be verified. ${freePath(e['environment'])}`,
  },
  evaluate(machine: MachineSubject, context: EvaluationContext) {
    const standing = deliveryProgram(machine, context);
    const environment = standing && freeEnvironmentFor(machine, standing.program);
    if (!standing || environment === undefined) return undefined;
    const evidence = {
      ...programEvidence(standing),
      ...linkEvidence(machine),
      environment,
      environmentName: ENVIRONMENT_NAMES[environment] ?? environment,
      environmentBasis: environmentBasis(machine),
    };
    if (machine.link.assigned) return { key: 'Failed.PaidLicenseLinked', evidence };
    if (!isKnownAssignmentState(machine.esu.licenseAssignmentState)) {
      return { key: 'PassedWithWarning.UnknownLinkState', evidence: { ...evidence, licenseAssignmentState: assignmentStateOf(machine) } };
    }
    return { key: 'Passed', evidence };
  },
  remediation: {
    jobType: 'unlink-license',
    commands: (machine) => unlinkLicenseCommands(machine),
  },
});

/** How the machine gets free ESU where it runs (Azure Local "Azure verification for VMs"; Microsoft AVS ESU doc; Windows Server ESU overview). */
function freePath(environment: unknown): string {
  switch (environment) {
    case 'AzureStackHCI':
      return 'On Azure Stack HCI / Azure Local, ESU comes through "Azure verification for VMs": enable legacy OS support on the cluster and legacy OS networking for this VM (Windows Admin Center, Cluster Manager, Settings, Azure verification for VMs).';
    case 'AzureVMwareSolution':
      return 'On Azure VMware Solution, ESU for Windows Server VMs is configured by Microsoft Support: open a support request in the Azure VMware Solution category with tenant id, number of VMs, OS versions and ESU years; Arc ESU licenses created for them are charged.';
    case 'Azure':
      return 'Azure VMs receive ESU automatically, with no extra charge and no configuration.';
    default:
      return '';
  }
}

function environmentBasis(machine: MachineSubject): string {
  const kind = machine.kind?.toLowerCase();
  if (kind === 'hci' || kind === 'avs') return `kind=${machine.kind}`;
  if (machine.parentClusterResourceId) return 'parentClusterResourceId';
  if (machine.cloudProvider && /\bazure\b/i.test(machine.cloudProvider)) return `cloudMetadata.provider=${machine.cloudProvider}`;
  const detected = machine.detectedProperties['cloudprovider'];
  return detected ? `detectedProperties.cloudprovider=${detected}` : 'host profile';
}
