import type { Finding, RemediationJob } from '../domain/findings.js';
import type { MachineSubject } from '../rules/context.js';
import type { MessagePublisher } from '../adapters/serviceBus/messagePublisher.js';
import type { FindingStore, RowAddress } from '../adapters/tables/findingStore.js';
import type { Outbox } from '../adapters/tables/outbox.js';
import { TRANSACTION_LIMIT } from '../adapters/tables/entityTransaction.js';
import type { SuppressionStore } from '../adapters/tables/suppressionStore.js';
import { AlertTracker } from '../alerts/alertTracker.js';
import type { RemediationMessage } from '../alerts/message.js';
import { relayOutbox, type RelayResult } from '../alerts/relay.js';
import type { AlertPolicy, FindingRow, StoredFinding } from '../alerts/transitions.js';
import type { Evaluation } from './evaluate.js';
import { countFindings, emptyCounts } from './summary.js';

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
  readonly findings: FindingStore;
  readonly outbox: Outbox;
  readonly suppressions: SuppressionStore;
  /** Absent when no Service Bus is configured: messages stay in the outbox. */
  readonly publisher?: MessagePublisher;
  readonly alertPolicy?: AlertPolicy;
  readonly observer?: ScanObserver;
}

/**
 * Writes evaluations as they come: change detection against the stored rows, then the messages, then the
 * rows, which wait until they fill 100-entity transactions (the rest goes at `finish`).
 * Messages go first so that a row never says "notified" for a message that was not handed over:
 * published straight to Service Bus when it answers, otherwise kept in the outbox for the relay. If the
 * scan dies after publishing but before writing rows, the next scan decides the same transitions under
 * the same message ids, and the topic's duplicate detection drops them. `finish` resolves and deletes
 * what was not seen again, and relays whatever the outbox holds for the subscription.
 */
export class FindingSink {
  readonly counts = emptyCounts();
  readonly stats = { rowsWritten: 0, rowsRemoved: 0, jobs: 0, messages: 0, messagesPublished: 0, messagesKept: 0 };
  private readonly pendingRows: FindingRow[] = [];
  private readonly pendingDeletes: RowAddress[] = [];

  private constructor(private readonly deps: FindingSinkDependencies, private readonly tracker: AlertTracker) {}

  /** `previous`: what the last scans stored (may still be loading: suppressions are read meanwhile). */
  static async open(deps: FindingSinkDependencies, previous: Map<string, StoredFinding> | Promise<Map<string, StoredFinding>>, now: Date): Promise<FindingSink> {
    const [stored, suppressions] = await Promise.all([previous, deps.suppressions.listActive(now)]);
    return new FindingSink(deps, new AlertTracker(stored, suppressions, now, deps.alertPolicy));
  }

  async write(evaluation: Evaluation): Promise<void> {
    if (evaluation.findings.length === 0) return;
    // Findings are counted (Passed included) even though only the others become rows.
    countFindings(evaluation.findings, this.counts);
    this.deps.observer?.onFindings?.(evaluation.findings);
    if (evaluation.jobs.length > 0) this.deps.observer?.onJobs?.(evaluation.jobs);
    this.stats.jobs += evaluation.jobs.length;
    const { rows, deletes, messages } = this.tracker.process(evaluation);
    await this.hand(messages);
    this.pendingRows.push(...rows);
    this.pendingDeletes.push(...deletes);
    await this.writeRows(false);
  }

  /** `complete`: every list was read, so rows not seen again are really gone. */
  async finish(scanId: string, complete: boolean, subscriptionId?: string): Promise<RelayResult> {
    if (complete) {
      const gone = this.tracker.gone(scanId);
      await this.hand(gone.messages);
      this.pendingDeletes.push(...gone.addresses);
    }
    await this.writeRows(true);
    const relay = await relayOutbox(this.deps.outbox, this.deps.publisher, subscriptionId);
    return { ...relay, published: relay.published + this.stats.messagesPublished };
  }

  /** Full transactions only, unless `all`: a page's rows rarely fill one, a subscription's usually do. */
  private async writeRows(all: boolean): Promise<void> {
    const rows = takeChunks(this.pendingRows, all);
    if (rows.length > 0) this.stats.rowsWritten += await this.deps.findings.upsert(rows);
    const deletes = takeChunks(this.pendingDeletes, all);
    if (deletes.length > 0) this.stats.rowsRemoved += await this.deps.findings.delete(deletes);
  }

  /** Publishes what it can; whatever Service Bus did not take (or all, without a bus) waits in the outbox. */
  private async hand(messages: readonly RemediationMessage[]): Promise<void> {
    if (messages.length === 0) return;
    this.deps.observer?.onMessages?.(messages);
    this.stats.messages += messages.length;
    let unsent = messages;
    if (this.deps.publisher) {
      const outcome = await this.deps.publisher.publish(messages);
      this.stats.messagesPublished += outcome.sent.length;
      const sent = new Set(outcome.sent);
      unsent = messages.filter((message) => !sent.has(message.messageId));
    }
    if (unsent.length > 0) {
      this.stats.messagesKept += unsent.length;
      await this.deps.outbox.enqueue(unsent);
    }
  }
}

/** Takes whole transactions' worth of items (all of them with `all`) from the front of `pending`. */
function takeChunks<T>(pending: T[], all: boolean): T[] {
  return pending.splice(0, all ? pending.length : pending.length - (pending.length % TRANSACTION_LIMIT));
}
