import type { TableClient } from '@azure/data-tables';
import { isRestError } from '@azure/core-rest-pipeline';
import { asRecord, asString } from '../../domain/read.js';

const ROW_KEY = 'findings';

/**
 * Which findings partitions have ever been written: one row per subscription (table `esusubscriptions`),
 * always written before the first finding row of its partition and never removed. So a partition without an
 * index row holds no rows, and a subscription's first scan learns that from one point read instead of
 * querying its partition. (That query costs one request on Table Storage, but Azurite evaluates every query
 * against every row of the table, so 500 first scans reading empty partitions cost it as much as their writes.)
 */
export class PartitionIndex {
  /** Partitions known to be indexed; a pending promise while this process writes the row. */
  private readonly indexed = new Map<string, Promise<void>>();

  constructor(private readonly table: TableClient) {}

  /** False only when no row was ever written into the partition; a missing index table is an error, not "empty". */
  async has(partitionKey: string): Promise<boolean> {
    const known = this.indexed.get(partitionKey);
    if (known) {
      // This process is writing the row; if that fails, what the table says decides.
      const written = await known.then(() => true, () => false);
      if (written) return true;
    }
    try {
      await this.table.getEntity(partitionKey, ROW_KEY);
    } catch (error) {
      if (isRestError(error) && error.statusCode === 404 && errorCodeOf(error) !== 'TableNotFound') return false;
      throw error;
    }
    this.indexed.set(partitionKey, Promise.resolve());
    return true;
  }

  /** Indexes the partitions (once per process each); call before writing rows into them. */
  async add(partitionKeys: Iterable<string>): Promise<void> {
    const writes: Promise<void>[] = [];
    for (const partitionKey of partitionKeys) {
      let write = this.indexed.get(partitionKey);
      if (!write) {
        write = this.table.upsertEntity({ partitionKey, rowKey: ROW_KEY }, 'Merge').then(() => undefined);
        // A failed write is forgotten, so the next call tries again.
        write.catch(() => this.indexed.delete(partitionKey));
        this.indexed.set(partitionKey, write);
      }
      writes.push(write);
    }
    await Promise.all(writes);
  }
}

/** The service's error code (the `x-ms-error-code` header, as the SDK keeps it in `details`). */
function errorCodeOf(error: { details?: unknown }): string | undefined {
  return asString(asRecord(error.details)?.['errorCode']);
}
