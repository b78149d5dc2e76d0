import { app } from '@azure/functions';
import { createOutboxRelayHandler } from '../shared/adapters/functions/outboxRelayHandler.js';
import { appDependencies } from '../shared/runtime/appDependencies.js';

/** Every five minutes: messages kept through a Service Bus outage are published, never lost. */
export const OUTBOX_RELAY_SCHEDULE = '0 */5 * * * *';

export const outboxRelay = createOutboxRelayHandler(appDependencies);

app.timer('outboxRelay', {
  schedule: OUTBOX_RELAY_SCHEDULE,
  handler: outboxRelay,
});
