import type { BuiltCommand, ToolId } from './tools.js';
import { parseResourceId } from '../domain/resourceId.js';
import { agentUpgradeOnMachine, azcmagentOnMachine, WINDOWS_ESU_LICENSE_RESET, windowsPkiReachability } from './agentInstall.js';
import { azAssessPatches, azInstallEsuPatches, azPolicyAssign, azLicenseCreate, azLicenseDelete, azLicenseShow, azLicenseUpdate, azLinkLicense, azMachineLocation, azMachineShow, azProviderRegister, cliAcceptsTarget } from './azCli.js';
import { psEnableAssessment, psInstallEsuPatches, psGetLicense, psLinkLicense, psMachineLocation, psNewLicense, psRegisterProvider, psShowMachine } from './azPowerShell.js';
import { enableAssessmentCall, machineRegion, patchLicenseCalls, putLicenseCalls, unlinkLicenseCalls, type Region } from './azRest.js';
import { psArg, shArg, shQuote } from './quoting.js';
import { osKindOf, type LicenseRef, type MachineRef } from './refs.js';

/**
 * The fix of each job, from plain facts (names, resource group, subscription, region, OS, target). The
 * rules' `remediation` blocks call these; every command string lives under `shared/remediation/`.
 * Builders return commands in order; what may refuse them (a Deny policy) is the job's `blockedBy`, set in scan/evaluate.ts.
 */

/** Reads one value back from Azure after a fix. */
const readBack = (machine: MachineRef, query: string): BuiltCommand => ({ shell: 'az', command: azMachineShow(machine, query, 'tsv'), tools: ['connectedmachine'] });

/** Upgrade the agent on the machine (per OS), then read back the version Azure reports. */
export function upgradeAgentCommands(machine: MachineRef): BuiltCommand[] {
  return [...agentUpgradeOnMachine(machine), readBack(machine, 'agentVersion')];
}

/** Unlink the machine's ESU license, keeping its license profile. */
export function unlinkLicenseCommands(machine: MachineRef): BuiltCommand[] {
  return unlinkLicenseCalls(machine);
}

/** Link the machine to a license (both tools). */
export function linkLicenseCommands(machine: MachineRef, licenseId: string): BuiltCommand[] {
  return [azLinkLicense(machine, licenseId), psLinkLicense(machine, licenseId)];
}

/** Read what Azure reports of the machine's hardware: what licensing needs to size its license. */
export function reportCoresCommands(machine: MachineRef): BuiltCommand[] {
  return [{ shell: 'az', command: azMachineShow(machine, '{model: detectedProperties.model, coreCount: detectedProperties.coreCount, logicalCoreCount: detectedProperties.logicalCoreCount, processors: hardwareProfile.processors}'), tools: ['connectedmachine'] }];
}

/** Link through the CLI only (jobs that list one alternative per candidate license). */
export const linkLicenseCliCommand = azLinkLicense;

export interface LicenseSpec {
  readonly name: string;
  readonly target: string;
  readonly edition: string;
  readonly type: string;
  readonly processors: number;
  readonly state?: string;
}

/**
 * Create an ESU license. Targets the released CLI extension accepts (the 2012 ones) get
 * `az connectedmachine license create` and `New-AzConnectedLicense`; others (`Windows Server 2016`) get a
 * PUT with Microsoft's documented body, at an api-version that accepts the target. Without a known
 * `location`, the region is read at run time from `regionOf` (the machine, or the license replaced).
 */
