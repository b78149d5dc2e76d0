import type { InvocationContext } from '@azure/functions';
import { parseScanRequest } from '../../scan/scanRequest.js';
import { scanSubscription } from '../../scan/scanSubscription.js';
import type { SubscriptionScanSummary } from '../../scan/summary.js';
import type { DependencyProvider } from './scanSchedulerHandler.js';

/**
 * Queue message → one subscription scan. An invalid message throws, so the host moves it to the
 * poison queue after its retries; an unreadable subscription is a finding, not a failure.
 */
export function createSubscriptionScanHandler(dependencies: DependencyProvider) {
  return async function subscriptionScan(message: unknown, context: InvocationContext): Promise<SubscriptionScanSummary> {
    const request = parseScanRequest(message);
    const deps = await dependencies();
    const summary = await scanSubscription(request, deps);
    await deps.runs.refreshRunTotals(summary.scanId);
    const counts = Object.entries(summary.counts).map(([result, count]) => `${result} ${count}`).join(', ');
    context.info(`Scan ${summary.scanId} of ${summary.subscriptionId}: ${summary.machines} machine(s), ${counts}; ${summary.jobs} job(s).`);
    if (!summary.complete) context.warn(`Scan ${summary.scanId} of ${summary.subscriptionId} could not read every list; see ESU.Subscription.Access findings.`);
    return summary;
  };
}
