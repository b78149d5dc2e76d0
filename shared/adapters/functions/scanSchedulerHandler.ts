import type { InvocationContext, StorageQueueOutput, Timer } from '@azure/functions';
import type { Dependencies } from '../../runtime/dependencies.js';
import { planScanRun } from '../../scan/planScanRun.js';
import { sendRunStarted } from '../../telemetry/scanTelemetry.js';
import { emptyCounts } from '../../domain/scanSummary.js';

export type DependencyProvider = () => Promise<Dependencies>;

/**
 * Timer → one scan request per subscription on the queue. The queue spreads the scans over
 * instances and retries each on its own.
 */
export function createScanSchedulerHandler(scanRequests: StorageQueueOutput, dependencies: DependencyProvider, clock: () => Date = () => new Date()) {
  return async function scanScheduler(timer: Timer, context: InvocationContext): Promise<void> {
    const deps = await dependencies();
    const plan = await planScanRun(deps.arm, deps.configuredSubscriptionIds, clock());
    for (const id of plan.rejectedIds) context.warn(`ESU_SUBSCRIPTION_IDS entry "${id}" is not a subscription id; skipped.`);
    context.extraOutputs.set(scanRequests, plan.requests);
    // Sent only once this returns: the queued rows are in place before any scan can write its result over them.
    await deps.runs.recordQueued(plan.scanId, plan.requests.map((request) => request.subscriptionId));
    await deps.runs.recordRun({
      scanId: plan.scanId,
      startedAt: plan.startedAt,
      subscriptionsRequested: plan.requests.length,
      subscriptionsScanned: 0,
      machines: 0,
      counts: emptyCounts(),
      jobs: 0,
    }, 'running');
    const started = deps.telemetry ? await sendRunStarted(deps.telemetry.sink, { scanId: plan.scanId, startedAt: plan.startedAt, subscriptionsRequested: plan.requests.length }) : undefined;
    if (started && started.notSent > 0) context.warn(`Scan ${plan.scanId}: its started row did not reach Log Analytics (${started.errors.join('; ')}).`);
    context.info(`Scan ${plan.scanId}: queued ${plan.requests.length} subscription scan(s)${timer.isPastDue ? ' (timer was past due)' : ''}.`);
  };
}
