import type { FreeEsuEnvironment } from '../domain/hostProfile.js';
import type { OsEdition, OsFamily } from '../domain/operatingSystem.js';
import type { EsuProgramId } from '../domain/licenseNeed.js';

/** The shape of the ESU program catalogue (`catalogue.ts` holds the data, `program.ts` the questions asked of it). */
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
