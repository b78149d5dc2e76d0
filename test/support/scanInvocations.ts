// Default import: Node's ESM view of this webpack-bundled CommonJS package lacks some named exports
// (InvocationContext among them); `output` and `trigger` are fine but come from the same object here.
import azureFunctions, { type LogLevel, type StorageQueueOutput } from '@azure/functions';
import { CONNECTIONS, RESOURCE_NAMES } from '../../shared/config/resourceNames.js';

const { InvocationContext, output, trigger } = azureFunctions;
export type InvocationContext = InstanceType<typeof InvocationContext>;

export interface LogLine {
  readonly invocationId: string;
  readonly level: LogLevel;
  readonly message: string;
}

/** The bindings of the two scan functions, as functions/ declares them. */
export const scanRequests: StorageQueueOutput = output.storageQueue({ queueName: RESOURCE_NAMES.scanRequestQueue, connection: CONNECTIONS.storage });
export const poisonQueue: StorageQueueOutput = output.storageQueue({ queueName: `${RESOURCE_NAMES.scanRequestQueue}-poison`, connection: CONNECTIONS.storage });
const timerTrigger = trigger.timer({ schedule: '0 0 3 * * *' });
const queueTrigger = trigger.storageQueue({ queueName: RESOURCE_NAMES.scanRequestQueue, connection: CONNECTIONS.storage });

/** Invocation contexts as the host builds them, whose log lines land in `logLines` (ids `<prefix>-<function>-<n>`). */
export function scanInvocations(prefix: string): { logLines: LogLine[]; newContext(functionName: 'scanScheduler' | 'subscriptionScan'): InvocationContext } {
  const logLines: LogLine[] = [];
  let invocations = 0;
  return {
    logLines,
    newContext(functionName) {
      const invocationId = `${prefix}-${functionName}-${++invocations}`;
      return new InvocationContext({
        invocationId,
        functionName,
        logHandler: (level, ...args) => logLines.push({ invocationId, level, message: args.map(String).join(' ') }),
        options: functionName === 'scanScheduler'
          ? { trigger: timerTrigger, extraInputs: [], extraOutputs: [scanRequests] }
          : { trigger: queueTrigger, extraInputs: [], extraOutputs: [poisonQueue] },
      });
    },
  };
}
