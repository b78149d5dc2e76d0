import type { InvocationContext, StorageQueueOutput } from '@azure/functions';
import { InvalidScanRequestError, parseScanRequest } from '../../scan/scanRequest.js';
import { LicenseLedger } from '../../scan/licenseLedger.js';
import { scanSubscription } from '../../scan/scanSubscription.js';
import { evaluateTenantLicenses } from '../../scan/tenantPhase.js';
import type { SubscriptionScanSummary } from '../../scan/summary.js';
import type { DependencyProvider } from './scanSchedulerHandler.js';

/** What lands on the poison queue for a message that is not a scan request. */
export interface PoisonRecord {
  readonly error: string;
  readonly receivedAt: string;
  readonly message: unknown;
}

/**
 * Queue message → one subscription scan. A message that is not a scan request goes straight to the
 * poison queue with the reason (retrying cannot fix it); any other failure throws, so the host retries
 * it (maxDequeueCount in host.json) and then moves it to poison. An unreadable subscription is a finding.
 */
export function createSubscriptionScanHandler(dependencies: DependencyProvider, poisonQueue: StorageQueueOutput) {
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
    const deps = await dependencies();
    const ledger = new LicenseLedger();
    const summary = await scanSubscription(request, { ...deps, ledger });
    await deps.ledgers.save(summary.scanId, summary.subscriptionId, ledger);
    const progress = await deps.runs.refreshRunTotals(summary.scanId);
    const counts = Object.entries(summary.counts).map(([result, count]) => `${result} ${count}`).join(', ');
    context.info(`Scan ${summary.scanId} of ${summary.subscriptionId}: ${summary.machines} machine(s), ${counts}; ${summary.jobs} job(s), ${summary.messages} message(s).`);
    if (!summary.complete) context.warn(`Scan ${summary.scanId} of ${summary.subscriptionId} could not read every list; see ESU.Subscription.Access findings.`);
    // The scan that completes the run evaluates the tenant-wide license rules (idempotent if two do).
    if (progress.subscriptionsRequested !== undefined && progress.subscriptionsScanned >= progress.subscriptionsRequested) {
      const tenant = await evaluateTenantLicenses(summary.scanId, await deps.ledgers.load(summary.scanId), deps);
      context.info(`Scan ${summary.scanId}: all ${progress.subscriptionsScanned} subscription(s) done; ${tenant.licenses} license(s) checked tenant-wide.`);
    }
    return summary;
  };
}
