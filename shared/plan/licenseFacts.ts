import type { EsuLicense } from '../domain/license.js';
import { parseResourceId } from '../domain/resourceId.js';
import { phaseOf, programOfTarget, type ProgramCatalogue } from '../programs/program.js';
import type { LicenseLedgerEntry, LicenseUsage, LinkedMachineContribution, TaggedUsage } from './licenseLedger.js';

/** Shared readings of ESU license fields for the license rules: tolerant of casing, never throwing. */

export type LicenseEdition = 'Standard' | 'Datacenter';
export type LicenseCoreType = 'pCore' | 'vCore';
export type LicenseState = 'Activated' | 'Deactivated';

/** Licenses whose `licenseType` is set to something other than ESU are not ESU licenses: no result. */
export function isEsuLicense(license: EsuLicense | undefined): license is EsuLicense {
  if (typeof license !== 'object' || license === null) return false;
  return license.licenseType === undefined || String(license.licenseType).toUpperCase() === 'ESU';
}

export function editionOf(raw: unknown): LicenseEdition | undefined {
  const text = typeof raw === 'string' ? raw.trim().toLowerCase() : '';
  return text === 'standard' ? 'Standard' : text === 'datacenter' ? 'Datacenter' : undefined;
}

export function coreTypeOf(raw: unknown): LicenseCoreType | undefined {
  const text = typeof raw === 'string' ? raw.trim().toLowerCase() : '';
  return text === 'pcore' ? 'pCore' : text === 'vcore' ? 'vCore' : undefined;
}

export function stateOf(raw: unknown): LicenseState | undefined {
  const text = typeof raw === 'string' ? raw.trim().toLowerCase() : '';
  return text === 'activated' ? 'Activated' : text === 'deactivated' ? 'Deactivated' : undefined;
}

/**
 * A license of a program that has ended at `now`: only ESU.License.Program judges it (deactivate, delete);
 * sizing, combination and capacity advice for it would be advice to pay for nothing.
 */
export function ofEndedProgram(license: EsuLicense, programs: ProgramCatalogue, now: Date): boolean {
  const program = programOfTarget(programs, license.target);
  return program !== undefined && phaseOf(program, now) === 'ended';
}

/** No core type yet, on a license of a program that lets it be chosen when ESU is enabled (Windows Server 2016). */
export function coreTypeNotYetChosen(license: EsuLicense, programs: ProgramCatalogue): boolean {
  return (license.type === undefined || license.type.trim() === '') && programOfTarget(programs, license.target)?.coreTypeChosenLater === true;
}

/** The provisioned core count when it is a whole, non-negative number. */
export function processorsOf(license: EsuLicense): number | undefined {
  const value = license.processors;
  return value !== undefined && Number.isInteger(value) && value >= 0 ? value : undefined;
}

/** How a raw field is shown in evidence and messages: its text, or `missing`. */
export function shown(raw: unknown): string {
  if (raw === undefined || raw === null) return 'missing';
  if (typeof raw === 'string') return raw.trim() === '' ? 'empty' : raw;
  return JSON.stringify(raw);
}

const count = (value: unknown): number => (typeof value === 'number' && Number.isInteger(value) && value > 0 ? value : 0);

/** The usage of a ledger entry with every count a whole number and the sample a list, whatever was stored. */
export function usageOf(entry: LicenseLedgerEntry): LicenseUsage {
  const usage: Partial<LicenseUsage> = typeof entry.usage === 'object' && entry.usage !== null ? entry.usage : {};
  const sample = Array.isArray(usage.sample)
    ? usage.sample.filter((item): item is LinkedMachineContribution => typeof item === 'object' && item !== null)
    : [];
  return {
    linkedMachines: count(usage.linkedMachines),
    physicalServers: count(usage.physicalServers),
    physicalCoresRequired: count(usage.physicalCoresRequired),
    physicalUnknownCores: count(usage.physicalUnknownCores),
    virtualMachines: count(usage.virtualMachines),
    virtualCoresRequired: count(usage.virtualCoresRequired),
    virtualUnknownCores: count(usage.virtualUnknownCores),
    unknownHosts: count(usage.unknownHosts),
    sample,
    tagged: taggedOf(usage.tagged),
  };
}

function taggedOf(raw: unknown): LicenseUsage['tagged'] {
  const tagged: LicenseUsage['tagged'] = {};
  if (typeof raw !== 'object' || raw === null) return tagged;
  for (const [value, part] of Object.entries(raw as Record<string, Partial<TaggedUsage>>)) {
    if (typeof part !== 'object' || part === null) continue;
    tagged[value] = { machines: count(part.machines), physicalCores: count(part.physicalCores), virtualCores: count(part.virtualCores), virtualMachines: count(part.virtualMachines) };
  }
  return tagged;
}

/**
 * Linked machines whose `ESU Usage` tag the license's own tag exempts: a Visual Studio dev/test or disaster
 * recovery machine on a license tagged with the same value or `MULTIPURPOSE` adds no cores ("Deliver ESU",
 * additional scenarios). Only programs with those exceptions (WS2012) have tag values.
 */
