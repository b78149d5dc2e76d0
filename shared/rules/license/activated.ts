import type { EvaluationContext, TenantLicenseSubject } from '../context.js';
import { defineRule } from '../rule.js';
import { updateLicenseCommands } from '../../remediation/fixes.js';
import { licenseStanding, programEvidence, deadlineText } from '../programFacts.js';
import { isEsuLicense, machineLabel, sampleNote, shown, stateOf, usageOf } from '../../plan/licenseFacts.js';

/** Machines get ESU only through an activated license (Troubleshoot ESU, "ESU enrollment issues"; Deliver ESU). */
export const activatedRule = defineRule({
  id: 'ESU.License.Activated',
  title: 'ESU license with linked machines is activated',
  group: 'License',
  severity: 'High',
  messagePrefix: 'LicenseActivated',
  description:
    'A machine linked to an ESU license is eligible for Windows Server 2012 ESU only when the license is Activated; machines linked to a deactivated license get no ESU.',
  recommendation: 'Activate the ESU license so that the machines linked to it receive ESU (activation starts billing, including back-billing).',
  links: [
    { title: 'Troubleshoot ESU for Windows Server 2012 on Azure Arc', url: 'https://learn.microsoft.com/azure/azure-arc/servers/troubleshoot-extended-security-updates' },
    { title: 'Deliver ESU for Windows Server 2012', url: 'https://learn.microsoft.com/azure/azure-arc/servers/deliver-extended-security-updates' },
    { title: 'Billing service for ESU for Windows Server 2012 enabled by Azure Arc', url: 'https://learn.microsoft.com/azure/azure-arc/servers/billing-extended-security-updates' },
  ],
  messages: {
    Passed: (e) => `The license is Activated and serves ${e['linkedMachines']} linked machine(s).`,
    'Failed.Deactivated': (e) =>
      `The license is Deactivated while ${e['linkedMachines']} machine(s) are linked to it: those machines receive no ESU.`,
    'PassedWithWarning.DeactivatedBeforeStart': (e) =>
      `The license is Deactivated while ${e['linkedMachines']} machine(s) are linked to it: activate it ${deadlineText(e)}, or those machines receive no ${e['programName']} ESU.`,
    'PassedWithWarning.UnknownState': (e) =>
      `The license state is ${e['state'] === 'missing' ? 'not reported' : `"${e['state']}"`}, neither Activated nor Deactivated; whether its ${e['linkedMachines']} linked machine(s) receive ESU cannot be verified.`,
  },
  evaluate(entry: TenantLicenseSubject, context: EvaluationContext) {
    if (!isEsuLicense(entry.license)) return undefined;
    const usage = usageOf(entry);
    if (usage.linkedMachines === 0) return undefined;
    // A license of an ended program should be deactivated: ESU.License.Program says so.
    const standing = licenseStanding(entry.license, context);
    if (standing?.phase === 'ended') return undefined;
    const state = stateOf(entry.license.state);
    const note = sampleNote(usage);
    const evidence = {
      state: state ?? shown(entry.license.state),
      linkedMachines: usage.linkedMachines,
      machines: usage.sample.map(machineLabel),
      ...(note ? { sampleNote: note } : {}),
    };
    if (state === 'Activated') return { key: 'Passed', evidence };
    if (state === 'Deactivated' && standing?.phase === 'upcoming') return { key: 'PassedWithWarning.DeactivatedBeforeStart', evidence: { ...evidence, ...programEvidence(standing) } };
    if (state === 'Deactivated') return { key: 'Failed.Deactivated', evidence };
    return { key: 'PassedWithWarning.UnknownState', evidence };
  },
  remediation: {
    jobType: 'activate-license',
    onWarning: (outcome) => outcome.key === 'PassedWithWarning.DeactivatedBeforeStart',
    commands: (entry) => updateLicenseCommands(entry.license, { state: 'Activated' }),
  },
});
