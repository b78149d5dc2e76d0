import type { CheckResult, Finding } from './findings.js';
import { CHECK_RESULTS } from './findings.js';

export type ResultCounts = Record<CheckResult, number>;

export function emptyCounts(): ResultCounts {
  return Object.fromEntries(CHECK_RESULTS.map((result) => [result, 0])) as ResultCounts;
}

export function countFindings(findings: Iterable<Finding>, into: ResultCounts = emptyCounts()): ResultCounts {
  for (const finding of findings) into[finding.result] += 1;
  return into;
}

export function addCounts(into: ResultCounts, other: ResultCounts): ResultCounts {
  for (const result of CHECK_RESULTS) into[result] += other[result];
  return into;
}

/** What one subscription's scan did; also stored as its row in the scan-runs table. */
export interface SubscriptionScanSummary {
  readonly scanId: string;
  readonly subscriptionId: string;
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly machines: number;
  readonly machinesInScope: number;
  readonly licenses: number;
  readonly counts: ResultCounts;
  /** Jobs decided (one per finding with a fix); messages are sent only when a finding changes. */
  readonly jobs: number;
  /** Messages decided by this scan (opened, changed, resolved, reminder). */
  readonly messages: number;
  readonly messagesPublished: number;
  /** Messages still in the outbox: no bus configured, or the bus failed (retried by the relay). */
  readonly messagesPending: number;
  /** Why Service Bus did not take them, naming the namespace and what to check (absent when it did). */
  readonly publishError?: string;
  readonly rowsWritten: number;
  readonly rowsRemoved: number;
  /** False when some list could not be read: stale rows were then left alone. */
  readonly complete: boolean;
  /** What could not be read: `subscription` (none of it), or the lists `machines`, `licenses`, `providers`. */
  readonly unreadLists?: readonly string[];
  /** Log Analytics rows of this scan that were not sent (absent: all sent, or telemetry off). */
  readonly telemetryNotSent?: number;
  /** 1: the machines were read as the subscription's one list; more: per resource group, in parallel chains. */
  readonly machineReadChains?: number;
  /** Rows in the fullest of the subscription's findings partitions that took new rows (0 when none did). */
  readonly largestPartitionRows?: number;
}

export interface ScanRunSummary {
  readonly scanId: string;
  readonly startedAt: string;
  readonly finishedAt?: string;
  readonly subscriptionsRequested: number;
  readonly subscriptionsScanned: number;
  readonly machines: number;
  readonly counts: ResultCounts;
  readonly jobs: number;
  readonly messages?: number;
}
