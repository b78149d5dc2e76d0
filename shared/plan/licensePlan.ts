import type { EsuLicense } from '../domain/license.js';
import { normalisedTarget, phaseOf, programById, programOfTarget, type EsuProgram, type EsuProgramId } from '../programs/program.js';
import {
  coresRequired, coreTypeNotYetChosen, coreTypeOf, editionOf, exemptUsageOf, isEsuLicense, processorsOf, stateOf, usageOf,
} from './licenseFacts.js';
import { NOT_FOUND_LICENSE_TYPE, type LicenseLedgerEntry } from './licenseLedger.js';
import { coreMonthsOf, moneyOf } from './billing.js';
import { compareIds, compareText, evenUp, groupBy, Memo } from './order.js';
import { proposeLicenses } from './proposals.js';
import type {
  LicensePlan, PlanAssignment, PlanCoreType, PlanEdition, PlanLicenseRow, PlanNote, ProgramPlanSummary, UnplannedNeed,
} from '../domain/licensePlan.js';
import type { MachineNeed } from '../domain/licenseNeed.js';
import type { PlanSettings } from './planSettings.js';

export type { PlanSettings } from './planSettings.js';

export interface PlanInput {
  /** Every license of the tenant with what links to it (the run's ledger). */
  readonly licenses: readonly LicenseLedgerEntry[];
  /** Every in-scope, eligible, unlinked machine of the tenant. */
  readonly needs: readonly MachineNeed[];
  /** Subscriptions that could not be read completely: their licenses or machines may be missing. */
  readonly unreadSubscriptions?: readonly string[];
}

/** A license the plan may put machines on, with the cores still free on it. */
interface OpenLicense {
  readonly license: EsuLicense;
  /** Lower-cased subscription id and normalised target, worked out once: compared for every machine. */
  readonly subscriptionKey: string;
  readonly targetKey: string;
  readonly program: EsuProgram;
  readonly edition: PlanEdition;
  /** Undefined: a Windows Server 2016 license whose core type is chosen when ESU is enabled. */
  readonly coreType: PlanCoreType | undefined;
  readonly processors: number;
  readonly used: number;
  readonly machinesLinked: number;
  spare: number;
  planned: number;
  machinesPlanned: number;
  readonly plannedBySubscription: Record<string, number>;
  /** VMs linked to a pCore license: covered through host cores Arc cannot see, so it is never shrunk. */
  readonly hostCoresUnseen: boolean;
}

/**
 * The tenant's license plan: which license each unlinked machine goes on, which licenses to create, and which to
 * shrink or remove, with the cores billed before and after. Pure and deterministic: machines and licenses are taken
 * in a canonical order (largest need first, then by id), never in the order ARM listed them.
 *
 * It minimises the cores still to buy with best-fit decreasing over the licenses' spare cores (a machine's own
 * subscription first), then pools what is left per subscription, location, target, edition and core type into as few
 * new licenses as the 10,000-core limit allows. It does not move machines between licenses that are already linked,
 * nor choose Datacenter host licensing for VMs: Arc does not report host cores (see docs/license-plan.md).
 */