export function exemptUsageOf(license: EsuLicense, usage: LicenseUsage, programs: ProgramCatalogue): TaggedUsage & { readonly values: readonly string[] } {
  const tags = programOfTarget(programs, license.target)?.usageTags;
  const exempt = { machines: 0, physicalCores: 0, virtualCores: 0, virtualMachines: 0, values: [] as string[] };
  if (!tags || !license.esuUsage) return exempt;
  for (const value of [tags.devTest, tags.disasterRecovery]) {
    const part = usage.tagged[value];
    if (!part || (license.esuUsage !== value && license.esuUsage !== tags.multipurpose)) continue;
    exempt.machines += part.machines;
    exempt.physicalCores += part.physicalCores;
    exempt.virtualCores += part.virtualCores;
    exempt.virtualMachines += part.virtualMachines;
    exempt.values.push(value);
  }
  return exempt;
}

/** A sentence for evidence when the sample does not list every linked machine. */
export function sampleNote(usage: LicenseUsage): string | undefined {
  return usage.linkedMachines > usage.sample.length
    ? `Showing the first ${usage.sample.length} of ${usage.linkedMachines} linked machines.`
    : undefined;
}

export function machineLabel(item: LinkedMachineContribution): string {
  return typeof item.machineName === 'string' && item.machineName !== '' ? item.machineName : parseResourceId(String(item.machineId ?? '')).name || 'unnamed machine';
}

export function knownCores(item: LinkedMachineContribution): number | undefined {
  return typeof item.cores === 'number' && Number.isInteger(item.cores) && item.cores > 0 ? item.cores : undefined;
}

/** The resource id a license named `name` gets in the resource group of `license`. */
export function siblingLicenseId(license: EsuLicense, name: string): string {
  return `/subscriptions/${license.subscriptionId}/resourceGroups/${license.resourceGroup}/providers/Microsoft.HybridCompute/licenses/${name}`;
}

export interface ReplacementLicense {
  readonly name: string;
  readonly edition: LicenseEdition;
  readonly type: LicenseCoreType;
  readonly processors: number;
}

/** What a license's linked machines need of it, by its core type (ESU.License.Capacity and the license plan). */
export interface CoresRequired {
  readonly required: number;
  readonly physicalRequired: number;
  readonly virtualAllowance: number;
  /** Machines counted at the minimum: no core count, or no host type. */
  readonly uncertainMachines: number;
}

/**
 * vCore: Σ max(8, vCPUs) over linked VMs, unknown counts and host types at the minimum, tagged exemptions off;
 * physical servers are not covered at all (ESU.License.VCoreOnPhysical). pCore: Σ max(16, cores) over physical
 * servers, plus the host cores VMs on it may need (see hostCoresForGuests). Unknown counts are taken at their most
 * favourable value, so a shortfall is certain.
 */
export function coresRequired(
  type: LicenseCoreType,
  edition: LicenseEdition | undefined,
  usage: LicenseUsage,
  exempt: TaggedUsage,
  minimums: { readonly pCoreMinimum: number; readonly vCoreMinimum: number },
): CoresRequired {
  const { pCoreMinimum: pMin, vCoreMinimum: vMin } = minimums;
  if (type === 'vCore') {
    const uncertainMachines = usage.virtualUnknownCores + usage.unknownHosts;
    const required = usage.virtualCoresRequired - exempt.virtualCores + uncertainMachines * vMin;
    return { required, physicalRequired: 0, virtualAllowance: 0, uncertainMachines };
  }
  const physicalRequired = usage.physicalCoresRequired - exempt.physicalCores + usage.physicalUnknownCores * pMin;
  // Hosts of unknown type are taken as VMs: the cheapest reading for a pCore license.
  const guests = usage.virtualMachines - exempt.virtualMachines + usage.unknownHosts;
  const virtualAllowance = hostCoresForGuests(guests, edition, usage.physicalServers, physicalRequired, pMin);
  return { required: physicalRequired + virtualAllowance, physicalRequired, virtualAllowance, uncertainMachines: usage.physicalUnknownCores + usage.unknownHosts };
}

/**
 * The fewest extra pCore cores that could cover `guests` VMs whose hosts Arc cannot see.
 * Datacenter covers any number of VMs on a licensed host: none extra when a linked physical server may be
 * that host, else one host at the minimum. An unknown edition is read as Datacenter, the more favourable.
 * Standard covers 2 VMs per 16 licensed cores: VMs beyond what the linked physical servers' licensed cores
 * already allow need 16 more cores per 2 VMs.
 */
function hostCoresForGuests(guests: number, edition: LicenseEdition | undefined, physicalServers: number, physicalRequired: number, pMin: number): number {
  if (guests === 0) return 0;
  if (edition !== 'Standard') return physicalServers > 0 ? 0 : pMin;
  const slotsOnLinkedHosts = 2 * Math.floor(physicalRequired / pMin);
  const extraGuests = Math.max(0, guests - slotsOnLinkedHosts);
  return pMin * Math.ceil(extraGuests / 2);
}
