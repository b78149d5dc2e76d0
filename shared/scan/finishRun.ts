import { runTenantPhase, type TenantPhaseResult } from './tenantPhase.js';
import type { RunPorts, ScanTime } from './scanPorts.js';
import { addCounts, emptyCounts, type ScanRunSummary, type SubscriptionScanSummary } from '../domain/scanSummary.js';
import { sendRunFinished } from '../telemetry/scanTelemetry.js';

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
  /** What the Functions' subscription rows say of the run, for its finished heartbeat (in-process runs count their own). */
  readonly outcome?: RunOutcome;
}

/** How the run's subscriptions went, for the heartbeat row Log Analytics' dead-man switch reads. */
export interface RunOutcome {
  readonly subscriptionsRequested: number;
  readonly subscriptionsRead: number;
  readonly subscriptionsPartlyRead: number;
  readonly machines: number;
  /** Log Analytics rows the subscriptions' scans did not send. */
  readonly telemetryNotSent: number;
}

export interface FinishedRun {
  /** Tenant-wide license rules and the plan; absent if they could not run (in-process runs only). */
  readonly tenant?: TenantPhaseResult;
  /** The run's record (in-process runs). */
  readonly run?: ScanRunSummary;
  readonly failures: readonly SubscriptionScanFailure[];
  /** Log Analytics rows not sent by the whole run (0 when telemetry is off), and why. */
  readonly telemetryNotSent: number;
  readonly telemetryErrors: readonly string[];
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
  const heartbeat = async (outcome: RunOutcome): Promise<Pick<FinishedRun, 'telemetryNotSent' | 'telemetryErrors'>> => {
    const upload = ports.telemetry
      ? await sendRunFinished(ports.telemetry.sink, { scanId, startedAt: time.startedAt.toISOString(), finishedAt, subscriptionsRequested: outcome.subscriptionsRequested, subscriptionsRead: outcome.subscriptionsRead, subscriptionsPartlyRead: outcome.subscriptionsPartlyRead, subscriptionsNotRead: completion.failedSubscriptions.length, machines: outcome.machines, recordsNotSent: outcome.telemetryNotSent }, tenant?.plan)
      : undefined;
    return { telemetryNotSent: outcome.telemetryNotSent + (upload?.notSent ?? 0), telemetryErrors: upload?.errors ?? [] };
  };
  if (!inProcess) {
    await ports.runs.markFinished(scanId, finishedAt);
    const sent = await heartbeat(completion.outcome ?? { subscriptionsRequested: 0, subscriptionsRead: 0, subscriptionsPartlyRead: 0, machines: 0, telemetryNotSent: 0 });
    return { ...(tenant ? { tenant } : {}), failures, ...sent };
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
  const partlyRead = subscriptions.filter((summary) => !summary.complete).length;
  const sent = await heartbeat({
    subscriptionsRequested: inProcess.subscriptionsRequested,
    subscriptionsRead: subscriptions.length - partlyRead,
    subscriptionsPartlyRead: partlyRead,
    machines: run.machines,
    telemetryNotSent: subscriptions.reduce((sum, summary) => sum + (summary.telemetryNotSent ?? 0), 0),
  });
  return { ...(tenant ? { tenant } : {}), run, failures, ...sent };
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
