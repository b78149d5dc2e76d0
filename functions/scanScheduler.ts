import { app, output } from '@azure/functions';
import { createScanSchedulerHandler } from '../shared/adapters/functions/scanSchedulerHandler.js';
import { CONNECTIONS, RESOURCE_NAMES } from '../shared/config/resourceNames.js';
import { SETTINGS } from '../shared/config/settings.js';
import { appDependencies } from '../shared/runtime/appDependencies.js';

export const scanRequestQueue = output.storageQueue({
  queueName: RESOURCE_NAMES.scanRequestQueue,
  connection: CONNECTIONS.storage,
});

export const scanScheduler = createScanSchedulerHandler(scanRequestQueue, appDependencies);

app.timer('scanScheduler', {
  schedule: `%${SETTINGS.scanSchedule.name}%`,
  extraOutputs: [scanRequestQueue],
  handler: scanScheduler,
});
