import type { EsuLicense } from '../domain/license.js';
import { licenseKeys, linkKeys, type LicenseLink } from '../domain/licenseLink.js';
import type { HostType } from '../domain/hostProfile.js';
import type { PolicyAssignment } from '../domain/policyAssignment.js';
import type { MachineNeed } from '../domain/licenseNeed.js';

/** One linked machine's part in a license's core count, as shown in evidence. */
export interface LinkedMachineContribution {
  readonly machineId: string;
  readonly machineName: string;
  readonly subscriptionId: string;
  readonly hostType: HostType;
  readonly cores?: number;
  readonly inScope: boolean;
  readonly freeEnvironment?: string;
  /** The machine's `ESU Usage` tag, upper-cased (dev/test and disaster-recovery exceptions). */
  readonly esuUsage?: string;
}

/** The share of a license's counts that comes from machines with one `ESU Usage` tag value. */
export interface TaggedUsage {
  machines: number;
  physicalCores: number;
  virtualCores: number;
  virtualMachines: number;
}

/** Small per-license aggregates: memory grows with licenses, not with machines. */
export interface LicenseUsage {
  linkedMachines: number;
  physicalServers: number;
  /** Σ max(16, physical cores) over physical servers whose core count is known. */
  physicalCoresRequired: number;
  physicalUnknownCores: number;
  virtualMachines: number;
  /** Σ max(8, vCPUs) over VMs whose vCPU count is known. */
  virtualCoresRequired: number;
  virtualUnknownCores: number;
  unknownHosts: number;
  /** Contributions of the machines with the smallest ids, for evidence; capped. */
  sample: LinkedMachineContribution[];
  /** By `ESU Usage` tag value of the linked machines (untagged machines are not here). */
  tagged: Record<string, TaggedUsage>;
}

export const SAMPLE_LIMIT = 25;

export function emptyUsage(): LicenseUsage {
  return {
    linkedMachines: 0, physicalServers: 0, physicalCoresRequired: 0, physicalUnknownCores: 0,
    virtualMachines: 0, virtualCoresRequired: 0, virtualUnknownCores: 0, unknownHosts: 0, sample: [], tagged: {},
  };
}

export function mergeUsage(into: LicenseUsage, other: LicenseUsage): LicenseUsage {
  into.linkedMachines += other.linkedMachines;
  into.physicalServers += other.physicalServers;
  into.physicalCoresRequired += other.physicalCoresRequired;
  into.physicalUnknownCores += other.physicalUnknownCores;
  into.virtualMachines += other.virtualMachines;
  into.virtualCoresRequired += other.virtualCoresRequired;
  into.virtualUnknownCores += other.virtualUnknownCores;
  into.unknownHosts += other.unknownHosts;
  for (const item of other.sample) addToSample(into.sample, item);
  for (const [value, part] of Object.entries(other.tagged ?? {})) {
    const total = (into.tagged[value] ??= { machines: 0, physicalCores: 0, virtualCores: 0, virtualMachines: 0 });
    total.machines += part.machines;
    total.physicalCores += part.physicalCores;
    total.virtualCores += part.virtualCores;
    total.virtualMachines += part.virtualMachines;
  }
  return into;
}

/**
 * Keeps the sample as the SAMPLE_LIMIT machines with the smallest ids: the same set whatever order
 * subscriptions finish in, so evidence (and its fingerprint) never changes by chance.
 */
function addToSample(sample: LinkedMachineContribution[], item: LinkedMachineContribution): void {
  const id = item.machineId.toLowerCase();
  if (sample.length >= SAMPLE_LIMIT && id >= (sample[sample.length - 1]?.machineId.toLowerCase() ?? '')) return;
  let index = sample.length;
  while (index > 0 && (sample[index - 1]?.machineId.toLowerCase() ?? '') > id) index -= 1;
  if (sample[index - 1]?.machineId.toLowerCase() === id) return;
  sample.splice(index, 0, item);
  if (sample.length > SAMPLE_LIMIT) sample.pop();
}

/** A license with everything linked to it across the tenant: the subject of tenant-wide license rules. */
export interface LicenseLedgerEntry {
  readonly license: EsuLicense;
  readonly usage: LicenseUsage;
  /** Licenses in the tenant with the same name (this one included). */
  readonly sameNameCount: number;
}

