import type { RemediationJob } from '../domain/findings.js';
import { findSuppression, type Suppression } from '../domain/suppression.js';
import { addressOf, findingKey, type RowAddress } from '../adapters/tables/findingStore.js';
import { fitText } from '../adapters/tables/propertyLimits.js';
import type { Evaluation } from '../scan/evaluate.js';
import type { RemediationMessage } from './message.js';
import { decide, decideGone, type AlertPolicy, type FindingRow, type StoredFinding } from './transitions.js';

export const DEFAULT_ALERT_POLICY: AlertPolicy = { reminderDays: 7 };

/** Columns that make a stored row different; scan id and evaluation time alone never cause a write. */
const COMPARED = [
  'result', 'severity', 'ruleTitle', 'resourceName', 'resourceGroup', 'resourceType', 'message', 'messageId', 'remediation',
  'fingerprint', 'alertState', 'alertOpenedAt', 'alertOpenedScanId', 'alertLastNotifiedAt', 'alertJobType', 'suppressionId',
] as const;

/** Compared as stored: text too long for a Table property was stored cut, and is the same when cut the same. */
function sameRow(previous: StoredFinding, row: FindingRow): boolean {
  return COMPARED.every((column) => (previous[column] ?? '') === fitText(row[column] ?? ''));
}

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

  /**
   * Decides each finding's transition and what to store: only non-passing findings are rows (what people
   * query and act on; passes are counted per scan), and a row is written only when it changed.
   */
  process(evaluation: Evaluation): { rows: FindingRow[]; deletes: RowAddress[]; messages: RemediationMessage[] } {
    const jobs = new Map<string, RemediationJob>(evaluation.jobs.map((job) => [findingKey(job), job]));
    const rows: FindingRow[] = [];
    const deletes: RowAddress[] = [];
    const messages: RemediationMessage[] = [];
    for (const finding of evaluation.findings) {
      // Nothing stored to compare with (a first scan): a pass needs no key at all.
      if (finding.result === 'Passed' && this.unseen.size === 0) continue;
      const key = findingKey(finding);
      const previous = this.unseen.get(key);
      // Most findings pass and passed before (or are new): nothing to store, nothing to say.
      if (previous === undefined && finding.result === 'Passed') continue;
      this.unseen.delete(key);
      // Still passing since its alert resolved: the kept resolution stays as it is.
      if (previous?.alertState === 'resolved' && finding.result === 'Passed') continue;
      const decision = decide(previous, finding, jobs.get(key), findSuppression(this.suppressions, finding, this.now), this.now, this.policy);
      if (decision.message) messages.push(decision.message);
      if (decision.row.result === 'Passed' && decision.row.alertState !== 'resolved') {
        if (previous) deletes.push(addressOf(previous));
      } else if (!previous || !sameRow(previous, decision.row)) {
        rows.push(decision.row);
      }
    }
    return { rows, deletes, messages };
  }

  /** Rows not produced again (kept resolutions included, once their resource is gone): resolve their open alerts; the caller deletes them. */
  gone(scanId: string): { addresses: RowAddress[]; messages: RemediationMessage[] } {
    const addresses: RowAddress[] = [];
    const messages: RemediationMessage[] = [];
    for (const previous of this.unseen.values()) {
      addresses.push(addressOf(previous));
      const message = decideGone(previous, scanId, this.now);
      if (message) messages.push(message);
    }
    this.unseen.clear();
    return { addresses, messages };
  }
}
