import type { ArmLists, ArmWaitListener, PatchEvidenceQueries } from './armPorts.js';
import type { LicensePlan, PriceList } from '../domain/licensePlan.js';
import type { TelemetrySink } from '../telemetry/telemetrySink.js';
import type { RuleSettings } from '../rules/context.js';
import type { RuleCatalog } from '../rules/catalog.js';
import type { FindingSinkDependencies } from './findingSink.js';
import type { LicenseLedger } from '../plan/licenseLedger.js';
import type { ParallelReads } from './machinePages.js';
import type { ScanRunSummary, SubscriptionScanSummary } from '../domain/scanSummary.js';

/**
 * The run's two times, built once where a run starts (the CLI's `--as-of`, the timer's scan request) and passed down.
 * `asOf`: the time rules evaluate at, stored as each finding's `evaluatedAt`. `startedAt`: the wall clock when the
 * run started, for bookkeeping (run records, alert times, suppression expiry, the scan id).
 */
export interface ScanTime {
  readonly asOf: Date;
  readonly startedAt: Date;
}

/** A run started now that evaluates at `asOf` (default: now). */
export function scanTimeOf(startedAt: Date, asOf?: Date): ScanTime {
  return { asOf: asOf ?? startedAt, startedAt };
}

/** Where scans record what they did (the scan-runs table). */
export interface ScanRunRecords {
  recordSubscription(summary: SubscriptionScanSummary): Promise<void>;
  recordRun(run: ScanRunSummary, state?: 'running' | 'finished'): Promise<void>;
  markFinished(scanId: string, finishedAt: string): Promise<void>;
  /** Log Analytics rows of a subscription's scan not sent (the run's heartbeat sums them). */
  recordTelemetryNotSent(scanId: string, subscriptionId: string, rows: number): Promise<void>;
}

/** Where the scan's rows for Log Analytics go (docs/monitoring.md); absent, nothing is counted or sent. */
export interface TelemetryPorts {
  readonly sink: TelemetrySink;
  /** Every non-passing finding too (ESU_LOGS_FINDINGS_SNAPSHOT), not only counts and transitions. */
  readonly findingsSnapshot: boolean;
}

/** Where each subscription's license ledger waits for the run's tenant phase. */
export interface LedgerArchive {
  save(scanId: string, subscriptionId: string, ledger: LicenseLedger): Promise<void>;
  load(scanId: string): Promise<LicenseLedger>;
}

/** The queue delivery running a scan: its retry takes over a claim its killed earlier delivery left. */
export interface ScanDelivery {
  readonly messageId: string;
  readonly dequeueCount: number;
}

/** One scan per subscription at a time (rows in the scan-runs table). */
export interface SubscriptionLocks<TClaim = unknown> {
  acquire(subscriptionId: string, holder: string, waitMs: number, pollMs?: number, delivery?: ScanDelivery): Promise<TClaim>;
  release(claim: TClaim): Promise<void>;
}

/** What a subscription scan reads from and writes to; the entry points (CLI, Functions) wire the adapters. */
export interface SubscriptionScanPorts extends FindingSinkDependencies {
  readonly arm: ArmLists;
  readonly runs: ScanRunRecords;
  readonly ledgers: LedgerArchive;
  readonly telemetry?: TelemetryPorts;
  /** Absent, no claim is taken (one process owns the storage, or tests of the pipeline alone). */
  readonly claims?: SubscriptionLocks;
  /** Patch evidence (guest configuration, Update Manager); absent, the patch rules stay silent. */
  readonly resourceGraph?: PatchEvidenceQueries;
  /** When a large subscription's machines are read per resource group (default: from 5,000 machines, 8 chains). */
  readonly parallelReads?: ParallelReads;
  readonly rules?: RuleCatalog;
  readonly settings?: RuleSettings;
}

/** What a whole run needs besides its subscription scans: the tenant phase's plan and prices, the run's subscriptions. */
export interface RunPorts extends SubscriptionScanPorts {
  /** Prices per core per month (`ESU_PRICES`); absent, the plan counts core-months only. */
  readonly prices?: PriceList;
  readonly plans?: PlanSink;
  readonly configuredSubscriptionIds: readonly string[];
  /** Every wait of an ARM read, for a progress display. */
  readonly armWaits?: { subscribe(listener: ArmWaitListener): () => void };
}

/** Where the plan is kept for `esu-scan plan` and for people who query it (the plan table). */
export interface PlanSink {
  save(scanId: string, plan: LicensePlan): Promise<void>;
}