export function planLicenses(input: PlanInput, settings: PlanSettings, asOf: Date): LicensePlan {
  const notes: PlanNote[] = [];
  const rows: PlanLicenseRow[] = [];
  const open: OpenLicense[] = [];
  const entries = [...input.licenses].sort((a, b) => compareIds(a.license.id, b.license.id));
  for (const entry of entries) {
    const license = entry.license;
    if (license.licenseType === NOT_FOUND_LICENSE_TYPE) {
      notes.push({ code: 'license-not-found', resourceId: license.id, text: `${usageOf(entry).linkedMachines} machine(s) link to license ${license.id}, which no scanned subscription holds (deleted, or in a subscription the scanner cannot read): its cores are not in the plan.` });
      continue;
    }
    if (!isEsuLicense(license)) continue;
    if (entry.sameNameCount > 1 && !notes.some((note) => note.code === 'license-duplicate-name' && note.name === license.name.toLowerCase())) {
      notes.push({ code: 'license-duplicate-name', resourceId: license.id, name: license.name.toLowerCase(), text: `${entry.sameNameCount} licenses are named ${license.name}: the plan and its commands name each by its resource id.` });
    }
    const assessed = assess(entry, settings, asOf, notes);
    if ('row' in assessed) rows.push(assessed.row);
    else open.push(assessed.open);
  }

  const assignments: PlanAssignment[] = [];
  const unplanned: UnplannedNeed[] = [];
  let waiting: { need: MachineNeed; coreType: PlanCoreType; cores: number; edition: PlanEdition }[] = [];
  for (const need of canonicalNeeds(input.needs)) {
    const demand = demandOf(need, settings);
    if ('reason' in demand) unplanned.push({ need, reason: demand.reason });
    else waiting.push({ need, ...demand });
  }
  // Two passes: every machine onto its own subscription's licenses first, then what is left onto any license of the
  // tenant. Licenses are looked up by target (and subscription), in id order, so a machine meets only those that fit.
  const byTarget = groupBy(open, (item) => item.targetKey);
  const byOwnTarget = groupBy(open, (item) => `${item.subscriptionKey}|${item.targetKey}`);
  const keys = new Memo((text: string) => text.toLowerCase());
  const targets = new Memo(normalisedTarget);
  for (const ownOnly of [true, false]) {
    const left: typeof waiting = [];
    for (const item of waiting) {
      const subscription = keys.of(item.need.subscriptionId);
      const target = targets.of(item.need.target);
      const candidates = (ownOnly ? byOwnTarget.get(`${subscription}|${target}`) : byTarget.get(target)) ?? [];
      const placed = placeOnExisting(item.need, item, candidates, programById(settings.programs, item.need.programId), subscription);
      if (placed) assignments.push(placed);
      else left.push(item);
    }
    waiting = left;
  }

  const proposals = proposeLicenses(waiting, open.map((item) => item.license).concat(rows.map(rowLicense)), settings, notes);
  assignments.push(...proposals.assignments);
  rows.push(...open.map((item) => openRow(item, settings)), ...proposals.rows);
  rows.sort((a, b) => compareIds(a.licenseId, b.licenseId));
  assignments.sort((a, b) => compareText(a.need.machineId, b.need.machineId));

  for (const subscriptionId of [...(input.unreadSubscriptions ?? [])].sort()) {
    notes.push({ code: 'subscription-not-read', resourceId: `/subscriptions/${subscriptionId}`, text: `Subscription ${subscriptionId} could not be read completely: its licenses and machines may be missing from the plan.` });
  }
  const coreMonths = coreMonthsOf(rows, settings.programs, asOf, settings.prices);
  const money = settings.prices ? moneyOf(coreMonths, settings.prices) : undefined;
  return {
    asOf: asOf.toISOString(),
    programs: programSummaries(rows, assignments, unplanned, input.needs, settings, asOf),
    licenses: rows,
    assignments,
    unplanned,
    coreMonths,
    ...(money ? { money } : {}),
    notes,
    complete: !notes.some((note) => note.code === 'license-not-found' || note.code === 'subscription-not-read'),
  };
}

/**
 * Largest need first (best-fit decreasing), then by machine id: the same order whatever order ARM listed. Ids are
 * compared as ARM spells them (no lower-cased copy of 100,000 ids); a machine listed twice is planned once.
 */
function canonicalNeeds(needs: readonly MachineNeed[]): MachineNeed[] {
  const sorted = [...needs].sort((a, b) => (b.cores ?? -1) - (a.cores ?? -1) || compareText(a.machineId, b.machineId));
  return sorted.filter((need, index) => index === 0 || need.machineId !== sorted[index - 1]!.machineId);
}

type Demand = { coreType: PlanCoreType; cores: number; edition: PlanEdition } | { reason: UnplannedNeed['reason'] };

/** pCore max(16, cores) for a server (Datacenter for a Datacenter OS), vCore max(8, vCPUs) Standard for a VM. */
function demandOf(need: MachineNeed, settings: PlanSettings): Demand {
  if (need.hostType === 'Unknown') return { reason: 'needs-host-type' };
  if (need.cores === undefined) return { reason: 'needs-core-count' };
  if (!Number.isInteger(need.cores) || need.cores <= 0 || need.cores > settings.maximumLicenseCores) return { reason: 'absurd-core-count' };
  if (need.hostType === 'Virtual') return { coreType: 'vCore', cores: Math.max(settings.vCoreMinimum, need.cores), edition: 'Standard' };
  return { coreType: 'pCore', cores: Math.max(settings.pCoreMinimum, need.cores), edition: need.serverType === 'Datacenter' ? 'Datacenter' : 'Standard' };
}

/**
 * The best existing license for one machine: of its target, core type (or one still to be chosen) and an edition
 * that covers it, with room (`ownOnly`: in the machine's own subscription); the least left over, then by id. A machine whose
 * `ESU Usage` tag the license's tag exempts takes no cores (Deliver ESU, additional scenarios).
 */
