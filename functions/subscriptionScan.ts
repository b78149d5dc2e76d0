import { app } from '@azure/functions';
import { createSubscriptionScanHandler } from '../shared/adapters/functions/subscriptionScanHandler.js';
import { CONNECTIONS, RESOURCE_NAMES } from '../shared/config/resourceNames.js';
import { appDependencies } from '../shared/runtime/appDependencies.js';

export const subscriptionScan = createSubscriptionScanHandler(appDependencies);

app.storageQueue('subscriptionScan', {
  queueName: RESOURCE_NAMES.scanRequestQueue,
  connection: CONNECTIONS.storage,
  handler: subscriptionScan,
});
