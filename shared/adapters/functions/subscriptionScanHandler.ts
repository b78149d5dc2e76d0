import type { InvocationContext, StorageQueueOutput } from '@azure/functions';
import { InvalidScanRequestError, parseScanRequest } from '../../scan/scanRequest.js';
import { finishRun } from '../../scan/finishRun.js';
import { runSubscription } from '../../scan/runSubscription.js';
import { scanTimeOf } from '../../scan/scanPorts.js';
import type { SubscriptionScanSummary } from '../../domain/scanSummary.js';
import type { Dependencies } from '../../runtime/dependencies.js';
import type { RunProgress } from '../tables/scanRunStore.js';
import type { Delivery } from '../tables/subscriptionClaims.js';
import type { DependencyProvider } from './scanSchedulerHandler.js';
import { logInvocationProgress, type InvocationProgressOptions } from './invocationProgress.js';

/** host.json `extensions.queues.maxDequeueCount`: after this many deliveries the host moves a message to poison. */
export const MAX_DEQUEUE_COUNT = 5;

function dequeueCountOf(context: InvocationContext): number {
  return Number(context.triggerMetadata?.['dequeueCount'] ?? 1);
}

function isLastDelivery(context: InvocationContext): boolean {
  return dequeueCountOf(context) >= MAX_DEQUEUE_COUNT;
}

/** The queue message's id and delivery number, as the host passes them in the trigger metadata. */
function deliveryOf(context: InvocationContext): Delivery | undefined {
  const messageId = context.triggerMetadata?.['id'];
  return typeof messageId === 'string' && messageId.length > 0 ? { messageId, dequeueCount: dequeueCountOf(context) } : undefined;
}

/**
 * Fan-in: every subscription scan records its progress; the one that completes the run (failed scans
 * included) claims it and runs the tenant-wide license rules, exactly once even if messages are retried
 * or delivered twice.
 */
export async function finishRunIfDone(scanId: string, deps: Dependencies, context: InvocationContext): Promise<RunProgress> {
  const progress = await deps.runs.recordProgress(scanId, context.invocationId);
  if (!progress.claimed) return progress;
  const failed: string[] = [];
  const outcome = { subscriptionsRequested: progress.requested, subscriptionsRead: 0, subscriptionsPartlyRead: 0, machines: 0, telemetryNotSent: 0 };
  for await (const row of deps.runs.listSubscriptionScans(scanId)) {
    if (row['status'] === 'failed' && typeof row['subscriptionId'] === 'string') failed.push(row['subscriptionId']);
    if (row['status'] === 'scanned') outcome[row['complete'] === false ? 'subscriptionsPartlyRead' : 'subscriptionsRead'] += 1;
    outcome.machines += Number(row['machines'] ?? 0);
    outcome.telemetryNotSent += Number(row['telemetryNotSent'] ?? 0);
  }
  // The run's time: its start as the scheduler recorded it (the time its scan requests carry).
  const time = scanTimeOf(progress.startedAt ? new Date(progress.startedAt) : new Date(), deps.asOf);
  const { tenant, telemetryNotSent, telemetryErrors } = await finishRun({ scanId, time, failedSubscriptions: failed, outcome }, deps);
  if (telemetryNotSent > 0) context.warn(`Scan ${scanId}: ${telemetryNotSent} Log Analytics row(s) not sent (Table Storage has the data). ${telemetryErrors.join('; ')}`);
  const plan = tenant.plan;
  context.info(`Scan ${scanId}: all ${progress.done} subscription(s) done; ${tenant.licenses} license(s) checked tenant-wide; license plan: ${plan.assignments.length} machine(s) placed, ${plan.licenses.filter((row) => row.action === 'create').length} license(s) to create, ${plan.unplanned.length} not placeable${plan.complete ? '' : ' (partial)'}, in ${Math.round(tenant.planMs)} ms; run finished.`);
  return { ...progress, state: 'finished' };
}

/** What lands on the poison queue for a message that is not a scan request. */
export interface PoisonRecord {
  readonly error: string;
  readonly receivedAt: string;
  readonly message: unknown;
}

/**
 * Queue message → one subscription scan. A message that is not a scan request goes straight to the
 * poison queue with the reason (retrying cannot fix it); any other failure throws, so the host retries
 * it (maxDequeueCount in host.json) and then moves it to poison, the last failure counting the
 * subscription as done for the run. An unreadable subscription is a finding, not a failure.
 * `scanOptions.claimWaitMs`: how long a scan waits for a subscription another delivery holds (default 2 minutes).
 */
export function createSubscriptionScanHandler(dependencies: DependencyProvider, poisonQueue: StorageQueueOutput, progressOptions?: InvocationProgressOptions, scanOptions: { readonly claimWaitMs?: number } = {}) {
  return async function subscriptionScan(message: unknown, context: InvocationContext): Promise<SubscriptionScanSummary | undefined> {
    let request;
    try {
      request = parseScanRequest(message);
    } catch (error) {
      if (!(error instanceof InvalidScanRequestError)) throw error;
      const poison: PoisonRecord = { error: error.message, receivedAt: new Date().toISOString(), message };
      context.extraOutputs.set(poisonQueue, poison);
      context.error(`Scan request rejected and moved to the poison queue: ${error.message}`);
      return undefined;
    }
    let deps: Dependencies;
    try {
      deps = await dependencies();
    } catch (error) {
      // Storage or Service Bus unusable (StorageUnavailableError names the endpoint and what to check): said once, plainly.
      context.error(`Scan ${request.scanId} of ${request.subscriptionId} cannot start: ${error instanceof Error ? error.message : String(error)}`);
      throw error;
    }
    let summary: SubscriptionScanSummary;
    const progress = logInvocationProgress(context, request, deps.armWaits, progressOptions);
    try {
      const delivery = deliveryOf(context);
      // The run's time comes with the request: every subscription of the run, and every retry, evaluates at it.
      const time = scanTimeOf(new Date(request.requestedAt), deps.asOf);
      summary = await runSubscription(request, deps, { time, observer: progress.observer, ...(delivery ? { delivery } : {}), ...(scanOptions.claimWaitMs !== undefined ? { claimWaitMs: scanOptions.claimWaitMs } : {}) });
    } catch (error) {
      progress.stop();
      context.error(`Scan ${request.scanId} of ${request.subscriptionId} failed: ${error instanceof Error ? error.message : String(error)}`);
      // On its last delivery a failed scan still counts as done, so the run finishes without it.
      if (isLastDelivery(context)) {
        await deps.runs.recordSubscriptionFailure(request.scanId, request.subscriptionId, error instanceof Error ? error.message : String(error));
        await finishRunIfDone(request.scanId, deps, context);
      }
      throw error;
    } finally {
      progress.stop(); // idempotent: in the catch too, so the final progress line comes before the failure is recorded
    }
    const counts = Object.entries(summary.counts).map(([result, count]) => `${result} ${count}`).join(', ');
    context.info(`Scan ${summary.scanId} of ${summary.subscriptionId}: ${summary.machines} machine(s), ${counts}; ${summary.jobs} job(s), ${summary.messages} message(s).`);
    if (summary.publishError) context.warn(`Scan ${summary.scanId} of ${summary.subscriptionId}: ${summary.publishError}`);
    if (!summary.complete) context.warn(`Scan ${summary.scanId} of ${summary.subscriptionId} could not read every list; see ESU.Subscription.Access findings.`);
    await finishRunIfDone(summary.scanId, deps, context);
    return summary;
  };
}
