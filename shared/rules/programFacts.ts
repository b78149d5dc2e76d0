import type { FreeEsuEnvironment } from '../domain/hostProfile.js';
import type { EsuLicense } from '../domain/license.js';
import { daysUntilEndOfSupport, formatDay, phaseOf, programById, programOfTarget, type EsuProgram, type ProgramPhase } from '../programs/program.js';
import type { EvaluationContext, MachineSubject } from './context.js';

/** Which program a machine rule is judging, and where that program stands at the evaluation time. */
export interface ProgramStanding {
  readonly program: EsuProgram;
  readonly phase: ProgramPhase;
  /** Days until end of support (0 once it is reached). */
  readonly daysLeft: number;
}

// Every rule asks this for every machine, with one evaluation time per scan: work it out once per program and time.
const standings = new WeakMap<EsuProgram, { readonly time: number; readonly standing: ProgramStanding }>();

export function standingOf(program: EsuProgram, context: EvaluationContext): ProgramStanding {
  const time = context.now.getTime();
  const known = standings.get(program);
  if (known?.time === time) return known.standing;
  const standing = { program, phase: phaseOf(program, context.now), daysLeft: daysUntilEndOfSupport(program, context.now) };
  standings.set(program, { time, standing });
  return standing;
}

/** The program of the machine's Windows version, in force settings (any phase; undefined for other OSes). */
export function machineProgram(machine: MachineSubject, context: EvaluationContext): ProgramStanding | undefined {
  const program = programById(context.settings.programs, machine.programId);
  return program ? standingOf(program, context) : undefined;
}

/**
 * The program that delivery rules check this machine against: in scope (licensable through Arc, edition
 * covered) and upcoming or active. A machine of an ended program gets `ESU.Machine.LegacyOs` instead.
 */
export function deliveryProgram(machine: MachineSubject, context: EvaluationContext): ProgramStanding | undefined {
  if (!machine.inScope) return undefined;
  const standing = machineProgram(machine, context);
  return standing && standing.phase !== 'ended' ? standing : undefined;
}

/** The machine's environment when its program gives ESU free there (Azure, and per program AVS and Azure Local). */
export function freeEnvironmentFor(machine: MachineSubject, program: EsuProgram): FreeEsuEnvironment | undefined {
  const environment = machine.host.freeEnvironment;
  return environment !== undefined && program.freeEnvironments.includes(environment) ? environment : undefined;
}

/** Evidence every program-aware finding carries, so a reader sees which calendar decided it. */
export function programEvidence(standing: ProgramStanding) {
  return {
    program: standing.program.id,
    programName: standing.program.name,
    programPhase: standing.phase,
    endOfSupport: standing.program.endOfSupport,
    daysLeft: standing.daysLeft,
  };
}

/** "before end of support on 12 January 2027 (42 days left)" */
export function deadlineText(evidence: Readonly<Record<string, unknown>>): string {
  const day = typeof evidence['endOfSupport'] === 'string' ? formatDay(evidence['endOfSupport']) : 'end of support';
  const days = evidence['daysLeft'];
  return `before ${evidence['programName'] ?? 'its program'} reaches end of support on ${day} (${days} day${days === 1 ? '' : 's'} left)`;
}

/** The program of a license's target, where it stands; undefined for a missing or unknown target. */
export function licenseStanding(license: EsuLicense, context: EvaluationContext): ProgramStanding | undefined {
  const program = programOfTarget(context.settings.programs, license.target);
  return program ? standingOf(program, context) : undefined;
}
