import { findingPartition, type FindingPartition } from './tableKeys.js';

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
export class PartitionPlacement {
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
