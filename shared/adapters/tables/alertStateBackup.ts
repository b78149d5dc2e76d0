import type { TableClient } from '@azure/data-tables';
import { submitEntityTransaction, TRANSACTION_LIMIT, type EntityValue, type TransactionEntity } from './entityTransaction.js';

/** The tables that hold the findings' alert state: the rows, and the index that says which partitions hold them. */
export const ALERT_STATE_TABLES = ['findings', 'findingPartitions'] as const;
export type AlertStateTable = (typeof ALERT_STATE_TABLES)[number];

/** One stored entity as a backup line holds it: its table, keys and columns, service metadata left out. */
export interface BackupRecord {
  readonly table: AlertStateTable;
  readonly entity: TransactionEntity;
}

export class InvalidBackupRecordError extends Error {}

/**
 * Copies the findings' alert state out of an account and into another, entity for entity (state, fingerprint,
 * when each alert opened and was last notified, the partition index): a scan against the rebuilt account
 * decides the same transitions as against the old one, so nothing re-opens. Both sides stream.
 */
export class AlertStateBackup {
  constructor(private readonly tables: Readonly<Record<AlertStateTable, TableClient>>) {}

  async *read(): AsyncIterable<BackupRecord> {
    for (const table of ALERT_STATE_TABLES) {
      for await (const raw of this.tables[table].listEntities<Record<string, unknown>>()) yield { table, entity: columnsOf(raw) };
    }
  }

  /** Writes (replaces) every record, 100 of one partition per transaction; returns how many. Writing twice changes nothing. */
  async write(records: AsyncIterable<BackupRecord>): Promise<number> {
    let written = 0;
    let pending: BackupRecord[] = [];
    const flush = async (): Promise<void> => {
      const first = pending[0];
      if (!first) return;
      await submitEntityTransaction(this.tables[first.table], pending.map((record) => ['upsert', record.entity, 'Replace']));
      written += pending.length;
      pending = [];
    };
    for await (const record of records) {
      const first = pending[0];
      if (first && (first.table !== record.table || first.entity.partitionKey !== record.entity.partitionKey || pending.length === TRANSACTION_LIMIT)) await flush();
      pending.push(record);
    }
    await flush();
    return written;
  }
}

/** A backup line read back, checked: a known table, string keys, and only strings, numbers and booleans. */
export function parseBackupRecord(line: string): BackupRecord {
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    throw new InvalidBackupRecordError('not JSON');
  }
  const { table, entity } = (parsed ?? {}) as { table?: unknown; entity?: unknown };
  if (!ALERT_STATE_TABLES.includes(table as AlertStateTable)) throw new InvalidBackupRecordError(`unknown table ${JSON.stringify(table)} (expected ${ALERT_STATE_TABLES.join(' or ')})`);
  if (typeof entity !== 'object' || entity === null || Array.isArray(entity)) throw new InvalidBackupRecordError('no entity object');
  const columns = entity as Record<string, unknown>;
  if (typeof columns['partitionKey'] !== 'string' || typeof columns['rowKey'] !== 'string') throw new InvalidBackupRecordError('the entity has no partitionKey and rowKey strings');
  for (const [column, value] of Object.entries(columns)) {
    if (!['string', 'number', 'boolean'].includes(typeof value)) throw new InvalidBackupRecordError(`column ${column} is neither text, number nor boolean`);
    if (typeof value === 'number' && !Number.isFinite(value)) throw new InvalidBackupRecordError(`column ${column} is not a finite number`);
  }
  return { table: table as AlertStateTable, entity: columns as TransactionEntity };
}

/** The columns the service returns, without its metadata (etag, timestamp), which it sets itself. */
function columnsOf(raw: Record<string, unknown>): TransactionEntity {
  const columns: Record<string, EntityValue> = {};
  for (const [column, value] of Object.entries(raw)) {
    if (column === 'etag' || column === 'timestamp' || column.startsWith('odata.')) continue;
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') columns[column] = value;
  }
  return columns as TransactionEntity;
}
