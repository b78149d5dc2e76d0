import type { ArmLists } from './armPorts.js';
import { asRecord } from '../domain/read.js';
import { orderedChains } from './orderedChains.js';

/**
 * How a large subscription's machines are read. One machines list is one `nextLink` chain: 1,000 pages of
 * 100 take 1,000 round trips one after another. A subscription that had `fromMachines` or more at its last
 * complete scan is read per resource group instead, `chains` at a time, each `lookahead` pages ahead; all
 * requests still go through the subscription's one ARM read budget.
 */
export interface ParallelReads {
  readonly fromMachines: number;
  readonly chains: number;
  readonly lookahead: number;
}

export const DEFAULT_PARALLEL_READS: ParallelReads = { fromMachines: 5_000, chains: 8, lookahead: 2 };

export interface MachineRead {
  readonly pages: AsyncIterable<unknown[]>;
  /** 1 for the subscription's list, else the resource groups read. Known once the first page is asked for. */
  chains(): number;
}

/**
 * The machine pages of a subscription: one chain, or one per resource group in the order ARM lists the groups
 * (so rules see machines in the same order every scan). A resource-group list that cannot be read or used
 * falls back to the subscription's list, which covers every machine either way.
 */
export function readMachinePages(arm: ArmLists, subscriptionId: string, machinesLastScan: number | undefined, reads: ParallelReads = DEFAULT_PARALLEL_READS): MachineRead {
  let chains = 1;
  async function* pages(): AsyncIterable<unknown[]> {
    const large = reads.fromMachines > 0 && machinesLastScan !== undefined && machinesLastScan >= reads.fromMachines;
    const groups = large ? await resourceGroupsOf(arm, subscriptionId) : undefined;
    if (!groups || groups.length < 2) {
      yield* arm.listMachinePages(subscriptionId);
      return;
    }
    chains = groups.length;
    yield* orderedChains(groups.map((group) => () => arm.listMachinePages(subscriptionId, group)), { concurrency: reads.chains, lookahead: reads.lookahead });
  }
  return { pages: pages(), chains: () => chains };
}

/** The subscription's resource group names, or undefined when the list is unreadable or not a clean list of them. */
async function resourceGroupsOf(arm: ArmLists, subscriptionId: string): Promise<string[] | undefined> {
  let items: unknown[];
  try {
    items = await arm.listResourceGroups(subscriptionId);
  } catch {
    return undefined;
  }
  const prefix = `/subscriptions/${subscriptionId.toLowerCase()}/resourcegroups/`;
  const names = new Set<string>();
  for (const item of items) {
    const group = asRecord(item);
    const name = group?.['name'];
    const id = group?.['id'];
    if (typeof name !== 'string' || name === '' || typeof id !== 'string' || id.toLowerCase() !== `${prefix}${name.toLowerCase()}`) return undefined;
    if (names.has(name.toLowerCase())) return undefined;
    names.add(name.toLowerCase());
  }
  return items.map((item) => String(asRecord(item)?.['name']));
}
