import { app, output, type RetryOptions } from '@azure/functions';
import { createScanSchedulerHandler } from '../shared/adapters/functions/scanSchedulerHandler.js';
import { CONNECTIONS, RESOURCE_NAMES } from '../shared/config/resourceNames.js';
import { SETTINGS } from '../shared/config/settings.js';
import { appDependencies } from '../shared/runtime/appDependencies.js';

export const scanRequestQueue = output.storageQueue({
  queueName: RESOURCE_NAMES.scanRequestQueue,
  connection: CONNECTIONS.storage,
});

export const scanScheduler = createScanSchedulerHandler(scanRequestQueue, appDependencies);

/**
 * A failed fan-out (ARM or storage unreachable) is tried again rather than skipping the day: 1, 2, 4, 8, 16 then
 * 30 minutes apart, about an hour in all. Safe to repeat: the queue output is written only when the
 * invocation succeeds, and the run row is written last, so a failed attempt sends nothing and records no run.
 */
export const SCHEDULER_RETRY: RetryOptions = { strategy: 'exponentialBackoff', maxRetryCount: 6, minimumInterval: { minutes: 1 }, maximumInterval: { minutes: 30 } };

app.timer('scanScheduler', {
  schedule: `%${SETTINGS.scanSchedule.name}%`,
  extraOutputs: [scanRequestQueue],
  retry: SCHEDULER_RETRY,
  handler: scanScheduler,
});
