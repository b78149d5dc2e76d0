import { runTenantPhase, type TenantPhaseResult } from './tenantPhase.js';
import type { RunPorts, ScanTime } from './scanPorts.js';
import { addCounts, emptyCounts, type ScanRunSummary, type SubscriptionScanSummary } from '../domain/scanSummary.js';

export interface SubscriptionScanFailure {
  readonly subscriptionId: string;
  readonly error: string;
}

export interface RunToFinish {
  readonly scanId: string;
  readonly time: ScanTime;
  /** Subscriptions whose scan failed for good: the plan says what it could not see. */
  readonly failedSubscriptions: readonly string[];
  /**
   * A run in one process (the CLI, the benchmark) passes what its scans did: its record then carries the run's
   * totals, and a failing step is reported rather than thrown. Absent (the Functions' fan-in), the subscriptions'
   * rows already carry them, and a failure throws so the host retries the finish.
   */
  readonly inProcess?: { readonly subscriptionsRequested: number; readonly subscriptions: readonly SubscriptionScanSummary[] };
}

export interface FinishedRun {
  /** Tenant-wide license rules and the plan; absent if they could not run (in-process runs only). */
  readonly tenant?: TenantPhaseResult;
  /** The run's record (in-process runs). */
  readonly run?: ScanRunSummary;
  readonly failures: readonly SubscriptionScanFailure[];
}

/**
 * A run's completion, the same for every way a run is driven: the subscriptions' ledgers merged, the tenant
 * phase over them, then the run recorded as finished.
 */
export async function finishRun(completion: RunToFinish & Required<Pick<RunToFinish, 'inProcess'>>, ports: RunPorts): Promise<FinishedRun & { readonly run: ScanRunSummary }>;
export async function finishRun(completion: RunToFinish, ports: RunPorts): Promise<FinishedRun & { readonly tenant: TenantPhaseResult }>;
export async function finishRun(completion: RunToFinish, ports: RunPorts): Promise<FinishedRun> {
  const { scanId, time, inProcess } = completion;
  const failures: SubscriptionScanFailure[] = [];
  let tenant: TenantPhaseResult | undefined;
  try {
    tenant = await runTenantPhase(scanId, await ports.ledgers.load(scanId), ports, time, completion.failedSubscriptions);
  } catch (error) {
    if (!inProcess) throw error;
    failures.push({ subscriptionId: '(tenant license rules)', error: messageOf(error) });
  }
  // Bookkeeping: when the run really finished, wall clock.
  const finishedAt = new Date().toISOString();
  if (!inProcess) {
    await ports.runs.markFinished(scanId, finishedAt);
    return { ...(tenant ? { tenant } : {}), failures };
  }
  const { subscriptions } = inProcess;
  const run: ScanRunSummary = {
    scanId,
    startedAt: time.startedAt.toISOString(),
    finishedAt,
    subscriptionsRequested: inProcess.subscriptionsRequested,
    subscriptionsScanned: subscriptions.length,
    machines: subscriptions.reduce((sum, s) => sum + s.machines, 0),
    counts: subscriptions.reduce((sum, s) => addCounts(sum, s.counts), tenant ? addCounts(emptyCounts(), tenant.counts) : emptyCounts()),
    jobs: subscriptions.reduce((sum, s) => sum + s.jobs, tenant?.jobs ?? 0),
    messages: subscriptions.reduce((sum, s) => sum + s.messages, tenant?.messages ?? 0),
  };
  try {
    await ports.runs.recordRun(run);
  } catch (error) {
    failures.push({ subscriptionId: '(run record)', error: messageOf(error) });
  }
  return { ...(tenant ? { tenant } : {}), run, failures };
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
