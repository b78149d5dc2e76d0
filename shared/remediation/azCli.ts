import { CLI_LICENSE_TARGETS, type BuiltCommand } from './tools.js';
import { shArg } from './quoting.js';
import type { LicenseRef, MachineRef } from './refs.js';

/** Azure CLI commands (core and the connectedmachine extension), as their contracts in `test/support/commands/contracts.ts` define them. */

type Scoped = Pick<MachineRef, 'resourceGroup' | 'subscriptionId'>;

const scope = (ref: Scoped): string => `--resource-group ${shArg(ref.resourceGroup)} --subscription ${shArg(ref.subscriptionId)}`;

/**
 * `az connectedmachine show` with a JMESPath query. The command flattens `properties` in its output, so
 * paths are `agentVersion`, `status`, `licenseProfile.esuProfile...`, never `properties.x`.
 */
export function azMachineShow(machine: MachineRef, query: string, output?: 'tsv'): string {
  return `az connectedmachine show --name ${shArg(machine.name)} ${scope(machine)} --query ${shArg(query)}${output ? ` --output ${output}` : ''}`;
}

/** The machine's region as a bash substitution, for commands that need it when the scan did not see it. */
export function azMachineLocation(machine: MachineRef): string {
  return machine.location ? shArg(machine.location) : `"$(${azMachineShow(machine, 'location', 'tsv')})"`;
}

/** `az connectedmachine license show` (licenseDetails is not flattened there). */
export function azLicenseShow(license: Pick<LicenseRef, 'name' | 'resourceGroup' | 'subscriptionId'>, query: string): string {
  return `az connectedmachine license show --name ${shArg(license.name)} ${scope(license)} --query ${shArg(query)} --output tsv`;
}

/** True when the released CLI extension's `--target` enum accepts the target. */
export function cliAcceptsTarget(target: string): boolean {
  return (CLI_LICENSE_TARGETS as readonly string[]).includes(target);
}

export interface NewLicense {
  readonly name: string;
  readonly resourceGroup: string;
  readonly subscriptionId: string;
  /** A region, or a substitution that prints one. */
  readonly locationArg: string;
  readonly target: string;
  readonly edition: string;
  readonly type: string;
  readonly processors: number;
  readonly state: string;
}

/** `az connectedmachine license create`; only for targets the CLI accepts (see {@link cliAcceptsTarget}). */
export function azLicenseCreate(license: NewLicense): BuiltCommand {
  return {
    shell: 'az',
    command:
      `az connectedmachine license create --license-name ${shArg(license.name)} ${scope(license)} --location ${license.locationArg} ` +
      `--license-type ESU --state ${license.state} --target ${shArg(license.target)} --edition ${license.edition} --type ${license.type} --processors ${license.processors}`,
    // A region or target read at run time is read with `az connectedmachine` too.
    tools: ['connectedmachine'],
  };
}

/** `az connectedmachine license update` with only the given changes. */
export function azLicenseUpdate(license: LicenseRef, change: { readonly state?: string; readonly processors?: number }): BuiltCommand {
  const changes = [change.state ? `--state ${change.state}` : '', change.processors !== undefined ? `--processors ${change.processors}` : ''].filter(Boolean).join(' ');
  return { shell: 'az', command: `az connectedmachine license update --name ${shArg(license.name)} ${scope(license)} ${changes}`, tools: ['connectedmachine'] };
}

/** Deletes a license (after deactivation; billing stops with the deactivation, the resource with this). */
export function azLicenseDelete(license: Pick<LicenseRef, 'name' | 'resourceGroup' | 'subscriptionId'>): BuiltCommand {
  return { shell: 'az', command: `az connectedmachine license delete --name ${shArg(license.name)} ${scope(license)} --yes`, tools: ['connectedmachine'] };
}

/** Links the machine to a license: `license-profile create --name default` in the machine's region. */
export function azLinkLicense(machine: MachineRef, licenseId: string): BuiltCommand {
  return {
    shell: 'az',
    command:
      `az connectedmachine license-profile create --name default --machine-name ${shArg(machine.name)} ${scope(machine)} --location ${azMachineLocation(machine)} --assigned-license ${shArg(licenseId)}` +
      (machine.softwareAssuranceCustomer === undefined ? '' : ` --software-assurance-customer ${machine.softwareAssuranceCustomer}`),
    tools: ['connectedmachine'],
  };
}

export function azAssessPatches(machine: MachineRef): BuiltCommand {
  return { shell: 'az', command: `az connectedmachine assess-patches --name ${shArg(machine.name)} ${scope(machine)}`, tools: ['connectedmachine'] };
}

/**
 * Update Manager's one-time update of the security and critical classifications (the ESU updates), rebooting
 * only when an update needs it. `--windows-parameters` is an object argument: shorthand keys are its
 * sub-options (`classifications-to-include`).
 */
export function azInstallEsuPatches(machine: MachineRef): BuiltCommand {
  return {
    shell: 'az',
    command: `az connectedmachine install-patches --name ${shArg(machine.name)} ${scope(machine)} --maximum-duration PT4H --reboot-setting IfRequired --windows-parameters ${shArg('{classifications-to-include:[Critical,Security]}')}`,
    tools: ['connectedmachine'],
  };
}

/** Assigns a built-in policy definition (by its name, the GUID) at a subscription. */
export function azPolicyAssign(subscriptionId: string, assignmentName: string, definitionName: string): BuiltCommand {
  return { shell: 'az', command: `az policy assignment create --name ${shArg(assignmentName)} --policy ${shArg(definitionName)} --scope ${shArg(`/subscriptions/${subscriptionId}`)}`, tools: ['azure-cli'] };
}

export function azProviderRegister(subscriptionId: string, namespace: string): BuiltCommand {
  return { shell: 'az', command: `az provider register --namespace ${shArg(namespace)} --subscription ${shArg(subscriptionId)} --wait`, tools: ['azure-cli'] };
}