function placeOnExisting(need: MachineNeed, demand: Exclude<Demand, { reason: unknown }>, candidates: readonly OpenLicense[], program: EsuProgram | undefined, subscription: string): PlanAssignment | undefined {
  let best: { item: OpenLicense; cores: number; own: boolean; leftover: number } | undefined;
  for (const item of candidates) {
    if (item.coreType !== undefined && item.coreType !== demand.coreType) continue;
    if (!editionCovers(item.edition, demand)) continue;
    const cores = exemptOn(item.license, need, program) ? 0 : demand.cores;
    if (item.spare < cores) continue;
    const own = item.subscriptionKey === subscription;
    const leftover = item.spare - cores;
    // Candidates come in id order: on a tie the first stays.
    if (!best || (own && !best.own) || (own === best.own && leftover < best.leftover)) best = { item, cores, own, leftover };
  }
  if (!best) return undefined;
  const { item, cores } = best;
  item.spare -= cores;
  item.planned += cores;
  item.machinesPlanned += 1;
  item.plannedBySubscription[subscription] = (item.plannedBySubscription[subscription] ?? 0) + 1;
  return { need, cores, coreType: demand.coreType, licenseId: item.license.id, licenseName: item.license.name, proposed: false };
}

/** A VM needs Standard vCore ("always select the standard edition"); a Standard server any pCore edition; Datacenter, Datacenter. */
function editionCovers(edition: PlanEdition, demand: Exclude<Demand, { reason: unknown }>): boolean {
  if (demand.coreType === 'vCore') return edition === 'Standard';
  return demand.edition === 'Standard' || edition === 'Datacenter';
}

function exemptOn(license: EsuLicense, need: MachineNeed, program: EsuProgram | undefined): boolean {
  const tags = program?.usageTags;
  if (!tags || !need.esuUsage || !license.esuUsage) return false;
  if (need.esuUsage !== tags.devTest && need.esuUsage !== tags.disasterRecovery) return false;
  return license.esuUsage === need.esuUsage || license.esuUsage === tags.multipurpose;
}

/** Sorts a license into what the plan can use (`open`) and what it only reports (`row`). */
function assess(entry: LicenseLedgerEntry, settings: PlanSettings, asOf: Date, notes: PlanNote[]): { open: OpenLicense } | { row: PlanLicenseRow } {
  const license = entry.license;
  const usage = usageOf(entry);
  const program = programOfTarget(settings.programs, license.target);
  const edition = editionOf(license.edition);
  const typed = coreTypeOf(license.type);
  const processors = processorsOf(license);
  const activated = stateOf(license.state) === 'Activated';
  const base = baseRow(license, usage.linkedMachines, program?.id, edition, typed);
  if (!license.hasDetails || processors === undefined || processors > settings.maximumLicenseCores) {
    notes.push({ code: 'license-invalid-cores', resourceId: license.id, text: `License ${license.name} reports ${license.hasDetails ? `core count ${JSON.stringify(license.processorsRaw ?? null)}` : 'no licenseDetails'}: no machine is planned onto it (see ESU.License.CoreMinimum and ESU.License.Limits).` });
    return { row: { ...base, action: 'not-plannable', processors: 0, processorsAfter: 0, note: 'core count missing or invalid' } };
  }
  if (!program) return { row: { ...base, action: 'not-plannable', processors, processorsAfter: processors, note: `target ${license.target ?? 'missing'} is no ESU program the scanner knows` } };
  if (phaseOf(program, asOf) === 'ended') {
    return { row: { ...base, action: activated ? 'end' : 'keep', processors, processorsAfter: activated ? 0 : processors, note: `${program.name} ESU has ended` } };
  }
  const chosenLater = typed === undefined && coreTypeNotYetChosen(license, settings.programs);
  if (!activated || !edition || (!typed && !chosenLater)) {
    return { row: { ...base, action: 'not-plannable', processors, processorsAfter: processors, note: !activated ? `state ${license.state ?? 'missing'}: not activated` : !edition ? `edition ${license.edition ?? 'missing'} is neither Standard nor Datacenter` : `core type ${license.type ?? 'missing'} is neither pCore nor vCore` } };
  }
  const exempt = exemptUsageOf(license, usage, settings.programs);
  // A license whose type is chosen later serves either kind: every linked machine claims its cores.
  const used = typed
    ? coresRequired(typed, edition, usage, exempt, settings).required
    : coresRequired('pCore', edition, usage, exempt, settings).physicalRequired + coresRequired('vCore', edition, usage, exempt, settings).required;
  return {
    open: {
      license, subscriptionKey: license.subscriptionId.toLowerCase(), targetKey: normalisedTarget(license.target ?? ''),
      program, edition, coreType: typed, processors, used, spare: processors - used, planned: 0, machinesPlanned: 0, machinesLinked: usage.linkedMachines,
      plannedBySubscription: {}, hostCoresUnseen: typed === 'pCore' && usage.virtualMachines + usage.unknownHosts > 0,
    },
  };
}

