import type { EsuLicense } from '../domain/license.js';
import { compareIds, compareText, evenUp, groupBy, Memo } from './order.js';
import type { PlanAssignment, PlanCoreType, PlanEdition, PlanLicenseRow, PlanNote } from '../domain/licensePlan.js';
import type { MachineNeed } from '../domain/licenseNeed.js';
import type { PlanSettings } from './planSettings.js';

export interface WaitingNeed {
  readonly need: MachineNeed;
  readonly coreType: PlanCoreType;
  readonly cores: number;
  readonly edition: PlanEdition;
}

/**
 * New licenses for the machines no existing license has room for: one per subscription, location, target, edition
 * and core type (a subscription pays for its own machines), split where a license would pass the 10,000-core limit,
 * sized in whole 2-core packs. Each lands in the resource group that holds most of its machines (ties: by name), or
 * the next one when that group already has its 800 licenses. Names are stable while the group exists, so a machine
 * joining changes the license's size, not its name.
 */
export function proposeLicenses(waiting: readonly WaitingNeed[], existing: readonly EsuLicense[], settings: PlanSettings, notes: PlanNote[]): { rows: PlanLicenseRow[]; assignments: PlanAssignment[] } {
  const lower = new Memo((text: string) => text.toLowerCase());
  const groups = groupBy(waiting, (item) => `${lower.of(item.need.subscriptionId)}|${lower.of(item.need.location ?? '')}|${lower.of(item.need.target)}|${item.edition}|${item.coreType}`);
  const takenIds = new Set(existing.map((license) => license.id.toLowerCase()));
  const perResourceGroup = new Map<string, number>();
  for (const license of existing) {
    const key = `${license.subscriptionId}/${license.resourceGroup}`.toLowerCase();
    perResourceGroup.set(key, (perResourceGroup.get(key) ?? 0) + 1);
  }
  const rows: PlanLicenseRow[] = [];
  const assignments: PlanAssignment[] = [];
  for (const key of [...groups.keys()].sort()) {
    const members = groups.get(key)!.sort((a, b) => compareText(a.need.machineId, b.need.machineId));
    const first = members[0]!.need;
    const { coreType, edition } = members[0]!;
    const resourceGroups = resourceGroupsByMachines(members);
    for (const [index, part] of splitAtLimit(members, settings.maximumLicenseCores).entries()) {
      const resourceGroup = resourceGroups.find((name) => (perResourceGroup.get(`${first.subscriptionId}/${name}`.toLowerCase()) ?? 0) < settings.maximumLicensesPerResourceGroup);
      if (!resourceGroup) {
        notes.push({ code: 'resource-group-full', text: `Every resource group of subscription ${first.subscriptionId} that holds these machines already has ${settings.maximumLicensesPerResourceGroup} licenses: create a resource group for the ${part.length} machine(s) of ${first.target} ${edition} ${coreType}.` });
        continue;
      }
      const name = freeName(baseName(first, edition, coreType, index), first.subscriptionId, resourceGroup, takenIds);
      const licenseId = `/subscriptions/${first.subscriptionId}/resourceGroups/${resourceGroup}/providers/Microsoft.HybridCompute/licenses/${name}`;
      takenIds.add(licenseId.toLowerCase());
      const rgKey = `${first.subscriptionId}/${resourceGroup}`.toLowerCase();
      perResourceGroup.set(rgKey, (perResourceGroup.get(rgKey) ?? 0) + 1);
      const cores = part.reduce((sum, item) => sum + item.cores, 0);
      const minimum = coreType === 'pCore' ? settings.pCoreMinimum : settings.vCoreMinimum;
      rows.push({
        licenseId, name, subscriptionId: first.subscriptionId, resourceGroup, location: first.location, programId: first.programId, target: first.target,
        edition, coreType, state: undefined, proposed: true, action: 'create', processors: 0, processorsAfter: Math.max(minimum, evenUp(cores)),
        coresUsed: 0, coresPlanned: cores, machinesLinked: 0, machinesPlanned: part.length,
        plannedBySubscription: { [first.subscriptionId.toLowerCase()]: part.length },
        ...(first.location ? {} : { regionFrom: { name: first.machineName, resourceGroup: first.resourceGroup, subscriptionId: first.subscriptionId } }),
      });
      for (const item of part) assignments.push({ need: item.need, cores: item.cores, coreType, licenseId, licenseName: name, proposed: true });
    }
  }
  return { rows, assignments };
}

/** `esu-ws2016-standard-vcore-westeurope`, `-2` for the second license of a group past 10,000 cores. */
function baseName(need: MachineNeed, edition: PlanEdition, coreType: PlanCoreType, index: number): string {
  const parts = ['esu', need.programId, edition, coreType, need.location ?? 'region'].map((part) => part.toLowerCase().replace(/[^a-z0-9-]/g, ''));
  return `${parts.join('-')}${index > 0 ? `-${index + 1}` : ''}`;
}

/** The name, or with `-new`, `-new2`… when a license of that name already exists in the resource group. */
function freeName(name: string, subscriptionId: string, resourceGroup: string, taken: ReadonlySet<string>): string {
  const idOf = (candidate: string) => `/subscriptions/${subscriptionId}/resourceGroups/${resourceGroup}/providers/Microsoft.HybridCompute/licenses/${candidate}`.toLowerCase();
  if (!taken.has(idOf(name))) return name;
  for (let n = 1; ; n += 1) {
    const candidate = `${name}-new${n > 1 ? n : ''}`;
    if (!taken.has(idOf(candidate))) return candidate;
  }
}

/** Resource groups of the members, most machines first, ties by name. */
function resourceGroupsByMachines(members: readonly WaitingNeed[]): string[] {
  const counts = new Map<string, { name: string; count: number }>();
  for (const { need } of members) {
    const key = need.resourceGroup.toLowerCase();
    const known = counts.get(key);
    if (known) known.count += 1;
    else counts.set(key, { name: need.resourceGroup, count: 1 });
  }
  return [...counts.values()].sort((a, b) => b.count - a.count || compareIds(a.name, b.name)).map((item) => item.name);
}

/** Consecutive parts whose cores, in whole 2-core packs, stay within the per-license limit. */
function splitAtLimit(members: readonly WaitingNeed[], limit: number): WaitingNeed[][] {
  const parts: WaitingNeed[][] = [];
  let current: WaitingNeed[] = [];
  let cores = 0;
  for (const item of members) {
    if (current.length > 0 && evenUp(cores + item.cores) > limit) {
      parts.push(current);
      current = [];
      cores = 0;
    }
    current.push(item);
    cores += item.cores;
  }
  if (current.length > 0) parts.push(current);
  return parts;
}
