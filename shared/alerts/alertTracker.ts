import type { RemediationJob } from '../domain/findings.js';
import { findSuppression, type Suppression } from '../domain/suppression.js';
import { addressKey, addressOf, type RowAddress } from '../adapters/tables/findingStore.js';
import type { Evaluation } from '../scan/evaluate.js';
import type { RemediationMessage } from './message.js';
import { decide, decideGone, type AlertPolicy, type FindingRow, type StoredFinding } from './transitions.js';

export const DEFAULT_ALERT_POLICY: AlertPolicy = { reminderDays: 7 };

/**
 * Carries one scan's change detection: each evaluated finding is compared with its stored row, and
 * whatever was stored but not seen again is gone (resolved, then deleted).
 */
export class AlertTracker {
  private readonly unseen: Map<string, StoredFinding>;

  constructor(
    previous: Map<string, StoredFinding>,
    private readonly suppressions: readonly Suppression[],
    private readonly now: Date,
    private readonly policy: AlertPolicy = DEFAULT_ALERT_POLICY,
  ) {
    this.unseen = previous;
  }

  process(evaluation: Evaluation): { rows: FindingRow[]; messages: RemediationMessage[] } {
    const jobs = new Map<string, RemediationJob>(evaluation.jobs.map((job) => [addressKey(addressOf(job)), job]));
    const rows: FindingRow[] = [];
    const messages: RemediationMessage[] = [];
    for (const finding of evaluation.findings) {
      const key = addressKey(addressOf(finding));
      const previous = this.unseen.get(key);
      this.unseen.delete(key);
      const decision = decide(previous, finding, jobs.get(key), findSuppression(this.suppressions, finding, this.now), this.now, this.policy);
      rows.push(decision.row);
      if (decision.message) messages.push(decision.message);
    }
    return { rows, messages };
  }

  /** Rows not produced again: resolve their open alerts; the caller deletes them. */
  gone(scanId: string): { addresses: RowAddress[]; messages: RemediationMessage[] } {
    const addresses: RowAddress[] = [];
    const messages: RemediationMessage[] = [];
    for (const [key, previous] of this.unseen) {
      // Partition keys are encoded subscription ids (no '|'); row keys may contain one.
      const split = key.indexOf('|');
      addresses.push({ partitionKey: key.slice(0, split), rowKey: key.slice(split + 1) });
      const message = decideGone(previous, scanId, this.now);
      if (message) messages.push(message);
    }
    this.unseen.clear();
    return { addresses, messages };
  }
}
