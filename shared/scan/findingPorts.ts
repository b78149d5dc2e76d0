import type { FindingRow, PreviousState, StoredFinding } from '../alerts/transitions.js';
import type { Suppression } from '../domain/suppression.js';

/** Where a row lives: `partitionKey|rowKey` is unique across the table. */
export interface RowAddress {
  readonly partitionKey: string;
  readonly rowKey: string;
}

/** One of a subscription's findings partitions (chunk 0 is the subscription's own key). */
export interface FindingPartition {
  readonly subscriptionKey: string;
  readonly chunk: number;
  readonly partitionKey: string;
}

/** What the store knows of a subscription: its findings partitions, and its machines at the last complete scan. */
export interface SubscriptionLayout {
  readonly partitions: FindingPartition[];
  readonly machinesLastScan?: number;
}

/** A finding row to write and its partition. */
export interface PlacedRow {
  readonly row: FindingRow;
  readonly partition: FindingPartition;
}

/** Where new rows go: one subscription's placement, or the tenant phase's (rows of many subscriptions). */
export interface RowPlacement {
  next(subscriptionId: string): FindingPartition;
  /** Rows per partition as placed so far, for the benchmark. */
  sizes(): number[];
}

/** A row the last scans stored, as change detection compares it. */
export interface StoredRow extends PreviousState {
  readonly partition: FindingPartition;
  /** Writing `row` would store the same compared columns: nothing to write. */
  storesSame(row: FindingRow): boolean;
  /** Where this row is (`resource`: its resource id lower-cased). */
  addressAt(resource: string): RowAddress;
}

/** The rows the last scans stored that this scan has not produced again (yet): what is left at the end is gone. */
export interface UnseenRows {
  readonly size: number;
  /** The stored row of a rule on a resource (`resource`: its id lower-cased), no longer unseen. */
  take(ruleId: string, resource: string): StoredRow | undefined;
  /** Drops the rows of resources in these subscriptions (ids lower-cased): not read, so not gone. Returns how many. */
  forgetSubscriptions(subscriptionIds: ReadonlySet<string>): number;
  /** Every row still unseen, with its address; empties the collection. */
  drain(): Iterable<{ state: StoredRow; address: RowAddress }>;
}

/** What the last scans stored, as change detection reads it, and where new rows go. */
export interface StoredState {
  readonly rows: UnseenRows;
  readonly placement: RowPlacement;
}

/** Where findings are kept between scans (the findings table): what a scan reads back and writes. */
export interface FindingRows {
  /** Rows of one partition written at once: the sink holds a partition's rows until they fill one such write. */
  readonly rowsPerTransaction: number;
  layoutOf(subscriptionId: string): Promise<SubscriptionLayout>;
  /** A subscription's stored rows but those of `excludeRuleIds` (the tenant phase's), and where its new rows go. */
  loadSubscriptionState(subscriptionId: string, excludeRuleIds: ReadonlySet<string>, layout: SubscriptionLayout): Promise<StoredState>;
  /** The stored rows of these rules across all subscriptions (the tenant phase's), and where its new rows go. */
  loadRuleState(ruleIds: readonly string[]): Promise<StoredState>;
  /** Records how many machines a complete scan of the subscription read (how it is read next time). */
  recordMachines(subscriptionId: string, machines: number, layout: SubscriptionLayout): Promise<void>;
  /** Full stored rows (evidence left out) at these addresses; rows no longer there are left out. */
  readStored(addresses: readonly RowAddress[]): Promise<StoredFinding[]>;
  /** Returns the rows written. */
  upsert(rows: readonly PlacedRow[]): Promise<number>;
  /** Returns the rows removed. */
  delete(addresses: readonly RowAddress[]): Promise<number>;
}

/** The suppressions in force when a scan starts. */
export interface ActiveSuppressions {
  listActive(now: Date): Promise<Suppression[]>;
}
