import type { TableClient } from '@azure/data-tables';
import { odata } from '@azure/data-tables';
import type { RemediationMessage } from '../../alerts/message.js';
import type { DigestMessage, MessageHeader } from '../../alerts/digest.js';
import { submitEntityTransaction, TRANSACTION_LIMIT, type EntityAction } from './entityTransaction.js';
import { fitText, splitText } from './propertyLimits.js';
import { chunk, decodeKey, encodeKey, partitionKeyForSubscription } from './tableKeys.js';
import type { KeptDigest, MessageOutbox, OutboxEntry, OutboxHeaderEntry, OutboxKey, OutboxState } from '../../scan/messagePorts.js';

/**
 * Messages a scan decided, kept until Service Bus has them (table `esujobs`, partition = subscription,
 * row = message id). Writing here before publishing is what makes a Service Bus outage lose nothing;
 * the deterministic message id makes every re-send a duplicate the topic drops.
 */
export class Outbox implements MessageOutbox {
  constructor(private readonly table: TableClient) {}

  async enqueue(messages: readonly RemediationMessage[]): Promise<number> {
    const byPartition = new Map<string, RemediationMessage[]>();
    for (const message of messages) {
      const partitionKey = partitionKeyForSubscription(message.finding.subscriptionId);
      byPartition.set(partitionKey, [...(byPartition.get(partitionKey) ?? []), message]);
    }
    for (const [partitionKey, partitionMessages] of byPartition) {
      const unique = [...new Map(partitionMessages.map((m) => [m.messageId, m])).values()];
      for (const batch of chunk(unique, TRANSACTION_LIMIT)) {
        const actions = batch.map((message): EntityAction => [
          'upsert',
          {
            partitionKey,
            rowKey: encodeKey(message.messageId),
            state: 'Pending',
            attempts: 0,
            lastError: '',
            transition: message.transition,
            jobType: message.jobType,
            ruleId: message.finding.ruleId,
            severity: message.finding.severity,
            result: message.finding.result,
            subscriptionId: message.finding.subscriptionId,
            occurredAt: message.occurredAt,
            resourceId: fitText(message.finding.resourceId),
            scanId: message.scanId,
            ...messageColumns(JSON.stringify(message)),
          },
          // Merge keeps attempts of a message decided again by a re-delivered scan.
          'Merge',
        ]);
        await submitEntityTransaction(this.table, actions);
      }
    }
    return messages.length;
  }

  async *list(subscriptionId?: string): AsyncIterable<OutboxEntry> {
    const queryOptions = subscriptionId ? { filter: odata`PartitionKey eq ${partitionKeyForSubscription(subscriptionId)}` } : {};
    const rows = this.table.listEntities<{ state?: string; lastError?: string; attempts?: number; message?: string; messageParts?: number } & Record<string, unknown>>({ queryOptions });
    for await (const row of rows) {
      if (row['transition'] === 'digest') continue; // digests are the relay's (listDigests), not jobs to list
      try {
        yield {
          partitionKey: row.partitionKey ?? '',
          rowKey: row.rowKey ?? '',
          state: (row.state ?? 'Pending') as OutboxState,
          lastError: row.lastError || undefined,
          attempts: row.attempts ?? 0,
          message: JSON.parse(messageText(row)) as RemediationMessage,
        };
      } catch {
        continue; // a row we cannot read is not a message; never let it stop the relay
      }
    }
  }

  /**
   * Keeps a digest under `entryKey` (replacing what that key held): a scan keeps its growing digest under one key,
   * so one that dies leaves what it had counted for the relay, and one that finishes replaces it with the whole.
   */
  async keepDigest(digest: DigestMessage, entryKey: string): Promise<void> {
    await submitEntityTransaction(this.table, [[
      'upsert',
      {
        partitionKey: partitionKeyForSubscription(digest.subscriptionId),
        rowKey: encodeKey(entryKey),
        state: 'Pending',
        attempts: 0,
        lastError: '',
        transition: digest.transition,
        jobType: digest.jobType,
        ruleId: digest.ruleId,
        severity: digest.severity,
        subscriptionId: digest.subscriptionId,
        occurredAt: digest.occurredAt,
        scanId: digest.scanId,
        ...messageColumns(JSON.stringify(digest)),
      },
      'Replace',
    ]]);
  }

  async removeKept(subscriptionId: string, entryKey: string): Promise<void> {
    await submitEntityTransaction(this.table, [['delete', { partitionKey: partitionKeyForSubscription(subscriptionId), rowKey: encodeKey(entryKey) }]]);
  }

