import { hash } from 'node:crypto';
import { fitText } from './propertyLimits.js';
import { findingRowKey } from './tableKeys.js';
import type { FindingPartition, RowAddress, StoredRow, UnseenRows } from '../../scan/findingPorts.js';
import type { CheckResult } from '../../domain/findings.js';
import type { AlertFields, FindingRow, PreviousState } from '../../alerts/transitions.js';
import { hasElapsedEvidence } from '../../alerts/fingerprint.js';

/**
 * Columns that make a stored row different; scan id and evaluation time alone never cause a write (nor the
 * rule's title and recommendation, which rows do not hold). The message is compared as `messageStamp` gives it.
 */
const COMPARED = [
  'result', 'severity', 'resourceName', 'resourceGroup', 'resourceType', 'messageId',
  'fingerprint', 'alertState', 'alertOpenedAt', 'alertOpenedScanId', 'alertLastNotifiedAt', 'alertJobType', 'suppressionId',
] as const;

/** A stored row's result and alert bookkeeping: rows opened, notified, resolved or suppressed together share one. */
type StoredAlert = Pick<AlertFields, 'alertState' | 'alertOpenedAt' | 'alertOpenedScanId' | 'alertLastNotifiedAt' | 'alertJobType' | 'suppressionId'> & { readonly result: CheckResult };

/** What few rows have: a fingerprint and digest that do not pack, a row key of an older scheme. */
interface RowExtras {
  readonly fingerprint?: string;
  readonly digest?: string;
  readonly rowKey?: string;
}

/**
 * A stored row as change detection keeps it: what deciding needs, the digest of the compared columns (written
 * with the row, so reading state back needs none of its long texts) and where the row is. About 140
 * bytes however long its message (alert bookkeeping and repeated texts shared, see `StoredRows`), so a
 * subscription of 100,000 machines is compared without holding its rows.
 */
export class StoredRowState implements StoredRow {
  /** The resource's next stored row: a resource's rows are a short chain (an array each would cost more than its rows). */
  next: StoredRowState | undefined = undefined;
  /** Digest and fingerprint packed (see `packStamp`); undefined for rows whose texts do not pack, kept in `extras`. */
  private readonly packed: string | undefined;
  private readonly extras: RowExtras | undefined;

  constructor(
    readonly ruleId: string,
    fingerprint: string,
    digest: string,
    readonly partition: FindingPartition,
    private readonly alert: StoredAlert,
    /** Only when the stored key is not the one the rule and resource give (rows of older key schemes). */
    rowKey: string | undefined,
  ) {
    this.packed = packStamp(fingerprint, digest);
    const loose = this.packed === undefined ? { fingerprint, digest } : {};
    this.extras = this.packed === undefined || rowKey !== undefined ? { ...loose, ...(rowKey === undefined ? {} : { rowKey }) } : undefined;
  }

  get result(): CheckResult { return this.alert.result; }
  get rowKey(): string | undefined { return this.extras?.rowKey; }

  get fingerprint(): string {
    return this.packed === undefined ? (this.extras?.fingerprint ?? '') : Buffer.from(this.packed.slice(DIGEST_BYTES), 'latin1').toString('hex');
  }

  /** The stored row's compared columns are those of `digest` (a `rowDigest`): nothing to write. */
  sameDigest(digest: string): boolean {
    if (this.packed === undefined) return this.extras?.digest === digest && digest !== '';
    return Buffer.from(digest, 'base64').toString('latin1', 0, DIGEST_BYTES) === this.packed.slice(0, DIGEST_BYTES);
  }

  storesSame(row: FindingRow): boolean {
    return this.sameDigest(rowDigest(row));
  }

  addressAt(resource: string): RowAddress {
    return storedAddress(resource, this);
  }

  get alertState(): AlertFields['alertState'] { return this.alert.alertState; }
  get alertOpenedAt(): string | undefined { return this.alert.alertOpenedAt; }
  get alertOpenedScanId(): string | undefined { return this.alert.alertOpenedScanId; }
  get alertLastNotifiedAt(): string | undefined { return this.alert.alertLastNotifiedAt; }
  get alertJobType(): AlertFields['alertJobType'] { return this.alert.alertJobType; }
  get suppressionId(): string | undefined { return this.alert.suppressionId; }
}