/**
 * Collects licenses and what links to them, per scan. Subscription scans fill one each; a run merges
 * them, because a license can serve machines in other subscriptions of the tenant.
 */
export class LicenseLedger {
  private readonly licenses = new Map<string, EsuLicense>();
  private readonly usage = new Map<string, LicenseUsage>();
  /** Enforced ESU license Deny assignments seen by the subscription scans, by id: tenant-phase license jobs name them. */
  private readonly blockers = new Map<string, PolicyAssignment>();
  /** In-scope, eligible machines with no license: the license plan's demand. */
  private readonly machineNeeds: MachineNeed[] = [];
  private readonly texts = new Map<string, string>();
  /** Subscriptions whose scan could not read every list: their licenses or machines may be missing from the plan. */
  private readonly incomplete = new Set<string>();

  constructor(private readonly minimums: { readonly pCore: number; readonly vCore: number } = { pCore: 16, vCore: 8 }) {}

  registerLicense(license: EsuLicense): void {
    this.licenses.set(license.id.toLowerCase(), license);
  }

  addLink(link: LicenseLink, contribution: LinkedMachineContribution): void {
    // Attribute to one key only, so a license found by both keys never counts a machine twice.
    const key = linkKeys(link)[0];
    if (!key) return;
    const usage = this.usage.get(key) ?? emptyUsage();
    usage.linkedMachines += 1;
    if (contribution.hostType === 'Physical') {
      usage.physicalServers += 1;
      if (contribution.cores === undefined) usage.physicalUnknownCores += 1;
      else usage.physicalCoresRequired += Math.max(this.minimums.pCore, contribution.cores);
    } else if (contribution.hostType === 'Virtual') {
      usage.virtualMachines += 1;
      if (contribution.cores === undefined) usage.virtualUnknownCores += 1;
      else usage.virtualCoresRequired += Math.max(this.minimums.vCore, contribution.cores);
    } else {
      usage.unknownHosts += 1;
    }
    if (contribution.esuUsage) {
      // The cores this machine adds above, so a license whose tag exempts it can take them off again.
      const tagged = (usage.tagged[contribution.esuUsage] ??= { machines: 0, physicalCores: 0, virtualCores: 0, virtualMachines: 0 });
      tagged.machines += 1;
      if (contribution.hostType === 'Physical') tagged.physicalCores += Math.max(this.minimums.pCore, contribution.cores ?? this.minimums.pCore);
      if (contribution.hostType === 'Virtual') {
        tagged.virtualMachines += 1;
        tagged.virtualCores += Math.max(this.minimums.vCore, contribution.cores ?? this.minimums.vCore);
      }
    }
    addToSample(usage.sample, contribution);
    this.usage.set(key, usage);
  }

  markIncomplete(subscriptionId: string): void {
    this.incomplete.add(subscriptionId.toLowerCase());
  }

  incompleteSubscriptions(): string[] {
    return [...this.incomplete].sort();
  }

  addNeed(need: MachineNeed): void {
    // A tenant's needs repeat a few subscriptions, groups, regions and targets: one copy of each text (100,000 needs).
    const shared = (text: string): string => {
      const known = this.texts.get(text);
      if (known !== undefined) return known;
      this.texts.set(text, text);
      return text;
    };
    this.machineNeeds.push({
      ...need,
      subscriptionId: shared(need.subscriptionId),
      resourceGroup: shared(need.resourceGroup),
      target: shared(need.target),
      ...(need.location !== undefined ? { location: shared(need.location) } : {}),
    });
  }

  /** Every unlinked machine's need, as the subscriptions reported them (the plan orders them itself). */
  needs(): readonly MachineNeed[] {
    return this.machineNeeds;
  }

  addLicenseWriteBlockers(assignments: readonly PolicyAssignment[]): void {
    for (const assignment of assignments) this.blockers.set(assignment.id.toLowerCase(), assignment);
  }

  licenseWriteBlockers(): PolicyAssignment[] {
    return [...this.blockers.values()];
  }

  merge(other: LicenseLedger): this {
    for (const [id, assignment] of other.blockers) this.blockers.set(id, assignment);
    for (const [id, license] of other.licenses) this.licenses.set(id, license);
    for (const [key, usage] of other.usage) this.usage.set(key, mergeUsage(this.usage.get(key) ?? emptyUsage(), usage));
    // The other ledger's needs already share their texts: taken over as they are, not copied.
    for (const need of other.machineNeeds) this.machineNeeds.push(need);
    for (const subscriptionId of other.incomplete) this.incomplete.add(subscriptionId);
    return this;
  }

