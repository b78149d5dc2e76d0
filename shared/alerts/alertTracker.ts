import { hash } from 'node:crypto';
import type { RemediationJob } from '../domain/findings.js';
import { findSuppression, type Suppression } from '../domain/suppression.js';
import type { RowAddress } from '../adapters/tables/findingStore.js';
import { fitText } from '../adapters/tables/propertyLimits.js';
import { findingRowKey, type FindingPartition } from '../adapters/tables/tableKeys.js';
import type { Evaluation } from '../scan/evaluate.js';
import type { RemediationMessage } from './message.js';
import { decide, type AlertPolicy, type FindingRow, type PreviousState, type StoredFinding } from './transitions.js';

export const DEFAULT_ALERT_POLICY: AlertPolicy = { reminderDays: 7 };

/** Columns that make a stored row different; scan id and evaluation time alone never cause a write. */
const COMPARED = [
  'result', 'severity', 'ruleTitle', 'resourceName', 'resourceGroup', 'resourceType', 'message', 'messageId', 'remediation',
  'fingerprint', 'alertState', 'alertOpenedAt', 'alertOpenedScanId', 'alertLastNotifiedAt', 'alertJobType', 'suppressionId',
] as const;

/**
 * A stored row as change detection keeps it: what deciding needs, a digest of the compared columns and
 * where the row is. A few hundred bytes however long its message, so a subscription of 100,000 machines
 * is compared without holding its rows.
 */
export interface StoredRowState extends PreviousState {
  readonly digest: string;
  readonly partition: FindingPartition;
  /** Only when the stored key is not the one the rule and resource give (rows of older key schemes). */
  readonly rowKey?: string;
}

/** A row to write, and the partition it already lives in (rows never move). */
export interface PendingRow {
  readonly row: FindingRow;
  readonly partition?: FindingPartition;
}

/** The key change detection matches findings on: cheaper than the row address, and just as unique. */
export function findingKey(finding: { ruleId: string; resourceId: string }): string {
  return `${finding.ruleId}|${finding.resourceId.toLowerCase()}`;
}

function digestOf(values: readonly string[]): string {
  return hash('sha256', values.join('\u0000'), 'base64').slice(0, 22);
}

/** Compared as stored: text too long for a Table property was stored cut, and is the same when cut the same. */
export function storedRowState(stored: StoredFinding, partition: FindingPartition, rowKey: string): StoredRowState {
  const state: StoredRowState = {
    result: stored.result,
    alertState: stored.alertState,
    fingerprint: stored.fingerprint,
    alertOpenedAt: stored.alertOpenedAt,
    alertOpenedScanId: stored.alertOpenedScanId,
    alertLastNotifiedAt: stored.alertLastNotifiedAt,
    alertJobType: stored.alertJobType,
    suppressionId: stored.suppressionId,
    digest: digestOf(COMPARED.map((column) => stored[column] ?? '')),
    partition,
  };
  return rowKey === findingRowKey(stored.ruleId, stored.resourceId) ? state : { ...state, rowKey };
}

function rowDigest(row: FindingRow): string {
  return digestOf(COMPARED.map((column) => fitText(row[column] ?? '')));
}

/** Where a stored row is, from its change-detection key (`findingKey`: rule id, `|`, resource id). */
export function storedAddress(key: string, state: StoredRowState): RowAddress {
  const split = key.indexOf('|');
  return { partitionKey: state.partition.partitionKey, rowKey: state.rowKey ?? findingRowKey(key.slice(0, split), key.slice(split + 1)) };
}

/**
 * Carries one scan's change detection: each evaluated finding is compared with its stored row, and
 * whatever was stored but not seen again is gone (resolved, then deleted).
 */
export class AlertTracker {
  private readonly unseen: Map<string, StoredRowState>;

  constructor(
    previous: Map<string, StoredRowState>,
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
        if (previous) deletes.push(storedAddress(key, previous));
      } else if (!previous) {
        rows.push({ row: decision.row });
      } else if (previous.digest !== rowDigest(decision.row)) {
        rows.push({ row: decision.row, partition: previous.partition });
      }
    }
    return { rows, deletes, messages };
  }

  /**
   * Rows not produced again (kept resolutions included, once their resource is gone): the caller deletes
   * them, and resolves the open alerts among them from their full rows (`decideGone`), read back for just those.
   */
  gone(): { addresses: RowAddress[]; openAlerts: RowAddress[] } {
    const addresses: RowAddress[] = [];
    const openAlerts: RowAddress[] = [];
    for (const [key, previous] of this.unseen) {
      const address = storedAddress(key, previous);
      addresses.push(address);
      if (previous.alertState === 'open' && previous.alertJobType) openAlerts.push(address);
    }
    this.unseen.clear();
    return { addresses, openAlerts };
  }
}
