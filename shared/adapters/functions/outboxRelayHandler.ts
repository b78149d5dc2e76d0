import type { InvocationContext, Timer } from '@azure/functions';
import { relayOutbox } from '../../alerts/relay.js';
import type { DependencyProvider } from './scanSchedulerHandler.js';
import { finishRunIfDone } from './subscriptionScanHandler.js';

/**
 * Timer (housekeeping) → finish runs whose finisher died, then publish whatever the outbox still holds
 * (after a Service Bus outage), with the same message ids.
 */
export function createOutboxRelayHandler(dependencies: DependencyProvider) {
  return async function outboxRelay(_timer: Timer, context: InvocationContext): Promise<void> {
    const deps = await dependencies();
    for (const scanId of await deps.runs.listRunsToFinish(new Date())) await finishRunIfDone(scanId, deps, context);
    if (!deps.publisher) return;
    const result = await relayOutbox(deps.outbox, deps.publisher);
    if (result.published > 0 || result.pending > 0) {
      const line = `Outbox: published ${result.published} message(s), ${result.pending} still waiting${result.error ? `: ${result.error}` : ''}.`;
      if (result.error) context.warn(line);
      else context.info(line);
    }
  };
}
