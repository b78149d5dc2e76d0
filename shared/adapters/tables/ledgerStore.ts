import type { TableClient } from '@azure/data-tables';
import { odata } from '@azure/data-tables';
import { LicenseLedger, type LedgerData } from '../../plan/licenseLedger.js';
import { submitEntityTransaction, TRANSACTION_LIMIT, type EntityAction } from './entityTransaction.js';
import { chunk, encodeKey, partitionKeyForSubscription } from './tableKeys.js';
import { splitText } from './propertyLimits.js';
import type { LedgerArchive } from '../../scan/scanPorts.js';

/**
 * Each subscription scan's license ledger, kept per scan run (partition = scan id, one row per
 * subscription and chunk) until the run's tenant phase merges them. Re-saving a subscription
 * replaces its rows, so a re-delivered scan never counts twice.
 */
export class LedgerStore implements LedgerArchive {
  /** Table properties hold at most 64 KiB of text; a chunk stays well below. */
  private static readonly CHUNK_CHARS = 30_000;

  constructor(private readonly table: TableClient) {}

  async save(scanId: string, subscriptionId: string, ledger: LicenseLedger): Promise<void> {
    const partitionKey = encodeKey(scanId);
    const prefix = partitionKeyForSubscription(subscriptionId);
    const text = JSON.stringify(ledger.toJSON());
    // Sliced, not spread into characters: a 100,000-machine subscription's needs are tens of MB of JSON.
    const parts = splitText(text, LedgerStore.CHUNK_CHARS);
    const actions = parts.map((data, index): EntityAction => [
      'upsert',
      { partitionKey, rowKey: `${prefix}~${String(index).padStart(4, '0')}`, subscriptionId, part: index, parts: parts.length, data },
      'Replace',
    ]);
    for (const batch of chunk(actions, TRANSACTION_LIMIT)) await submitEntityTransaction(this.table, batch);
  }

  async load(scanId: string, minimums?: { pCore: number; vCore: number }): Promise<LicenseLedger> {
    const bySubscription = new Map<string, { part: number; parts: number; data: string }[]>();
    const rows = this.table.listEntities<{ subscriptionId?: string; part?: number; parts?: number; data?: string }>({
      queryOptions: { filter: odata`PartitionKey eq ${encodeKey(scanId)}` },
    });
    for await (const row of rows) {
      const key = row.subscriptionId ?? '';
      bySubscription.set(key, [...(bySubscription.get(key) ?? []), { part: row.part ?? 0, parts: row.parts ?? 1, data: row.data ?? '' }]);
    }
    const merged = new LicenseLedger(minimums);
    for (const parts of bySubscription.values()) {
      // A re-save with fewer chunks leaves old trailing rows; the first chunk says how many count.
      const sorted = parts.sort((a, b) => a.part - b.part);
      const text = sorted.slice(0, sorted[0]?.parts ?? 0).map((p) => p.data).join('');
      merged.merge(LicenseLedger.fromJSON(JSON.parse(text) as Partial<LedgerData>, minimums));
    }
    return merged;
  }
}
