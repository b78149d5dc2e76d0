import { hash } from 'node:crypto';
import type { RowAddress } from '../adapters/tables/findingStore.js';
import { fitText } from '../adapters/tables/propertyLimits.js';
import { findingRowKey, type FindingPartition } from '../adapters/tables/tableKeys.js';
import type { FindingRow, PreviousState, StoredFinding } from './transitions.js';

/**
 * Columns that make a stored row different; scan id and evaluation time alone never cause a write (nor the
 * rule's title and recommendation, which rows do not hold).
 */
const COMPARED = [
  'result', 'severity', 'resourceName', 'resourceGroup', 'resourceType', 'message', 'messageId',
  'fingerprint', 'alertState', 'alertOpenedAt', 'alertOpenedScanId', 'alertLastNotifiedAt', 'alertJobType', 'suppressionId',
] as const;

/**
 * A stored row as change detection keeps it: what deciding needs, the digest of the compared columns (written
 * with the row, so reading state back needs none of its long texts) and where the row is. About a hundred bytes however long its message (its repeated texts shared, see
 * `StoredRows`), so a subscription of 100,000 machines is compared without holding its rows.
 */
export interface StoredRowState extends PreviousState {
  readonly ruleId: string;
  readonly digest: string;
  readonly partition: FindingPartition;
  /** Only when the stored key is not the one the rule and resource give (rows of older key schemes). */
  readonly rowKey?: string;
}

/** 128 bits of SHA-256 as 24 characters: a string of its own (a slice would keep the whole hash alive). */
function digestOf(values: readonly string[]): string {
  return hash('sha256', values.join('\u0000'), 'buffer').toString('base64', 0, 16);
}

/** The digest of a row about to be written, compared as stored: text too long for a property was stored cut. */
export function rowDigest(row: FindingRow): string {
  return digestOf(COMPARED.map((column) => fitText(row[column] ?? '')));
}

/**
 * Stored rows of a scan's change detection, by resource and then rule: a resource's id is held once for all
 * its rows, and texts that repeat from row to row (rule ids, job types, the times and scan ids of the scan
 * that opened them) are held once for all rows.
 */
export class StoredRows {
  private readonly byResource = new Map<string, StoredRowState[]>();
  private readonly shared = new Map<string, string>();
  size = 0;

  /**
   * Keeps a stored row found in `partition` under `rowKey`, with the digest stored with it. A row written
   * before rows carried a digest has none: it compares as changed and is written again once (its alert
   * state decides messages, not the digest, so nothing is sent for that).
   */
  add(stored: PreviousState & { ruleId: string; resourceId: string }, partition: FindingPartition, rowKey: string, digest: string): void {
    const resource = stored.resourceId.toLowerCase();
    const share = (text: string | undefined): string | undefined => {
      if (text === undefined) return undefined;
      const known = this.shared.get(text);
      if (known !== undefined) return known;
      this.shared.set(text, text);
      return text;
    };
    const state: StoredRowState = {
      ruleId: share(stored.ruleId) ?? stored.ruleId,
      result: stored.result,
      alertState: stored.alertState,
      fingerprint: share(stored.fingerprint) ?? '',
      alertOpenedAt: share(stored.alertOpenedAt),
      alertOpenedScanId: share(stored.alertOpenedScanId),
      alertLastNotifiedAt: share(stored.alertLastNotifiedAt),
      alertJobType: stored.alertJobType === undefined ? undefined : share(stored.alertJobType) as StoredFinding['alertJobType'],
      suppressionId: share(stored.suppressionId),
      digest,
      partition,
      ...(rowKey === findingRowKey(stored.ruleId, resource) ? {} : { rowKey }),
    };
    const rows = this.byResource.get(resource);
    if (!rows) {
      this.byResource.set(resource, [state]);
    } else {
      // One row per rule and resource: a second copy replaces the first, as a Map would.
      const index = rows.findIndex((row) => row.ruleId === state.ruleId);
      if (index >= 0) rows[index] = state;
      else rows.push(state);
      if (index >= 0) return;
    }
    this.size += 1;
  }

  /** The stored row of a rule on a resource (`resource`: its id lower-cased), removed from what is unseen. */
  take(ruleId: string, resource: string): StoredRowState | undefined {
    const rows = this.byResource.get(resource);
    if (!rows) return undefined;
    const index = rows.findIndex((row) => row.ruleId === ruleId);
    if (index < 0) return undefined;
    const [state] = rows.splice(index, 1);
    if (rows.length === 0) this.byResource.delete(resource);
    this.size -= 1;
    return state;
  }

  /** Every row still held, with its address; empties the collection. */
  *drain(): Iterable<{ state: StoredRowState; address: RowAddress }> {
    for (const [resource, rows] of this.byResource) {
      for (const state of rows) yield { state, address: storedAddress(resource, state) };
    }
    this.byResource.clear();
    this.size = 0;
  }
}

/** Where a stored row is (`resource`: its resource id lower-cased). */
export function storedAddress(resource: string, state: StoredRowState): RowAddress {
  return { partitionKey: state.partition.partitionKey, rowKey: state.rowKey ?? findingRowKey(state.ruleId, resource) };
}
