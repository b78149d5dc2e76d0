import { API_VERSIONS, type BuiltCommand } from './tools.js';
import { azMachineShow } from './azCli.js';
import { psMachineLocation } from './azPowerShell.js';
import { psQuote, shQuote } from './quoting.js';
import { licenseIdOf, machineIdOf, type LicenseRef, type MachineRef } from './refs.js';

/**
 * ARM calls through `az rest` (bash) and `Invoke-AzRestMethod` (PowerShell), for what the CLI and the Az
 * modules cannot say. URLs and bodies are always quoted (`?` and `&` are special to shells).
 */

export type HttpMethod = 'put' | 'patch';

const ARM = 'https://management.azure.com';

export function azRest(method: HttpMethod, path: string, apiVersion: string, body: unknown): BuiltCommand {
  return { shell: 'az', command: `az rest --method ${method} --url ${shQuote(`${ARM}${path}?api-version=${apiVersion}`)} --body ${shQuote(JSON.stringify(body))}`, tools: ['azure-cli'] };
}

export function invokeAzRest(method: HttpMethod, path: string, apiVersion: string, body: unknown): BuiltCommand {
  return { shell: 'powershell', command: `Invoke-AzRestMethod -Method ${method.toUpperCase()} -Path ${psQuote(`${path}?api-version=${apiVersion}`)} -Payload ${psQuote(JSON.stringify(body))}`, tools: ['az-accounts'] };
}

/** Both tools, same call. */
export function armCall(method: HttpMethod, path: string, apiVersion: string, body: unknown): BuiltCommand[] {
  return [azRest(method, path, apiVersion, body), invokeAzRest(method, path, apiVersion, body)];
}

/** The api-version that accepts the license's target (2016 targets need a newer one). */
export function licenseApiVersion(target: string | undefined): string {
  return /2016/.test(target ?? '') ? API_VERSIONS.licensesWs2016 : API_VERSIONS.licenses;
}

/** How the region goes into a body: known, or read at run time (a bash substitution and a PowerShell expression). */
export interface Region {
  readonly known?: string | undefined;
  readonly az: string;
  readonly powershell: string;
}

/** The machine's region, known or read at run time. */
export function machineRegion(machine: MachineRef): Region {
  return { known: machine.location, az: `$(${azMachineShow(machine, 'location', 'tsv')})`, powershell: psMachineLocation(machine) };
}

const REGION_SLOT = '@region@';

/** An ARM call whose body starts with `"location"`: quoted JSON when the region is known, else built at run time. */
export function armCallInRegion(method: HttpMethod, path: string, apiVersion: string, region: Region, rest: Readonly<Record<string, unknown>>): BuiltCommand[] {
  if (region.known) return armCall(method, path, apiVersion, { location: region.known, ...rest });
  const [left = '', right = ''] = JSON.stringify({ location: REGION_SLOT, ...rest }).split(REGION_SLOT);
  const bashBody = `"${left.replaceAll('"', '\\"')}${region.az}${right.replaceAll('"', '\\"')}"`;
  return [
    // The region is read at run time with `az connectedmachine` and Get-AzConnectedMachine / Get-AzConnectedLicense.
    { shell: 'az', command: `az rest --method ${method} --url ${shQuote(`${ARM}${path}?api-version=${apiVersion}`)} --body ${bashBody}`, tools: ['azure-cli', 'connectedmachine'] },
    { shell: 'powershell', command: `Invoke-AzRestMethod -Method ${method.toUpperCase()} -Path ${psQuote(`${path}?api-version=${apiVersion}`)} -Payload (${psQuote(left)} + ${region.powershell} + ${psQuote(right)})`, tools: ['az-accounts', 'az-connectedmachine'] },
  ];
}

/**
 * Unlinks the machine's ESU license: a PUT of `licenseProfiles/default` in the machine's region with an
 * empty ESU profile, the body Microsoft documents ("Unlink a license", api-extended-security-updates).
 * The profile itself is kept; deleting it would also remove software assurance and the product profile.
 */
export function unlinkLicenseCalls(machine: MachineRef): BuiltCommand[] {
  const softwareAssurance = machine.softwareAssuranceCustomer === undefined ? {} : { softwareAssurance: { softwareAssuranceCustomer: machine.softwareAssuranceCustomer } };
  return armCallInRegion('put', `${machineIdOf(machine)}/licenseProfiles/default`, API_VERSIONS.licenses, machineRegion(machine), { properties: { esuProfile: {}, ...softwareAssurance } });
}

/** Creates (PUT) a license with the documented body; the route for targets the CLI does not accept. */
export function putLicenseCalls(license: LicenseRef, region: Region, details: { readonly state: string; readonly target: string; readonly edition: string; readonly type: string; readonly processors: number }): BuiltCommand[] {
  return armCallInRegion('put', licenseIdOf(license), licenseApiVersion(details.target), region, { properties: { licenseType: 'ESU', licenseDetails: details } });
}

/** Changes some license details (PATCH: a subset may be given, per Microsoft's "Modify a license"). */
export function patchLicenseCalls(license: LicenseRef, change: { readonly state?: string; readonly processors?: number }): BuiltCommand[] {
  return armCall('patch', licenseIdOf(license), licenseApiVersion(license.target), { properties: { licenseDetails: change } });
}

/** Turns on periodic patch assessment (Azure Update Manager) for a Windows machine. */
export function enableAssessmentCall(machine: MachineRef): BuiltCommand {
  return azRest('patch', machineIdOf(machine), API_VERSIONS.machines, { properties: { osProfile: { windowsConfiguration: { patchSettings: { assessmentMode: 'AutomaticByPlatform' } } } } });
}
