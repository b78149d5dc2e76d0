import type { TableClient } from '@azure/data-tables';
import { odata } from '@azure/data-tables';
import { isRestError } from '@azure/core-rest-pipeline';
import pLimit from 'p-limit';
import type { CheckResult } from '../../domain/findings.js';
import type { FindingRow, StoredFinding } from '../../alerts/transitions.js';
import { StoredRows } from './storedRows.js';
import { submitEntityTransaction, TRANSACTION_LIMIT, type EntityAction } from './entityTransaction.js';
import { queryEntities, textColumns } from './entityQuery.js';
import { CHANGE_COLUMNS, entityToRow, entityToStored, rowToEntity, STATE_COLUMNS, type FindingEntity, type RuleDescriptions } from './entityCodec.js';
import { fitText } from './propertyLimits.js';
import type { PartitionIndex } from './partitionIndex.js';
import { PartitionPlacement, TENANT_CHUNK_BASE, TenantPlacement } from './partitionPlacement.js';
import { chunk, findingRowKey, partitionKeyForSubscription } from './tableKeys.js';
import type { FindingPartition, FindingRows, PlacedRow, RowAddress, SubscriptionLayout } from '../../scan/findingPorts.js';

export interface FindingQuery {
  readonly subscriptionId?: string;
  readonly result?: CheckResult;
  readonly ruleId?: string;
}

/** A subscription's stored state as change detection reads it, and where its new rows go. */
export interface SubscriptionState {
  readonly rows: StoredRows;
  readonly placement: PartitionPlacement;
}

/** Transactions of one call in flight at once. */
const TRANSACTIONS_IN_FLIGHT = 8;
/** Partitions of one subscription read at once when its state loads. */
const PARTITION_READS_IN_FLIGHT = 4;

/**
 * Current non-passing findings: one row per (subscription, rule, resource). A subscription's rows are
 * spread over partitions of at most `PARTITION_ROW_LIMIT` rows each (see PartitionPlacement), which the
 * partition index names.
 */
export class FindingStore implements FindingRows {
  /** A Table transaction holds at most 100 rows of one partition. */
  readonly rowsPerTransaction = TRANSACTION_LIMIT;
  /** What this store sent to Table Storage, for the benchmark's figures. */
  readonly metrics = { transactions: 0, rowsWritten: 0, rowsDeleted: 0, rowsNotStored: 0 };

  constructor(private readonly table: TableClient, private readonly partitions: PartitionIndex, private readonly rules: RuleDescriptions, private readonly options: { readonly partitionRowLimit?: number } = {}) {}

  /** Upserts (replace) in transactions of ≤ 100 rows of one partition; returns rows written. */
  async upsert(rows: readonly PlacedRow[]): Promise<number> {
    const byPartition = new Map<string, { partition: FindingPartition; entities: FindingEntity[] }>();
    for (const { row, partition } of rows) {
      let group = byPartition.get(partition.partitionKey);
      if (!group) {
        group = { partition, entities: [] };
        byPartition.set(partition.partitionKey, group);
      }
      group.entities.push(rowToEntity(row, partition.partitionKey, findingRowKey(row.ruleId, row.resourceId)));
    }
    const batches = [...byPartition.values()].flatMap((group) => chunk(dedupeByRowKey(group.entities), TRANSACTION_LIMIT));
    await this.partitions.add([...byPartition.values()].map((group) => group.partition));
    await this.submitAll(batches.map((batch) => batch.map((entity): EntityAction => ['upsert', entity, 'Replace'])), (action) => this.upsertEach(action));
    const written = batches.reduce((sum, batch) => sum + batch.length, 0);
    this.metrics.rowsWritten += written;
    return written;
  }

  /**
   * What the last scans stored for a subscription (each row reduced to its `StoredRowState`), read
   * partition by partition, and where its new rows go.
   */
  async loadSubscriptionState(subscriptionId: string, excludeRuleIds: ReadonlySet<string> = new Set(), layout?: SubscriptionLayout): Promise<SubscriptionState> {
    // The tenant phase's chunks hold only its own rows (see TenantPlacement): a subscription scan neither reads nor fills them.
    const partitions = (layout ?? (await this.partitions.layoutOf(subscriptionId))).partitions.filter((partition) => partition.chunk < TENANT_CHUNK_BASE);
    const rows = new StoredRows();
    const sizes = new Map<FindingPartition, number>(partitions.map((partition) => [partition, 0]));
    const limit = pLimit(PARTITION_READS_IN_FLIGHT);
    await Promise.all(partitions.map((partition) => limit(async () => {
      for await (const { stored, rowKey, at, digest } of this.readState(odata`PartitionKey eq ${partition.partitionKey}`, partition)) {
        sizes.set(partition, (sizes.get(partition) ?? 0) + 1);
        if (!excludeRuleIds.has(stored.ruleId)) rows.add(stored, at, rowKey, digest);
      }
    })));
    const existing = [...sizes].map(([partition, count]) => ({ partition, rows: count }));
    return { rows, placement: new PartitionPlacement(subscriptionId, existing, this.options.partitionRowLimit) };
  }

  /** The subscription's partitions and size at its last complete scan (one small query). */
  layoutOf(subscriptionId: string): Promise<SubscriptionLayout> {
    return this.partitions.layoutOf(subscriptionId);
  }

