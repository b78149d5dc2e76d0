import type { EvaluationContext, MachineSubject } from '../context.js';
import { defineRule } from '../rule.js';
import { deliveryProgram, machineProgram, programEvidence } from '../programFacts.js';

const EDITION_NAMES: Readonly<Record<string, string>> = { StorageServer: 'Storage Server', Essentials: 'Essentials', Foundation: 'Foundation' };

/**
 * Azure's own verdict on whether the machine can enroll in ESU (`licenseProfile.esuProfile.esuEligibility`),
 * and the editions its program covers: Standard and Datacenter only (Storage Server, Essentials and
 * Foundation are not supported: Microsoft "Prepare to deliver ESU").
 */
export const eligibilityRule = defineRule({
  id: 'ESU.Machine.Eligibility',
  title: 'Azure reports the machine as eligible for ESU',
  group: 'Machine',
  severity: 'High',
  messagePrefix: 'Eligibility',
  description:
    'Azure reports in licenseProfile.esuProfile.esuEligibility whether an Arc-enabled Windows Server 2012 / 2012 R2 or 2016 machine can enroll in ESU; an Ineligible machine cannot receive ESU through Azure Arc even when a license is linked. ESU covers the Standard and Datacenter editions only: Storage Server, Essentials and Foundation machines are out of ESU scope.',
  recommendation: "Check the enrollment prerequisites for this machine (connected, the agent minimum of its program, a Standard or Datacenter edition of Windows Server 2012 / 2012 R2 or 2016, not in an environment where ESU is free) and correct the one that fails; a machine of an edition ESU does not cover must be upgraded or migrated.",
  links: [
    { title: 'Troubleshoot ESU for Windows Server 2012 on Azure Arc', url: 'https://learn.microsoft.com/azure/azure-arc/servers/troubleshoot-extended-security-updates' },
    { title: 'Prepare to deliver ESUs for Windows Server 2012', url: 'https://learn.microsoft.com/azure/azure-arc/servers/prepare-extended-security-updates' },
  ],
  messages: {
    Passed: (e) => `Azure reports the machine as ${e['esuEligibility']} for ${e['programName']} ESU.`,
    'Failed.EditionNotCovered': (e) =>
      `The machine runs ${e['osName']}, the ${e['editionName']} edition, which ${e['programName']} ESU does not cover (Standard and Datacenter only): it is out of ESU scope and receives no security updates after end of support, whatever license is linked.`,
    'Failed.Ineligible': (e) =>
      `Azure reports the machine as ${e['esuEligibility']} for ${e['programName']} ESU (status ${e['status']}, agent ${e['agentVersion']}, ${e['osName']}${e['freeEnvironment'] ? `, runs on ${e['freeEnvironment']}` : ''}): it cannot receive ESU through Azure Arc.`,
    'PassedWithWarning.Unknown': (e) =>
      `Azure reports the ESU eligibility of the machine as ${e['esuEligibility']}; whether it can receive ESU cannot be verified yet.`,
    'PassedWithWarning.Missing': () => 'The machine reports no ESU eligibility (licenseProfile.esuProfile.esuEligibility); whether it can receive ESU cannot be verified.',
    'PassedWithWarning.Unrecognized': (e) =>
      `The ESU eligibility "${e['esuEligibility']}" is not one of Eligible, Ineligible or Unknown; whether the machine can receive ESU cannot be verified.`,
  },
  evaluate(machine: MachineSubject, context: EvaluationContext) {
    const osName = machine.osName ?? machine.osSku ?? 'OS name not reported';
    if (!machine.inScope) {
      const standing = machineProgram(machine, context);
      if (!standing?.program.arcLicensing || standing.phase === 'ended' || standing.program.editions.includes(machine.edition)) return undefined;
      return {
        key: 'Failed.EditionNotCovered',
        evidence: { ...programEvidence(standing), osName, edition: machine.edition, editionName: EDITION_NAMES[machine.edition] ?? machine.edition, coveredEditions: [...standing.program.editions] },
      };
    }
    const standing = deliveryProgram(machine, context);
    if (!standing) return undefined;
    const raw = machine.esu.esuEligibility;
    // Field by field, not spread: this runs for every machine (see domain/everyField.ts).
    const evidence = (esuEligibility: string | null) => ({
      esuEligibility,
      program: standing.program.id,
      programName: standing.program.name,
      programPhase: standing.phase,
      endOfSupport: standing.program.endOfSupport,
      daysLeft: standing.daysLeft,
      status: machine.status ?? 'not reported',
      agentVersion: machine.agentVersion?.trim() || 'not reported',
      osName,
      freeEnvironment: machine.host.freeEnvironment ?? null,
    });
    if (raw === undefined) return { key: 'PassedWithWarning.Missing', evidence: evidence(null) };
    switch (raw.toLowerCase()) {
      case 'eligible':
        return { key: 'Passed', evidence: evidence(raw) };
      case 'ineligible':
        return { key: 'Failed.Ineligible', evidence: evidence(raw) };
      case 'unknown':
        return { key: 'PassedWithWarning.Unknown', evidence: evidence(raw) };
      default:
        return { key: 'PassedWithWarning.Unrecognized', evidence: evidence(raw) };
    }
  },
});
