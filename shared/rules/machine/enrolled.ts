import type { EvaluationContext, MachineSubject } from '../context.js';
import { createLicenseCommands, linkLicenseCliCommand } from '../../remediation/fixes.js';
import { defineRule } from '../rule.js';
import { targetForFamily } from '../../programs/program.js';
import { deadlineText, deliveryProgram, freeEnvironmentFor, programEvidence } from '../programFacts.js';
import { fitsOf, needsOf, rankCandidates, serverTypeOf } from './licenseFit.js';
import { esuProfileMissing, isKnownAssignmentState, linkEvidence, linkedLicenseLabel } from './licenseLinkFacts.js';
import { undeliverableEvidence, undeliverableLink } from './linkedLicenseDelivery.js';

const MAX_CANDIDATES = 3;

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
  recommendation: 'Link the machine to an activated ESU license with enough spare cores, or create a right-sized license and link it.',
  links: [
    { title: 'Deliver Extended Security Updates for Windows Server 2012', url: 'https://learn.microsoft.com/azure/azure-arc/servers/deliver-extended-security-updates' },
    { title: 'License provisioning guidelines for ESU for Windows Server 2012', url: 'https://learn.microsoft.com/azure/azure-arc/servers/license-extended-security-updates' },
    { title: 'Troubleshoot ESU for Windows Server 2012 on Azure Arc', url: 'https://learn.microsoft.com/azure/azure-arc/servers/troubleshoot-extended-security-updates' },
  ],
  messages: {
    Passed: (e) => `An ESU license ${linkedLicenseLabel(e)} is linked to this machine (licenseAssignmentState ${e['licenseAssignmentState']}).`,
    'Failed.NotAssigned': (e) => `${unlinkedText(e)}, so it receives no ${e['programName']} ESU. ${candidatesAdvice(e)}`,
    'Failed.NoLicenseAvailable': (e) => `${unlinkedText(e)}, so it receives no ${e['programName']} ESU. ${createAdvice(e)}`,
    'PassedWithWarning.NotAssignedBeforeDeadline': (e) => `${unlinkedText(e)}: link it ${deadlineText(e)} to receive ${e['programName']} ESU. ${candidatesAdvice(e)}`,
    'PassedWithWarning.NoLicenseAvailableBeforeDeadline': (e) => `${unlinkedText(e)}: link it ${deadlineText(e)} to receive ${e['programName']} ESU. ${createAdvice(e)}`,
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
    const standing = deliveryProgram(machine, context);
    if (!standing || freeEnvironmentFor(machine, standing.program) !== undefined) return undefined;
    const link = linkEvidence(machine);
    if (machine.link.assigned) {
      // A link counts only when the license can deliver this machine's program; the root finding carries the fix.
      const problem = undeliverableLink(machine, standing, context);
      if (!problem) return { key: 'Passed', evidence: link };
      const evidence = { ...link, ...programEvidence(standing), ...undeliverableEvidence(problem) };
      return { key: standing.phase === 'upcoming' ? 'PassedWithWarning.LicenseCannotDeliverBeforeDeadline' : 'Failed.LicenseCannotDeliver', evidence };
    }
    if (esuProfileMissing(machine)) return { key: 'PassedWithWarning.NoEsuProfile', evidence: link };
    const state = machine.esu.licenseAssignmentState;
    if (state !== undefined && !isKnownAssignmentState(state)) return { key: 'PassedWithWarning.UnknownState', evidence: link };

    // Scenario 5: servers "enrolled in Extended Security Updates through an activated MAK Key are as enrolled".
    if (machine.esu.esuKeyState?.toLowerCase() === 'active') {
      return { key: 'Passed.KeyEnrolled', evidence: { ...link, ...programEvidence(standing), esuKeyState: machine.esu.esuKeyState, esuKeys: (machine.esu.esuKeys ?? []).map((key) => `${key.sku ?? 'unknown sku'} (licenseStatus ${key.licenseStatus ?? 'not reported'})`) } };
    }
    // The DINE policy and the portal act only on Eligible machines: Ineligible is ESU.Machine.Eligibility's to explain.
    const eligibility = machine.esu.esuEligibility?.toLowerCase();
    if (eligibility === 'ineligible') return undefined;
    if (eligibility === 'unknown') return { key: 'PassedWithWarning.EligibilityUnknown', evidence: { ...link, ...programEvidence(standing), esuEligibility: machine.esu.esuEligibility } };

    const { serverType, serverTypeBasis } = serverTypeOf(machine);
    const needs = needsOf(machine, serverType, context);
    const target = targetForFamily(machine.osFamily) ?? standing.program.licenseTargets[0] ?? 'unknown';
    const licenses = context.licenses ?? [];
    const candidates = rankCandidates(licenses.flatMap((license) => fitsOf(license, needs, target, context)), needs, MAX_CANDIDATES);
    const pNeed = needs.find((need) => need.type === 'pCore' && need.cores > 0);
    const vNeed = needs.find((need) => need.type === 'vCore');
    const first = needs[0] ?? { type: 'pCore', cores: context.settings.pCoreMinimum, editions: ['standard'] };
    const createLicenseName = `esu-${machine.name}`;
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
      licensesConsidered: licenses.length,
      candidateLicenseIds: candidates.map((c) => c.license.id),
      candidateLicenseNames: candidates.map((c) => c.license.name),
      candidateSpareCores: candidates.map((c) => c.spare),
      candidateTypes: candidates.map((c) => c.need.type),
      candidateAssumptions: candidates.map((c) => c.need.assumption ?? ''),
      createLicenseName,
      createLicenseId: `/subscriptions/${machine.subscriptionId}/resourceGroups/${machine.resourceGroup}/providers/Microsoft.HybridCompute/licenses/${createLicenseName}`,
      createType: first.type,
      // vCore licenses are Standard even for a Datacenter OS (license guidelines, Important box).
      createEdition: first.type === 'vCore' || serverType !== 'Datacenter' ? 'Standard' : 'Datacenter',
      createProcessors: first.cores > 0 ? first.cores : context.settings.pCoreMinimum,
    };
    if (standing.phase === 'upcoming') {
      return { key: candidates.length > 0 ? 'PassedWithWarning.NotAssignedBeforeDeadline' : 'PassedWithWarning.NoLicenseAvailableBeforeDeadline', evidence };
    }
    return { key: candidates.length > 0 ? 'Failed.NotAssigned' : 'Failed.NoLicenseAvailable', evidence };
  },
  remediation: {
    jobType: 'link-license',
    onWarning: (outcome) => outcome.key.endsWith('BeforeDeadline'),
    withoutJob: (outcome) => outcome.key.includes('LicenseCannotDeliver'),
    commands: (machine, outcome) => {
      const e = outcome.evidence ?? {};
      const link = (licenseId: string) => linkLicenseCliCommand(machine, licenseId);
      const candidates = Array.isArray(e['candidateLicenseIds']) ? e['candidateLicenseIds'].map(String) : [];
      if (candidates.length > 0) return candidates.map(link);
      const name = text(e['createLicenseName'], `esu-${machine.name}`);
      const licenseId = text(e['createLicenseId'], `/subscriptions/${machine.subscriptionId}/resourceGroups/${machine.resourceGroup}/providers/Microsoft.HybridCompute/licenses/${name}`);
      const spec = {
        name,
        target: text(e['target'], 'Windows Server 2012 R2'),
        edition: text(e['createEdition'], 'Standard'),
        type: text(e['createType'], 'pCore'),
        processors: typeof e['createProcessors'] === 'number' ? e['createProcessors'] : 16,
      };
      return [
        ...createLicenseCommands(machine, spec, { machine }).filter((command) => command.shell === 'az'),
        link(licenseId),
      ];
    },
  },
});

