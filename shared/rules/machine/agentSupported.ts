import { compareVersions, formatVersion, parseAgentVersion, type AgentVersion } from '../../domain/versions.js';
import { DEFAULT_RULE_SETTINGS, type EvaluationContext, type MachineSubject } from '../context.js';
import { defineRule } from '../rule.js';
import { upgradeAgentCommands } from '../../remediation/fixes.js';

/**
 * How many monthly releases `agent` is behind `newest`. The Connected Machine agent ships about once a
 * month and each release raises the minor version, so within one major version the minor difference
 * approximates the number of releases (and months). An agent of an older major version is treated as
 * out of the window (null); one of a newer major version as current (0).
 */
function releasesBehind(agent: AgentVersion, newest: AgentVersion): number | null {
  const [agentMajor = 0, agentMinor = 0] = agent;
  const [newestMajor = 0, newestMinor = 0] = newest;
  if (agentMajor > newestMajor) return 0;
  if (agentMajor < newestMajor) return null;
  return Math.max(0, newestMinor - agentMinor);
}

function supportWindow(value: number): number {
  return Number.isInteger(value) && value > 0 ? value : DEFAULT_RULE_SETTINGS.agentSupportMonths;
}

/** Agents released within the last year are supported (agent release notes); guest configuration is free on HCI from 1.39 (seed 002). */
export const agentSupportedRule = defineRule({
  id: 'ESU.Machine.AgentSupported',
  title: 'Connected Machine agent is a supported release',
  group: 'Machine',
  severity: 'Medium',
  messagePrefix: 'AgentSupported',
  description:
    'Connected Machine agents are released monthly and only releases from about the last year are supported; on Azure Stack HCI, Azure Policy guest configuration is free only with agent 1.39 or later.',
  recommendation: 'Upgrade the Azure Connected Machine agent to the latest release.',
  links: [
    { title: 'What\'s new with the Connected Machine agent (release notes)', url: 'https://learn.microsoft.com/azure/azure-arc/servers/agent-release-notes' },
    { title: 'Upgrade the Connected Machine agent', url: 'https://learn.microsoft.com/azure/azure-arc/servers/manage-agent#upgrade-the-agent' },
    { title: 'Azure verification for VMs on Azure Stack HCI', url: 'https://learn.microsoft.com/azure-stack/hci/deploy/azure-verification' },
  ],
  messages: {
    Passed: (e) =>
      e['releasesBehind'] === 0
        ? `Agent ${e['agentVersion']} is at or above the newest known release ${e['newestVersion']} (${e['newestSource']}).`
        : `Agent ${e['agentVersion']} is ${e['releasesBehind']} monthly releases behind the newest known release ${e['newestVersion']} (${e['newestSource']}), within the ${e['supportMonths']}-release support window.`,
    'PassedWithWarning.Unsupported': (e) =>
      e['releasesBehind'] === null
        ? `Agent ${e['agentVersion']} is of an older major version than the newest known release ${e['newestVersion']} (${e['newestSource']}): it is more than ${e['supportMonths']} monthly releases old and no longer supported.`
        : `Agent ${e['agentVersion']} is ${e['releasesBehind']} monthly releases behind the newest known release ${e['newestVersion']} (${e['newestSource']}): agents older than ${e['supportMonths']} releases (about a year) are no longer supported.`,
    'PassedWithWarning.HciGuestConfiguration': (e) =>
      `Agent ${e['agentVersion']} runs on Azure Stack HCI and is below ${e['hciMinimumVersion']}: Azure Policy guest configuration is free on Azure Stack HCI only from agent ${e['hciMinimumVersion']}.` +
      (e['withinSupport'] === false ? ` It is also outside the ${e['supportMonths']}-release support window (newest known release ${e['newestVersion']}).` : ''),
  },
  evaluate(machine: MachineSubject, context: EvaluationContext) {
    // Missing or unparsable versions are ESU.Machine.AgentVersion's warnings; nothing to compare here.
    const agent = machine.agentVersionParsed;
    if (!agent) return undefined;
    const fromApi = parseAgentVersion(context.latestAgentVersion);
    const newest = fromApi ?? parseAgentVersion(context.settings.newestKnownAgentVersion) ?? parseAgentVersion(DEFAULT_RULE_SETTINGS.newestKnownAgentVersion);
    if (!newest) return undefined;
    const supportMonths = supportWindow(context.settings.agentSupportMonths);
    const behind = releasesBehind(agent, newest);
    const withinSupport = behind !== null && behind <= supportMonths;
    const hciMinimum = parseAgentVersion(context.settings.hciGuestConfigurationAgentVersion) ?? parseAgentVersion(DEFAULT_RULE_SETTINGS.hciGuestConfigurationAgentVersion);
    const onHci = machine.host.freeEnvironment === 'AzureStackHCI';
    const evidence = {
      agentVersion: machine.agentVersion?.trim() ?? formatVersion(agent),
      newestVersion: formatVersion(newest),
      newestSource: fromApi ? 'agent-versions API' : 'settings.newestKnownAgentVersion',
      releasesBehind: behind,
      supportMonths,
      withinSupport,
      freeEnvironment: machine.host.freeEnvironment ?? null,
      hciMinimumVersion: hciMinimum ? formatVersion(hciMinimum) : null,
    };
    if (onHci && hciMinimum && compareVersions(agent, hciMinimum) < 0) return { key: 'PassedWithWarning.HciGuestConfiguration', evidence };
    return { key: withinSupport ? 'Passed' : 'PassedWithWarning.Unsupported', evidence };
  },
  remediation: {
    jobType: 'upgrade-agent',
    onWarning: true,
    commands: (machine) => upgradeAgentCommands(machine),
  },
});