function baseRow(license: EsuLicense, machinesLinked: number, programId: EsuProgramId | undefined, edition: PlanEdition | undefined, coreType: PlanCoreType | undefined) {
  return {
    licenseId: license.id,
    name: license.name,
    subscriptionId: license.subscriptionId,
    resourceGroup: license.resourceGroup,
    location: license.location,
    programId,
    target: license.target,
    edition,
    coreType,
    state: license.state,
    proposed: false,
    coresUsed: 0,
    coresPlanned: 0,
    machinesLinked,
    machinesPlanned: 0,
    plannedBySubscription: {},
  };
}

/** An existing, plannable license after the plan: kept, shrunk to what it serves, removed, or over capacity. */
function openRow(item: OpenLicense, settings: PlanSettings): PlanLicenseRow {
  const needed = item.used + item.planned;
  const common = {
    ...baseRow(item.license, item.machinesLinked, item.program.id, item.edition, item.coreType),
    coresUsed: item.used,
    coresPlanned: item.planned,
    machinesPlanned: item.machinesPlanned,
    plannedBySubscription: item.plannedBySubscription,
    processors: item.processors,
  };
  if (item.used > item.processors) {
    return { ...common, action: 'over-capacity', processorsAfter: evenUp(item.used), note: `its linked machines need ${item.used} cores (ESU.License.Capacity)` };
  }
  if (item.machinesLinked === 0 && item.machinesPlanned === 0) {
    return { ...common, action: 'remove', processorsAfter: 0, note: 'activated with no machine linked or planned: billed for nothing (ESU.License.Unused)' };
  }
  if (item.hostCoresUnseen || item.coreType === undefined) {
    const why = item.coreType === undefined ? 'core type not chosen yet: not shrunk' : 'VMs on it are covered through host cores Arc cannot see: not shrunk';
    return { ...common, action: 'keep', processorsAfter: item.processors, ...(needed < item.processors ? { note: why } : {}) };
  }
  const minimum = item.coreType === 'pCore' ? settings.pCoreMinimum : settings.vCoreMinimum;
  const size = Math.max(minimum, evenUp(needed));
  if (size < item.processors) return { ...common, action: 'shrink', processorsAfter: size, note: `${item.processors - size} cores more than its machines need` };
  return { ...common, action: 'keep', processorsAfter: item.processors };
}

/** A row as the license a proposed name could collide with. */
function rowLicense(row: PlanLicenseRow): EsuLicense {
  return { id: row.licenseId, name: row.name, subscriptionId: row.subscriptionId, resourceGroup: row.resourceGroup, hasDetails: true };
}

function programSummaries(rows: readonly PlanLicenseRow[], assignments: readonly PlanAssignment[], unplanned: readonly UnplannedNeed[], needs: readonly MachineNeed[], settings: PlanSettings, asOf: Date): ProgramPlanSummary[] {
  const ids = new Set<EsuProgramId>([...needs.map((need) => need.programId), ...rows.flatMap((row) => (row.programId ? [row.programId] : []))]);
  return settings.programs.filter((program) => ids.has(program.id)).map((program) => {
    const own = rows.filter((row) => row.programId === program.id);
    const billed = own.filter((row) => stateOf(row.state) === 'Activated' || row.proposed);
    const placed = assignments.filter((item) => item.need.programId === program.id);
    const created = own.filter((row) => row.action === 'create');
    const removed = own.filter((row) => row.action === 'remove' || row.action === 'end');
    const shrunk = own.filter((row) => row.action === 'shrink');
    return {
      programId: program.id,
      programName: program.name,
      phase: phaseOf(program, asOf),
      endOfSupport: program.endOfSupport,
      ...(program.billingStart ? { billingStart: program.billingStart } : {}),
      ...(program.backBilledTo ? { backBilledTo: program.backBilledTo } : {}),
      machinesNeeding: placed.length + unplanned.filter((item) => item.need.programId === program.id).length,
      machinesOnExisting: placed.filter((item) => !item.proposed).length,
      machinesOnProposed: placed.filter((item) => item.proposed).length,
      machinesUnplanned: unplanned.filter((item) => item.need.programId === program.id).length,
      licensesToCreate: created.length,
      coresToCreate: created.reduce((sum, row) => sum + row.processorsAfter, 0),
      licensesToShrink: shrunk.length,
      licensesToRemove: removed.length,
      coresToRemove: [...removed, ...shrunk].reduce((sum, row) => sum + row.processors - row.processorsAfter, 0),
      coresBilledNow: billed.filter((row) => !row.proposed).reduce((sum, row) => sum + row.processors, 0),
      coresBilledAfter: billed.reduce((sum, row) => sum + row.processorsAfter, 0),
    };
  });
}