export function createLicenseCommands(
  scope: Pick<LicenseRef, 'resourceGroup' | 'subscriptionId'> & { readonly location?: string | undefined },
  spec: LicenseSpec,
  regionOf: { readonly machine: MachineRef } | { readonly license: Pick<LicenseRef, 'name' | 'resourceGroup' | 'subscriptionId'> },
): BuiltCommand[] {
  const state = spec.state ?? 'Activated';
  const region: Region = scope.location
    ? { known: scope.location, az: shArg(scope.location), powershell: psArg(scope.location) }
    : 'license' in regionOf
      ? { az: `$(${azLicenseShow(regionOf.license, 'location')})`, powershell: `${psGetLicense(regionOf.license)}.Location` }
      : machineRegion(regionOf.machine);
  const license = { name: spec.name, resourceGroup: scope.resourceGroup, subscriptionId: scope.subscriptionId };
  const details = { state, target: spec.target, edition: spec.edition, type: spec.type, processors: spec.processors };
  if (!cliAcceptsTarget(spec.target)) return putLicenseCalls(license, region, details);
  const values = { ...license, ...details };
  return [
    azLicenseCreate({ ...values, locationArg: region.known ? region.az : `"${region.az}"` }),
    psNewLicense({ ...values, locationArg: region.powershell, targetArg: psArg(spec.target) }),
  ];
}

/** Change a license's state or core count: the CLI's update, and a PATCH (no `Update-AzConnectedLicense` exists). */
export function updateLicenseCommands(license: LicenseRef, change: { readonly state?: string; readonly processors?: number }): BuiltCommand[] {
  const [, powershell] = patchLicenseCalls(license, change);
  const cli = cliAcceptsTarget(license.target ?? 'Windows Server 2012') ? azLicenseUpdate(license, change) : patchLicenseCalls(license, change)[0]!;
  return [cli, powershell!];
}

/** Deactivate a license, then delete it (a license of an ended program). */
export function deactivateLicenseCommands(license: LicenseRef): BuiltCommand[] {
  return [...updateLicenseCommands(license, { state: 'Deactivated' }), azLicenseDelete(license)];
}

export function registerProviderCommands(subscriptionId: string, namespace: string): BuiltCommand[] {
  return [azProviderRegister(subscriptionId, namespace), psRegisterProvider(subscriptionId, namespace)];
}

/** The connection state Azure reports (the show output flattens `properties`). */
const connectionFacts = (machine: MachineRef): BuiltCommand => ({
  shell: 'az',
  command: azMachineShow(machine, '{status:status, lastStatusChange:lastStatusChange, errorDetails:errorDetails, location:location}'),
  tools: ['connectedmachine'],
});

/** Connection facts as Azure reports them, then the agent's own view on the machine. */
export function reconnectCommands(machine: MachineRef): BuiltCommand[] {
  return [
    connectionFacts(machine),
    azcmagentOnMachine(machine, ['show', 'check']),
  ];
}

/** Re-onboard an expired machine; re-link its license (re-onboarding recreates the resource without it). */
export function reonboardCommands(machine: MachineRef, licenseId: string | undefined): BuiltCommand[] {
  // The region: known, else read at run time (a PowerShell variable on Windows, a substitution in bash).
  const linux = osKindOf(machine) === 'linux';
  const location = machine.location ? shArg(machine.location) : linux ? azMachineLocation(machine) : '$location';
  const connect = `connect --subscription-id ${shArg(machine.subscriptionId)} --resource-group ${shArg(machine.resourceGroup)} --location ${location}`;
  const prelude = machine.location || linux ? undefined : `$location = ${psMachineLocation(machine)}`;
  const reads: ToolId[] = machine.location ? [] : linux ? ['connectedmachine'] : ['az-connectedmachine'];
  const withLocation = azcmagentOnMachine(machine, ['disconnect', connect], prelude, reads);
  return [
    connectionFacts(machine),
    withLocation,
    ...(licenseId ? [azLinkLicense(machine, licenseId)] : []),
  ];
}

/** ESU activation failing on a Windows machine: PKI reachability, stale license file, then the key state. */
export function esuActivationCommands(machine: MachineRef): BuiltCommand[] {
  const onMachine = osKindOf(machine) === 'linux' ? [] : [windowsPkiReachability(), WINDOWS_ESU_LICENSE_RESET];
  return [...onMachine, readBack(machine, 'licenseProfile.esuProfile.esuKeyState')];
}

