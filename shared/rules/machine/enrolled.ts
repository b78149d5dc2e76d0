import type { EvaluationContext, MachineSubject } from '../context.js';
import { defineRule } from '../rule.js';
import { deadlineText, programEvidence } from '../programFacts.js';
import { enrolmentOf } from './enrolment.js';
import { needsOf } from './licenseFit.js';
import { linkEvidence, linkedLicenseLabel } from './licenseLinkFacts.js';
import { undeliverableEvidence, undeliverableLink } from './linkedLicenseDelivery.js';

/**
 * An in-scope machine outside its program's free environments needs an ESU license of its program's target
 * linked (Troubleshoot ESU, "ESU enrollment issues"; Microsoft "Deliver ESUs": a server linked to an activated license is
 * eligible). Before the program starts, an unlinked machine is a readiness warning with the deadline.
 */
export const enrolledRule = defineRule({
  id: 'ESU.Machine.Enrolled',
  title: 'Machine is enrolled in ESU (a license is linked)',
  group: 'Machine',
  severity: 'High',
  messagePrefix: 'Enrolled',
  description:
    "A Windows Server 2012 / 2012 R2 or 2016 machine receives ESU through Azure Arc only when it is linked to an activated ESU license of its program's target; an unlinked machine silently gets no security updates.",
  recommendation: 'Link the machine to the ESU license the tenant license plan gives it (ESU.Machine.LicensePlan).',
  links: [
    { title: 'Deliver Extended Security Updates for Windows Server 2012', url: 'https://learn.microsoft.com/azure/azure-arc/servers/deliver-extended-security-updates' },
    { title: 'License provisioning guidelines for ESU for Windows Server 2012', url: 'https://learn.microsoft.com/azure/azure-arc/servers/license-extended-security-updates' },
    { title: 'Troubleshoot ESU for Windows Server 2012 on Azure Arc', url: 'https://learn.microsoft.com/azure/azure-arc/servers/troubleshoot-extended-security-updates' },
  ],
  messages: {
    Passed: (e) => `An ESU license ${linkedLicenseLabel(e)} is linked to this machine (licenseAssignmentState ${e['licenseAssignmentState']}).`,
    'Failed.NotAssigned': (e) => `${unlinkedText(e)}, so it receives no ${e['programName']} ESU. It needs ${needText(e)}. ${planAdvice()}`,
    'PassedWithWarning.NotAssignedBeforeDeadline': (e) => `${unlinkedText(e)}: link it ${deadlineText(e)} to receive ${e['programName']} ESU. It needs ${needText(e)}. ${planAdvice()}`,
    'Passed.KeyEnrolled': (e) =>
      `No ESU license is linked, but the ESU key is Active (esuKeyState ${e['esuKeyState']}): the machine is enrolled in ${e['programName']} ESU through a key (license guidelines, scenario 5: "enrolled in Extended Security Updates through an activated MAK Key are as enrolled in ESUs"); no license is needed.`,
    'PassedWithWarning.EligibilityUnknown': (e) =>
      `No ESU license is linked and Azure reports the machine's ESU eligibility as ${e['esuEligibility']}: the portal and the enable policy act only on Eligible machines, so no license is proposed until Azure decides (see ESU.Machine.Eligibility).`,
    'PassedWithWarning.NoEsuProfile': () =>
      'The machine reports no ESU profile (properties.licenseProfile.esuProfile), so whether an ESU license is linked cannot be verified.',
    'PassedWithWarning.UnknownState': (e) =>
      `The license assignment state "${e['licenseAssignmentState']}" is neither Assigned nor NotAssigned, and no license is named; enrolment cannot be verified.`,
    'Failed.LicenseCannotDeliver': (e) =>
      `ESU license ${linkedLicenseLabel(e)} is linked, but it cannot deliver ${e['programName']} ESU to this machine: ${e['cannotDeliver']}. The machine is not enrolled; ${e['rootRuleId']} (${e['rootMessageId']}) says what to fix.`,
    'PassedWithWarning.LicenseCannotDeliverBeforeDeadline': (e) =>
      `ESU license ${linkedLicenseLabel(e)} is linked, but it cannot deliver ${e['programName']} ESU to this machine: ${e['cannotDeliver']}. Fix it ${deadlineText(e)} or the machine is not enrolled; ${e['rootRuleId']} (${e['rootMessageId']}) says what to fix.`,
  },
  evaluate(machine: MachineSubject, context: EvaluationContext) {
    const enrolment = enrolmentOf(machine, context);
    if (!enrolment) return undefined;
    const link = linkEvidence(machine);
    switch (enrolment.kind) {
      case 'linked': {
        // A link counts only when the license can deliver this machine's program; the root finding carries the fix.
        const problem = undeliverableLink(machine, enrolment.standing, context);
        if (!problem) return { key: 'Passed', evidence: link };
        const evidence = { ...link, ...programEvidence(enrolment.standing), ...undeliverableEvidence(problem) };
        return { key: enrolment.standing.phase === 'upcoming' ? 'PassedWithWarning.LicenseCannotDeliverBeforeDeadline' : 'Failed.LicenseCannotDeliver', evidence };
      }
      case 'no-esu-profile':
        return { key: 'PassedWithWarning.NoEsuProfile', evidence: link };
      case 'unknown-state':
        return { key: 'PassedWithWarning.UnknownState', evidence: link };
      case 'key-enrolled':
        return { key: 'Passed.KeyEnrolled', evidence: { ...link, ...programEvidence(enrolment.standing), esuKeyState: machine.esu.esuKeyState, esuKeys: (machine.esu.esuKeys ?? []).map((key) => `${key.sku ?? 'unknown sku'} (licenseStatus ${key.licenseStatus ?? 'not reported'})`) } };
      case 'eligibility-unknown':
        return { key: 'PassedWithWarning.EligibilityUnknown', evidence: { ...link, ...programEvidence(enrolment.standing), esuEligibility: machine.esu.esuEligibility } };
      case 'needs-license':
        break;
    }
    const { standing, serverType, serverTypeBasis, target } = enrolment;
    const needs = needsOf(machine, serverType, context);
    const pNeed = needs.find((need) => need.type === 'pCore' && need.cores > 0);
    const vNeed = needs.find((need) => need.type === 'vCore');
    // Field by field, not `...link`: this runs for every unlinked machine (see domain/everyField.ts).
    const evidence = {
      program: standing.program.id,
      programName: standing.program.name,
      programPhase: standing.phase,
      endOfSupport: standing.program.endOfSupport,
      daysLeft: standing.daysLeft,
      licenseAssignmentState: link.licenseAssignmentState,
      linkedLicenseId: link.linkedLicenseId,
      linkedLicenseImmutableId: link.linkedLicenseImmutableId,
      linkedLicenseName: link.linkedLicenseName,
      esuEligibility: machine.esu.esuEligibility ?? 'missing',
      osFamily: machine.osFamily,
      target,
      hostType: machine.host.type,
      hostTypeBasis: machine.host.typeBasis,
      cores: machine.host.cores ?? null,
      coreBasis: machine.host.coreBasis ?? 'not reported',
      serverType,
      serverTypeBasis,
      requiredPCores: pNeed?.cores ?? null,
      requiredVCores: vNeed?.cores ?? null,
      requiredEdition: machine.host.type === 'Virtual' ? 'Standard (vCore licenses are always Standard)' : serverType === 'Datacenter' ? 'Datacenter' : 'Standard or Datacenter',
    };
    return { key: standing.phase === 'upcoming' ? 'PassedWithWarning.NotAssignedBeforeDeadline' : 'Failed.NotAssigned', evidence };
  },
});

