import pLimit from 'p-limit';
import { CLAIM_TIMEOUT_MS } from '../config/hostLimits.js';
import type { ScanObserver } from './findingSink.js';
import { sendRunStarted } from '../telemetry/scanTelemetry.js';
import { finishRun, messageOf, type SubscriptionScanFailure } from './finishRun.js';
import { InProcessLedgers } from './inProcessLedgers.js';
import { planScanRun, type ScanPlan } from './planScanRun.js';
import type { ScanProgress } from './progress.js';
import { runSubscription } from './runSubscription.js';
import { scanTimeOf, type RunPorts } from './scanPorts.js';
import type { ScanRunSummary, SubscriptionScanSummary } from '../domain/scanSummary.js';
import type { TenantPhaseResult } from './tenantPhase.js';

export type { SubscriptionScanFailure } from './finishRun.js';

export interface RunScanOptions {
  /** The time every rule evaluates at (`esu-scan scan --as-of`); default: when the run starts. */
  readonly asOf?: Date;
  /** When the run starts (its scan id, alert and record times); default: now. Tests of time passing set it. */
  readonly startedAt?: Date;
  /** Subscriptions scanned at once; ARM throttles per subscription, so this bounds memory and sockets. */
  readonly concurrency?: number;
  readonly observer?: ScanObserver;
  /** Told what the run does as it goes (subscriptions, machines, ARM waits), for a progress display. */
  readonly progress?: ScanProgress;
  /** Wall time of each phase, for the benchmark. */
  readonly onPhase?: (phase: 'plan' | 'subscriptions' | 'tenant', milliseconds: number) => void;
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
  /** Log Analytics rows not sent (0 when telemetry is off); Table Storage has their data. */
  readonly telemetryNotSent: number;
}

/**
 * A whole run in one process (the CLI, the benchmark): the plan, `runSubscription` for each subscription and
 * `finishRun`, the same steps the Functions app takes over its queue. The ledgers stay in memory.
 */
export async function runScan(ports: RunPorts, options: RunScanOptions = {}): Promise<ScanRunResult> {
  const { progress } = options;
  if (!progress || !ports.armWaits) return runScanWith(ports, options);
  const unsubscribe = ports.armWaits.subscribe((wait) => progress.armWaited(wait));
  try {
    return await runScanWith(ports, { ...options, observer: progress.observing(options.observer) });
  } finally {
    unsubscribe();
  }
}

async function runScanWith(ports: RunPorts, options: RunScanOptions): Promise<ScanRunResult> {
  const { progress, observer } = options;
  let phaseStarted = performance.now();
  const phase = (name: 'plan' | 'subscriptions' | 'tenant'): void => {
    const now = performance.now();
    options.onPhase?.(name, now - phaseStarted);
    phaseStarted = now;
  };
  const plan = await planScanRun(ports.arm, ports.configuredSubscriptionIds, options.startedAt ?? new Date());
  const time = scanTimeOf(new Date(plan.startedAt), options.asOf);
  phase('plan');
  progress?.planned(plan.requests.length);
  const started = ports.telemetry ? await sendRunStarted(ports.telemetry.sink, { scanId: plan.scanId, startedAt: plan.startedAt, subscriptionsRequested: plan.requests.length }) : undefined;
  const limit = pLimit(Math.max(1, options.concurrency ?? 4));
  const subscriptions: SubscriptionScanSummary[] = [];
  const failures: SubscriptionScanFailure[] = [];
  const runPorts: RunPorts = { ...ports, ledgers: new InProcessLedgers(plan.scanId) };
  await Promise.all(plan.requests.map((request) => limit(async () => {
    progress?.subscriptionStarted(request.subscriptionId);
    try {
      // A subscription another scanner holds is waited for, as long as a claim may last (then it is stale).
      subscriptions.push(await runSubscription(request, runPorts, { time, claimWaitMs: CLAIM_TIMEOUT_MS, ...(observer ? { observer } : {}) }));
    } catch (error) {
      failures.push({ subscriptionId: request.subscriptionId, error: messageOf(error) });
    }
    progress?.subscriptionFinished(request.subscriptionId);
  })));
  subscriptions.sort((a, b) => a.subscriptionId.localeCompare(b.subscriptionId));
  phase('subscriptions');
  progress?.phase('tenant license rules');
  const failedSubscriptions = failures.map((failure) => failure.subscriptionId);
  const finished = await finishRun({ scanId: plan.scanId, time, failedSubscriptions, inProcess: { subscriptionsRequested: plan.requests.length, subscriptions } }, { ...runPorts, ...(observer ? { observer } : {}) });
  phase('tenant');
  failures.push(...finished.failures);
  const { tenant } = finished;
  const pendingMessages = tenant ? tenant.messagesPending : subscriptions.reduce((sum, s) => sum + s.messagesPending, 0);
  const telemetryNotSent = finished.telemetryNotSent + (started?.notSent ?? 0);
  return { plan, run: finished.run, subscriptions, ...(tenant ? { tenant } : {}), pendingMessages, failures, telemetryNotSent };
}
