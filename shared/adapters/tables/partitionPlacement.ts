import { findingPartition, findingPartitionOfKey, partitionKeyForSubscription } from './tableKeys.js';
import type { FindingPartition, RowPlacement } from '../../scan/findingPorts.js';

/**
 * Rows a findings partition takes before new rows open the next one. Azurite finds a row by scanning its
 * partition, so its cost per write grows with the partition; real Table Storage serves about 2,000
 * entities/s per partition. A thousand rows keeps both at full speed and a subscription of up to a few
 * hundred machines in its one partition of old.
 */
export const PARTITION_ROW_LIMIT = 1_000;

/**
 * Where a subscription's new finding rows go: the first of its partitions with room, in chunk order, and a
 * new chunk when all are full. Rows never move: a row written again stays in its partition, so a change of
 * layout (or of the limit) needs no migration, and queries by subscription read every partition the index names.
 */
export class PartitionPlacement implements RowPlacement {
  private readonly partitions: { partition: FindingPartition; rows: number }[];
  private cursor = 0;

  constructor(private readonly subscriptionId: string, existing: readonly { partition: FindingPartition; rows: number }[] = [], private readonly limit = PARTITION_ROW_LIMIT) {
    this.partitions = [...existing].sort((a, b) => a.partition.chunk - b.partition.chunk).map((entry) => ({ ...entry }));
  }

  next(): FindingPartition {
    while (this.cursor < this.partitions.length && (this.partitions[this.cursor]?.rows ?? 0) >= this.limit) this.cursor += 1;
    let slot = this.partitions[this.cursor];
    if (!slot) {
      const chunk = this.partitions.reduce((highest, entry) => Math.max(highest, entry.partition.chunk + 1), 0);
      slot = { partition: findingPartition(this.subscriptionId, chunk), rows: 0 };
      this.partitions.push(slot);
    }
    slot.rows += 1;
    return slot.partition;
  }

  /** Rows per partition as placed so far (the largest is the benchmark's "entities per partition"). */
  sizes(): number[] {
    return this.partitions.map((entry) => entry.rows);
  }
}

/**
 * The tenant phase's rows (tenant-wide license rules, the license plan) live in their subscription's own chunks
 * from `TENANT_CHUNK_BASE` on, so a query by subscription still finds them (the partition index names them) and
 * 100,000 machines' plan rows never pile into one partition. Their sizes come from the tenant rows read back.
 */
export const TENANT_CHUNK_BASE = 5_000;

export class TenantPlacement implements RowPlacement {
  private readonly bySubscription = new Map<string, PartitionPlacement>();
  private readonly existing = new Map<string, { partition: FindingPartition; rows: number }[]>();
  /** The same slots by partition key: one lookup per stored row. */
  private readonly slots = new Map<string, { partition: FindingPartition; rows: number }>();

  constructor(private readonly limit = PARTITION_ROW_LIMIT) {}

  /** A stored tenant row in `partition` (rows in chunks below the base are left where they are and not counted). */
  count(partition: FindingPartition): void {
    if (partition.chunk < TENANT_CHUNK_BASE) return;
    const slot = this.slots.get(partition.partitionKey);
    if (slot) {
      slot.rows += 1;
      return;
    }
    const created = { partition, rows: 1 };
    this.slots.set(partition.partitionKey, created);
    const list = this.existing.get(partition.subscriptionKey);
    if (list) list.push(created);
    else this.existing.set(partition.subscriptionKey, [created]);
  }

  next(subscriptionId: string): FindingPartition {
    const key = partitionKeyForSubscription(subscriptionId);
    let placement = this.bySubscription.get(key);
    if (!placement) {
      const existing = this.existing.get(key) ?? [{ partition: findingPartitionOfKey(key, TENANT_CHUNK_BASE), rows: 0 }];
      placement = new PartitionPlacement(subscriptionId, existing, this.limit);
      this.bySubscription.set(key, placement);
    }
    return placement.next();
  }

  sizes(): number[] {
    return [...this.bySubscription.values()].flatMap((placement) => placement.sizes());
  }
}
