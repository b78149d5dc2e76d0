import { reconnectCommands, reonboardCommands } from '../../remediation/fixes.js';
import type { EvaluationContext, MachineSubject } from '../context.js';
import { defineRule } from '../rule.js';
import { deliveryProgram } from '../programFacts.js';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/**
 * Azure Automation's update agent troubleshooting (readiness states): a machine last seen less than an hour ago is still "ready"; from one hour on it counts as
 * disconnected. A Disconnected status younger than that is reported as a warning (a reboot or a short
 * network outage), not as a failure with a reconnect job.
 */
const GRACE_MS = HOUR_MS;

/** How long ago `since` was, in words ("23 days", "5 hours", "less than an hour"); undefined when unknown. */
function elapsed(since: string | undefined, now: Date): { text: string; hours: number; ms: number } | undefined {
  if (since === undefined) return undefined;
  const at = Date.parse(since);
  if (Number.isNaN(at)) return undefined;
  const ms = now.getTime() - at;
  if (ms < 0) return undefined;
  const hours = Math.floor(ms / HOUR_MS);
  const days = Math.floor(ms / DAY_MS);
  const text = days >= 1 ? `${days} day${days === 1 ? '' : 's'}` : hours >= 1 ? `${hours} hour${hours === 1 ? '' : 's'}` : 'less than an hour';
  return { text, hours, ms };
}

/** ESU can only be linked and delivered while the machine is connected (Troubleshoot ESU, "ESU enrollment issues"). */
export const connectedRule = defineRule({
  id: 'ESU.Machine.Connected',
  title: 'Arc-enabled server is connected',
  group: 'Machine',
  severity: 'High',
  messagePrefix: 'Connected',
  description:
    'An Arc-enabled server must be Connected to be linked to an ESU license and to keep receiving its ESU key; a Disconnected, Expired or Error machine silently stops getting ESU.',
  recommendation: 'Restore the Connected Machine agent connection (re-onboard the machine when its status is Expired) so the server can receive ESU.',
  links: [
    { title: 'Troubleshoot ESU for Windows Server 2012 on Azure Arc', url: 'https://learn.microsoft.com/azure/azure-arc/servers/troubleshoot-extended-security-updates' },
    { title: 'azcmagent check', url: 'https://learn.microsoft.com/azure/azure-arc/servers/azcmagent-check' },
    { title: 'azcmagent show', url: 'https://learn.microsoft.com/azure/azure-arc/servers/azcmagent-show' },
    { title: 'azcmagent reconnect', url: 'https://learn.microsoft.com/azure/azure-arc/servers/azcmagent-reconnect' },
    { title: 'azcmagent disconnect', url: 'https://learn.microsoft.com/azure/azure-arc/servers/azcmagent-disconnect' },
    { title: 'azcmagent connect', url: 'https://learn.microsoft.com/azure/azure-arc/servers/azcmagent-connect' },
  ],
  messages: {
    Passed: (e) => `The machine is Connected (last status change ${e['lastStatusChange'] ?? 'not reported'}).`,
    'Failed.Disconnected': (e) =>
      e['duration'] === null
        ? `The machine is Disconnected since an unknown time (lastStatusChange is ${e['lastStatusChange'] === null ? 'not reported' : `"${e['lastStatusChange']}"`}): it cannot be linked to an ESU license or receive ESU while disconnected.`
        : `The machine has been Disconnected for ${e['duration']} (since ${e['lastStatusChange']}): it cannot be linked to an ESU license or receive ESU while disconnected.`,
    'Failed.Expired': (e) =>
      `The machine's Arc connection has Expired (status since ${e['lastStatusChange'] ?? 'an unknown time'}): the agent cannot reconnect by itself and the machine must be re-onboarded to Azure Arc before it can receive ESU.`,
    'Failed.Error': (e) =>
      `The machine is in status Error (since ${e['lastStatusChange'] ?? 'an unknown time'}): ${e['errorDetails'] ? `errorDetails: ${e['errorDetails']}` : 'no errorDetails are reported; see errorDetails on the machine'}. It cannot receive ESU until the error is resolved.`,
    'Failed.AwaitingConnection': (e) =>
      `The machine is AwaitingConnection (since ${e['lastStatusChange'] ?? 'an unknown time'}): its resource exists but the agent has not completed onboarding, so it cannot be linked to an ESU license or receive ESU.`,
    'PassedWithWarning.RecentlyDisconnected': (e) =>
      `The machine became Disconnected ${e['duration']} ago (since ${e['lastStatusChange']}); a connection lost for less than an hour may be a reboot or a short outage, so check it again if it persists.`,
    'PassedWithWarning.Missing': () => 'The machine reports no connection status; whether it can receive ESU cannot be verified.',
    'PassedWithWarning.Unrecognized': (e) =>
      `The connection status "${e['status']}" is not one of Connected, Disconnected, Expired, Error or AwaitingConnection; whether the machine can receive ESU cannot be verified.`,
  },
  evaluate(machine: MachineSubject, context: EvaluationContext) {
    if (!deliveryProgram(machine, context)) return undefined;
    const lastStatusChange = machine.lastStatusChange ?? null;
    const status = machine.status;
    if (status === undefined) return { key: 'PassedWithWarning.Missing', evidence: { status: null, lastStatusChange } };
    switch (status.toLowerCase()) {
      case 'awaitingconnection':
        return { key: 'Failed.AwaitingConnection', evidence: { status, lastStatusChange } };
      case 'connected':
        return { key: 'Passed', evidence: { status, lastStatusChange } };
      case 'disconnected': {
        const since = elapsed(machine.lastStatusChange, context.now);
        const evidence = { status, lastStatusChange, duration: since?.text ?? null, disconnectedHours: since?.hours ?? null };
        if (since && since.ms < GRACE_MS) return { key: 'PassedWithWarning.RecentlyDisconnected', evidence };
        return { key: 'Failed.Disconnected', evidence };
      }
      case 'expired':
        return { key: 'Failed.Expired', evidence: { status, lastStatusChange } };
      case 'error': {
        const details = machine.errorDetails;
        return { key: 'Failed.Error', evidence: { status, lastStatusChange, errorDetails: details.length > 0 ? details.join('; ') : null } };
      }
      default:
        return { key: 'PassedWithWarning.Unrecognized', evidence: { status, lastStatusChange } };
    }
  },
  remediation: {
    jobType: (outcome) => (outcome.key === 'Failed.Expired' ? 'reonboard-machine' : 'reconnect-machine'),
    commands: (machine, outcome) =>
      outcome.key === 'Failed.Expired' ? reonboardCommands(machine, machine.linkedLicense?.id ?? machine.esu.assignedLicenseId) : reconnectCommands(machine),
  },
});
