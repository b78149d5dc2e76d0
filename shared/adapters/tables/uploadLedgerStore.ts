import { odata, type TableClient } from '@azure/data-tables';
import type { UploadLedger } from '../../telemetry/uploadLedger.js';
import { encodeKey, fitKey } from './tableKeys.js';

/**
 * The upload ledger in Table Storage: one partition per unit and stream, one row per accepted part. A rerun
 * reads the partition first and skips those parts. Rows are small (a key, a count, a time); they are kept with
 * the run's other rows and can be deleted with them.
 */
export class UploadLedgerStore implements UploadLedger {
  constructor(private readonly table: TableClient) {}

  async acceptedParts(unit: string, stream: string): Promise<ReadonlySet<string>> {
    const parts = new Set<string>();
    const partitionKey = partitionOf(unit, stream);
    const rows = this.table.listEntities<{ part?: string }>({ queryOptions: { filter: odata`PartitionKey eq ${partitionKey}`, select: ['part'] } });
    for await (const row of rows) if (typeof row.part === 'string') parts.add(row.part);
    return parts;
  }

  async recordAccepted(unit: string, stream: string, part: string, records: number): Promise<void> {
    await this.table.upsertEntity({ partitionKey: partitionOf(unit, stream), rowKey: encodeKey(part), part, unit, stream, records, acceptedAt: new Date().toISOString() }, 'Replace');
  }
}

function partitionOf(unit: string, stream: string): string {
  return fitKey(encodeKey(`${unit}|${stream}`));
}
