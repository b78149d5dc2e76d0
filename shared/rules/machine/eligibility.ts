import type { EvaluationContext, MachineSubject } from '../context.js';
import { defineRule } from '../rule.js';

/** Azure's own verdict on whether the machine can enroll in WS2012 ESU (`licenseProfile.esuProfile.esuEligibility`). */
export const eligibilityRule = defineRule({
  id: 'ESU.Machine.Eligibility',
  title: 'Azure reports the machine as eligible for ESU',
  group: 'Machine',
  severity: 'High',
  messagePrefix: 'Eligibility',
  description:
    'Azure reports in licenseProfile.esuProfile.esuEligibility whether an Arc-enabled Windows Server 2012 / 2012 R2 machine can enroll in ESU; an Ineligible machine cannot receive ESU through Azure Arc even when a license is linked.',
  recommendation: 'Check the enrollment prerequisites for this machine (connected, agent 1.34 or later, Windows Server 2012 or 2012 R2, not on Azure Stack HCI, Azure VMware Solution or an Azure VM) and correct the one that fails.',
  links: [
    { title: 'Troubleshoot ESU for Windows Server 2012 on Azure Arc', url: 'https://learn.microsoft.com/azure/azure-arc/servers/troubleshoot-extended-security-updates' },
    { title: 'Prepare to deliver ESUs for Windows Server 2012', url: 'https://learn.microsoft.com/azure/azure-arc/servers/prepare-extended-security-updates' },
  ],
  messages: {
    Passed: (e) => `Azure reports the machine as ${e['esuEligibility']} for Windows Server 2012 ESU.`,
    'Failed.Ineligible': (e) =>
      `Azure reports the machine as ${e['esuEligibility']} for Windows Server 2012 ESU (status ${e['status']}, agent ${e['agentVersion']}, ${e['osName']}${e['freeEnvironment'] ? `, runs on ${e['freeEnvironment']}` : ''}): it cannot receive ESU through Azure Arc.`,
    'PassedWithWarning.Unknown': (e) =>
      `Azure reports the ESU eligibility of the machine as ${e['esuEligibility']}; whether it can receive ESU cannot be verified yet.`,
    'PassedWithWarning.Missing': () => 'The machine reports no ESU eligibility (licenseProfile.esuProfile.esuEligibility); whether it can receive ESU cannot be verified.',
    'PassedWithWarning.Unrecognized': (e) =>
      `The ESU eligibility "${e['esuEligibility']}" is not one of Eligible, Ineligible or Unknown; whether the machine can receive ESU cannot be verified.`,
  },
  evaluate(machine: MachineSubject, _context: EvaluationContext) {
    if (!machine.inScope) return undefined;
    const raw = machine.esu.esuEligibility;
    const facts = {
      status: machine.status ?? 'not reported',
      agentVersion: machine.agentVersion?.trim() || 'not reported',
      osName: machine.osName ?? machine.osSku ?? 'OS name not reported',
      freeEnvironment: machine.host.freeEnvironment ?? null,
    };
    if (raw === undefined) return { key: 'PassedWithWarning.Missing', evidence: { esuEligibility: null, ...facts } };
    switch (raw.toLowerCase()) {
      case 'eligible':
        return { key: 'Passed', evidence: { esuEligibility: raw, ...facts } };
      case 'ineligible':
        return { key: 'Failed.Ineligible', evidence: { esuEligibility: raw, ...facts } };
      case 'unknown':
        return { key: 'PassedWithWarning.Unknown', evidence: { esuEligibility: raw, ...facts } };
      default:
        return { key: 'PassedWithWarning.Unrecognized', evidence: { esuEligibility: raw, ...facts } };
    }
  },
});
