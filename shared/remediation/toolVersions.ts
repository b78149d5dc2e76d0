import type { RemediationCommand } from '../domain/findings.js';
import { contractsOf } from './commandCheck.js';
import { TOOL_VERSIONS, type ToolId } from './contracts.js';

/** The tool versions a job's commands were checked against, in the order the commands use them. */
export function checkedWithOf(commands: readonly RemediationCommand[]): string[] {
  const tools = new Set<ToolId>(commands.flatMap((command) => contractsOf(command).map((contract) => contract.tool)));
  // The extension's line already names the Azure CLI version it needs.
  if (tools.has('connectedmachine')) tools.delete('azure-cli');
  return [...tools].map((tool) => TOOL_VERSIONS[tool]);
}
