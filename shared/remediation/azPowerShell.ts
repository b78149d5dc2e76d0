import type { BuiltCommand } from './tools.js';
import { psArg } from './quoting.js';
import type { MachineRef } from './refs.js';

/** Az PowerShell cmdlets (Az.ConnectedMachine, Az.Resources, Az.Accounts), as their contracts in `test/support/commands/contracts.ts` define them. */

type Scoped = Pick<MachineRef, 'resourceGroup' | 'subscriptionId'>;

const scope = (ref: Scoped): string => `-ResourceGroupName ${psArg(ref.resourceGroup)} -SubscriptionId ${psArg(ref.subscriptionId)}`;

export function psGetMachine(machine: MachineRef): string {
  return `Get-AzConnectedMachine -Name ${psArg(machine.name)} ${scope(machine)}`;
}

/** The machine's region: literal when known, else read with Get-AzConnectedMachine. */
export function psMachineLocation(machine: MachineRef): string {
  return machine.location ? psArg(machine.location) : `(${psGetMachine(machine)}).Location`;
}

export function psGetLicense(license: Pick<MachineRef, 'name' | 'resourceGroup' | 'subscriptionId'>): string {
  return `(Get-AzConnectedLicense -Name ${psArg(license.name)} ${scope(license)})`;
}

export interface NewLicensePs {
  readonly name: string;
  readonly resourceGroup: string;
  readonly subscriptionId: string;
  readonly locationArg: string;
  readonly targetArg: string;
  readonly edition: string;
  readonly type: string;
  readonly processors: number;
  readonly state: string;
}

/** `New-AzConnectedLicense` (Az.ConnectedMachine ≥ 0.8.0); for 2012 targets. */
export function psNewLicense(license: NewLicensePs): BuiltCommand {
  return {
    shell: 'powershell',
    command:
      `New-AzConnectedLicense -Name ${psArg(license.name)} ${scope(license)} -Location ${license.locationArg} ` +
      `-LicenseType ESU -LicenseDetailState ${license.state} -LicenseDetailTarget ${license.targetArg} -LicenseDetailEdition ${license.edition} -LicenseDetailType ${license.type} -LicenseDetailProcessor ${license.processors}`,
    // A region or target read at run time is read with Get-AzConnectedMachine / Get-AzConnectedLicense.
    tools: ['az-connectedmachine'],
  };
}

/** `New-AzConnectedLicenseProfile` linking the machine to a license, in the machine's region. */
export function psLinkLicense(machine: MachineRef, licenseId: string): BuiltCommand {
  return {
    shell: 'powershell',
    command:
      `New-AzConnectedLicenseProfile -MachineName ${psArg(machine.name)} ${scope(machine)} -Location ${psMachineLocation(machine)} -EsuProfileAssignedLicense ${psArg(licenseId)}` +
      (machine.softwareAssuranceCustomer === undefined ? '' : ` -SoftwareAssuranceCustomer:$${machine.softwareAssuranceCustomer}`),
    tools: ['az-connectedmachine'],
  };
}

export function psEnableAssessment(machine: MachineRef): BuiltCommand {
  return { shell: 'powershell', command: `Update-AzConnectedMachine -Name ${psArg(machine.name)} ${scope(machine)} -WindowsConfigurationPatchSettingsAssessmentMode AutomaticByPlatform`, tools: ['az-connectedmachine'] };
}

/** The PowerShell twin of `az connectedmachine install-patches` (security and critical updates, reboot if required). */
export function psInstallEsuPatches(machine: MachineRef): BuiltCommand {
  return {
    shell: 'powershell',
    command: `Install-AzConnectedMachinePatch -Name ${psArg(machine.name)} ${scope(machine)} -MaximumDuration PT4H -RebootSetting IfRequired -WindowParameterClassificationsToInclude Critical,Security`,
    tools: ['az-connectedmachine'],
  };
}

export function psShowMachine(machine: MachineRef): BuiltCommand {
  return { shell: 'powershell', command: `${psGetMachine(machine)} | Format-List *`, tools: ['az-connectedmachine', 'windows'] };
}

export function psRegisterProvider(subscriptionId: string, namespace: string): BuiltCommand {
  return { shell: 'powershell', command: `Set-AzContext -Subscription ${psArg(subscriptionId)}; Register-AzResourceProvider -ProviderNamespace ${psArg(namespace)}`, tools: ['az-accounts', 'az-resources'] };
}