  async *listDigests(subscriptionId?: string): AsyncIterable<KeptDigest> {
    const clauses = [odata`transition eq ${'digest'}`, ...(subscriptionId ? [odata`PartitionKey eq ${partitionKeyForSubscription(subscriptionId)}`] : [])];
    const rows = this.table.listEntities<{ attempts?: number; message?: string; messageParts?: number } & Record<string, unknown>>({ queryOptions: { filter: clauses.join(' and ') } });
    for await (const row of rows) {
      try {
        yield { partitionKey: row.partitionKey ?? '', rowKey: row.rowKey ?? '', attempts: row.attempts ?? 0, digest: JSON.parse(messageText(row)) as DigestMessage };
      } catch {
        continue;
      }
    }
  }

  /**
   * Every entry's header, without its body (a few hundred bytes each instead of kilobytes): what a relay
   * needs to group 100,000 waiting messages into digests without holding them.
   */
  async *listHeaders(subscriptionId?: string): AsyncIterable<OutboxHeaderEntry> {
    const filter = subscriptionId ? { filter: odata`PartitionKey eq ${partitionKeyForSubscription(subscriptionId)}` } : {};
    const rows = this.table.listEntities<HeaderColumns>({ queryOptions: { ...filter, select: HEADER_COLUMNS } });
    for await (const row of rows) {
      if (row.transition === 'digest') continue;
      const header = headerOfRow(row);
      if (!header) continue; // an entry we cannot read is not a message (list() skips it too)
      yield { partitionKey: row.partitionKey ?? '', rowKey: row.rowKey ?? '', state: (row.state ?? 'Pending') as OutboxState, attempts: row.attempts ?? 0, occurredAt: row.occurredAt ?? row.timestamp ?? '', header };
    }
  }

  async remove(entries: readonly Pick<OutboxEntry, 'partitionKey' | 'rowKey'>[]): Promise<void> {
    await this.inPartitions(entries, ({ partitionKey, rowKey }) => ['delete', { partitionKey, rowKey }]);
  }

  async mark(entries: readonly OutboxKey[], state: OutboxState, lastError: string): Promise<void> {
    await this.inPartitions(entries, (entry) => ['update', { partitionKey: entry.partitionKey, rowKey: entry.rowKey, state, lastError, attempts: entry.attempts + 1 }, 'Merge']);
  }

  private async inPartitions<T extends { partitionKey: string }>(entries: readonly T[], action: (entry: T) => EntityAction): Promise<void> {
    const byPartition = new Map<string, T[]>();
    for (const entry of entries) byPartition.set(entry.partitionKey, [...(byPartition.get(entry.partitionKey) ?? []), entry]);
    for (const partition of byPartition.values()) {
      for (const batch of chunk(partition, TRANSACTION_LIMIT)) await submitEntityTransaction(this.table, batch.map(action));
    }
  }
}

/**
 * A message's JSON over as many columns as it needs (a Table property holds 32K characters; a message with
 * long ARM text may be longer): `message`, `message_1`, …, and how many there are.
 */
function messageColumns(json: string): Record<string, string | number> {
  const parts = splitText(json);
  const columns: Record<string, string | number> = { messageParts: parts.length };
  parts.forEach((part, index) => (columns[index === 0 ? 'message' : `message_${index}`] = part));
  return columns;
}

function messageText(row: { message?: string; messageParts?: number } & Record<string, unknown>): string {
  let text = row.message ?? '';
  for (let index = 1; index < (row.messageParts ?? 1); index += 1) text += String(row[`message_${index}`] ?? '');
  return text;
}


interface HeaderColumns {
  state?: string;
  attempts?: number;
  occurredAt?: string;
  timestamp?: string;
  scanId?: string;
  subscriptionId?: string;
  ruleId?: string;
  jobType?: string;
  transition?: string;
  severity?: string;
  result?: string;
  resourceId?: string;
}

const HEADER_COLUMNS = ['PartitionKey', 'RowKey', 'Timestamp', 'state', 'attempts', 'occurredAt', 'scanId', 'subscriptionId', 'ruleId', 'jobType', 'transition', 'severity', 'result', 'resourceId'];

/** Entries written before the header columns were complete name their subscription in the resource id only. */
function headerOfRow(row: HeaderColumns & { rowKey?: string }): MessageHeader | undefined {
  const { scanId, ruleId, jobType, transition, severity, resourceId } = row;
  if (!row.rowKey || !scanId || !ruleId || !jobType || !transition || !severity || !resourceId) return undefined;
  const subscriptionId = row.subscriptionId || /^\/subscriptions\/([^/]+)/i.exec(resourceId)?.[1] || '';
  return {
    messageId: decodeKey(row.rowKey),
    scanId,
    subscriptionId,
    ruleId,
    jobType: jobType as MessageHeader['jobType'],
    transition: transition as MessageHeader['transition'],
    severity: severity as MessageHeader['severity'],
    ...(row.result ? { result: row.result as NonNullable<MessageHeader['result']> } : {}),
    resourceId,
  };
}
