import type { Finding, RemediationJob } from '../domain/findings.js';
import type { MachineSubject } from '../rules/context.js';
import type { ActiveSuppressions, FindingRows, PlacedRow, RowAddress, RowPlacement, StoredState } from './findingPorts.js';
import type { MessageBus, MessageOutbox } from './messagePorts.js';
import { AlertTracker } from './alertTracker.js';
import type { RemediationMessage } from '../alerts/message.js';
import { relayOutbox, type RelayResult } from './outboxRelay.js';
import { INDIVIDUAL_MESSAGES_PER_GROUP } from '../alerts/digest.js';
import { MessageDelivery } from './messageDelivery.js';
import { decideGone, type AlertPolicy } from '../alerts/transitions.js';
import type { Evaluation } from './evaluate.js';
import { countFindings, emptyCounts } from '../domain/scanSummary.js';

/** Sees every finding, job and message as it is produced (the CLI builds its report from this). */
export interface ScanObserver {
  /** Each machine as it is read, with the facts rules derive (the CLI counts machines per ESU program). */
  onMachine?(machine: MachineSubject): void;
  onFindings?(findings: readonly Finding[]): void;
  onJobs?(jobs: readonly RemediationJob[]): void;
  onMessages?(messages: readonly RemediationMessage[]): void;
}

/** Where findings go: the findings table, and the outbox for the messages their changes decide. */
export interface FindingSinkDependencies {
  readonly findings: FindingRows;
  readonly outbox: MessageOutbox;
  readonly suppressions: ActiveSuppressions;
  /** Absent when no Service Bus is configured: messages stay in the outbox. */
  readonly publisher?: MessageBus;
  readonly alertPolicy?: AlertPolicy;
  readonly observer?: ScanObserver;
  /** Messages of one group (rule, job type, transition, subscription) published as they come; the rest wait for a digest. */
  readonly individualMessagesPerGroup?: number;
}

/** Rows (or deletes) waiting across partitions before they are written even though no transaction is full. */
const PENDING_LIMIT = 2_000;
/** Table calls of one sink in flight at once: one subscription's pages keep storage busy while rules run. */
const CALLS_IN_FLIGHT = 4;

/**
 * Writes evaluations as they come: change detection against the stored rows, then the messages, then the
 * rows, which wait per partition until they fill 100-entity transactions (or too many wait: then all go;
 * the rest goes at `finish`). Writes run in the background, a few at a time, and the first failure fails
 * the next `write` or `finish`.
 * Messages go first so that a row never says "notified" for a message that was not handed over:
 * published straight to Service Bus when it answers, otherwise kept in the outbox for the relay. If the
 * scan dies after publishing but before writing rows, the next scan decides the same transitions under
 * the same message ids, and the topic's duplicate detection drops them. `finish` resolves and deletes
 * what was not seen again, and relays whatever the outbox holds for the subscription.
 */
export class FindingSink {
  readonly counts = emptyCounts();
  readonly stats = { rowsWritten: 0, rowsRemoved: 0, jobs: 0 };
  private readonly pendingRows: PendingByPartition<PlacedRow>;
  private readonly pendingDeletes: PendingByPartition<RowAddress>;
  private readonly inFlight = new Set<Promise<void>>();
  private failure: { error: unknown } | undefined;
  private readonly delivery: MessageDelivery;

  private constructor(private readonly deps: FindingSinkDependencies, private readonly tracker: AlertTracker, private readonly now: Date, private readonly placement: RowPlacement) {
    this.pendingRows = new PendingByPartition(deps.findings.rowsPerTransaction);
    this.pendingDeletes = new PendingByPartition(deps.findings.rowsPerTransaction);
    this.delivery = new MessageDelivery(deps.outbox, deps.publisher, deps.individualMessagesPerGroup);
  }

  /** Messages decided, published one by one, kept in the outbox, and sent as digests (and how many those stood for). */
  get messageStats(): MessageDelivery['stats'] {
    return this.delivery.stats;
  }

  /** `previous`: what the last scans stored (may still be loading: suppressions are read meanwhile). */
  static async open(deps: FindingSinkDependencies, previous: StoredState | Promise<StoredState>, now: Date): Promise<FindingSink> {
    const [stored, suppressions] = await Promise.all([previous, deps.suppressions.listActive(now)]);
    return new FindingSink(deps, new AlertTracker(stored.rows, suppressions, now, deps.alertPolicy), now, stored.placement);
  }

  /** Rows per partition this sink placed new rows in (with what was there), for the benchmark. */
  partitionSizes(): number[] {
    return this.placement.sizes();
  }

