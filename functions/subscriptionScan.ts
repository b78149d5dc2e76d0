import { app, output } from '@azure/functions';
import { createSubscriptionScanHandler } from '../shared/adapters/functions/subscriptionScanHandler.js';
import { CONNECTIONS, RESOURCE_NAMES } from '../shared/config/resourceNames.js';
import { appDependencies } from '../shared/runtime/appDependencies.js';

export const poisonQueue = output.storageQueue({
  queueName: `${RESOURCE_NAMES.scanRequestQueue}-poison`,
  connection: CONNECTIONS.storage,
});

export const subscriptionScan = createSubscriptionScanHandler(appDependencies, poisonQueue);

app.storageQueue('subscriptionScan', {
  queueName: RESOURCE_NAMES.scanRequestQueue,
  connection: CONNECTIONS.storage,
  extraOutputs: [poisonQueue],
  handler: subscriptionScan,
});