/** Bytes of the digest change detection compares: 64 bits, so a changed row passes for unchanged once in 2^64. */
const DIGEST_BYTES = 8;
const FINGERPRINT = /^[0-9a-f]{16}$/;

/**
 * A stored digest (base64) and fingerprint (16 hex digits, as `fingerprintOf` writes them) as one string of
 * 16 one-byte characters: 32 bytes where the two texts take 72, for each of a subscription's stored rows.
 * Undefined when either is not of that form (rows of older schemes, rows without a digest).
 */
function packStamp(fingerprint: string, digest: string): string | undefined {
  if (!FINGERPRINT.test(fingerprint)) return undefined;
  const digestBytes = Buffer.from(digest, 'base64');
  if (digestBytes.length < DIGEST_BYTES) return undefined;
  const packed = Buffer.allocUnsafe(DIGEST_BYTES + 8);
  digestBytes.copy(packed, 0, 0, DIGEST_BYTES);
  packed.write(fingerprint, DIGEST_BYTES, 'hex');
  return packed.toString('latin1');
}

/** 128 bits of SHA-256 as 24 characters: a string of its own (a slice would keep the whole hash alive). */
function digestOf(values: readonly string[]): string {
  return hash('sha256', values.join('\u0000'), 'buffer').toString('base64', 0, 16);
}

/** The digest of a row about to be written, compared as stored: text too long for a property was stored cut. */
export function rowDigest(row: FindingRow): string {
  const values = COMPARED.map((column) => fitText(row[column] ?? ''));
  values.push(messageStamp(row));
  return digestOf(values);
}

/**
 * What of the message makes a row different. A message with elapsed time in it ("35 days left", "Disconnected
 * for 27 days") changes every day while the decision stays (its fingerprint is compared, and says when it
 * does not): such a row is rewritten at most once a UTC day, by the first scan of the day, so its message
 * and evidence stay true to within a day, as of its `evaluatedAt`. Any other message is compared whole.
 */
function messageStamp(row: FindingRow): string {
  return hasElapsedEvidence(row.evidence) ? `\u0000day ${row.evaluatedAt.slice(0, 10)}` : fitText(row.message);
}

/**
 * Stored rows of a scan's change detection, by resource and then rule: a resource's id is held once for all
 * its rows, and what repeats from row to row (rule ids, the alert bookkeeping of the scan that opened them)
 * is held once for all rows.
 */
export class StoredRows implements UnseenRows {
  private readonly byResource = new Map<string, StoredRowState>();
  private readonly ruleIds = new Map<string, string>();
  private readonly alerts = new Map<string, StoredAlert>();
  size = 0;

  /**
   * Keeps a stored row found in `partition` under `rowKey`, with the digest stored with it. A row written
   * before rows carried a digest has none: it compares as changed and is written again once (its alert
   * state decides messages, not the digest, so nothing is sent for that).
   */
  add(stored: PreviousState & { ruleId: string; resourceId: string }, partition: FindingPartition, rowKey: string, digest: string): void {
    const resource = stored.resourceId.toLowerCase();
    const ruleId = this.shared(this.ruleIds, stored.ruleId, () => stored.ruleId);
    const alertKey = [stored.result, stored.alertState, stored.alertOpenedAt, stored.alertOpenedScanId, stored.alertLastNotifiedAt, stored.alertJobType, stored.suppressionId].join('\u0000');
    const alert = this.shared(this.alerts, alertKey, () => ({
      result: stored.result,
      alertState: stored.alertState,
      alertOpenedAt: stored.alertOpenedAt,
      alertOpenedScanId: stored.alertOpenedScanId,
      alertLastNotifiedAt: stored.alertLastNotifiedAt,
      alertJobType: stored.alertJobType,
      suppressionId: stored.suppressionId,
    }));
    const state = new StoredRowState(ruleId, stored.fingerprint, digest, partition, alert, rowKey === findingRowKey(ruleId, resource) ? undefined : rowKey);
    // One row per rule and resource: a second copy replaces the first, as a Map would. The key kept is a
    // string of its own (a slice of the id would keep the whole id alive).
    const key = ownCopy(compactKey(resource));
    this.takeByKey(ruleId, key);
    state.next = this.byResource.get(key);
    this.byResource.set(key, state);
    this.size += 1;
  }

