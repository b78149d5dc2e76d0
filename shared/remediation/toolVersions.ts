import type { RemediationCommand } from '../domain/findings.js';
import { contractsOf } from './commandCheck.js';
import { TOOL_VERSIONS, type ToolId } from './contracts.js';

/**
 * Answers by the commands' shape: which contract a statement meets depends on its program and command path
 * (the words before its first `-` option), never on the values after them, so jobs that differ only in names
 * and ids (one per machine) share one answer instead of each parsing its commands again.
 */
const byShape = new Map<string, readonly string[]>();
const MAX_SHAPES = 2_000;

/** The tool versions a job's commands were checked against, in the order the commands use them. */
export function checkedWithOf(commands: readonly RemediationCommand[]): readonly string[] {
  const shape = commands.map((command) => `${command.shell}\u0000${commandPaths(command.command)}`).join('\u0001');
  const known = byShape.get(shape);
  if (known) return known;
  const tools = new Set<ToolId>(commands.flatMap((command) => contractsOf(command).map((contract) => contract.tool)));
  // The extension's line already names the Azure CLI version it needs.
  if (tools.has('connectedmachine')) tools.delete('azure-cli');
  const versions = Object.freeze([...tools].map((tool) => TOOL_VERSIONS[tool]));
  if (byShape.size < MAX_SHAPES) byShape.set(shape, versions);
  return versions;
}

/** Each piece between statement separators, cut at its first option: what decides the contracts it meets. */
function commandPaths(text: string): string {
  return text.split(/[;|&\n]+/).map((piece) => {
    const words = piece.trim().split(/\s+/);
    const firstOption = words.findIndex((word) => word.startsWith('-'));
    return (firstOption < 0 ? words : words.slice(0, firstOption)).join(' ');
  }).join('\u0002');
}
