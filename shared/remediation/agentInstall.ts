import type { BuiltCommand, ToolId } from './tools.js';
import { osKindOf, type MachineRef } from './refs.js';

/**
 * Commands run on the machine itself, per OS (Microsoft Learn, "Manage and maintain the Connected Machine
 * agent"): Windows through the MSI in PowerShell, Linux through its package manager in bash.
 */

const MSI_URL = 'https://aka.ms/AzureConnectedMachineAgent';

/** Windows: download the MSI, install it and wait for msiexec to finish, then print the installed version. */
export const WINDOWS_AGENT_UPGRADE: BuiltCommand = {
  shell: 'powershell',
  command:
    `Invoke-WebRequest -Uri '${MSI_URL}' -OutFile AzureConnectedMachineAgent.msi -UseBasicParsing; ` +
    "Start-Process -FilePath msiexec.exe -ArgumentList '/i AzureConnectedMachineAgent.msi /qn /l*v agent-upgrade.log' -Wait; azcmagent version",
  tools: ['windows', 'azcmagent'],
};

type PackageManager = 'apt' | 'yum' | 'zypper';

/** Refresh the package index, upgrade azcmagent, print the installed version (as root). */
export const LINUX_AGENT_UPGRADE: Readonly<Record<PackageManager, BuiltCommand>> = {
  apt: { shell: 'bash', command: 'sudo apt update && sudo apt upgrade azcmagent && azcmagent version', tools: ['linux', 'azcmagent'] },
  // `yum check-update` exits 100 when updates exist, so it is not chained with &&.
  yum: { shell: 'bash', command: 'sudo yum check-update; sudo yum update azcmagent && azcmagent version', tools: ['linux', 'azcmagent'] },
  zypper: { shell: 'bash', command: 'sudo zypper refresh && sudo zypper update azcmagent && azcmagent version', tools: ['linux', 'azcmagent'] },
};

/** The distribution's package manager from the OS name; undefined when the name does not say. */
export function packageManagerOf(osName: string | undefined): PackageManager | undefined {
  const name = osName?.toLowerCase() ?? '';
  if (/ubuntu|debian/.test(name)) return 'apt';
  if (/suse|sles/.test(name)) return 'zypper';
  if (/red ?hat|rhel|centos|oracle|amazon|rocky|alma|mariner|fedora/.test(name)) return 'yum';
  return undefined;
}

/** The agent upgrade for the machine's OS; both families' commands when the OS is not reported. */
export function agentUpgradeOnMachine(machine: Pick<MachineRef, 'osType' | 'osName'>): BuiltCommand[] {
  const os = osKindOf(machine);
  const linux = () => {
    const manager = packageManagerOf(machine.osName);
    return manager ? [LINUX_AGENT_UPGRADE[manager]] : Object.values(LINUX_AGENT_UPGRADE);
  };
  if (os === 'windows') return [WINDOWS_AGENT_UPGRADE];
  if (os === 'linux') return linux();
  return [WINDOWS_AGENT_UPGRADE, ...linux()];
}

/**
 * `azcmagent` subcommands run in order on the machine: PowerShell on Windows (`prelude` first, e.g. a
 * variable the arguments use), bash as root on Linux, each step only after the previous one succeeded.
 * `reads`: the tools the prelude (PowerShell) or a substitution in the steps (bash) calls to read a value.
 */
export function azcmagentOnMachine(machine: Pick<MachineRef, 'osType' | 'osName'>, steps: readonly string[], prelude?: string, reads: readonly ToolId[] = []): BuiltCommand {
  if (osKindOf(machine) === 'linux') return { shell: 'bash', command: steps.map((step) => `sudo azcmagent ${step}`).join(' && '), tools: ['azcmagent', ...reads] };
  return { shell: 'powershell', command: [...(prelude ? [prelude] : []), ...steps.map((step) => `azcmagent ${step}`)].join('; '), tools: [...reads, 'azcmagent'] };
}

/** Windows only: remove a stale ESU license file and restart the agent (Troubleshoot ESU, "Error: Not eligible (HRESULT 1633)"). */
export const WINDOWS_ESU_LICENSE_RESET: BuiltCommand = {
  shell: 'powershell',
  command: 'Remove-Item "$env:ProgramData\\AzureConnectedMachineAgent\\Certs\\license.json" -Force; Restart-Service himds',
  tools: ['windows'],
};

/** The certificate endpoints ESU activation must reach (Troubleshoot ESU, "Error: Trying to check IMDS again (HRESULT 12002 or 12029)"). */
export const PKI_URLS: readonly string[] = ['http://www.microsoft.com/pkiops/certs', 'https://www.microsoft.com/pkiops/certs'];

/** Windows only: checks that the machine reaches the PKI endpoints ESU activation needs. */
export function windowsPkiReachability(urls: readonly string[] = PKI_URLS): BuiltCommand {
  const list = urls.map((url) => `'${url}'`).join(', ');
  return {
    shell: 'powershell',
    command:
      `[Net.ServicePointManager]::SecurityProtocol = [Net.SecurityProtocolType]::Tls12; foreach ($uri in @(${list})) { ` +
      'try { $null = Invoke-WebRequest -Uri $uri -UseBasicParsing; "$uri reachable" } ' +
      'catch { if ($_.Exception.Response) { "$uri reachable (HTTP $([int]$_.Exception.Response.StatusCode))" } else { "$uri NOT reachable: $($_.Exception.Message)" } } }',
    tools: ['windows'],
  };
}
