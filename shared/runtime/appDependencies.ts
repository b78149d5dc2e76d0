import { processEnvironment } from '../config/settings.js';
import { createDependencies, type Dependencies } from './dependencies.js';

let shared: Promise<Dependencies> | undefined;

/** One set of clients per Functions instance, reused across invocations; rebuilt after a failed start. */
export function appDependencies(): Promise<Dependencies> {
  shared ??= createDependencies(processEnvironment()).catch((error: unknown) => {
    shared = undefined;
    throw error;
  });
  return shared;
}
