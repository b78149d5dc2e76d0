import type { InvocationContext } from '@azure/functions';
import { parseScanRequest } from '../../scan/scanRequest.js';
import { LicenseLedger } from '../../scan/licenseLedger.js';
import { scanSubscription } from '../../scan/scanSubscription.js';
import { evaluateTenantLicenses } from '../../scan/tenantPhase.js';
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
    const ledger = new LicenseLedger();
    const summary = await scanSubscription(request, { ...deps, ledger });
    await deps.ledgers.save(summary.scanId, summary.subscriptionId, ledger);
    const progress = await deps.runs.refreshRunTotals(summary.scanId);
    // The scan that completes the run evaluates the tenant-wide license rules (idempotent if two do).
    if (progress.subscriptionsRequested !== undefined && progress.subscriptionsScanned >= progress.subscriptionsRequested) {
      const tenant = await evaluateTenantLicenses(summary.scanId, await deps.ledgers.load(summary.scanId), deps);
      context.info(`Scan ${summary.scanId}: all ${progress.subscriptionsScanned} subscription(s) done; ${tenant.licenses} license(s) checked tenant-wide.`);
    }
    const counts = Object.entries(summary.counts).map(([result, count]) => `${result} ${count}`).join(', ');
    context.info(`Scan ${summary.scanId} of ${summary.subscriptionId}: ${summary.machines} machine(s), ${counts}; ${summary.jobs} job(s).`);
    if (!summary.complete) context.warn(`Scan ${summary.scanId} of ${summary.subscriptionId} could not read every list; see ESU.Subscription.Access findings.`);
    return summary;
  };
}
