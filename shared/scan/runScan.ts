import pLimit from 'p-limit';
import { CLAIM_TIMEOUT_MS } from '../adapters/tables/scanRunStore.js';
import type { Dependencies } from '../runtime/dependencies.js';
import { LicenseLedger } from '../plan/licenseLedger.js';
import { planScanRun, type ScanPlan } from './planScanRun.js';
import type { ScanProgress } from './progress.js';
import { evaluateTenantLicenses, type TenantPhaseResult } from './tenantPhase.js';
import { scanSubscription, type ScanObserver } from './scanSubscription.js';
import { runWidePatchEvidence } from './patchEvidenceRead.js';
import { addCounts, emptyCounts, type ScanRunSummary, type SubscriptionScanSummary } from '../domain/scanSummary.js';

export interface RunScanOptions {
  /** Subscriptions scanned at once; ARM throttles per subscription, so this bounds memory and sockets. */
  readonly concurrency?: number;
  readonly clock?: () => Date;
  /** The time every rule evaluates at (`esu-scan scan --as-of`); default: now. */
  readonly evaluationTime?: Date;
  readonly observer?: ScanObserver;
  /** Told what the run does as it goes (subscriptions, machines, ARM waits), for a progress display. */
  readonly progress?: ScanProgress;
  /** Wall time of each phase, for the benchmark. */
  readonly onPhase?: (phase: 'plan' | 'subscriptions' | 'tenant', milliseconds: number) => void;
}

export interface SubscriptionScanFailure {
  readonly subscriptionId: string;
  readonly error: string;
}

export interface ScanRunResult {
  readonly plan: ScanPlan;
  readonly run: ScanRunSummary;
  readonly subscriptions: readonly SubscriptionScanSummary[];
  /** Tenant-wide license rules, run once all subscriptions are read; absent if they could not run. */
  readonly tenant?: TenantPhaseResult;
  /** Messages left in the outbox after the run (no bus configured, or the bus failed). */
  readonly pendingMessages: number;
  /** Scans that could not finish (e.g. storage unavailable); the others still ran. */
  readonly failures: readonly SubscriptionScanFailure[];
}

/** A whole run in one process (the CLI): the same plan and per-subscription scan the Functions use. */
export async function runScan(deps: Dependencies, options: RunScanOptions = {}): Promise<ScanRunResult> {
  const { progress } = options;
  if (!progress) return runScanWith(deps, options);
  const unsubscribe = deps.armWaits.subscribe((wait) => progress.armWaited(wait));
  try {
    return await runScanWith(deps, { ...options, observer: progress.observing(options.observer) });
  } finally {
    unsubscribe();
  }
}

async function runScanWith(deps: Dependencies, options: RunScanOptions): Promise<ScanRunResult> {
  const { progress } = options;
  const clock = options.clock ?? (() => new Date());
  const evaluationTime = options.evaluationTime ?? deps.evaluationTime;
  let phaseStarted = performance.now();
  const phase = (name: 'plan' | 'subscriptions' | 'tenant'): void => {
    const now = performance.now();
    options.onPhase?.(name, now - phaseStarted);
    phaseStarted = now;
  };
  const plan = await planScanRun(deps.arm, deps.configuredSubscriptionIds, clock());
  phase('plan');
  progress?.planned(plan.requests.length);
  const limit = pLimit(Math.max(1, options.concurrency ?? 4));
  const subscriptions: SubscriptionScanSummary[] = [];
  const failures: SubscriptionScanFailure[] = [];
  const ledger = new LicenseLedger();
  // One Resource Graph query per table for every subscription of the run (the Functions app queries per subscription scan).
  const patchEvidence = deps.resourceGraph ? runWidePatchEvidence(deps.resourceGraph, plan.requests.map((request) => request.subscriptionId)) : undefined;
  await Promise.all(plan.requests.map((request) => limit(async () => {
    progress?.subscriptionStarted(request.subscriptionId);
    try {
      // A subscription another scanner holds is waited for, as long as a claim may last (then it is stale).
      subscriptions.push(await scanSubscription(request, { ...deps, clock, evaluationTime, observer: options.observer, ledger, claimWaitMs: CLAIM_TIMEOUT_MS, ...(patchEvidence ? { patchEvidence } : {}) }));
    } catch (error) {
      failures.push({ subscriptionId: request.subscriptionId, error: error instanceof Error ? error.message : String(error) });
    }
    progress?.subscriptionFinished(request.subscriptionId);
  })));
  subscriptions.sort((a, b) => a.subscriptionId.localeCompare(b.subscriptionId));
  phase('subscriptions');
  progress?.phase('tenant license rules');
  let tenant: TenantPhaseResult | undefined;
  try {
    tenant = await evaluateTenantLicenses(plan.scanId, ledger, { ...deps, clock, evaluationTime, observer: options.observer }, failures.map((failure) => failure.subscriptionId));
  } catch (error) {
    failures.push({ subscriptionId: '(tenant license rules)', error: error instanceof Error ? error.message : String(error) });
  }
  phase('tenant');
  const run: ScanRunSummary = {
    scanId: plan.scanId,
    startedAt: plan.startedAt,
    finishedAt: clock().toISOString(),
    subscriptionsRequested: plan.requests.length,
    subscriptionsScanned: subscriptions.length,
    machines: subscriptions.reduce((sum, s) => sum + s.machines, 0),
    counts: subscriptions.reduce((sum, s) => addCounts(sum, s.counts), tenant ? addCounts(emptyCounts(), tenant.counts) : emptyCounts()),
    jobs: subscriptions.reduce((sum, s) => sum + s.jobs, tenant?.jobs ?? 0),
    messages: subscriptions.reduce((sum, s) => sum + s.messages, tenant?.messages ?? 0),
  };
  try {
    await deps.runs.recordRun(run);
  } catch (error) {
    failures.push({ subscriptionId: '(run record)', error: error instanceof Error ? error.message : String(error) });
  }
  const pendingMessages = tenant ? tenant.messagesPending : subscriptions.reduce((sum, s) => sum + s.messagesPending, 0);
  return { plan, run, subscriptions, tenant, pendingMessages, failures };
}
