import type { TableClient } from '@azure/data-tables';
import { odata } from '@azure/data-tables';
import pLimit from 'p-limit';
import type { CheckResult } from '../../domain/findings.js';
import type { FindingRow, StoredFinding } from '../../alerts/transitions.js';
import { submitEntityTransaction, TRANSACTION_LIMIT, type EntityAction } from './entityTransaction.js';
import { entityToRow, entityToStored, rowToEntity, STATE_COLUMNS, type FindingEntity } from './entityCodec.js';
import type { PartitionIndex } from './partitionIndex.js';
import { chunk, findingRowKey, partitionKeyForSubscription } from './tableKeys.js';

export interface FindingQuery {
  readonly subscriptionId?: string;
  readonly result?: CheckResult;
  readonly ruleId?: string;
}

/** Where a row lives: `partitionKey|rowKey` is unique across the table. */
export interface RowAddress {
  readonly partitionKey: string;
  readonly rowKey: string;
}

export function addressOf(finding: { subscriptionId: string; ruleId: string; resourceId: string }): RowAddress {
  return { partitionKey: partitionKeyForSubscription(finding.subscriptionId), rowKey: findingRowKey(finding.ruleId, finding.resourceId) };
}

/** The key change detection matches findings on: cheaper than the row address, and just as unique. */
export function findingKey(finding: { ruleId: string; resourceId: string }): string {
  return `${finding.ruleId}|${finding.resourceId.toLowerCase()}`;
}

/** Transactions of one call in flight at once. */
const TRANSACTIONS_IN_FLIGHT = 8;

/** Current non-passing findings: one row per (subscription, rule, resource), partitioned by subscription. */
export class FindingStore {
  /** What this store sent to Table Storage, for the benchmark's figures. */
  readonly metrics = { transactions: 0, rowsWritten: 0, rowsDeleted: 0 };

  constructor(private readonly table: TableClient, private readonly partitions: PartitionIndex) {}

  /** Upserts (replace) in transactions of ≤ 100 rows of one partition; returns rows written. */
  async upsert(rows: readonly FindingRow[]): Promise<number> {
    const byPartition = new Map<string, FindingEntity[]>();
    for (const row of rows) {
      const { partitionKey, rowKey } = addressOf(row);
      const entities = byPartition.get(partitionKey) ?? [];
      entities.push(rowToEntity(row, partitionKey, rowKey));
      byPartition.set(partitionKey, entities);
    }
    const batches = [...byPartition.values()].flatMap((entities) => chunk(dedupeByRowKey(entities), TRANSACTION_LIMIT));
    await this.partitions.add(byPartition.keys());
    await this.submitAll(batches.map((batch) => batch.map((entity): EntityAction => ['upsert', entity, 'Replace'])));
    const written = batches.reduce((sum, batch) => sum + batch.length, 0);
    this.metrics.rowsWritten += written;
    return written;
  }

  /** What the last scans stored for a subscription, without evidence, keyed by `findingKey`. */
  async loadSubscriptionState(subscriptionId: string, excludeRuleIds: ReadonlySet<string> = new Set()): Promise<Map<string, StoredFinding>> {
    const partitionKey = partitionKeyForSubscription(subscriptionId);
    if (!(await this.partitions.has(partitionKey))) return new Map();
    return this.loadState(odata`PartitionKey eq ${partitionKey}`, (row) => !excludeRuleIds.has(row.ruleId));
  }

  /** What the last scans stored for the given rules, in every partition (the tenant-wide license rules). */
  async loadRuleState(ruleIds: readonly string[]): Promise<Map<string, StoredFinding>> {
    if (ruleIds.length === 0) return new Map();
    const filter = ruleIds.map((ruleId) => odata`ruleId eq ${ruleId}`).join(' or ');
    return this.loadState(filter, () => true);
  }

  async delete(addresses: readonly RowAddress[]): Promise<number> {
    const byPartition = new Map<string, RowAddress[]>();
    for (const address of addresses) {
      const keys = byPartition.get(address.partitionKey) ?? [];
      keys.push(address);
      byPartition.set(address.partitionKey, keys);
    }
    const batches = [...byPartition.values()].flatMap((keys) => chunk(keys, TRANSACTION_LIMIT));
    await this.submitAll(batches.map((batch) => batch.map(({ partitionKey, rowKey }): EntityAction => ['delete', { partitionKey, rowKey }])));
    this.metrics.rowsDeleted += addresses.length;
    return addresses.length;
  }

  /**
   * The transactions of one call are independent (no row appears in two), so a few go at once: the
   * tenant phase writes a handful of rows into each of hundreds of partitions. The first failure fails the call.
   */
  private async submitAll(transactions: readonly EntityAction[][]): Promise<void> {
    const limit = pLimit(TRANSACTIONS_IN_FLIGHT);
    await Promise.all(transactions.map((transaction) => limit(async () => {
      await submitEntityTransaction(this.table, transaction);
      this.metrics.transactions += 1;
    })));
  }

  /** Streams findings matching the query; every value goes through `odata` escaping. */
  async *query(query: FindingQuery = {}): AsyncIterable<FindingRow> {
    const clauses: string[] = [];
    if (query.subscriptionId) clauses.push(odata`PartitionKey eq ${partitionKeyForSubscription(query.subscriptionId)}`);
    if (query.result) clauses.push(odata`result eq ${query.result}`);
    if (query.ruleId) clauses.push(odata`ruleId eq ${query.ruleId}`);
    const filter = clauses.length > 0 ? clauses.join(' and ') : undefined;
    for await (const entity of this.table.listEntities<FindingEntity>({ queryOptions: filter ? { filter } : {} })) {
      // A kept resolution is bookkeeping of a passing finding, not a finding to act on.
      if (entity.alertState === 'resolved') continue;
      yield entityToRow(entity);
    }
  }

  private async loadState(filter: string, keep: (row: StoredFinding) => boolean): Promise<Map<string, StoredFinding>> {
    const state = new Map<string, StoredFinding>();
    const rows = this.table.listEntities<FindingEntity>({ queryOptions: { filter, select: STATE_COLUMNS } });
    for await (const entity of rows) {
      const stored = entityToStored(entity);
      if (keep(stored)) state.set(findingKey(stored), stored);
    }
    return state;
  }
}

/** A transaction may not touch one row twice; the last finding for a key wins. */
function dedupeByRowKey(rows: readonly FindingEntity[]): FindingEntity[] {
  return [...new Map(rows.map((row) => [row.rowKey, row])).values()];
}
