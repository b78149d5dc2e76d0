import type { FreeEsuEnvironment } from '../domain/hostProfile.js';
import type { OsEdition, OsFamily } from '../domain/operatingSystem.js';
import { ESU_PROGRAM_CATALOGUE } from './catalogue.js';

import type { EsuProgramId } from '../domain/licenseNeed.js';

export type { EsuProgramId } from '../domain/licenseNeed.js';
export type ProgramPhase = 'upcoming' | 'active' | 'ended';
export type LicensingConformance = 'SoftwareAssurance' | 'ServerSubscription' | 'SPLA';

export interface ProgramSource {
  readonly title: string;
  readonly url: string;
  /** The captured copy of the page under `sources/` (a copy of ../shared/sources), when there is one. */
  readonly file?: string;
  /** The heading of `file` the fact is under. */
  readonly heading?: string;
}

/** One ESU program: what it covers, its calendar and its licensing allowances. Dates are UTC calendar days. */
export interface EsuProgram {
  readonly id: EsuProgramId;
  readonly name: string;
  readonly osFamilies: readonly OsFamily[];
  /** Editions ESU covers; other editions of the same version are out of scope. */
  readonly editions: readonly OsEdition[];
  readonly endOfSupport: string;
  /** First day ESU covers (the day after end of support). */
  readonly esuStart: string;
  /** Last day ESU is offered. */
  readonly esuEnd: string;
  /** Whether ESU for this program can be licensed through Azure Arc (WS2008 was MAK keys only). */
  readonly arcLicensing: boolean;
  readonly agentMinimum: string | undefined;
  /** `licenseDetails.target` values of this program's licenses. */
  readonly licenseTargets: readonly string[];
  readonly freeEnvironments: readonly FreeEsuEnvironment[];
  /** The core type (pCore / vCore) may be left open on the license and chosen when ESU is enabled on machines. */
  readonly coreTypeChosenLater: boolean;
  readonly devTestBenefit: boolean;
  /** `ESU Usage` tag values of the dev/test and disaster-recovery exceptions; undefined where there are none. */
  readonly usageTags: { readonly devTest: string; readonly disasterRecovery: string; readonly multipurpose: string } | undefined;
  readonly disasterRecoveryBenefit: boolean;
  readonly splaAllowed: boolean;
  readonly volumeLicensingTransition: boolean;
  /**
   * How a buyer attests conformance to purchase ESU on-premises and in hosted environments: Software Assurance, an
   * equivalent Server Subscription, and for WS2012 also SPLA (license guidelines, "Software Assurance/Services
   * Provider License Agreement conformance"). In Azure, free ESU needs none of them.
   */
  readonly licensingConformance: readonly LicensingConformance[];
  readonly billingStart: string | undefined;
  /** Licenses provisioned after billing starts are billed back to this day. */
  readonly backBilledTo: string | undefined;
  readonly sources: readonly ProgramSource[];
}

/**
 * One published CVE record of the Connected Machine agent, as the record states it: the affected range is the
 * record's CPE match (NVD `versionStartIncluding` / `versionEndExcluding`, the same as CVE JSON 5
 * `affected[].versions[]` `version` / `lessThan`), compared component by component (four-part versions too).
 */
export interface AgentAdvisory {
  /** The CVE id. */
  readonly id: string;
  readonly title: string;
  /** The record's publication day (`YYYY-MM-DD`, UTC): it counts from then. */
  readonly published: string;
  readonly cwe: string;
  /** The CPE product the record names. */
  readonly cpe: string;
  readonly versionStartIncluding?: string;
  readonly versionStartExcluding?: string;
  readonly versionEndIncluding?: string;
  readonly versionEndExcluding?: string;
  readonly url: string;
}

/** The programs in force: the catalogue with the configured overrides applied. */
export type ProgramCatalogue = readonly EsuProgram[];

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
