import { describeNotice, describeProgress, type DescribeOptions, type ScanProgress } from './progress.js';

/** Where progress goes: a terminal, a log. */
export interface ProgressOutput {
  /** The progress line; `final` once, when the work is over. */
  line(text: string, final: boolean): void;
  /** Throttling or retries since the last notice. */
  notice(text: string): void;
}

export interface ReportCadence {
  /** A progress line at most this often. */
  readonly lineEveryMs: number;
  /** Notices at most this often (the first one as soon as there is one). */
  readonly noticeEveryMs: number;
}

/**
 * Decides, on each `tick`, what is due: notices of ARM waits (aggregated between writes) and the progress
 * line. The caller ticks it (a timer); the clock is the progress model's, so tests drive both.
 */
export class ProgressReporter {
  private lastLineAt: number;
  private lastNoticeAt = Number.NEGATIVE_INFINITY;
  private finished = false;

  constructor(
    private readonly progress: ScanProgress,
    private readonly output: ProgressOutput,
    private readonly cadence: ReportCadence,
    private readonly describe: DescribeOptions = {},
  ) {
    // The first line comes after one interval: a short scan prints only its final line.
    this.lastLineAt = progress.clock();
  }

  tick(): void {
    if (this.finished) return;
    const now = this.progress.clock();
    if (now - this.lastNoticeAt >= this.cadence.noticeEveryMs && this.writeNotices()) this.lastNoticeAt = now;
    if (now - this.lastLineAt >= this.cadence.lineEveryMs) {
      this.output.line(describeProgress(this.progress.snapshot(), this.describe), false);
      this.lastLineAt = now;
    }
  }

  /** The notices still pending, then the final line (once). */
  finish(): void {
    if (this.finished) return;
    this.finished = true;
    this.progress.phase('done');
    this.writeNotices();
    this.output.line(describeProgress(this.progress.snapshot(), this.describe), true);
  }

  private writeNotices(): boolean {
    const notices = this.progress.takeNotices();
    for (const notice of notices) this.output.notice(describeNotice(notice));
    return notices.length > 0;
  }
}

/** Ticks the reporter every `tickMs` (the timer never keeps the process alive); `stop` writes the final line. */
export function reportPeriodically(reporter: ProgressReporter, tickMs: number): { stop(): void } {
  const timer = setInterval(() => reporter.tick(), tickMs);
  timer.unref();
  return {
    stop() {
      clearInterval(timer);
      reporter.finish();
    },
  };
}