function unlinkedText(e: Readonly<Record<string, unknown>>): string {
  return `No ESU license is linked to this machine (licenseAssignmentState ${e['licenseAssignmentState']})`;
}

/** The advice moved to the tenant's license plan: one assignment for the whole tenant, never two machines on one license's last cores. */
function planAdvice(): string {
  return 'The tenant license plan names the license to link it to, with the commands (ESU.Machine.LicensePlan; `esu-scan plan`).';
}

function needText(e: Readonly<Record<string, unknown>>): string {
  const host = `${e['hostType']} host, ${e['cores'] === null ? 'core count not reported' : `${e['cores']} cores`} (${e['coreBasis']})`;
  if (e['hostType'] === 'Virtual') {
    return `${e['requiredVCores']} spare cores on an activated ${e['target']} Standard vCore license, or a ${e['serverType'] === 'Datacenter' ? 'Datacenter' : 'Standard or Datacenter'} pCore license that covers its host (${host})`;
  }
  const parts: string[] = [];
  if (typeof e['requiredPCores'] === 'number') parts.push(`${e['requiredPCores']} spare pCore cores`);
  if (typeof e['requiredVCores'] === 'number') parts.push(`${e['requiredVCores']} spare vCore cores`);
  return `${parts.join(' or ')} on an activated ${e['target']} license of edition ${e['requiredEdition']} (${host})`;
}
