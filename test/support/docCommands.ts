import type { RemediationCommand } from '../../shared/domain/findings.js';

/**
 * The commands a Markdown document hands to people: its ```bash and ```powershell blocks (also indented ones, inside
 * list items), and the commands of JSON examples.
 */

export interface DocCommand extends RemediationCommand {
  readonly where: string;
}

const FENCE = /^([ \t]*)```(bash|powershell|json)[ \t]*\r?\n([\s\S]*?)^\1```/gm;

/** Logical lines of a shell block: continuations joined, blank lines dropped. */
function logicalLines(block: string, continuation: string): string[] {
  const lines: string[] = [];
  let current = '';
  for (const line of block.split(/\r?\n/)) {
    if (line.trimEnd().endsWith(continuation)) {
      current += `${line.trimEnd().slice(0, -1)} `;
      continue;
    }
    current += line;
    if (current.trim() !== '') lines.push(current.trim());
    current = '';
  }
  return lines;
}

function commandsOfJson(value: unknown, found: RemediationCommand[]): void {
  if (Array.isArray(value)) value.forEach((item) => commandsOfJson(item, found));
  else if (typeof value === 'object' && value !== null) {
    const record = value as Record<string, unknown>;
    if (typeof record['shell'] === 'string' && typeof record['command'] === 'string') {
      found.push({ shell: record['shell'] as RemediationCommand['shell'], command: record['command'] });
    }
    Object.values(record).forEach((item) => commandsOfJson(item, found));
  }
}

export function docCommands(markdown: string, document: string): DocCommand[] {
  const result: DocCommand[] = [];
  for (const match of markdown.matchAll(FENCE)) {
    const [, indent = '', language, indented = ''] = match;
    const body = indent === '' ? indented : indented.split('\n').map((line) => (line.startsWith(indent) ? line.slice(indent.length) : line)).join('\n');
    const where = `${document} line ${markdown.slice(0, match.index).split('\n').length}`;
    if (language === 'json') {
      const found: RemediationCommand[] = [];
      try {
        commandsOfJson(JSON.parse(body), found);
      } catch {
        continue; // examples abbreviated with "…" are not JSON and carry no commands
      }
      result.push(...found.map((command) => ({ ...command, where })));
      continue;
    }
    for (const line of logicalLines(body, language === 'powershell' ? '`' : '\\')) {
      if (line.startsWith('#')) continue;
      const shell = language === 'powershell' ? 'powershell' : /^(\w+=\S*\s+)*az\s/.test(line) ? 'az' : 'bash';
      result.push({ shell, command: line, where });
    }
  }
  return result;
}
