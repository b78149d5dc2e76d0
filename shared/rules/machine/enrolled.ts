import type { EsuLicense } from '../../domain/license.js';
import type { EvaluationContext, MachineSubject } from '../context.js';
import { defineRule } from '../rule.js';
import { targetForFamily } from '../../programs/program.js';
import { deadlineText, deliveryProgram, freeEnvironmentFor, programEvidence } from '../programFacts.js';
import { esuProfileMissing, isKnownAssignmentState, linkEvidence, linkedLicenseLabel } from './licenseLinkFacts.js';

type CoreType = 'pCore' | 'vCore';
type ServerType = 'Datacenter' | 'Standard' | 'unknown';

/** What a license must offer this machine: a core type and the cores it claims on that license. */
interface Need {
  readonly type: CoreType;
  readonly cores: number;
}

interface Candidate {
  readonly license: EsuLicense;
  readonly spare: number;
  readonly leftover: number;
}

const MAX_CANDIDATES = 3;

/**
 * An in-scope machine outside its program's free environments needs an ESU license of its program's target
 * linked (seed 000, "ESU の登録"; Microsoft "Deliver ESUs": a server linked to an activated license is
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
    'PassedWithWarning.NoEsuProfile': () =>
      'The machine reports no ESU profile (properties.licenseProfile.esuProfile), so whether an ESU license is linked cannot be verified.',
    'PassedWithWarning.UnknownState': (e) =>
      `The license assignment state "${e['licenseAssignmentState']}" is neither Assigned nor NotAssigned, and no license is named; enrolment cannot be verified.`,
  },
  evaluate(machine: MachineSubject, context: EvaluationContext) {
    const standing = deliveryProgram(machine, context);
    if (!standing || freeEnvironmentFor(machine, standing.program) !== undefined) return undefined;
    const link = linkEvidence(machine);
    if (machine.link.assigned) return { key: 'Passed', evidence: link };
    if (esuProfileMissing(machine)) return { key: 'PassedWithWarning.NoEsuProfile', evidence: link };
    const state = machine.esu.licenseAssignmentState;
    if (state !== undefined && !isKnownAssignmentState(state)) return { key: 'PassedWithWarning.UnknownState', evidence: link };

    const { serverType, serverTypeBasis } = serverTypeOf(machine);
    const needs = needsOf(machine, serverType, context);
    const target = targetForFamily(machine.osFamily) ?? standing.program.licenseTargets[0] ?? 'unknown';
    const licenses = context.licenses ?? [];
    const candidates = licenses
      .flatMap((license) => fit(license, needs, serverType, target, context))
      .sort((a, b) => a.leftover - b.leftover || a.license.name.localeCompare(b.license.name))
      .slice(0, MAX_CANDIDATES);
    const pNeed = needs.find((need) => need.type === 'pCore');
    const vNeed = needs.find((need) => need.type === 'vCore');
    const first = needs[0] ?? { type: 'pCore', cores: context.settings.pCoreMinimum };
    const createLicenseName = `esu-${machine.name}`;
    // Field by field, not `...link`: this runs for every unlinked machine (see domain/everyField.ts).
    const evidence = {
      ...programEvidence(standing),
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
      requiredEdition: serverType === 'Datacenter' ? 'Datacenter' : 'Standard or Datacenter',
      licensesConsidered: licenses.length,
      candidateLicenseIds: candidates.map((c) => c.license.id),
      candidateLicenseNames: candidates.map((c) => c.license.name),
      candidateSpareCores: candidates.map((c) => c.spare),
      createLicenseName,
      createLicenseId: `/subscriptions/${machine.subscriptionId}/resourceGroups/${machine.resourceGroup}/providers/Microsoft.HybridCompute/licenses/${createLicenseName}`,
      createType: first.type,
      createEdition: serverType === 'Datacenter' ? 'Datacenter' : 'Standard',
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
    commands: (machine, outcome) => {
      const e = outcome.evidence ?? {};
      const link = (licenseId: string) => ({
        shell: 'az' as const,
        command: `az connectedmachine license-profile create --machine-name ${machine.name} --resource-group ${machine.resourceGroup} --subscription ${machine.subscriptionId} --assigned-license ${licenseId}`,
      });
      const candidates = Array.isArray(e['candidateLicenseIds']) ? e['candidateLicenseIds'].map(String) : [];
      if (candidates.length > 0) return candidates.map(link);
      const name = text(e['createLicenseName'], `esu-${machine.name}`);
      const licenseId = text(e['createLicenseId'], `/subscriptions/${machine.subscriptionId}/resourceGroups/${machine.resourceGroup}/providers/Microsoft.HybridCompute/licenses/${name}`);
      const location = machine.location ?? `$(az connectedmachine show --name ${machine.name} --resource-group ${machine.resourceGroup} --subscription ${machine.subscriptionId} --query location --output tsv)`;
      return [
        {
          shell: 'az',
          command:
            `az connectedmachine license create --license-name ${name} --resource-group ${machine.resourceGroup} --subscription ${machine.subscriptionId} --location ${location} ` +
            `--license-type ESU --state Activated --target "${text(e['target'], 'Windows Server 2012 R2')}" --edition ${text(e['createEdition'], 'Standard')} ` +
            `--type ${text(e['createType'], 'pCore')} --processors ${typeof e['createProcessors'] === 'number' ? e['createProcessors'] : 16}`,
        },
        link(licenseId),
      ];
    },
  },
});

function text(value: unknown, fallback: string): string {
  return typeof value === 'string' && value.length > 0 ? value : fallback;
}

/** `esuProfile.serverType`, else the edition named in `osSku` / `osName`. */
function serverTypeOf(machine: MachineSubject): { serverType: ServerType; serverTypeBasis: string } {
  const reported = machine.esu.serverType?.toLowerCase();
  if (reported === 'datacenter') return { serverType: 'Datacenter', serverTypeBasis: 'esuProfile.serverType' };
  if (reported === 'standard') return { serverType: 'Standard', serverTypeBasis: 'esuProfile.serverType' };
  const name = `${machine.osSku ?? ''} ${machine.osName ?? ''}`.toLowerCase();
  if (name.includes('datacenter')) return { serverType: 'Datacenter', serverTypeBasis: 'osSku/osName' };
  if (name.includes('standard')) return { serverType: 'Standard', serverTypeBasis: 'osSku/osName' };
  return { serverType: 'unknown', serverTypeBasis: 'not reported' };
}

