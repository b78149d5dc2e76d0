import type { TableClient } from '@azure/data-tables';
import { odata } from '@azure/data-tables';
import { findingPartitionOfKey, partitionKeyForSubscription } from './tableKeys.js';
import type { FindingPartition, SubscriptionLayout } from '../../scan/findingPorts.js';

/** Chunk 0's index row keeps the name it had when a subscription had one partition. */
const FIRST_CHUNK_ROW = 'findings';
const CHUNK_ROW_PREFIX = 'findings-';
/** The subscription's size at its last complete scan: how its machines are read next time. */
const SIZE_ROW = 'size';

function indexRowKey(chunk: number): string {
  return chunk === 0 ? FIRST_CHUNK_ROW : `${CHUNK_ROW_PREFIX}${chunk}`;
}

function chunkOfRowKey(rowKey: string): number | undefined {
  if (rowKey === FIRST_CHUNK_ROW) return 0;
  if (!rowKey.startsWith(CHUNK_ROW_PREFIX)) return undefined;
  const chunk = Number(rowKey.slice(CHUNK_ROW_PREFIX.length));
  return Number.isSafeInteger(chunk) && chunk > 0 ? chunk : undefined;
}

/**
 * Which findings partitions have ever been written (table `esusubscriptions`): one row per partition of a
 * subscription, PartitionKey = the subscription's key, always written before the first finding row of its
 * partition and never removed. So a subscription's partitions are one small query away, a partition
 * without an index row holds no rows, and a first scan reads no findings partition at all. (Azurite
 * evaluates every query against every row of the table, so empty-partition queries would cost it as much
 * as writes.)
 */
export class PartitionIndex {
  /** Partitions known to be indexed; a pending promise while this process writes the row. */
  private readonly indexed = new Map<string, Promise<void>>();

  constructor(private readonly table: TableClient) {}

  /** The subscription's findings partitions (in chunk order) and size, in one query; a missing index table is an error, not "none". */
  async layoutOf(subscriptionId: string): Promise<SubscriptionLayout> {
    const subscriptionKey = partitionKeyForSubscription(subscriptionId);
    const chunks: number[] = [];
    let machinesLastScan: number | undefined;
    const rows = this.table.listEntities<{ machines?: unknown }>({ queryOptions: { filter: odata`PartitionKey eq ${subscriptionKey}`, select: ['RowKey', 'machines'] } });
    for await (const row of rows) {
      if (row.rowKey === SIZE_ROW && typeof row.machines === 'number' && Number.isFinite(row.machines)) machinesLastScan = row.machines;
      const chunk = chunkOfRowKey(row.rowKey ?? '');
      if (chunk !== undefined) chunks.push(chunk);
    }
    const partitions = chunks.sort((a, b) => a - b).map((chunk) => findingPartitionOfKey(subscriptionKey, chunk));
    for (const partition of partitions) this.indexed.set(partition.partitionKey, Promise.resolve());
    return machinesLastScan === undefined ? { partitions } : { partitions, machinesLastScan };
  }

  /** Records the machines a complete scan read (a write only when the number changed). */
  async recordMachines(subscriptionId: string, machines: number, layout?: SubscriptionLayout): Promise<void> {
    if (layout?.machinesLastScan === machines) return;
    await this.table.upsertEntity({ partitionKey: partitionKeyForSubscription(subscriptionId), rowKey: SIZE_ROW, machines }, 'Replace');
  }

  /** Indexes the partitions (once per process each); call before writing rows into them. */
  async add(partitions: Iterable<FindingPartition>): Promise<void> {
    const writes: Promise<void>[] = [];
    for (const partition of partitions) {
      let write = this.indexed.get(partition.partitionKey);
      if (!write) {
        write = this.table.upsertEntity({ partitionKey: partition.subscriptionKey, rowKey: indexRowKey(partition.chunk) }, 'Merge').then(() => undefined);
        // A failed write is forgotten, so the next call tries again.
        write.catch(() => this.indexed.delete(partition.partitionKey));
        this.indexed.set(partition.partitionKey, write);
      }
      writes.push(write);
    }
    await Promise.all(writes);
  }
}
