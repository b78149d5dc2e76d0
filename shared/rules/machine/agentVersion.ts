import { compareVersions, formatVersion, parseAgentVersion } from '../../domain/versions.js';
import type { EvaluationContext, MachineSubject } from '../context.js';
import type { RemediationCommand } from '../../domain/findings.js';
import { defineRule } from '../rule.js';

/** Installs the latest agent on the machine, then reads back the version Azure reports. */
export function upgradeAgentCommands(machine: MachineSubject): RemediationCommand[] {
  return [
    {
      shell: 'powershell',
      command:
        "Invoke-WebRequest -Uri 'https://aka.ms/AzureConnectedMachineAgent' -OutFile AzureConnectedMachineAgent.msi; msiexec.exe /i AzureConnectedMachineAgent.msi /qn /l*v agent-upgrade.log",
    },
    {
      shell: 'az',
      command: `az connectedmachine show --name ${machine.name} --resource-group ${machine.resourceGroup} --subscription ${machine.subscriptionId} --query properties.agentVersion --output tsv`,
    },
  ];
}

/** ESU enrolment needs Connected Machine agent 1.34 or later (seed 000, "エージェントのバージョン"). */
export const agentVersionRule = defineRule({
  id: 'ESU.Machine.AgentVersion',
  title: 'Connected Machine agent is recent enough for ESU',
  group: 'Machine',
  severity: 'High',
  messagePrefix: 'AgentVersion',
  description:
    'Windows Server 2012 ESU through Azure Arc needs Connected Machine agent 1.34 or later; an older agent cannot receive the ESU license.',
  recommendation: 'Upgrade the Azure Connected Machine agent to the latest release (at least 1.34).',
  links: [
    { title: 'Troubleshoot ESU for Windows Server 2012 on Azure Arc', url: 'https://learn.microsoft.com/azure/azure-arc/servers/troubleshoot-extended-security-updates' },
    { title: 'Upgrade the Connected Machine agent', url: 'https://learn.microsoft.com/azure/azure-arc/servers/manage-agent#upgrade-the-agent' },
  ],
  messages: {
    Passed: (e) => `Agent ${e['agentVersion']} meets the ESU minimum ${e['minimumVersion']}.`,
    'Failed.BelowMinimum': (e) =>
      `Agent ${e['agentVersion']} is below ${e['minimumVersion']}, the minimum for ESU: this machine cannot receive ESU.`,
    'PassedWithWarning.Unknown': (e) =>
      `The agent version is not reported (${e['agentVersion']}); ESU eligibility of the agent cannot be verified.`,
    'PassedWithWarning.Unparsable': (e) =>
      `The agent version "${e['agentVersion']}" is not a version number; ESU eligibility of the agent cannot be verified.`,
  },
  evaluate(machine: MachineSubject, context: EvaluationContext) {
    if (!machine.inScope) return undefined;
    const minimum = parseAgentVersion(context.settings.minimumAgentVersion) ?? [1, 34];
    const minimumVersion = formatVersion(minimum);
    const raw = machine.agentVersion;
    if (raw === undefined || raw.trim() === '') {
      return { key: 'PassedWithWarning.Unknown', evidence: { agentVersion: raw === undefined ? 'missing' : 'empty', minimumVersion } };
    }
    const version = machine.agentVersionParsed;
    if (!version) return { key: 'PassedWithWarning.Unparsable', evidence: { agentVersion: raw, minimumVersion } };
    const key = compareVersions(version, minimum) >= 0 ? 'Passed' : 'Failed.BelowMinimum';
    return { key, evidence: { agentVersion: raw, minimumVersion } };
  },
  remediation: {
    jobType: 'upgrade-agent',
    commands: upgradeAgentCommands,
  },
});
