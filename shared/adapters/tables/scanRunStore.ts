import type { TableClient } from '@azure/data-tables';
import { odata } from '@azure/data-tables';
import type { ScanRunSummary, SubscriptionScanSummary } from '../../scan/summary.js';
import { encodeKey, partitionKeyForSubscription } from './tableKeys.js';

const RUN_PARTITION = 'run';

/** One row per scan run (partition `run`) and one per subscription scanned in it (partition = scan id). */
export class ScanRunStore {
  constructor(private readonly table: TableClient) {}

  async recordRun(run: ScanRunSummary): Promise<void> {
    await this.table.upsertEntity({
      partitionKey: RUN_PARTITION,
      rowKey: encodeKey(run.scanId),
      ...flatten(run),
    }, 'Replace');
  }

  async recordSubscription(summary: SubscriptionScanSummary): Promise<void> {
    await this.table.upsertEntity({
      partitionKey: encodeKey(summary.scanId),
      rowKey: partitionKeyForSubscription(summary.subscriptionId),
      ...flatten(summary),
    }, 'Replace');
  }

  /**
   * Recomputes a run's totals from its per-subscription rows (idempotent, so a re-delivered scan
   * never counts twice). Concurrent finishers may each write a partial total; the last one is complete.
   */
  async refreshRunTotals(scanId: string): Promise<{ subscriptionsScanned: number; subscriptionsRequested?: number }> {
    const totals: Record<string, number> = { subscriptionsScanned: 0, machines: 0, jobs: 0 };
    for await (const row of this.listSubscriptionScans(scanId)) {
      totals['subscriptionsScanned'] = (totals['subscriptionsScanned'] ?? 0) + 1;
      for (const [key, value] of Object.entries(row)) {
        if (typeof value === 'number' && (key === 'machines' || key === 'jobs' || key.startsWith('counts_'))) totals[key] = (totals[key] ?? 0) + value;
      }
    }
    await this.table.upsertEntity({ partitionKey: RUN_PARTITION, rowKey: encodeKey(scanId), scanId, ...totals }, 'Merge');
    const run = await this.table.getEntity<{ subscriptionsRequested?: number }>(RUN_PARTITION, encodeKey(scanId));
    return { subscriptionsScanned: totals['subscriptionsScanned'] ?? 0, subscriptionsRequested: run.subscriptionsRequested };
  }

  async *listSubscriptionScans(scanId: string): AsyncIterable<Record<string, unknown>> {
    yield* this.table.listEntities({ queryOptions: { filter: odata`PartitionKey eq ${encodeKey(scanId)}` } });
  }

  async latestRun(): Promise<Record<string, unknown> | undefined> {
    let latest: Record<string, unknown> | undefined;
    for await (const row of this.table.listEntities({ queryOptions: { filter: odata`PartitionKey eq ${RUN_PARTITION}` } })) {
      if (!latest || String(row['startedAt']) > String(latest['startedAt'])) latest = row;
    }
    return latest;
  }
}

/** Table entities are flat: nested counts become `counts_Failed` etc. */
function flatten(value: object): Record<string, string | number | boolean> {
  const row: Record<string, string | number | boolean> = {};
  for (const [key, item] of Object.entries(value)) {
    if (item === undefined || item === null) continue;
    if (typeof item === 'object') {
      for (const [innerKey, innerValue] of Object.entries(item as Record<string, unknown>)) {
        if (typeof innerValue === 'number' || typeof innerValue === 'string' || typeof innerValue === 'boolean') row[`${key}_${innerKey}`] = innerValue;
      }
    } else if (typeof item === 'number' || typeof item === 'string' || typeof item === 'boolean') {
      row[key] = item;
    }
  }
  return row;
}
