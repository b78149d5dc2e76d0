import type { OsFamily } from '../domain/operatingSystem.js';
import type { EsuProgramId } from '../domain/licenseNeed.js';
import { ESU_PROGRAM_CATALOGUE } from './catalogue.js';
import type { EsuProgram, ProgramCatalogue, ProgramPhase } from './programTypes.js';

export type { EsuProgramId } from '../domain/licenseNeed.js';
export type { AgentAdvisory, EsuProgram, LicensingConformance, ProgramCatalogue, ProgramPhase, ProgramSource } from './programTypes.js';

export const DEFAULT_PROGRAMS: ProgramCatalogue = ESU_PROGRAM_CATALOGUE;

const DAY_MS = 86_400_000;

// A catalogue has a handful of days, asked about for every machine and finding: parse and format each once.
const dayStarts = new Map<string, number>();
const dayTexts = new Map<string, string>();

/** Midnight UTC at the start of a calendar day `YYYY-MM-DD`. */
function startOf(day: string): number {
  let start = dayStarts.get(day);
  if (start === undefined) {
    start = Date.parse(`${day}T00:00:00Z`);
    if (dayStarts.size >= 1_000) dayStarts.clear();
    dayStarts.set(day, start);
  }
  return start;
}

/** upcoming before ESU starts, active through its last day, ended from the day after. */
export function phaseOf(program: EsuProgram, now: Date): ProgramPhase {
  const time = now.getTime();
  if (time >= startOf(program.esuEnd) + DAY_MS) return 'ended';
  if (time >= startOf(program.esuStart)) return 'active';
  return 'upcoming';
}

/** Whole days from `now` until the end-of-support day (0 on that day), for readiness messages. */
export function daysUntilEndOfSupport(program: EsuProgram, now: Date): number {
  return Math.max(0, Math.ceil((startOf(program.endOfSupport) - now.getTime()) / DAY_MS));
}

export function programById(programs: ProgramCatalogue, id: EsuProgramId | undefined): EsuProgram | undefined {
  return id === undefined ? undefined : programs.find((program) => program.id === id);
}

/** The program whose OS versions include `family` (whatever the edition). */
export function programIdOfFamily(family: OsFamily, programs: ProgramCatalogue = DEFAULT_PROGRAMS): EsuProgramId | undefined {
  return programs.find((program) => program.osFamilies.includes(family))?.id;
}

/** A target text as compared: lower case, spaces collapsed (Azure's casing and spacing vary). */
export const normalisedTarget = (value: string): string => value.toLowerCase().replace(/\s+/g, ' ').trim();
const normalise = normalisedTarget;

/** Two license target texts name the same target (Azure's casing and spacing vary). */
export function sameTarget(left: string, right: string): boolean {
  return left === right || normalise(left) === normalise(right);
}

// Asked for every linked machine and license: remembered per catalogue and target text.
const programsByTarget = new WeakMap<ProgramCatalogue, Map<string, EsuProgram | null>>();

/** The program a license target belongs to; undefined for a target no program knows. */
export function programOfTarget(programs: ProgramCatalogue, target: string | undefined): EsuProgram | undefined {
  if (target === undefined) return undefined;
  let known = programsByTarget.get(programs);
  if (!known) programsByTarget.set(programs, (known = new Map()));
  let program = known.get(target);
  if (program === undefined) {
    const wanted = normalise(target);
    program = programs.find((candidate) => candidate.licenseTargets.some((name) => normalise(name) === wanted)) ?? null;
    if (known.size >= 1_000) known.clear();
    known.set(target, program);
  }
  return program ?? undefined;
}

/** The catalogue's spelling of a known target (`windows server 2016` → `Windows Server 2016`). */
export function canonicalTarget(programs: ProgramCatalogue, target: string | undefined): string | undefined {
  if (target === undefined) return undefined;
  const wanted = normalise(target);
  for (const program of programs) {
    const known = program.licenseTargets.find((candidate) => normalise(candidate) === wanted);
    if (known) return known;
  }
  return undefined;
}

/** The license target for a machine of `family`: the OS being licensed (Microsoft's API page). */
export function targetForFamily(family: OsFamily): string | undefined {
  switch (family) {
    case 'WindowsServer2012':
      return 'Windows Server 2012';
    case 'WindowsServer2012R2':
      return 'Windows Server 2012 R2';
    case 'WindowsServer2016':
      return 'Windows Server 2016';
    default:
      return undefined;
  }
}

/** A readable date: `12 January 2027`. */
export function formatDay(day: string): string {
  let text = dayTexts.get(day);
  if (text === undefined) {
    const date = new Date(startOf(day));
    text = Number.isNaN(date.getTime()) ? day : date.toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
    if (dayTexts.size >= 1_000) dayTexts.clear();
    dayTexts.set(day, text);
  }
  return text;
}
