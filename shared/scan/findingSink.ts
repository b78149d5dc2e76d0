import type { Finding, RemediationJob } from '../domain/findings.js';
import type { MessagePublisher } from '../adapters/serviceBus/messagePublisher.js';
import type { FindingStore } from '../adapters/tables/findingStore.js';
import type { Outbox } from '../adapters/tables/outbox.js';
import type { SuppressionStore } from '../adapters/tables/suppressionStore.js';
import { AlertTracker } from '../alerts/alertTracker.js';
import type { RemediationMessage } from '../alerts/message.js';
import { relayOutbox, type RelayResult } from '../alerts/relay.js';
import type { AlertPolicy, StoredFinding } from '../alerts/transitions.js';
import type { Evaluation } from './evaluate.js';
import { countFindings, emptyCounts } from './summary.js';

/** Sees every finding, job and message as it is produced (the CLI builds its report from this). */
export interface ScanObserver {
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
 * Writes evaluations as they come: change detection against the stored rows, messages into the outbox
 * first (so an outage between the two loses nothing), then the rows. `finish` resolves and deletes what
 * was not seen again, and relays the outbox to Service Bus.
 */
export class FindingSink {
  readonly counts = emptyCounts();
  readonly stats = { rowsWritten: 0, rowsRemoved: 0, jobs: 0, messages: 0 };

  private constructor(private readonly deps: FindingSinkDependencies, private readonly tracker: AlertTracker) {}

  static async open(deps: FindingSinkDependencies, previous: Map<string, StoredFinding>, now: Date): Promise<FindingSink> {
    const suppressions = await deps.suppressions.listActive(now);
    return new FindingSink(deps, new AlertTracker(previous, suppressions, now, deps.alertPolicy));
  }

  async write(evaluation: Evaluation): Promise<void> {
    if (evaluation.findings.length === 0) return;
    // Findings are counted (Passed included) even though only the others become rows.
    countFindings(evaluation.findings, this.counts);
    this.deps.observer?.onFindings?.(evaluation.findings);
    if (evaluation.jobs.length > 0) this.deps.observer?.onJobs?.(evaluation.jobs);
    this.stats.jobs += evaluation.jobs.length;
    const { rows, deletes, messages } = this.tracker.process(evaluation);
    await this.enqueue(messages);
    if (rows.length > 0) this.stats.rowsWritten += await this.deps.findings.upsert(rows);
    if (deletes.length > 0) this.stats.rowsRemoved += await this.deps.findings.delete(deletes);
  }

  /** `complete`: every list was read, so rows not seen again are really gone. */
  async finish(scanId: string, complete: boolean, subscriptionId?: string): Promise<RelayResult> {
    if (complete) {
      const gone = this.tracker.gone(scanId);
      await this.enqueue(gone.messages);
      if (gone.addresses.length > 0) this.stats.rowsRemoved += await this.deps.findings.delete(gone.addresses);
    }
    return relayOutbox(this.deps.outbox, this.deps.publisher, subscriptionId);
  }

  private async enqueue(messages: readonly RemediationMessage[]): Promise<void> {
    if (messages.length === 0) return;
    this.deps.observer?.onMessages?.(messages);
    this.stats.messages += messages.length;
    await this.deps.outbox.enqueue(messages);
  }
}
