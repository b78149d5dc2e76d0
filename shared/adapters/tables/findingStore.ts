import type { TableClient, TransactionAction } from '@azure/data-tables';
import { odata } from '@azure/data-tables';
import type { CheckResult, Finding } from '../../domain/findings.js';
import { entityToFinding, findingToEntity, type FindingEntity } from './entityCodec.js';
import { chunk, findingRowKey, partitionKeyForSubscription } from './tableKeys.js';

export interface FindingQuery {
  readonly subscriptionId?: string;
  readonly result?: CheckResult;
  readonly ruleId?: string;
}

const TRANSACTION_LIMIT = 100;

/** Current findings: one row per (subscription, rule, resource), partitioned by subscription. */
export class FindingStore {
  constructor(private readonly table: TableClient) {}

  /** Upserts (replace) in transactions of ≤ 100 rows of one partition; returns rows written. */
  async upsert(findings: readonly Finding[]): Promise<number> {
    const byPartition = new Map<string, FindingEntity[]>();
    for (const finding of findings) {
      const partitionKey = partitionKeyForSubscription(finding.subscriptionId);
      const entity = findingToEntity(finding, partitionKey, findingRowKey(finding.ruleId, finding.resourceId));
      const rows = byPartition.get(partitionKey) ?? [];
      rows.push(entity);
      byPartition.set(partitionKey, rows);
    }
    let written = 0;
    for (const rows of byPartition.values()) {
      for (const batch of chunk(dedupeByRowKey(rows), TRANSACTION_LIMIT)) {
        const actions: TransactionAction[] = batch.map((entity) => ['upsert', entity, 'Replace']);
        await this.table.submitTransaction(actions);
        written += batch.length;
      }
    }
    return written;
  }

  /** Deletes the subscription's rows that the given scan did not write (resources or findings that are gone). */
  async removeStale(subscriptionId: string, scanId: string): Promise<number> {
    const partitionKey = partitionKeyForSubscription(subscriptionId);
    const stale: { partitionKey: string; rowKey: string }[] = [];
    const rows = this.table.listEntities<{ scanId?: string }>({
      queryOptions: { filter: odata`PartitionKey eq ${partitionKey} and scanId ne ${scanId}`, select: ['PartitionKey', 'RowKey'] },
    });
    for await (const row of rows) {
      if (row.partitionKey !== undefined && row.rowKey !== undefined) stale.push({ partitionKey: row.partitionKey, rowKey: row.rowKey });
    }
    for (const batch of chunk(stale, TRANSACTION_LIMIT)) {
      await this.table.submitTransaction(batch.map((key) => ['delete', key]));
    }
    return stale.length;
  }

  /** Streams findings matching the query; every value goes through `odata` escaping. */
  async *query(query: FindingQuery = {}): AsyncIterable<Finding> {
    const clauses: string[] = [];
    if (query.subscriptionId) clauses.push(odata`PartitionKey eq ${partitionKeyForSubscription(query.subscriptionId)}`);
    if (query.result) clauses.push(odata`result eq ${query.result}`);
    if (query.ruleId) clauses.push(odata`ruleId eq ${query.ruleId}`);
    const filter = clauses.length > 0 ? clauses.join(' and ') : undefined;
    for await (const entity of this.table.listEntities<FindingEntity>({ queryOptions: filter ? { filter } : {} })) {
      yield entityToFinding(entity);
    }
  }
}

/** A transaction may not touch one row twice; the last finding for a key wins. */
function dedupeByRowKey(rows: readonly FindingEntity[]): FindingEntity[] {
  return [...new Map(rows.map((row) => [row.rowKey, row])).values()];
}
