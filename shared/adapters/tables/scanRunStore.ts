import type { TableClient } from '@azure/data-tables';
import { odata } from '@azure/data-tables';
import type { ScanRunSummary, SubscriptionScanSummary } from '../../domain/scanSummary.js';
import { CLAIM_TIMEOUT_MS, RUN_DEADLINE_MS } from '../../config/hostLimits.js';
import { submitEntityTransaction, TRANSACTION_LIMIT, type EntityAction, type TransactionEntity } from './entityTransaction.js';
import { chunk, encodeKey, partitionKeyForSubscription } from './tableKeys.js';
import type { ScanRunRecords } from '../../scan/scanPorts.js';

export { CLAIM_TIMEOUT_MS };

const RUN_PARTITION = 'run';

export interface RunProgress {
  /** Subscriptions scanned or failed for good. */
  readonly done: number;
  readonly requested: number;
  readonly state: string;
  /** True for exactly one caller: the one that finishes the run. */
  readonly claimed: boolean;
  /** When the run started (its scan requests' `requestedAt`), as the scheduler recorded it. */
  readonly startedAt?: string;
}

/** One row per scan run (partition `run`) and one per subscription scanned in it (partition = scan id). */
export class ScanRunStore implements ScanRunRecords {
  constructor(private readonly table: TableClient) {}

  async recordRun(run: ScanRunSummary, state: 'running' | 'finished' = 'finished'): Promise<void> {
    await this.table.upsertEntity({
      partitionKey: RUN_PARTITION,
      rowKey: encodeKey(run.scanId),
      state,
      ...flatten(run),
    }, 'Replace');
  }

  /**
   * One `queued` row per subscription the run requests, written before the requests are sent (so it never
   * overwrites a result): the relay knows which subscriptions a run past its deadline never heard from.
   */
  async recordQueued(scanId: string, subscriptionIds: readonly string[]): Promise<void> {
    const rows = subscriptionIds.map((subscriptionId): TransactionEntity => ({ partitionKey: encodeKey(scanId), rowKey: partitionKeyForSubscription(subscriptionId), status: 'queued', scanId, subscriptionId }));
    await Promise.all(chunk(rows, TRANSACTION_LIMIT).map((batch) => submitEntityTransaction(this.table, batch.map((row): EntityAction => ['upsert', row, 'Replace']))));
  }

  async recordSubscription(summary: SubscriptionScanSummary): Promise<void> {
    await this.table.upsertEntity({
      partitionKey: encodeKey(summary.scanId),
      rowKey: partitionKeyForSubscription(summary.subscriptionId),
      status: 'scanned',
      ...flatten(summary),
    }, 'Replace');
  }

  /** Telemetry rows of the subscription's scan that Log Analytics did not take (the run's heartbeat sums them). */
  async recordTelemetryNotSent(scanId: string, subscriptionId: string, rows: number): Promise<void> {
    await this.table.upsertEntity({ partitionKey: encodeKey(scanId), rowKey: partitionKeyForSubscription(subscriptionId), telemetryNotSent: rows }, 'Merge');
  }

  /** A subscription whose scan failed for good (last delivery): it counts as done, so the run can finish. */
  async recordSubscriptionFailure(scanId: string, subscriptionId: string, error: string): Promise<void> {
    await this.table.upsertEntity({
      partitionKey: encodeKey(scanId),
      rowKey: partitionKeyForSubscription(subscriptionId),
      status: 'failed',
      scanId,
      subscriptionId,
      error: error.slice(0, 2000),
      finishedAt: new Date().toISOString(),
    }, 'Replace');
  }

  /**
   * Recomputes the run's totals from its per-subscription rows (idempotent: a re-delivered scan never
   * counts twice) and writes them with the run row's ETag. When every requested subscription is done,
   * failed ones included, the same write claims the finish: of all concurrent callers exactly one gets
   * `claimed`, because every writer of the run row goes through its ETag. A claim left by a finisher
   * that died (longer ago than a function may run) is taken over by the next caller.
   */
  async recordProgress(scanId: string, claimant: string, claimTimeoutMs = CLAIM_TIMEOUT_MS): Promise<RunProgress> {
    for (let attempt = 0; attempt < 20; attempt += 1) {
      const totals: Record<string, number> = { subscriptionsScanned: 0, subscriptionsFailed: 0, machines: 0, jobs: 0, messages: 0 };
      for await (const row of this.listSubscriptionScans(scanId)) {
        if (row['status'] === 'queued') continue; // requested, no result yet
        const key = row['status'] === 'failed' ? 'subscriptionsFailed' : 'subscriptionsScanned';
        totals[key] = (totals[key] ?? 0) + 1;
        for (const [name, value] of Object.entries(row)) {
          if (typeof value === 'number' && (name === 'machines' || name === 'jobs' || name === 'messages' || name === 'telemetryNotSent' || name.startsWith('counts_'))) totals[name] = (totals[name] ?? 0) + value;
        }
      }
      const run = await this.table.getEntity<{ subscriptionsRequested?: number; state?: string; finishingBy?: string; finishingAt?: string; startedAt?: string }>(RUN_PARTITION, encodeKey(scanId));
      const done = (totals['subscriptionsScanned'] ?? 0) + (totals['subscriptionsFailed'] ?? 0);
      const requested = run.subscriptionsRequested ?? Number.POSITIVE_INFINITY;
      const state = run.state ?? 'running';
      const started = typeof run.startedAt === 'string' ? { startedAt: run.startedAt } : {};
      // Finishing by this claimant already: its update landed but the answer was lost, and the retry met 412.
      if (state === 'finishing' && run.finishingBy === claimant) return { done, requested, state, claimed: true, ...started };
      const claimable = done >= requested && (state === 'running'
        || (state === 'finishing' && Date.now() - Date.parse(run.finishingAt ?? '') > claimTimeoutMs));
      const update = claimable ? { state: 'finishing', finishingBy: claimant, finishingAt: new Date().toISOString() } : {};
      try {
        await this.table.updateEntity({ partitionKey: RUN_PARTITION, rowKey: encodeKey(scanId), ...totals, ...update }, 'Merge', { etag: run.etag });
        return { done, requested, state: claimable ? 'finishing' : state, claimed: claimable, ...started };
      } catch (error) {
        if ((error as { statusCode?: number }).statusCode !== 412) throw error;
        // Someone else wrote the run row in between: read again.
      }
    }
    throw new Error(`run ${scanId}: could not record progress after 20 concurrent updates`);
  }

