import type { EvaluationContext, MachineSubject } from '../context.js';
import { esuActivationCommands } from '../../remediation/fixes.js';
import { defineRule } from '../rule.js';
import { formatDay } from '../../programs/program.js';
import { deliveryProgram, machineProgram } from '../programFacts.js';
import { linkEvidence, linkedLicenseLabel } from './licenseLinkFacts.js';
import { linkWithoutProgram, undeliverableEvidence, undeliverableLink } from './linkedLicenseDelivery.js';

/**
 * A linked machine whose ESU key stays Inactive is not getting ESU (Troubleshoot ESU, "ESU patch issues"). A key
 * is not Passed either while the linked license cannot deliver the machine's program: the root finding says why.
 */
export const esuKeyActiveRule = defineRule({
  id: 'ESU.Machine.EsuKeyActive',
  title: 'ESU key is active on a machine with a linked license',
  group: 'Machine',
  severity: 'High',
  messagePrefix: 'EsuKeyActive',
  description:
    'When a license is linked, the agent activates the ESU key on the machine; while esuKeyState stays Inactive, ESU patches fail to install (IMDS errors HRESULT 12002/12029, "not eligible" HRESULT 1633).',
  recommendation: 'Make the machine reach the Microsoft PKI URLs (or install the intermediate CAs) and refresh its ESU license file, then retry the ESU update.',
  links: [
    { title: 'Troubleshoot ESU for Windows Server 2012 on Azure Arc: ESU patch issues', url: 'https://learn.microsoft.com/azure/azure-arc/servers/troubleshoot-extended-security-updates' },
    { title: 'Prepare to deliver ESUs: networking', url: 'https://learn.microsoft.com/azure/azure-arc/servers/prepare-extended-security-updates' },
  ],
  messages: {
    Passed: (e) => `The ESU key is active (esuKeyState ${e['esuKeyState']}) with license ${linkedLicenseLabel(e)} linked.`,
    'Failed.Inactive': (e) =>
      `License ${linkedLicenseLabel(e)} is linked but the ESU key is Inactive: ESU activation on the machine is failing, so ESU patches may not install. ` +
      (typeof e['linkedLicenseState'] === 'string' && e['linkedLicenseState'].toLowerCase() !== 'activated'
        ? `The linked license is ${e['linkedLicenseState']}, not Activated: activate it first. `
        : '') +
      'Documented causes: for IMDS errors HRESULT 12002 or 12029, update the intermediate CAs the machine trusts by allowing http://www.microsoft.com/pkiops/certs and https://www.microsoft.com/pkiops/certs (TCP 80 and 443) ' +
      'or installing "Microsoft Azure RSA TLS Issuing CA 03, 04, 07 and 08"; "not eligible" HRESULT 1633 is fixed by deleting %ProgramData%\\AzureConnectedMachineAgent\\Certs\\license.json and restarting himds; ' +
      'after an agent upgrade an old license can take up to 15 days to be replaced (deleting license.json forces it).',
    'PassedWithWarning.InactiveBeforeStart': (e) =>
      `License ${linkedLicenseLabel(e)} is linked but the ESU key is still Inactive; ${e['programName']} ESU starts on ${formatDay(String(e['esuStart']))}: check again then, and if it stays Inactive, apply the documented activation fixes.`,
    'PassedWithWarning.Missing': (e) =>
      `License ${linkedLicenseLabel(e)} is linked but the machine reports no esuKeyState, so ESU activation cannot be verified.`,
    'PassedWithWarning.UnknownValue': (e) =>
      `License ${linkedLicenseLabel(e)} is linked but esuKeyState is "${e['esuKeyState']}", neither Active nor Inactive; ESU activation cannot be verified.`,
    'Failed.LicenseCannotDeliver': (e) =>
      `License ${linkedLicenseLabel(e)} is linked (esuKeyState ${e['esuKeyState']}), but it cannot deliver ESU to this machine: ${e['cannotDeliver']}. ` +
      `Activation fixes on the machine would not help; ${e['rootRuleId']} (${e['rootMessageId']}) says what to fix.`,
    'PassedWithWarning.LicenseCannotDeliverBeforeStart': (e) =>
      `License ${linkedLicenseLabel(e)} is linked (esuKeyState ${e['esuKeyState']}), but it cannot deliver ${e['programName']} ESU to this machine: ${e['cannotDeliver']}. ` +
      `${e['programName']} ESU starts on ${formatDay(String(e['esuStart']))}; ${e['rootRuleId']} (${e['rootMessageId']}) says what to fix before then.`,
  },
  evaluate(machine: MachineSubject, context: EvaluationContext) {
    if (!machine.link.assigned) return undefined;
    // A machine of an ended program gets ESU.Machine.LegacyOs: its key no longer matters.
    const standing = machineProgram(machine, context);
    if (standing?.phase === 'ended') return undefined;
    const state = machine.esu.esuKeyState;
    const link = linkEvidence(machine);
    // Field by field, not `...link`: this runs for every linked machine (see domain/everyField.ts).
    const evidence = {
      licenseAssignmentState: link.licenseAssignmentState,
      linkedLicenseId: link.linkedLicenseId,
      linkedLicenseImmutableId: link.linkedLicenseImmutableId,
      linkedLicenseName: link.linkedLicenseName,
      esuKeyState: state ?? 'missing',
      esuEligibility: machine.esu.esuEligibility ?? 'missing',
      linkedLicenseState: machine.linkedLicense ? (machine.linkedLicense.state ?? 'missing') : null,
      agentVersion: machine.agentVersion ?? 'missing',
    };
    const delivery = deliveryProgram(machine, context);
    const problem = delivery ? undeliverableLink(machine, delivery, context) : linkWithoutProgram(machine);
    if (problem) {
      if (delivery?.phase === 'upcoming') {
        return { key: 'PassedWithWarning.LicenseCannotDeliverBeforeStart', evidence: { ...evidence, ...undeliverableEvidence(problem), programName: delivery.program.name, esuStart: delivery.program.esuStart } };
      }
      return { key: 'Failed.LicenseCannotDeliver', evidence: { ...evidence, ...undeliverableEvidence(problem) } };
    }
    if (state === undefined) return { key: 'PassedWithWarning.Missing', evidence };
    const value = state.toLowerCase();
    if (value === 'active') return { key: 'Passed', evidence };
    if (value === 'inactive' && standing?.phase === 'upcoming') {
      return { key: 'PassedWithWarning.InactiveBeforeStart', evidence: { ...evidence, programName: standing.program.name, esuStart: standing.program.esuStart } };
    }
    if (value === 'inactive') return { key: 'Failed.Inactive', evidence };
    return { key: 'PassedWithWarning.UnknownValue', evidence };
  },
  remediation: {
    jobType: 'fix-esu-activation',
    withoutJob: (outcome) => outcome.key.includes('LicenseCannotDeliver'),
    commands: (machine) => esuActivationCommands(machine),
  },
});
