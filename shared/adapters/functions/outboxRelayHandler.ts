import type { InvocationContext, Timer } from '@azure/functions';
import { relayOutbox } from '../../scan/outboxRelay.js';
import { RUN_DEADLINE_MS } from '../../config/hostLimits.js';
import type { Dependencies } from '../../runtime/dependencies.js';
import type { DependencyProvider } from './scanSchedulerHandler.js';
import { finishRunIfDone } from './subscriptionScanHandler.js';

/** The failure recorded for a subscription that sent no result before its run's deadline. */
export function overdueReason(deadlineMs = RUN_DEADLINE_MS): string {
  return `no result ${Math.round(deadlineMs / 3_600_000)} hours after the run started: the scan request was lost or is still waiting in the queue; the run was finished without it`;
}

/** Up to 20 ids, then how many more: one log line stays readable for a tenant of thousands of subscriptions. */
function listed(ids: readonly string[]): string {
  return ids.length <= 20 ? ids.join(', ') : `${ids.slice(0, 20).join(', ')} and ${ids.length - 20} more`;
}

/**
 * A run still open past its deadline: every subscription that never reported is recorded as failed with the
 * reason, and the run finishes on what was read (the plan names the rest as not read). A run with no list of its
 * subscriptions (recorded before runs kept one) is closed with the reason and no tenant phase.
 */
async function finishOverdueRun(scanId: string, deps: Dependencies, context: InvocationContext, now: Date): Promise<void> {
  const unanswered = await deps.runs.listUnanswered(scanId);
  const reason = overdueReason();
  for (const subscriptionId of unanswered) await deps.runs.recordSubscriptionFailure(scanId, subscriptionId, reason);
  await deps.runs.markOverdue(scanId, unanswered.length, now.toISOString());
  context.error(`Scan ${scanId}: still open ${Math.round(RUN_DEADLINE_MS / 3_600_000)} hours after it started; ${unanswered.length} subscription(s) never reported and count as failed${unanswered.length > 0 ? ` (${listed(unanswered)})` : ''}.`);
  const progress = await finishRunIfDone(scanId, deps, context);
  if (progress.state === 'running' && progress.done < progress.requested) {
    const closing = `closed at its deadline with ${progress.requested - progress.done} of ${progress.requested} subscription(s) unaccounted for and no list of them; the tenant phase did not run`;
    await deps.runs.markAbandoned(scanId, closing, now.toISOString());
    context.error(`Scan ${scanId}: ${closing}.`);
  }
}

/**
 * Timer (housekeeping) → finish runs open past their deadline and runs whose finisher died, then publish whatever the outbox still holds
 * (after a Service Bus outage), with the same message ids.
 */
export function createOutboxRelayHandler(dependencies: DependencyProvider) {
  return async function outboxRelay(_timer: Timer, context: InvocationContext): Promise<void> {
    const deps = await dependencies();
    const now = new Date();
    for (const scanId of await deps.runs.listOverdueRuns(now)) await finishOverdueRun(scanId, deps, context, now);
    for (const scanId of await deps.runs.listRunsToFinish(now)) await finishRunIfDone(scanId, deps, context);
    if (!deps.publisher) return;
    const result = await relayOutbox(deps.outbox, deps.publisher);
    if (result.published > 0 || result.pending > 0) {
      const line = `Outbox: published ${result.published} message(s), ${result.pending} still waiting${result.error ? `: ${result.error}` : ''}.`;
      if (result.error) context.warn(line);
      else context.info(line);
    }
  };
}
