/**
 * A recording stand-in for `@azure/functions-core`, the module the Functions Node worker provides to
 * `@azure/functions`. The package loads it lazily with a CommonJS `require('@azure/functions-core')`
 * (`tryGetCoreApiLazy`) the first time an app registers a function, caches the answer for the life of
 * the process, and falls back to "test mode" (no registration) when the require fails.
 *
 * Install the recorder BEFORE anything calls `app.timer(...)`, `app.storageQueue(...)` etc., i.e.
 * before the `functions/*.js` modules are imported; then import them dynamically:
 *
 *   const host = installFunctionsHostRecorder();
 *   await import('../../functions/scanScheduler.js');
 *   host.registrations // [{ metadata: { name, bindings, retryOptions }, handler }]
 *
 * The metadata is exactly what `@azure/functions` hands to the host (its `toCoreFunctionMetadata`):
 * `bindings` is keyed by binding name; each binding keeps the options it was declared with
 * (`schedule`, `queueName`, `connection`, ...) plus `type` (e.g. `timerTrigger`, `queueTrigger`,
 * `queue`), `direction` (`in`/`out`) and, for triggers and inputs, `properties`.
 */
import { createRequire } from 'node:module';

export const FUNCTIONS_CORE_MODULE = '@azure/functions-core';

export interface RecordedBinding {
  readonly type: string;
  readonly direction: 'in' | 'out' | 'inout';
  readonly name?: string;
  readonly [option: string]: unknown;
}

export interface RecordedFunctionMetadata {
  readonly name: string;
  readonly bindings: Readonly<Record<string, RecordedBinding>>;
  readonly retryOptions?: unknown;
}

export type RecordedHandler = (...args: unknown[]) => unknown;

export interface FunctionRegistration {
  readonly metadata: RecordedFunctionMetadata;
  readonly handler: RecordedHandler;
}

export interface RecordedHook {
  readonly hookName: string;
  readonly callback: (...args: unknown[]) => unknown;
  disposed: boolean;
}

export interface RecordedLog {
  readonly level: string;
  readonly category: string;
  readonly message: string;
}

export interface Disposable {
  dispose(): void;
}

export interface FunctionsHostRecorder {
  readonly registrations: FunctionRegistration[];
  readonly hooks: RecordedHook[];
  readonly logs: RecordedLog[];
  /** The programming model `@azure/functions` set (its `{ name, version, ... }` object), if any. */
  readonly programmingModel: unknown;
  /** The registration of one function by name; throws listing what was registered when it is missing. */
  registration(name: string): FunctionRegistration;
  /** Stops answering `require('@azure/functions-core')`. A package that already loaded the recorder keeps it. */
  uninstall(): void;
}

/** The subset of the worker's core API that `@azure/functions` 4.x calls. */
interface CoreApi {
  registerFunction(metadata: RecordedFunctionMetadata, handler: RecordedHandler): Disposable;
  setProgrammingModel(programmingModel: unknown): void;
  getProgrammingModel(): unknown;
  registerHook(hookName: string, callback: (...args: unknown[]) => unknown): Disposable;
  log(level: string, category: string, message: string): void;
}

type ModuleLoad = (request: string, parent: unknown, isMain: boolean) => unknown;
interface ModuleInternals {
  _load: ModuleLoad;
}

const requireCjs = createRequire(import.meta.url);

let installed: FunctionsHostRecorder | undefined;

/**
 * Makes `require('@azure/functions-core')` (from any CommonJS module in this process) return a
 * recorder. Idempotent: a second call returns the recorder already installed.
 */
export function installFunctionsHostRecorder(): FunctionsHostRecorder {
  if (installed) return installed;

  const registrations: FunctionRegistration[] = [];
  const hooks: RecordedHook[] = [];
  const logs: RecordedLog[] = [];
  let programmingModel: unknown;

  const core: CoreApi = {
    registerFunction(metadata, handler) {
      if (registrations.some((r) => r.metadata.name === metadata.name)) {
        throw new Error(`A function named "${metadata.name}" is already registered.`);
      }
      const registration = { metadata, handler };
      registrations.push(registration);
      return {
        dispose() {
          const index = registrations.indexOf(registration);
          if (index >= 0) registrations.splice(index, 1);
        },
      };
    },
    setProgrammingModel(model) {
      programmingModel = model;
    },
    getProgrammingModel() {
      return programmingModel;
    },
    registerHook(hookName, callback) {
      const hook: RecordedHook = { hookName, callback, disposed: false };
      hooks.push(hook);
      return {
        dispose() {
          hook.disposed = true;
        },
      };
    },
    log(level, category, message) {
      logs.push({ level, category, message });
    },
  };

  const Module = requireCjs('module') as ModuleInternals;
  const originalLoad = Module._load;
  const patchedLoad: ModuleLoad = function (this: unknown, request, parent, isMain) {
    if (request === FUNCTIONS_CORE_MODULE) return core;
    return originalLoad.call(this, request, parent, isMain);
  };
  Module._load = patchedLoad;

  installed = {
    registrations,
    hooks,
    logs,
    get programmingModel() {
      return programmingModel;
    },
    registration(name) {
      const found = registrations.find((r) => r.metadata.name === name);
      if (!found) {
        const names = registrations.map((r) => r.metadata.name).join(', ') || 'none';
        throw new Error(`No function "${name}" was registered (registered: ${names}). Was the recorder installed before @azure/functions first registered a function?`);
      }
      return found;
    },
    uninstall() {
      if (Module._load === patchedLoad) Module._load = originalLoad;
      installed = undefined;
    },
  };
  return installed;
}
