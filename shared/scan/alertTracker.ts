import type { RemediationJob } from '../domain/findings.js';
import { findSuppression, type Suppression } from '../domain/suppression.js';
import type { FindingPartition, RowAddress, UnseenRows } from './findingPorts.js';
import type { Evaluation } from './evaluate.js';
import type { RemediationMessage } from '../alerts/message.js';
import { DEFAULT_DEADLINE_ESCALATION_DAYS } from '../alerts/fingerprint.js';
import { decide, type AlertPolicy, type FindingRow } from '../alerts/transitions.js';

export const DEFAULT_ALERT_POLICY: AlertPolicy = { reminderDays: 7, deadlineEscalationDays: DEFAULT_DEADLINE_ESCALATION_DAYS };

/** The key change detection matches findings on: cheaper than the row address, and just as unique. */
function findingKey(finding: { ruleId: string; resourceId: string }): string {
  return keyOf(finding.ruleId, finding.resourceId.toLowerCase());
}

/** `findingKey` of a resource id already lower-cased. */
function keyOf(ruleId: string, resource: string): string {
  return `${ruleId}|${resource}`;
}

/** A row to write, and the partition it already lives in (rows never move). */
export interface PendingRow {
  readonly row: FindingRow;
  readonly partition?: FindingPartition;
}

/**
 * Carries one scan's change detection: each evaluated finding is compared with its stored row, and
 * whatever was stored but not seen again is gone (resolved, then deleted).
 */
export class AlertTracker {
  private readonly unseen: UnseenRows;

  constructor(
    previous: UnseenRows,
    private readonly suppressions: readonly Suppression[],
    private readonly now: Date,
    private readonly policy: AlertPolicy = DEFAULT_ALERT_POLICY,
  ) {
    this.unseen = previous;
  }

  /**
   * Decides each finding's transition and what to store: only non-passing findings are rows (what people
   * query and act on; passes are counted per scan), and a row is written only when it changed.
   */
  process(evaluation: Evaluation): { rows: PendingRow[]; deletes: RowAddress[]; messages: RemediationMessage[] } {
    const jobs = new Map<string, RemediationJob>(evaluation.jobs.map((job) => [findingKey(job), job]));
    const rows: PendingRow[] = [];
    const deletes: RowAddress[] = [];
    const messages: RemediationMessage[] = [];
    for (const finding of evaluation.findings) {
      // Nothing stored to compare with (a first scan): a pass needs no key at all.
      if (finding.result === 'Passed' && this.unseen.size === 0) continue;
      const resource = finding.resourceId.toLowerCase();
      const previous = this.unseen.take(finding.ruleId, resource);
      // Most findings pass and passed before (or are new): nothing to store, nothing to say.
      if (previous === undefined && finding.result === 'Passed') continue;
      // Still passing since its alert resolved: the kept resolution stays as it is.
      if (previous?.alertState === 'resolved' && finding.result === 'Passed') continue;
      const decision = decide(previous, finding, jobs.get(keyOf(finding.ruleId, resource)), findSuppression(this.suppressions, finding, this.now), this.now, this.policy);
      if (decision.message) messages.push(decision.message);
      if (decision.row.result === 'Passed' && decision.row.alertState !== 'resolved') {
        if (previous) deletes.push(previous.addressAt(resource));
      } else if (!previous) {
        rows.push({ row: decision.row });
      } else if (!previous.storesSame(decision.row)) {
        rows.push({ row: decision.row, partition: previous.partition });
      }
    }
    return { rows, deletes, messages };
  }

  /** Rows of subscriptions this evaluation could not read stay as they are: never counted as gone. */
  keepUnread(subscriptionIds: ReadonlySet<string>): number {
    return this.unseen.forgetSubscriptions(subscriptionIds);
  }

  /**
   * Rows not produced again (kept resolutions included, once their resource is gone): the caller deletes
   * them, and resolves the open alerts among them from their full rows (`decideGone`), read back for just those.
   */
  gone(): { addresses: RowAddress[]; openAlerts: RowAddress[] } {
    const addresses: RowAddress[] = [];
    const openAlerts: RowAddress[] = [];
    for (const { state, address } of this.unseen.drain()) {
      addresses.push(address);
      if (state.alertState === 'open' && state.alertJobType) openAlerts.push(address);
    }
    return { addresses, openAlerts };
  }
}
