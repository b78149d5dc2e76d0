import type { EsuLicense } from '../../domain/license.js';
import { parseResourceId } from '../../domain/resourceId.js';
import { phaseOf, programOfTarget, type ProgramCatalogue } from '../../programs/program.js';
import type { LicenseLedgerEntry, LicenseUsage, LinkedMachineContribution, TaggedUsage } from '../../scan/licenseLedger.js';

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
