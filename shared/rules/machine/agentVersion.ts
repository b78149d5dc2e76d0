import { compareVersions, formatVersion, parseAgentVersion } from '../../domain/versions.js';
import type { EvaluationContext, MachineSubject } from '../context.js';
import { upgradeAgentCommands } from '../../remediation/fixes.js';
import { defineRule } from '../rule.js';
import { deadlineText, deliveryProgram } from '../programFacts.js';

/**
 * ESU enrolment needs a minimum Connected Machine agent, per program (catalogue): 1.34 for Windows Server
 * 2012 (Troubleshoot ESU, "ESU enrollment issues"), 1.62 for Windows Server 2016 (Microsoft "Prepare to deliver ESU").
 * Before the program starts, a too-old agent is a readiness warning with the deadline; once it runs, a failure.
 */
export const agentVersionRule = defineRule({
  id: 'ESU.Machine.AgentVersion',
  title: 'Connected Machine agent is recent enough for ESU',
  group: 'Machine',
  severity: 'High',
  messagePrefix: 'AgentVersion',
  description:
    "ESU through Azure Arc needs a minimum Connected Machine agent, set by the machine's ESU program: 1.34 for Windows Server 2012 / 2012 R2, 1.62 for Windows Server 2016. An older agent cannot receive the ESU license.",
  recommendation: "Upgrade the Azure Connected Machine agent to the latest release (at least the minimum of the machine's ESU program).",
  links: [
    { title: 'Troubleshoot ESU for Windows Server 2012 on Azure Arc', url: 'https://learn.microsoft.com/azure/azure-arc/servers/troubleshoot-extended-security-updates' },
    { title: 'Prepare to deliver Extended Security Updates (agent minimums per program)', url: 'https://learn.microsoft.com/azure/azure-arc/servers/prepare-extended-security-updates' },
    { title: 'Upgrade the Connected Machine agent', url: 'https://learn.microsoft.com/azure/azure-arc/servers/manage-agent#additional-agent-upgrade-methods' },
  ],
  messages: {
    Passed: (e) => `Agent ${e['agentVersion']} meets the ${e['programName']} ESU minimum ${e['minimumVersion']}.`,
    'Failed.BelowMinimum': (e) =>
      `Agent ${e['agentVersion']} is below ${e['minimumVersion']}, the minimum for ${e['programName']} ESU: this machine cannot receive ESU.`,
    'PassedWithWarning.BelowMinimumBeforeDeadline': (e) =>
      `Agent ${e['agentVersion']} is below ${e['minimumVersion']}, the minimum for ${e['programName']} ESU: upgrade it ${deadlineText(e)}, or the machine cannot be enrolled.`,
    'PassedWithWarning.Unknown': (e) =>
      `The agent version is not reported (${e['agentVersion']}); ESU eligibility of the agent (minimum ${e['minimumVersion']}) cannot be verified.`,
    'PassedWithWarning.Unparsable': (e) =>
      `The agent version "${e['agentVersion']}" is not a version number; ESU eligibility of the agent (minimum ${e['minimumVersion']}) cannot be verified.`,
  },
  evaluate(machine: MachineSubject, context: EvaluationContext) {
    const standing = deliveryProgram(machine, context);
    const minimum = parseAgentVersion(standing?.program.agentMinimum);
    if (!standing || !minimum) return undefined;
    const raw = machine.agentVersion;
    // Field by field, not spread: this runs for every machine (see domain/everyField.ts).
    const evidence = (agentVersion: string) => ({
      agentVersion,
      minimumVersion: formatVersion(minimum),
      program: standing.program.id,
      programName: standing.program.name,
      programPhase: standing.phase,
      endOfSupport: standing.program.endOfSupport,
      daysLeft: standing.daysLeft,
    });
    if (raw === undefined || raw.trim() === '') return { key: 'PassedWithWarning.Unknown', evidence: evidence(raw === undefined ? 'missing' : 'empty') };
    const version = machine.agentVersionParsed;
    if (!version) return { key: 'PassedWithWarning.Unparsable', evidence: evidence(raw) };
    if (compareVersions(version, minimum) >= 0) return { key: 'Passed', evidence: evidence(raw) };
    return { key: standing.phase === 'upcoming' ? 'PassedWithWarning.BelowMinimumBeforeDeadline' : 'Failed.BelowMinimum', evidence: evidence(raw) };
  },
  remediation: {
    jobType: 'upgrade-agent',
    onWarning: (outcome) => outcome.key === 'PassedWithWarning.BelowMinimumBeforeDeadline',
    commands: (machine) => upgradeAgentCommands(machine),
  },
});