  /** Records how many machines a complete scan of the subscription read. */
  recordMachines(subscriptionId: string, machines: number, layout?: SubscriptionLayout): Promise<void> {
    return this.partitions.recordMachines(subscriptionId, machines, layout);
  }

  /** What the last scans stored for the given rules, in every partition (the tenant phase's rules), and where its new rows go. */
  async loadRuleState(ruleIds: readonly string[]): Promise<{ rows: StoredRows; placement: TenantPlacement }> {
    const rows = new StoredRows();
    const placement = new TenantPlacement(this.options.partitionRowLimit);
    if (ruleIds.length === 0) return { rows, placement };
    const filter = ruleIds.map((ruleId) => odata`ruleId eq ${ruleId}`).join(' or ');
    for await (const { stored, rowKey, at, digest } of this.readState(filter)) {
      rows.add(stored, at, rowKey, digest);
      placement.count(at);
    }
    return { rows, placement };
  }

  /** Full stored rows (evidence left out) at the given addresses; rows no longer there are left out. */
  async readStored(addresses: readonly RowAddress[]): Promise<StoredFinding[]> {
    const limit = pLimit(TRANSACTIONS_IN_FLIGHT);
    const rows = await Promise.all(addresses.map((address) => limit(async () => {
      try {
        return entityToStored(await this.table.getEntity<FindingEntity>(address.partitionKey, address.rowKey, { queryOptions: { select: STATE_COLUMNS } }), this.rules);
      } catch (error) {
        if (isRestError(error) && error.statusCode === 404) return undefined;
        throw error;
      }
    })));
    return rows.filter((row): row is StoredFinding => row !== undefined);
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

  /**
   * Streams findings matching the query; every value goes through `odata` escaping. A subscription's
   * findings are read partition by partition (each an equality query), never as one range over them all.
   */
  async *query(query: FindingQuery = {}): AsyncIterable<FindingRow> {
    const clauses: string[] = [];
    if (query.result) clauses.push(odata`result eq ${query.result}`);
    if (query.ruleId) clauses.push(odata`ruleId eq ${query.ruleId}`);
    const filters = query.subscriptionId
      ? (await this.partitions.layoutOf(query.subscriptionId)).partitions.map((partition) => [odata`PartitionKey eq ${partition.partitionKey}`, ...clauses].join(' and '))
      : [clauses.length > 0 ? clauses.join(' and ') : undefined];
    for (const filter of filters) {
      for await (const entity of this.table.listEntities<FindingEntity>({ queryOptions: filter ? { filter } : {} })) {
        // A kept resolution is bookkeeping of a passing finding, not a finding to act on.
        if (entity.alertState === 'resolved') continue;
        yield entityToRow(entity, this.rules);
      }
    }
  }

  /**
   * Every stored finding (evidence included), a page of the service's (at most 1,000 rows) at a time, in the
   * table's order, as `query()` yields them but without the SDK's deserialiser (see `queryEntities`): the
   * export reads a tenant's findings this way so it never holds more than a page of them.
   */
  async *pages(): AsyncIterable<FindingRow[]> {
    for await (const page of queryEntities(this.table, { select: [...STATE_COLUMNS, 'evidence'] })) {
      const rows: FindingRow[] = [];
      for (const raw of page) {
        const entity = textColumns(raw) as Partial<FindingEntity>;
        // A kept resolution is bookkeeping of a passing finding, not a finding to act on.
        if (entity.alertState !== 'resolved') rows.push(entityToRow(entity, this.rules));
      }
      yield rows;
    }
  }

  /**
   * Stored rows without evidence, with their row key and partition. `partition`: the one partition the
   * filter reads (its rows share one partition object); otherwise each row's own.
   */
  private async *readState(filter: string, partition?: FindingPartition): AsyncIterable<{ stored: StoredFinding; rowKey: string; at: FindingPartition; digest: string }> {
    const seen = new Map<string, FindingPartition>();
    for await (const page of queryEntities(this.table, { filter, select: CHANGE_COLUMNS })) {
      for (const raw of page) {
        const entity = textColumns(raw) as Partial<FindingEntity>;
        const stored = entityToStored(entity, this.rules);
        const at = partition ?? partitionOfStored(entity.partitionKey ?? '', stored.subscriptionId, seen);
        yield { stored, rowKey: entity.rowKey ?? '', at, digest: entity.stateDigest ?? '' };
      }
    }
  }
}

/** The partition a row of another query was read from, one object per partition key. */
function partitionOfStored(partitionKey: string, subscriptionId: string, seen: Map<string, FindingPartition>): FindingPartition {
  let partition = seen.get(partitionKey);
  if (!partition) {
    const subscriptionKey = partitionKeyForSubscription(subscriptionId);
    const chunk = partitionKey === subscriptionKey ? 0 : Number(/~P(\d+)$/.exec(partitionKey)?.[1] ?? Number.NaN);
    partition = { subscriptionKey, chunk: Number.isSafeInteger(chunk) ? chunk : 0, partitionKey };
    seen.set(partitionKey, partition);
  }
  return partition;
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
    // Not the finding's digest: the next scan tries to store the finding itself again.
    stateDigest: '',
  };
}

const NOT_STORED_CHARS = 1_000;

/** A transaction may not touch one row twice; the last finding for a key wins. */
function dedupeByRowKey(rows: readonly FindingEntity[]): FindingEntity[] {
  return [...new Map(rows.map((row) => [row.rowKey, row])).values()];
}