  async write(evaluation: Evaluation): Promise<void> {
    this.throwIfFailed();
    if (evaluation.findings.length === 0) return;
    // Findings are counted (Passed included) even though only the others become rows.
    countFindings(evaluation.findings, this.counts);
    this.deps.observer?.onFindings?.(evaluation.findings);
    if (evaluation.jobs.length > 0) this.deps.observer?.onJobs?.(evaluation.jobs);
    this.stats.jobs += evaluation.jobs.length;
    const { rows, deletes, messages } = this.tracker.process(evaluation);
    await this.hand(messages);
    for (const { row, partition } of rows) {
      const at = partition ?? this.placement.next(row.subscriptionId);
      this.pendingRows.add(at.partitionKey, { row, partition: at });
    }
    for (const address of deletes) this.pendingDeletes.add(address.partitionKey, address);
    await this.writeRows(false);
  }

  /** `complete`: every list was read, so rows not seen again are really gone. */
  /** Before `finish`: stored rows of subscriptions not read are kept (neither resolved nor deleted). */
  keepUnread(subscriptionIds: ReadonlySet<string>): number {
    return this.tracker.keepUnread(subscriptionIds);
  }

  async finish(scanId: string, complete: boolean, subscriptionId?: string): Promise<RelayResult> {
    if (complete) {
      const gone = this.tracker.gone();
      // Only rows with an open alert need more than their address: their resolution names what was resolved.
      const openRows = gone.openAlerts.length > 0 ? await this.deps.findings.readStored(gone.openAlerts) : [];
      await this.hand(openRows.flatMap((row) => decideGone(row, scanId, this.now) ?? []));
      for (const address of gone.addresses) this.pendingDeletes.add(address.partitionKey, address);
    }
    await this.writeRows(true);
    await Promise.all(this.inFlight);
    this.throwIfFailed();
    await this.delivery.finish();
    const relay = await relayOutbox(this.deps.outbox, this.deps.publisher, subscriptionId, { digestFrom: this.deps.individualMessagesPerGroup ?? INDIVIDUAL_MESSAGES_PER_GROUP });
    return { ...relay, published: relay.published + this.delivery.stats.messagesPublished + this.delivery.stats.digests };
  }

  /** Full transactions only, unless `all` (or too much waits): a page's rows rarely fill one, a subscription's usually do. */
  private async writeRows(all: boolean): Promise<void> {
    const rows = this.pendingRows.take(all || this.pendingRows.size > PENDING_LIMIT);
    if (rows.length > 0) await this.start(async () => { this.stats.rowsWritten += await this.deps.findings.upsert(rows); });
    const deletes = this.pendingDeletes.take(all || this.pendingDeletes.size > PENDING_LIMIT);
    if (deletes.length > 0) await this.start(async () => { this.stats.rowsRemoved += await this.deps.findings.delete(deletes); });
  }

  /** Starts a table call in the background once fewer than `CALLS_IN_FLIGHT` run. */
  private async start(call: () => Promise<void>): Promise<void> {
    while (this.inFlight.size >= CALLS_IN_FLIGHT) await Promise.race(this.inFlight);
    this.throwIfFailed();
    const running: Promise<void> = call().catch((error: unknown) => {
      this.failure ??= { error };
    }).finally(() => this.inFlight.delete(running));
    this.inFlight.add(running);
  }

  private throwIfFailed(): void {
    if (this.failure) throw this.failure.error;
  }

  private async hand(messages: readonly RemediationMessage[]): Promise<void> {
    if (messages.length > 0) this.deps.observer?.onMessages?.(messages);
    await this.delivery.hand(messages);
  }
}

/** Items waiting per partition: whole transactions' worth are taken as they fill, or everything. */
class PendingByPartition<T> {
  private readonly byPartition = new Map<string, T[]>();
  size = 0;

  constructor(private readonly perTransaction: number) {}

  add(partitionKey: string, item: T): void {
    let items = this.byPartition.get(partitionKey);
    if (!items) {
      items = [];
      this.byPartition.set(partitionKey, items);
    }
    items.push(item);
    this.size += 1;
  }

  take(all: boolean): T[] {
    const taken: T[] = [];
    for (const [partitionKey, items] of this.byPartition) {
      const count = all ? items.length : items.length - (items.length % this.perTransaction);
      if (count === 0) continue;
      taken.push(...items.splice(0, count));
      if (items.length === 0) this.byPartition.delete(partitionKey);
    }
    this.size -= taken.length;
    return taken;
  }
}
