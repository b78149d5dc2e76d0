import { app } from '@azure/functions';
import { createScanRequestPoisonHandler } from '../shared/adapters/functions/scanRequestPoisonHandler.js';
import { CONNECTIONS, RESOURCE_NAMES } from '../shared/config/resourceNames.js';
import { appDependencies } from '../shared/runtime/appDependencies.js';

export const scanRequestPoison = createScanRequestPoisonHandler(appDependencies);

/** The host's poison queue of the scan requests: a scan killed on its last delivery still lets its run finish. */
app.storageQueue('scanRequestPoison', {
  queueName: `${RESOURCE_NAMES.scanRequestQueue}-poison`,
  connection: CONNECTIONS.storage,
  handler: scanRequestPoison,
});