/** Turn on periodic patch assessment, then assess once now. */
export function patchAssessmentCommands(machine: MachineRef): BuiltCommand[] {
  return [enableAssessmentCall(machine), psEnableAssessment(machine), azAssessPatches(machine)];
}

/** Assess the machine's patches now (Update Manager), then read the assessment back from Resource Graph. */
export function assessPatchesCommands(machine: MachineRef): BuiltCommand[] {
  return [azAssessPatches(machine), ...assessmentReadBack(machine)];
}

/** Install the pending security and critical updates once (Update Manager one-time update), then assess again. */
export function installEsuPatchesCommands(machine: MachineRef): BuiltCommand[] {
  return [azInstallEsuPatches(machine), psInstallEsuPatches(machine), azAssessPatches(machine)];
}

/** Assign the built-in ESU patch policy at the machine's subscription (machine configuration reports per machine). */
export function assignEsuPatchPolicyCommands(machine: MachineRef, definitionId: string): BuiltCommand[] {
  const definitionName = definitionId.split('/').at(-1) ?? definitionId;
  return [azPolicyAssign(machine.subscriptionId, 'esu-patches-installed', definitionName)];
}

/** The machine's latest assessment as Resource Graph has it (what the scanner reads). */
function assessmentReadBack(machine: MachineRef): BuiltCommand[] {
  const id = `/subscriptions/${machine.subscriptionId}/resourceGroups/${machine.resourceGroup}/providers/Microsoft.HybridCompute/machines/${machine.name}`.toLowerCase();
  const query = `patchassessmentresources | where type =~ 'microsoft.hybridcompute/machines/patchassessmentresults' and id startswith '${id.replaceAll("'", "")}/' | project id, properties.status, properties.lastModifiedDateTime, properties.availablePatchCountByClassification`;
  return [{ shell: 'az', command: `az graph query --graph-query ${shQuote(query)} --subscriptions ${shArg(machine.subscriptionId)}`, tools: ['resource-graph'] }];
}

/** What the machine runs now and what it is licensed for, to plan a migration. */
export function osReviewCommands(machine: MachineRef): BuiltCommand[] {
  return [
    { shell: 'az', command: azMachineShow(machine, '{osName:osName, osVersion:osVersion, osSku:osSku, licenseProfile:licenseProfile}'), tools: ['connectedmachine'] },
    psShowMachine(machine),
  ];
}

const KNOWN_TARGETS = ['Windows Server 2012', 'Windows Server 2012 R2', 'Windows Server 2016'];

/**
 * A new license next to `old` (same subscription, resource group, region and target), activated: edition
 * and core type cannot change on an existing license. An unreadable target is copied at run time.
 */
export function replaceLicenseCommands(old: LicenseRef, replacement: Omit<LicenseSpec, 'target' | 'state'>): BuiltCommand[] {
  const target = KNOWN_TARGETS.find((known) => known.toLowerCase() === String(old.target ?? '').trim().toLowerCase());
  if (target) return createLicenseCommands(old, { ...replacement, target }, { license: old });
  const commands = createLicenseCommands(old, { ...replacement, target: 'Windows Server 2012' }, { license: old });
  const fromOld = { az: `"$(${azLicenseShow(old, 'licenseDetails.target')})"`, powershell: `${psGetLicense(old)}.DetailTarget` };
  return commands.map((command) => ({ ...command, command: command.command.replace(command.shell === 'az' ? `--target 'Windows Server 2012'` : `-LicenseDetailTarget 'Windows Server 2012'`, command.shell === 'az' ? `--target ${fromOld.az}` : `-LicenseDetailTarget ${fromOld.powershell}`) }));
}

/** Link a machine named by its resource id (both tools). */
export function linkLicenseByIdCommands(machineId: string, licenseId: string): BuiltCommand[] {
  const machine = parseResourceId(machineId);
  return linkLicenseCommands({ name: machine.name, resourceGroup: machine.resourceGroup, subscriptionId: machine.subscriptionId }, licenseId);
}