  /** The stored row of a rule on a resource (`resource`: its id lower-cased), removed from what is unseen. */
  take(ruleId: string, resource: string): StoredRowState | undefined {
    return this.takeByKey(ruleId, compactKey(resource));
  }

  private takeByKey(ruleId: string, key: string): StoredRowState | undefined {
    let previous: StoredRowState | undefined;
    for (let state = this.byResource.get(key); state !== undefined; previous = state, state = state.next) {
      if (state.ruleId !== ruleId) continue;
      if (previous !== undefined) previous.next = state.next;
      else if (state.next !== undefined) this.byResource.set(key, state.next);
      else this.byResource.delete(key);
      state.next = undefined;
      this.size -= 1;
      return state;
    }
    return undefined;
  }

  /** Drops the rows of resources in these subscriptions (ids lower-cased): not read, so not gone. Returns how many. */
  forgetSubscriptions(subscriptionIds: ReadonlySet<string>): number {
    let forgotten = 0;
    for (const [key, first] of this.byResource) {
      const subscription = /^\/subscriptions\/([^/]+)/.exec(resourceOfKey(key))?.[1];
      if (subscription === undefined || !subscriptionIds.has(subscription)) continue;
      for (let state: StoredRowState | undefined = first; state !== undefined; state = state.next) forgotten += 1;
      this.byResource.delete(key);
    }
    this.size -= forgotten;
    return forgotten;
  }

  /** Every row still held, with its address; empties the collection. */
  *drain(): Iterable<{ state: StoredRowState; address: RowAddress }> {
    for (const [key, first] of this.byResource) {
      const resource = resourceOfKey(key);
      for (let state: StoredRowState | undefined = first; state !== undefined; state = state.next) yield { state, address: storedAddress(resource, state) };
    }
    this.byResource.clear();
    this.size = 0;
  }

  private shared<T>(texts: Map<string, T>, key: string, make: () => T): T {
    const known = texts.get(key);
    if (known !== undefined) return known;
    const made = make();
    texts.set(key, made);
    return made;
  }
}

/**
 * The map key of a lower-cased resource id: Arc machine ids spend most of their text on two parts every
 * machine of a subscription shares, `/subscriptions/…/resourcegroups/` (as `\u0002` and the subscription id)
 * and `/providers/microsoft.hybridcompute/machines/` (as `\u0001`). An id holding those marker characters
 * itself is kept whole behind `\u0003`.
 */
function compactKey(resource: string): string {
  if (MARKERS.test(resource)) return `\u0003${resource}`;
  return resource.replace(SUBSCRIPTION_PREFIX, '\u0002$1\u0002').replace(MACHINES_SEGMENT, '\u0001');
}

/** A flat copy of a text built from pieces of a longer one, holding none of it (only keys that are kept need one). */
function ownCopy(text: string): string {
  return JSON.parse(JSON.stringify(text)) as string;
}

function resourceOfKey(key: string): string {
  if (key.startsWith('\u0003')) return key.slice(1);
  // eslint-disable-next-line no-control-regex -- the markers compactKey writes
  return key.replace(/^\u0002([^\u0002]*)\u0002/, '/subscriptions/$1/resourcegroups/').replace('\u0001', '/providers/microsoft.hybridcompute/machines/');
}

// eslint-disable-next-line no-control-regex -- the markers are control characters no ARM id holds
const MARKERS = /[\u0001-\u0003]/;
const SUBSCRIPTION_PREFIX = /^\/subscriptions\/([^/]*)\/resourcegroups\//;
const MACHINES_SEGMENT = '/providers/microsoft.hybridcompute/machines/';

/** Where a stored row is (`resource`: its resource id lower-cased). */
export function storedAddress(resource: string, state: StoredRowState): RowAddress {
  return { partitionKey: state.partition.partitionKey, rowKey: state.rowKey ?? findingRowKey(state.ruleId, resource) };
}
