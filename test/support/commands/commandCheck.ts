import type { RemediationCommand } from '../../../shared/domain/findings.js';
import { parseStatements, type Statement, type Word } from './commandLine.js';
import {
  AZ_GLOBAL_PARAMETERS,
  COMMAND_CONTRACTS,
  POWERSHELL_COMMON_PARAMETERS,
  UNCHECKED_PROGRAMS,
  type CommandContract,
  type ParameterContract,
  type Shell,
  type ToolId,
} from './contracts.js';
import { checkedWithOf } from '../../../shared/remediation/tools.js';

/** Checks commands against the declared contracts (`contracts.ts`): pure, no I/O. */

export type ProblemKind =
  | 'unknown-command'
  | 'unknown-parameter'
  | 'missing-parameter'
  | 'invalid-value'
  | 'forbidden'
  | 'unquoted-url'
  | 'wrong-shell'
  | 'windows-command-on-linux'
  | 'linux-command-on-windows'
  | 'windows-path-on-linux';

export interface CommandProblem {
  readonly kind: ProblemKind;
  readonly detail: string;
}

/** The machine the commands are for, when they are for one. */
export interface CommandTarget {
  readonly osType?: string | undefined;
}

/** Statements that start with these are control flow, not calls (PowerShell and bash). */
const KEYWORDS = new Set(['foreach', 'for', 'if', 'else', 'elseif', 'try', 'catch', 'finally', 'return', 'while', 'switch', 'do', 'done', 'then', 'fi']);
const WINDOWS_PATH = /(^|[\s"'])[A-Za-z]:\\|%[A-Za-z]+%|\$env:|\\[A-Za-z0-9_.-]+\\/i;
const ENV_ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*=/;

function osOf(target: CommandTarget | undefined): 'windows' | 'linux' | undefined {
  const os = target?.osType?.trim().toLowerCase();
  return os === 'windows' || os === 'linux' ? os : undefined;
}

const normalise = (word: string): string => word.toLowerCase().replace(/\.exe$/, '');

/** The statement with `sudo`, leading `NAME=value` assignments and a PowerShell `$name =` removed. */
function programWords(statement: Statement): readonly Word[] {
  let start = statement[1]?.text === '=' && /^\$\w+$/.test(statement[0]?.text ?? '') ? 2 : 0;
  while (start < statement.length && (ENV_ASSIGNMENT.test(statement[start]!.text) || statement[start]!.text === 'sudo')) start += 1;
  return statement.slice(start);
}

/** A statement that computes a value rather than calling a program (PowerShell expressions, strings). */
function isExpression(head: Word): boolean {
  return head.quoted || head.substituted || /^[$[@]/.test(head.text) || KEYWORDS.has(head.text.toLowerCase());
}

/** The longest contract whose command words start the statement. */
export function contractFor(words: readonly Word[]): CommandContract | undefined {
  let best: CommandContract | undefined;
  for (const contract of COMMAND_CONTRACTS) {
    const expected = contract.command.split(' ');
    if (expected.length > words.length) continue;
    if (!expected.every((part, index) => normalise(part) === normalise(words[index]!.text))) continue;
    if (!best || expected.length > best.command.split(' ').length) best = contract;
  }
  return best;
}

/** Cmdlets take `-Name value` (case-insensitive); programs take `--name value` / `-n value`. */
type OptionStyle = 'cmdlet' | 'program';

const styleOf = (contract: CommandContract): OptionStyle => (/^[A-Z][a-z]+-[A-Za-z]+$/.test(contract.command) ? 'cmdlet' : 'program');

function isOption(word: Word, style: OptionStyle): boolean {
  if (word.quoted || word.substituted) return false;
  return style === 'cmdlet' ? /^-[A-Za-z]/.test(word.text) : /^--?[A-Za-z]/.test(word.text);
}

function findParameter(parameters: readonly ParameterContract[], name: string, caseless: boolean): ParameterContract | undefined {
  const wanted = caseless ? name.toLowerCase() : name;
  return parameters.find((parameter) => parameter.names.some((candidate) => (caseless ? candidate.toLowerCase() : candidate) === wanted));
}

function valueProblems(contract: CommandContract, parameter: ParameterContract, value: Word | undefined, caseless: boolean): CommandProblem[] {
  const name = parameter.names[0]!;
  if (value === undefined) return [{ kind: 'missing-parameter', detail: `${contract.command} ${name} has no value` }];
  // Placeholders (`<machine-name>`, on the rule pages) and run-time values are not checked.
  if (value.substituted || /<[^>]+>/.test(value.text)) return [];
  const text = value.text;
  const problems: CommandProblem[] = [];
  if (parameter.values && !parameter.values.some((allowed) => (caseless ? allowed.toLowerCase() === text.toLowerCase() : allowed === text))) {
    problems.push({ kind: 'invalid-value', detail: `${contract.command} ${name} "${text}" is not one of: ${parameter.values.join(', ')}` });
  }
  if (parameter.pattern && !parameter.pattern.test(text)) problems.push({ kind: 'invalid-value', detail: `${contract.command} ${name} "${text}" does not match ${parameter.pattern}` });
  if (parameter.rejects?.pattern.test(text)) problems.push({ kind: 'invalid-value', detail: `${contract.command} ${name} "${text}": ${parameter.rejects.reason}` });
  return problems;
}

function statementProblems(contract: CommandContract, args: readonly Word[]): CommandProblem[] {
  const style = styleOf(contract);
  const caseless = style === 'cmdlet';
  const parameters = [...contract.parameters, ...(contract.command.startsWith('az ') ? AZ_GLOBAL_PARAMETERS : caseless ? POWERSHELL_COMMON_PARAMETERS : [])];
  const problems: CommandProblem[] = [];
  const given = new Map<string, Word | undefined>();
  let positional = 0;
  for (let index = 0; index < args.length; index += 1) {
    const word = args[index]!;
    if (!isOption(word, style)) {
      positional += 1;
      if (positional > (contract.positional ?? 0)) problems.push({ kind: 'unknown-parameter', detail: `${contract.command} takes no argument "${word.text}"` });
      continue;
    }
    const [name = '', inline] = word.text.split(caseless ? /:(.*)/s : /=(.*)/s);
    const parameter = findParameter(parameters, name, caseless);
    const next = args[index + 1];
    if (!parameter) {
      problems.push({ kind: 'unknown-parameter', detail: `${contract.command} has no parameter ${name}` });
      if (next && !isOption(next, style)) index += 1;
      continue;
    }
    let value: Word | undefined;
    if (inline !== undefined) value = { ...word, text: inline };
    else if (!parameter.flag && next && !isOption(next, style)) {
      value = next;
      index += 1;
    }
    given.set(parameter.names[0]!, value);
    if (!parameter.flag) problems.push(...valueProblems(contract, parameter, value, caseless));
  }
  for (const parameter of contract.parameters) {
    if (parameter.required && !given.has(parameter.names[0]!)) {
      problems.push({ kind: 'missing-parameter', detail: `${contract.command} needs ${parameter.names.join(' / ')}` });
    }
  }
  if (contract.forbidden) problems.push({ kind: 'forbidden', detail: `${contract.command}: ${contract.forbidden}` });
  for (const forbid of contract.forbids ?? []) {
    const matches = Object.entries(forbid.when).every(([name, pattern]) => {
      const value = given.get(name);
      return value !== undefined && pattern.test(value.text);
    });
    if (matches) problems.push({ kind: 'forbidden', detail: `${contract.command} ${Object.keys(forbid.when).join(' ')}: ${forbid.reason}` });
  }
  return problems;
}

function osProblems(contract: CommandContract, shell: Shell, commandLine: string, os: 'windows' | 'linux' | undefined): CommandProblem[] {
  const problems: CommandProblem[] = [];
  if (!contract.shells.includes(shell)) problems.push({ kind: 'wrong-shell', detail: `${contract.command} is run in ${contract.shells.join(' or ')}, not ${shell}` });
  if (os === undefined || contract.runsOn === 'workstation') return problems;
  if (os === 'linux' && (contract.runsOn === 'windows' || shell === 'powershell')) {
    problems.push({ kind: 'windows-command-on-linux', detail: `${contract.command} (${shell}) is handed to a Linux machine` });
  }
  if (os === 'windows' && (contract.runsOn === 'linux' || shell === 'bash')) {
    problems.push({ kind: 'linux-command-on-windows', detail: `${contract.command} (${shell}) is handed to a Windows machine` });
  }
  // The raw line: bash would have eaten the backslashes of a Windows path before the words are seen.
  if (os === 'linux' && WINDOWS_PATH.test(commandLine)) {
    problems.push({ kind: 'windows-path-on-linux', detail: `${contract.command} uses a Windows path on a Linux machine` });
  }
  return problems;
}

/** Every problem of one command, for the machine it is handed to (if any). */
export function checkCommand(command: RemediationCommand, target?: CommandTarget): CommandProblem[] {
  const problems: CommandProblem[] = [];
  const os = osOf(target);
  for (const statement of parseStatements(command.command, command.shell)) {
    for (const word of statement) {
      if (word.bare.includes('://')) problems.push({ kind: 'unquoted-url', detail: `unquoted URL ${word.text}` });
    }
    const words = programWords(statement);
    const head = words[0];
    if (!head || isExpression(head)) continue;
    const contract = contractFor(words);
    if (!contract) {
      if (UNCHECKED_PROGRAMS.includes(head.text)) continue;
      const stem = words.slice(0, head.text === 'az' ? words.findIndex((word, index) => index > 0 && isOption(word, 'program')) : 1);
      problems.push({ kind: 'unknown-command', detail: `no contract for ${(stem.length > 0 ? stem : words).map((word) => word.text).join(' ')}` });
      continue;
    }
    const args = words.slice(contract.command.split(' ').length);
    problems.push(...statementProblems(contract, args), ...osProblems(contract, command.shell, command.command, os));
  }
  return problems;
}

/** The contracts a command uses, in order (for the tool versions a job was checked against). */
export function contractsOf(command: RemediationCommand): CommandContract[] {
  return parseStatements(command.command, command.shell)
    .map((statement) => programWords(statement))
    .filter((words) => words[0] !== undefined && !isExpression(words[0]))
    .map((words) => contractFor(words))
    .filter((contract): contract is CommandContract => contract !== undefined);
}

/** The tools a command calls as its contracts say, in the order its statements call them (each once). */
export function contractToolsOf(command: RemediationCommand): ToolId[] {
  return [...new Set(contractsOf(command).map((contract) => contract.tool))];
}

/** The oracle of a job's `checkedWith`: the tool versions by the contracts its commands meet, not by their builders. */
export function checkedWithByContracts(commands: readonly RemediationCommand[]): readonly string[] {
  return checkedWithOf(commands.map((command) => ({ ...command, tools: contractToolsOf(command) })));
}