  /** Usage linked to a license so far, under any key it answers to. */
  usageOf(license: EsuLicense): LicenseUsage {
    const total = emptyUsage();
    for (const key of licenseKeys(license)) {
      const usage = this.usage.get(key);
      if (usage) mergeUsage(total, usage);
    }
    return total;
  }

  /**
   * Every license with what links to it, then one entry per license that machines name but no scanned
   * subscription holds (`license.licenseType` = `NOT_FOUND`, so only the rule about such links reads it).
   */
  entries(): LicenseLedgerEntry[] {
    const names = new Map<string, number>();
    for (const license of this.licenses.values()) names.set(license.name.toLowerCase(), (names.get(license.name.toLowerCase()) ?? 0) + 1);
    const found = [...this.licenses.values()]
      .sort((a, b) => a.id.localeCompare(b.id))
      .map((license) => ({ license, usage: this.usageOf(license), sameNameCount: names.get(license.name.toLowerCase()) ?? 1 }));
    const known = new Set([...this.licenses.values()].flatMap(licenseKeys));
    const missing = [...this.usage.entries()]
      .filter(([key]) => !known.has(key))
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([key, usage]) => ({ license: missingLicense(key), usage: mergeUsage(emptyUsage(), usage), sameNameCount: 0 }));
    return [...found, ...missing];
  }

  /** Plain data for storage between a subscription scan and the run's tenant phase. */
  toJSON(): LedgerData {
    const blockers = this.licenseWriteBlockers();
    return {
      licenses: [...this.licenses.values()],
      usage: [...this.usage.entries()],
      ...(blockers.length > 0 ? { blockers } : {}),
      ...(this.machineNeeds.length > 0 ? { needs: this.machineNeeds } : {}),
      ...(this.incomplete.size > 0 ? { incomplete: [...this.incomplete] } : {}),
    };
  }

  static fromJSON(data: Partial<LedgerData>, minimums?: { pCore: number; vCore: number }): LicenseLedger {
    const ledger = new LicenseLedger(minimums);
    ledger.addLicenseWriteBlockers(Array.isArray(data.blockers) ? data.blockers.filter((b) => typeof b?.id === 'string' && Array.isArray(b.notScopes)) : []);
    for (const license of data.licenses ?? []) ledger.registerLicense(license);
    for (const [key, usage] of data.usage ?? []) ledger.usage.set(key, mergeUsage(emptyUsage(), usage));
    // Stored between a subscription scan and the tenant phase: only well-formed needs are planned.
    for (const need of Array.isArray(data.needs) ? data.needs : []) if (isMachineNeed(need)) ledger.addNeed(need);
    for (const subscriptionId of Array.isArray(data.incomplete) ? data.incomplete : []) if (typeof subscriptionId === 'string') ledger.markIncomplete(subscriptionId);
    return ledger;
  }
}

/** The ledger as stored between a subscription scan and the run's tenant phase. */
export interface LedgerData {
  licenses: EsuLicense[];
  usage: [string, LicenseUsage][];
  blockers?: PolicyAssignment[];
  needs?: MachineNeed[];
  incomplete?: string[];
}

function isMachineNeed(value: unknown): value is MachineNeed {
  if (typeof value !== 'object' || value === null) return false;
  const need = value as Record<string, unknown>;
  return ['machineId', 'machineName', 'subscriptionId', 'resourceGroup', 'programId', 'target', 'hostType', 'serverType'].every((key) => typeof need[key] === 'string')
    && (need['cores'] === undefined || typeof need['cores'] === 'number');
}

export const NOT_FOUND_LICENSE_TYPE = 'NOT_FOUND';

/** A stand-in for a license known only by the key machines link to it with. */
function missingLicense(key: string): EsuLicense {
  const immutableId = key.startsWith('imm:') ? key.slice(4) : undefined;
  const id = key.startsWith('id:') ? key.slice(3) : `/providers/Microsoft.HybridCompute/licenses/${immutableId ?? 'unknown'}`;
  const name = id.split('/').filter(Boolean).at(-1) ?? id;
  return { id, name, subscriptionId: '', resourceGroup: '', licenseType: NOT_FOUND_LICENSE_TYPE, hasDetails: false, immutableId };
}