  /** Runs a finisher should have finished: all done but unclaimed, or claimed by one that died. */
  async listRunsToFinish(now: Date, claimTimeoutMs = CLAIM_TIMEOUT_MS): Promise<string[]> {
    const scanIds: string[] = [];
    const rows = this.table.listEntities<Record<string, unknown>>({ queryOptions: { filter: odata`PartitionKey eq ${RUN_PARTITION} and state ne 'finished'` } });
    for await (const row of rows) {
      const done = Number(row['subscriptionsScanned'] ?? 0) + Number(row['subscriptionsFailed'] ?? 0);
      const requested = Number(row['subscriptionsRequested'] ?? Number.POSITIVE_INFINITY);
      const staleClaim = row['state'] === 'finishing' && now.getTime() - Date.parse(String(row['finishingAt'] ?? '')) > claimTimeoutMs;
      if (done >= requested && (row['state'] !== 'finishing' || staleClaim) && typeof row['scanId'] === 'string') scanIds.push(row['scanId']);
    }
    return scanIds;
  }

  /** Runs still open `deadlineMs` after they started (see RUN_DEADLINE_MS). */
  async listOverdueRuns(now: Date, deadlineMs = RUN_DEADLINE_MS): Promise<string[]> {
    const cutoff = new Date(now.getTime() - deadlineMs).toISOString();
    const scanIds: string[] = [];
    const rows = this.table.listEntities<Record<string, unknown>>({ queryOptions: { filter: odata`PartitionKey eq ${RUN_PARTITION} and state eq 'running' and startedAt lt ${cutoff}` } });
    for await (const row of rows) if (typeof row['scanId'] === 'string') scanIds.push(row['scanId']);
    return scanIds;
  }

  /** Subscriptions of the run with no result: still `queued`. */
  async listUnanswered(scanId: string): Promise<string[]> {
    const ids: string[] = [];
    for await (const row of this.listSubscriptionScans(scanId)) if (row['status'] === 'queued' && typeof row['subscriptionId'] === 'string') ids.push(row['subscriptionId']);
    return ids;
  }

  /** Notes on the run row that the deadline passed with `unanswered` subscriptions still to report. */
  async markOverdue(scanId: string, unanswered: number, at: string): Promise<void> {
    await this.table.upsertEntity({ partitionKey: RUN_PARTITION, rowKey: encodeKey(scanId), deadlinePassedAt: at, subscriptionsUnanswered: unanswered }, 'Merge');
  }

  /** Closes a run that cannot be finished from its rows (one recorded before runs listed their subscriptions). */
  async markAbandoned(scanId: string, reason: string, finishedAt: string): Promise<void> {
    await this.table.upsertEntity({ partitionKey: RUN_PARTITION, rowKey: encodeKey(scanId), state: 'finished', finishedAt, error: reason.slice(0, 2000) }, 'Merge');
  }

  async markFinished(scanId: string, finishedAt: string): Promise<void> {
    await this.table.upsertEntity({ partitionKey: RUN_PARTITION, rowKey: encodeKey(scanId), state: 'finished', finishedAt }, 'Merge');
  }

  /** `scanned`, `failed`, or undefined while the subscription has no result in the run. */
  async subscriptionStatus(scanId: string, subscriptionId: string): Promise<string | undefined> {
    try {
      const row = await this.table.getEntity<{ status?: string }>(encodeKey(scanId), partitionKeyForSubscription(subscriptionId));
      return row.status;
    } catch (error) {
      if ((error as { statusCode?: number }).statusCode === 404) return undefined;
      throw error;
    }
  }

  /** Whether the scheduler recorded this run (a request made by hand may name a run that does not exist). */
  async hasRun(scanId: string): Promise<boolean> {
    try {
      await this.table.getEntity(RUN_PARTITION, encodeKey(scanId), { queryOptions: { select: ['state'] } });
      return true;
    } catch (error) {
      if ((error as { statusCode?: number }).statusCode === 404) return false;
      throw error;
    }
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
