import type { RemediationCommand } from '../domain/findings.js';

/**
 * What the command builders know of the tools their commands use, and the facts Microsoft may change that the
 * commands carry (api-versions, the CLI's license targets). The contracts that check every command against the
 * tools' definitions are test oracles (test/support/commands/contracts.ts) and do not ship.
 */

export type Shell = 'az' | 'powershell' | 'bash';

export type ToolId = 'azure-cli' | 'connectedmachine' | 'resource-graph' | 'az-connectedmachine' | 'az-accounts' | 'az-resources' | 'azcmagent' | 'windows' | 'linux';

/** The tool versions a job's commands were checked against, in words (shown in jobs and on rule pages). */
export const TOOL_VERSIONS: Readonly<Record<ToolId, string>> = {
  'azure-cli': 'Azure CLI ≥ 2.57',
  connectedmachine: 'Azure CLI ≥ 2.57 with the connectedmachine extension ≥ 1.1.0',
  'resource-graph': 'Azure CLI with the resource-graph extension',
  'az-connectedmachine': 'Az.ConnectedMachine ≥ 1.0.0',
  'az-accounts': 'Az.Accounts (Invoke-AzRestMethod, Set-AzContext)',
  'az-resources': 'Az.Resources (Register-AzResourceProvider, New-AzRoleAssignment, Update-AzTag)',
  azcmagent: 'Azure Connected Machine agent (azcmagent) ≥ 1.34',
  windows: 'Windows PowerShell ≥ 3.0 (as on Windows Server 2012)',
  linux: 'bash with apt, yum or zypper',
};

/** ARM api-versions the `az rest` / `Invoke-AzRestMethod` commands use. */
export const API_VERSIONS = {
  /** First stable version with licenses and license profiles (azure-rest-api-specs stable/2024-07-10). */
  licenses: '2024-07-10',
  /** First stable version whose license `target` accepts `Windows Server 2016` (esu-domain "Resources and fields"). */
  licensesWs2016: '2026-07-15',
  machines: '2024-07-10',
} as const;

/** The license targets `az connectedmachine license create --target` accepts in released extension versions. */
export const CLI_LICENSE_TARGETS = ['Windows Server 2012', 'Windows Server 2012 R2'] as const;

/** A command as its builder made it: what people run, and the tools it calls in the order it calls them. */
export interface BuiltCommand extends RemediationCommand {
  readonly tools: readonly ToolId[];
}

/** A command and the tools it calls (a builder's one place to say both). */
export function built(shell: Shell, command: string, tools: readonly ToolId[]): BuiltCommand {
  return { shell, command, tools };
}

/** What people are handed: the command without the builder's bookkeeping. */
export function handedOut(command: BuiltCommand): RemediationCommand {
  return { shell: command.shell, command: command.command };
}

/** The tool versions a job's commands were checked against, in the order the commands use them. */
export function checkedWithOf(commands: readonly BuiltCommand[]): readonly string[] {
  const tools = new Set<ToolId>(commands.flatMap((command) => command.tools));
  // The extension's line already names the Azure CLI version it needs.
  if (tools.has('connectedmachine')) tools.delete('azure-cli');
  return [...tools].map((tool) => TOOL_VERSIONS[tool]);
}