function text(value: unknown, fallback: string): string {
  return typeof value === 'string' && value.length > 0 ? value : fallback;
}

function unlinkedText(e: Readonly<Record<string, unknown>>): string {
  return `No ESU license is linked to this machine (licenseAssignmentState ${e['licenseAssignmentState']})`;
}

function candidatesAdvice(e: Readonly<Record<string, unknown>>): string {
  return `It needs ${needText(e)}. Activated licenses of this subscription with room for it, best fit first: ${candidateText(e)} ` +
    '(spare cores as far as the machines of this subscription read so far show).';
}

function createAdvice(e: Readonly<Record<string, unknown>>): string {
  return `It needs ${needText(e)}, and ${e['licensesConsidered'] === 0 ? 'this subscription has no ESU license' : `none of the ${e['licensesConsidered']} licenses of this subscription fits (activated, matching target, type and edition, enough spare cores)`}: ` +
    `create ${e['createLicenseName']} (${e['createEdition']} ${e['createType']}, ${e['createProcessors']} cores) with target ${e['target']} and link it.` +
    (e['hostType'] === 'Virtual' && e['serverType'] === 'Datacenter'
      ? ' vCore licenses are always Standard, even for a Datacenter VM; a Datacenter pCore license covering all physical cores of its host is the alternative (Arc does not report host cores).'
      : '');
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

function candidateText(e: Readonly<Record<string, unknown>>): string {
  const names = Array.isArray(e['candidateLicenseNames']) ? e['candidateLicenseNames'] : [];
  const spare = Array.isArray(e['candidateSpareCores']) ? e['candidateSpareCores'] : [];
  const assumptions = Array.isArray(e['candidateAssumptions']) ? e['candidateAssumptions'] : [];
  return names.map((name, index) => `${name} (${spare[index]} spare cores${typeof assumptions[index] === 'string' && assumptions[index] !== '' ? `; ${assumptions[index]}` : ''})`).join(', ');
}
