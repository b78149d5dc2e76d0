import type { TableClient } from '@azure/data-tables';
import { odata } from '@azure/data-tables';
import { isRestError } from '@azure/core-rest-pipeline';
import pLimit from 'p-limit';
import type { CheckResult } from '../../domain/findings.js';
import type { FindingRow, StoredFinding } from '../../alerts/transitions.js';
import { submitEntityTransaction, TRANSACTION_LIMIT, type EntityAction } from './entityTransaction.js';
import { entityToRow, entityToStored, rowToEntity, STATE_COLUMNS, type FindingEntity } from './entityCodec.js';
import { fitText } from './propertyLimits.js';
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
  readonly metrics = { transactions: 0, rowsWritten: 0, rowsDeleted: 0, rowsNotStored: 0 };

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
    await this.submitAll(batches.map((batch) => batch.map((entity): EntityAction => ['upsert', entity, 'Replace'])), (action) => this.upsertEach(action));
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
  private async submitAll(transactions: readonly EntityAction[][], onRefused?: (transaction: readonly EntityAction[]) => Promise<void>): Promise<void> {
    const limit = pLimit(TRANSACTIONS_IN_FLIGHT);
    await Promise.all(transactions.map((transaction) => limit(async () => {
      try {
        await submitEntityTransaction(this.table, transaction);
      } catch (error) {
        if (!onRefused || !isRecordRefused(error)) throw error;
        await onRefused(transaction);
      }
      this.metrics.transactions += 1;
    })));
  }

  /**
   * A transaction the service refused for what it holds (one record it will not take) is written row by row;
   * a row it still refuses is replaced by an Error finding on the same rule and resource that says so, so
   * the rest of the subscription is stored and the record is named. Anything else (storage down) fails.
   */
  private async upsertEach(transaction: readonly EntityAction[]): Promise<void> {
    for (const action of transaction) {
      try {
        await submitEntityTransaction(this.table, [action]);
      } catch (error) {
        if (!isRecordRefused(error) || action[0] === 'delete') throw error;
        await submitEntityTransaction(this.table, [['upsert', notStoredEntity(action[1] as FindingEntity, error), 'Replace']]);
        this.metrics.rowsNotStored += 1;
      }
    }
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

/** The service refused the request for its content (400 InvalidInput, PropertyValueTooLarge, EntityTooLarge; 413): retrying cannot help. */
function isRecordRefused(error: unknown): boolean {
  const status = isRestError(error) ? error.statusCode : undefined;
  return status === 400 || status === 413;
}

/** What is kept of a finding the service would not store: small, an Error, naming the rule, resource and reason. */
function notStoredEntity(entity: FindingEntity, error: unknown): FindingEntity {
  const reason = isRestError(error) ? `${error.code ?? error.statusCode ?? ''} ${error.message}`.trim() : String(error);
  const cut: Record<string, unknown> = {};
  for (const [column, value] of Object.entries(entity)) cut[column] = typeof value === 'string' && column !== 'partitionKey' && column !== 'rowKey' ? fitText(value, NOT_STORED_CHARS) : value;
  return {
    ...(cut as FindingEntity),
    result: 'Error',
    messageId: `${entity.messageId.split('.')[0] ?? 'Finding'}.Error.NotStored`,
    message: fitText(`This ${entity.result} finding of ${entity.ruleId} on ${entity.resourceId} could not be stored (${reason}): ${entity.message}`, NOT_STORED_CHARS),
    evidence: JSON.stringify({ notStored: fitText(reason, NOT_STORED_CHARS), result: entity.result, messageId: entity.messageId }),
  };
}

const NOT_STORED_CHARS = 1_000;

/** A transaction may not touch one row twice; the last finding for a key wins. */
function dedupeByRowKey(rows: readonly FindingEntity[]): FindingEntity[] {
  return [...new Map(rows.map((row) => [row.rowKey, row])).values()];
}
