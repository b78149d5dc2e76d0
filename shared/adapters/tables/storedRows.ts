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
 * A stored row as change detection hands it out (`StoredRows.take`, `drain`): what deciding needs, the digest of
 * the compared columns (written with the row, so reading state back needs none of its long texts) and where the
 * row is. Built when asked for; `StoredRows` keeps its rows in columns, not as these objects.
 */
export class StoredRowState implements StoredRow {
  private constructor(
    readonly ruleId: string,
    /** Digest and fingerprint packed (see `packInto`), as 16 one-byte characters; undefined for rows whose texts do not pack, kept in `extras`. */
    private readonly packed: string | undefined,
    private readonly extras: RowExtras | undefined,
    readonly partition: FindingPartition,
    private readonly alert: StoredAlert,
  ) {}

  /** A row kept in `StoredRows`' columns. */
  static kept(ruleId: string, packed: string | undefined, extras: RowExtras | undefined, partition: FindingPartition, alert: StoredAlert): StoredRowState {
    return new StoredRowState(ruleId, packed, extras, partition, alert);
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

/** What a row keeps beside its columns: texts that do not pack, a row key of an older scheme; undefined when none. */
function extrasOf(loose: boolean, fingerprint: string, digest: string, rowKey: string | undefined): RowExtras | undefined {
  if (!loose && rowKey === undefined) return undefined;
  return { ...(loose ? { fingerprint, digest } : {}), ...(rowKey === undefined ? {} : { rowKey }) };
}

/** Bytes of the digest change detection compares: 64 bits, so a changed row passes for unchanged once in 2^64. */
const DIGEST_BYTES = 8;
const FINGERPRINT = /^[0-9a-f]{16}$/;

/**
 * A stored digest (base64) and fingerprint (16 hex digits, as `fingerprintOf` writes them) packed as 16 bytes
 * at `offset`, where the two texts take 72; false, writing nothing, when either is not of that form (rows of
 * older schemes, rows without a digest).
 */
function packInto(target: Buffer, offset: number, fingerprint: string, digest: string): boolean {
  if (!FINGERPRINT.test(fingerprint)) return false;
  const digestBytes = Buffer.from(digest, 'base64');
  if (digestBytes.length < DIGEST_BYTES) return false;
  digestBytes.copy(target, offset, 0, DIGEST_BYTES);
  target.write(fingerprint, offset + DIGEST_BYTES, 'hex');
  return true;
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

/** Rows per block of the columns below: blocks are added as rows come, never copied. */
const BLOCK_ROWS = 16_384;
/** Per row: the rule, partition and alert bookkeeping (indexes into lists held once), the next row of its resource, whether its stamp is packed. */
const REFS = 5;
const [RULE, PARTITION, ALERT, NEXT, PACKED] = [0, 1, 2, 3, 4] as const;
const STAMP_BYTES = DIGEST_BYTES + 8;
const NONE = -1;

/**
 * Stored rows of a scan's change detection, by resource and then rule, kept in columns: per row 16 bytes of digest
 * and fingerprint and five 32-bit numbers (rule, partition, alert bookkeeping, the next row of the same resource,
 * packed or not), about 36 bytes, where an object per row cost about 110. A resource's id is held once for all its
 * rows (see `compactKey`), and what repeats from row to row (rule ids, partitions, the alert bookkeeping of the scan
 * that opened them) is held once for all rows. A subscription of 100,000 machines keeps about 400,000 rows.
 */
export class StoredRows implements UnseenRows {
  private readonly byResource = new Map<string, number>();
  private readonly stamps: Buffer[] = [];
  private readonly refs: Int32Array[] = [];
  private readonly ruleIds = new IndexedList<string>();
  private readonly partitions = new IndexedList<FindingPartition>();
  private readonly alerts = new IndexedList<StoredAlert>();
  /** By key of their content, to share one object between rows with the same bookkeeping. */
  private readonly alertKeys = new Map<string, StoredAlert>();
  /** Rows whose fingerprint and digest do not pack, or whose row key is of an older scheme. */
  private readonly extras = new Map<number, RowExtras>();
  private slots = 0;
  size = 0;

  /**
   * Keeps a stored row found in `partition` under `rowKey`, with the digest stored with it. A row written
   * before rows carried a digest has none: it compares as changed and is written again once (its alert
   * state decides messages, not the digest, so nothing is sent for that).
   */
  add(stored: PreviousState & { ruleId: string; resourceId: string }, partition: FindingPartition, rowKey: string, digest: string): void {
    const resource = stored.resourceId.toLowerCase();
    const alertKey = [stored.result, stored.alertState, stored.alertOpenedAt, stored.alertOpenedScanId, stored.alertLastNotifiedAt, stored.alertJobType, stored.suppressionId].join('\u0000');
    let alert = this.alertKeys.get(alertKey);
    if (alert === undefined) {
      alert = {
        result: stored.result,
        alertState: stored.alertState,
        alertOpenedAt: stored.alertOpenedAt,
        alertOpenedScanId: stored.alertOpenedScanId,
        alertLastNotifiedAt: stored.alertLastNotifiedAt,
        alertJobType: stored.alertJobType,
        suppressionId: stored.suppressionId,
      };
      this.alertKeys.set(alertKey, alert);
    }
    const ruleIndex = this.ruleIds.indexOf(stored.ruleId);
    const ruleId = this.ruleIds.at(ruleIndex);
    // One row per rule and resource: a second copy replaces the first, as a Map would. The key kept is a
    // string of its own (a slice of the id would keep the whole id alive).
    const key = ownCopy(compactKey(resource));
    this.takeByKey(ruleId, key);
    const row = this.slots++;
    if (row % BLOCK_ROWS === 0) {
      this.stamps.push(Buffer.alloc(BLOCK_ROWS * STAMP_BYTES));
      this.refs.push(new Int32Array(BLOCK_ROWS * REFS));
    }
    const refs = this.refs[Math.floor(row / BLOCK_ROWS)]!;
    const at = (row % BLOCK_ROWS) * REFS;
    const packed = packInto(this.stamps[Math.floor(row / BLOCK_ROWS)]!, (row % BLOCK_ROWS) * STAMP_BYTES, stored.fingerprint, digest);
    refs[at + RULE] = ruleIndex;
    refs[at + PARTITION] = this.partitions.indexOf(partition);
    refs[at + ALERT] = this.alerts.indexOf(alert);
    refs[at + NEXT] = this.byResource.get(key) ?? NONE;
    refs[at + PACKED] = packed ? 1 : 0;
    const extras = extrasOf(!packed, stored.fingerprint, digest, rowKey === findingRowKey(ruleId, resource) ? undefined : rowKey);
    if (extras !== undefined) this.extras.set(row, extras);
    this.byResource.set(key, row);
    this.size += 1;
  }

  /** The stored row of a rule on a resource (`resource`: its id lower-cased), removed from what is unseen. */
  take(ruleId: string, resource: string): StoredRowState | undefined {
    return this.takeByKey(ruleId, compactKey(resource));
  }

  private takeByKey(ruleId: string, key: string): StoredRowState | undefined {
    let previous = NONE;
    for (let row = this.byResource.get(key) ?? NONE; row !== NONE; previous = row, row = this.ref(row, NEXT)) {
      if (this.ruleIds.at(this.ref(row, RULE)) !== ruleId) continue;
      const next = this.ref(row, NEXT);
      if (previous !== NONE) this.setRef(previous, NEXT, next);
      else if (next !== NONE) this.byResource.set(key, next);
      else this.byResource.delete(key);
      this.size -= 1;
      const state = this.stateOf(row);
      this.extras.delete(row);
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
      for (let row = first; row !== NONE; row = this.ref(row, NEXT)) {
        forgotten += 1;
        this.extras.delete(row);
      }
      this.byResource.delete(key);
    }
    this.size -= forgotten;
    return forgotten;
  }

  /** Every row still held, with its address; empties the collection. */
  *drain(): Iterable<{ state: StoredRowState; address: RowAddress }> {
    for (const [key, first] of this.byResource) {
      const resource = resourceOfKey(key);
      for (let row = first; row !== NONE; row = this.ref(row, NEXT)) {
        const state = this.stateOf(row);
        yield { state, address: storedAddress(resource, state) };
      }
    }
    this.byResource.clear();
    this.extras.clear();
    this.size = 0;
  }

  private ref(row: number, field: number): number {
    return this.refs[Math.floor(row / BLOCK_ROWS)]![(row % BLOCK_ROWS) * REFS + field]!;
  }

  private setRef(row: number, field: number, value: number): void {
    this.refs[Math.floor(row / BLOCK_ROWS)]![(row % BLOCK_ROWS) * REFS + field] = value;
  }

  private stateOf(row: number): StoredRowState {
    const stamps = this.stamps[Math.floor(row / BLOCK_ROWS)]!;
    const offset = (row % BLOCK_ROWS) * STAMP_BYTES;
    const packed = this.ref(row, PACKED) === 1 ? stamps.toString('latin1', offset, offset + STAMP_BYTES) : undefined;
    return StoredRowState.kept(this.ruleIds.at(this.ref(row, RULE)), packed, this.extras.get(row), this.partitions.at(this.ref(row, PARTITION)), this.alerts.at(this.ref(row, ALERT)));
  }
}

/** Values held once, each with its index (objects by identity, texts by value). */
class IndexedList<T> {
  private readonly items: T[] = [];
  private readonly indexes = new Map<T, number>();

  indexOf(item: T): number {
    let index = this.indexes.get(item);
    if (index === undefined) {
      index = this.items.length;
      this.items.push(item);
      this.indexes.set(item, index);
    }
    return index;
  }

  at(index: number): T {
    return this.items[index]!;
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