/**
 * pCore for a physical server (max(16, cores)), vCore for a VM (max(8, vCPUs)), either for an unknown host;
 * an unknown count claims the minimum. Datacenter has no vCore licenses: a Datacenter VM is covered by its
 * host's Datacenter pCore license (unlimited VMs), whose host cores Arc does not see, so it claims none.
 */
function needsOf(machine: MachineSubject, serverType: ServerType, context: EvaluationContext): Need[] {
  const { pCoreMinimum, vCoreMinimum } = context.settings;
  const cores = machine.host.cores;
  const pCore: Need = { type: 'pCore', cores: Math.max(pCoreMinimum, cores ?? pCoreMinimum) };
  const vCore: Need = { type: 'vCore', cores: Math.max(vCoreMinimum, cores ?? vCoreMinimum) };
  if (machine.host.type === 'Physical') return [pCore];
  if (machine.host.type === 'Virtual') return serverType === 'Datacenter' ? [{ type: 'pCore', cores: 0 }] : [vCore];
  return serverType === 'Datacenter' ? [pCore] : [pCore, vCore];
}

function fit(license: EsuLicense, needs: readonly Need[], serverType: ServerType, target: string, context: EvaluationContext): Candidate[] {
  if (license.licenseType !== undefined && license.licenseType.toUpperCase() !== 'ESU') return [];
  if (license.state?.toLowerCase() !== 'activated') return [];
  if (license.target !== undefined && normalise(license.target) !== normalise(target)) return [];
  const edition = license.edition?.toLowerCase();
  if (edition !== 'standard' && edition !== 'datacenter') return [];
  if (serverType === 'Datacenter' && edition !== 'datacenter') return [];
  const type = license.type?.toLowerCase();
  if (type === 'vcore' && edition === 'datacenter') return [];
  const need = needs.find((candidate) => candidate.type.toLowerCase() === type);
  if (!need) return [];
  const spare = context.spareCores ? context.spareCores(license) : license.processors;
  if (spare === undefined || !Number.isFinite(spare) || spare < need.cores) return [];
  return [{ license, spare, leftover: spare - need.cores }];
}

function normalise(value: string): string {
  return value.toLowerCase().replace(/\s+/g, ' ').trim();
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
      ? ' A Datacenter VM is covered by a Datacenter pCore license for all physical cores of its host, which Arc does not report: size the license to the host.'
      : '');
}

function needText(e: Readonly<Record<string, unknown>>): string {
  const host = `${e['hostType']} host, ${e['cores'] === null ? 'core count not reported' : `${e['cores']} cores`}`;
  if (e['hostType'] === 'Virtual' && e['serverType'] === 'Datacenter') {
    return `an activated ${e['target']} Datacenter pCore license that covers its host (Datacenter VM, ${host})`;
  }
  const parts: string[] = [];
  if (typeof e['requiredPCores'] === 'number') parts.push(`${e['requiredPCores']} spare pCore cores`);
  if (typeof e['requiredVCores'] === 'number') parts.push(`${e['requiredVCores']} spare vCore cores`);
  return `${parts.join(' or ')} on an activated ${e['target']} license of edition ${e['requiredEdition']} (${host})`;
}

function candidateText(e: Readonly<Record<string, unknown>>): string {
  const names = Array.isArray(e['candidateLicenseNames']) ? e['candidateLicenseNames'] : [];
  const spare = Array.isArray(e['candidateSpareCores']) ? e['candidateSpareCores'] : [];
  return names.map((name, index) => `${name} (${spare[index]} spare cores)`).join(', ');
}
