import type { InvocationContext } from '@azure/functions';
import type { ArmWaitFeed } from '../arm/armThrottle.js';
import type { ScanObserver } from '../../scan/findingSink.js';
import { ScanProgress } from '../../scan/progress.js';
import { ProgressReporter, reportPeriodically, type ProgressOutput, type ReportCadence } from '../../scan/progressReporter.js';
import type { ScanRequest } from '../../scan/scanRequest.js';

/** A long scan logs a progress line every 30 s, and ARM throttling or retries as a warning at most as often. */
export const INVOCATION_PROGRESS_CADENCE: ReportCadence = { lineEveryMs: 30_000, noticeEveryMs: 30_000 };

export interface InvocationProgressOptions {
  readonly cadence?: ReportCadence;
  /** How often the cadence is checked (default 1 s); 0 = no timer, the caller ticks (tests). */
  readonly tickMs?: number;
  readonly clock?: () => number;
}

export interface InvocationProgress {
  /** Counts the machines for the progress lines. */
  readonly observer: ScanObserver;
  tick(): void;
  /** Logs what is pending and the final line; stops listening. */
  stop(): void;
}

/**
 * The progress of one subscription scan in the invocation log: machines read, rate, time so far and ARM
 * waits (the ones of this subscription: other invocations of the instance share the ARM clients).
 */
export function logInvocationProgress(context: InvocationContext, request: ScanRequest, armWaits: ArmWaitFeed, options: InvocationProgressOptions = {}): InvocationProgress {
  const progress = new ScanProgress(options.clock);
  progress.planned(1);
  progress.subscriptionStarted(request.subscriptionId);
  const prefix = `Scan ${request.scanId} of ${request.subscriptionId}`;
  const output: ProgressOutput = {
    line: (text) => context.info(`${prefix}: ${text}`),
    notice: (text) => context.warn(`${prefix}: ${text}`),
  };
  const reporter = new ProgressReporter(progress, output, options.cadence ?? INVOCATION_PROGRESS_CADENCE, { subscriptions: false });
  const ticking = (options.tickMs ?? 1000) > 0 ? reportPeriodically(reporter, options.tickMs ?? 1000) : { stop: () => reporter.finish() };
  const own = request.subscriptionId.toLowerCase();
  const unsubscribe = armWaits.subscribe((wait) => {
    if (wait.subscriptionId === own) progress.armWaited(wait);
  });
  return {
    observer: progress.observing(),
    tick: () => reporter.tick(),
    stop() {
      unsubscribe();
      progress.subscriptionFinished(request.subscriptionId);
      ticking.stop();
    },
  };
}
