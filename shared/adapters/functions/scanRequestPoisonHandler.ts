import type { InvocationContext } from '@azure/functions';
import { InvalidScanRequestError, parseScanRequest } from '../../scan/scanRequest.js';
import type { DependencyProvider } from './scanSchedulerHandler.js';
import { finishRunIfDone, MAX_DEQUEUE_COUNT } from './subscriptionScanHandler.js';

/** The failure recorded for a subscription whose every delivery ended without a result. */
export function killedScanReason(deliveries: number): string {
  return `its scan request reached the poison queue after ${deliveries} deliveries without a result: each was ended by the host before it could record one (function timeout, out of memory or instance scale-in)`;
}

/**
 * Poison queue → the run still finishes. The host moves a scan request here after its last delivery; when
 * that delivery was killed it never reached the scan's own `catch`, so nothing counted the subscription as
 * done and the run would stay open. This records it as failed with the reason (unless a result is already
 * there), then finishes the run if it was the last one: the tenant phase runs on what was read and its plan
 * names the subscription as not read. A message that is not a scan request is logged.
 * A failure here throws, so the host retries this message too.
 */
export function createScanRequestPoisonHandler(dependencies: DependencyProvider) {
  return async function scanRequestPoison(message: unknown, context: InvocationContext): Promise<void> {
    let request;
    try {
      request = parseScanRequest(message);
    } catch (error) {
      if (!(error instanceof InvalidScanRequestError)) throw error;
      // Mostly the record subscriptionScan wrote for a malformed request ({ error, receivedAt, message }): logged, as it leaves the queue.
      context.warn(`Poison queue: not a scan request (${error.message}); no run to finish. Message: ${JSON.stringify(message)?.slice(0, 2000)}`);
      return;
    }
    const deps = await dependencies();
    if (!(await deps.runs.hasRun(request.scanId))) {
      context.warn(`Poison queue: scan request for ${request.subscriptionId} names run ${request.scanId}, which was never recorded; nothing to finish.`);
      return;
    }
    const status = await deps.runs.subscriptionStatus(request.scanId, request.subscriptionId);
    if (status === undefined || status === 'queued') {
      const reason = killedScanReason(MAX_DEQUEUE_COUNT);
      await deps.runs.recordSubscriptionFailure(request.scanId, request.subscriptionId, reason);
      context.error(`Scan ${request.scanId} of ${request.subscriptionId} failed: ${reason}. Counted as failed so the run can finish.`);
    } else {
      context.info(`Poison queue: scan ${request.scanId} of ${request.subscriptionId} already has its result (${status}).`);
    }
    await finishRunIfDone(request.scanId, deps, context);
  };
}
