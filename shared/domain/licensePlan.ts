/** The tenant's license plan as data: what `shared/plan/` computes and the plan rules, stores and reports read. */
import type { MachineNeed } from './licenseNeed.js';
import type { EsuProgramId } from './licenseNeed.js';

/**
 * Prices per core per month, set by the operator (`ESU_PRICES`); never invented. Keys are
 * `<program> <edition> <core type>`, e.g. `WS2016 Standard vCore`. A Datacenter vCore license is charged as
 * Datacenter (billing page, "License type"): without its own price it takes the Datacenter pCore one.
 */
export interface PriceList {
  readonly currency: string;
  readonly perCoreMonth: Readonly<Record<string, number>>;
}

/** A core type as licenses name it; `undefined` on a Windows Server 2016 license whose type is chosen later. */
export type PlanCoreType = 'pCore' | 'vCore';
export type PlanEdition = 'Standard' | 'Datacenter';

/** Why a machine could not be planned onto a license. */
export type UnplannedReason = 'needs-core-count' | 'needs-host-type' | 'absurd-core-count';

/** One machine's place in the plan. */
export interface PlanAssignment {
  readonly need: MachineNeed;
  /** Cores this machine takes on its license (0 when the license's `ESU Usage` tag exempts it). */
  readonly cores: number;
  readonly coreType: PlanCoreType;
  readonly licenseId: string;
  readonly licenseName: string;
  /** True when the license is one the plan proposes to create. */
  readonly proposed: boolean;
}

export interface UnplannedNeed {
  readonly need: MachineNeed;
  readonly reason: UnplannedReason;
}

/** What the plan does with a license. */
export type LicenseAction =
  | 'keep' // fits its machines and the plan's
  | 'create' // proposed
  | 'shrink' // more cores than its machines (and the plan) need
  | 'remove' // activated, nothing linked and nothing planned: billed for nothing
  | 'end' // a license of an ended program, still activated
  | 'over-capacity' // its machines already need more than it has (ESU.License.Capacity)
  | 'not-plannable'; // not activated, unreadable or of an unknown type: no machine is planned onto it

/** One row per existing license of the tenant and per license the plan proposes. */
export interface PlanLicenseRow {
  readonly licenseId: string;
  readonly name: string;
  readonly subscriptionId: string;
  readonly resourceGroup: string;
  readonly location?: string;
  readonly programId?: EsuProgramId;
  readonly target?: string;
  readonly edition?: PlanEdition;
  readonly coreType?: PlanCoreType;
  readonly state?: string;
  readonly proposed: boolean;
  readonly action: LicenseAction;
  /** Cores provisioned today (0 for a proposed license). */
  readonly processors: number;
  /** Cores after the plan: the proposed size, the shrunken size, 0 for a removed or ended license. */
  readonly processorsAfter: number;
  /** Cores the linked machines need today (tagged exemptions applied). */
  readonly coresUsed: number;
  /** Cores the plan puts on it for machines not linked yet. */
  readonly coresPlanned: number;
  readonly machinesLinked: number;
  readonly machinesPlanned: number;
  /** Machines planned onto it, per subscription: a license serves any subscription of its tenant. */
  readonly plannedBySubscription: Readonly<Record<string, number>>;
  /** Why, in one sentence, when the action is not plain. */
  readonly note?: string;
  /** A proposed license whose machines report no region: the machine whose region its create command reads. */
  readonly regionFrom?: { readonly name: string; readonly resourceGroup: string; readonly subscriptionId: string };
}

export interface PlanNote {
  readonly code: 'license-not-found' | 'license-duplicate-name' | 'license-invalid-cores' | 'subscription-not-read' | 'resource-group-full';
  readonly text: string;
  readonly resourceId?: string;
  /** The name two licenses share (`license-duplicate-name`), lower-cased. */
  readonly name?: string;
}

/** Billed cores per month for one program, edition and core type (a price key). */
export interface CoreMonthLine {
  readonly programId: EsuProgramId;
  readonly edition: PlanEdition;
  readonly coreType: PlanCoreType | 'not chosen';
  readonly coresNow: number;
  readonly coresAfter: number;
  /** Cores created after end of support: back-billed once, for `backBilledMonths` whole months. */
  readonly coresBackBilled: number;
  readonly backBilledMonths: number;
  /** Per core per month, when prices are set. */
  readonly price?: number;
}

export interface ProgramPlanSummary {
  readonly programId: EsuProgramId;
  readonly programName: string;
  readonly phase: 'upcoming' | 'active' | 'ended';
  readonly endOfSupport: string;
  readonly billingStart?: string;
  readonly backBilledTo?: string;
  readonly machinesNeeding: number;
  readonly machinesOnExisting: number;
  readonly machinesOnProposed: number;
  readonly machinesUnplanned: number;
  readonly licensesToCreate: number;
  readonly coresToCreate: number;
  readonly licensesToShrink: number;
  readonly licensesToRemove: number;
  readonly coresToRemove: number;
  readonly coresBilledNow: number;
  readonly coresBilledAfter: number;
}

export interface PlanMoney {
  readonly currency: string;
  readonly monthlyNow: number;
  readonly monthlyAfter: number;
  readonly backBilling: number;
  /** Price keys the plan needed but the price list lacks: their cores are not in the sums. */
  readonly unpriced: readonly string[];
}

export interface LicensePlan {
  readonly asOf: string;
  readonly programs: readonly ProgramPlanSummary[];
  readonly licenses: readonly PlanLicenseRow[];
  readonly assignments: readonly PlanAssignment[];
  readonly unplanned: readonly UnplannedNeed[];
  readonly coreMonths: readonly CoreMonthLine[];
  /** Absent when no prices are configured: the plan then counts core-months only. */
  readonly money?: PlanMoney;
  readonly notes: readonly PlanNote[];
  /** False when a subscription or a license could not be read: the plan may miss licenses or machines. */
  readonly complete: boolean;
}

/** The plan without its per-machine lists (those are ESU.Machine.LicensePlan findings): what is stored and reported. */
export type PlanOverview = Omit<LicensePlan, 'assignments' | 'unplanned'> & {
  readonly scanId: string;
  /** Machines the plan could not place (no core count, no host type, an absurd count). */
  readonly unplannedMachines: number;
};

export function planOverview(scanId: string, plan: LicensePlan): PlanOverview {
  const { assignments: _assignments, unplanned, ...rest } = plan;
  return { ...rest, scanId, unplannedMachines: unplanned.length };
}
