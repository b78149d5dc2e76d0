import type { ScanProgress } from '../shared/scan/progress.js';
import { ProgressReporter, reportPeriodically, type ProgressOutput, type ReportCadence } from '../shared/scan/progressReporter.js';
import { terminalSafe } from './terminalText.js';

/** What the display writes to: `process.stderr`, or a recording stream in tests. */
export interface ProgressStream {
  write(text: string): unknown;
  readonly isTTY?: boolean;
  readonly columns?: number;
}

/** A terminal: the line rewritten at most 10 times a second, a notice at most once a second. */
export const TTY_CADENCE: ReportCadence = { lineEveryMs: 100, noticeEveryMs: 1000 };
/** A pipe or a file: a line every 5 s (and one at the end), notices at most as often. */
export const PIPE_CADENCE: ReportCadence = { lineEveryMs: 5000, noticeEveryMs: 5000 };

/** Every line the display writes starts with this, so progress is never mistaken for the summary (which goes to stdout). */
export const PROGRESS_PREFIX = 'progress: ';

const CLEAR_TO_END = '\u001b[K';

/** Text from the scan (subscription ids, ARM codes) made one safe line: no control characters, no line breaks. */
function oneLine(text: string): string {
  return terminalSafe(`${PROGRESS_PREFIX}${text}`).replace(/[\t\n]/g, ' ');
}

/** A TTY gets one line, rewritten in place with `\r` and clear-to-end, cut to the terminal's width; notices are printed above it. */
export function terminalOutput(stream: ProgressStream): ProgressOutput {
  let shown = '';
  const fit = (text: string): string => {
    const width = (stream.columns || 80) - 1; // 0 when the terminal reports no size
    return text.length > width ? `${text.slice(0, Math.max(0, width - 1))}…` : text;
  };
  return {
    line(text, final) {
      const line = fit(oneLine(text));
      if (!final && line === shown) return;
      stream.write(`\r${line}${CLEAR_TO_END}${final ? '\n' : ''}`);
      shown = final ? '' : line;
    },
    notice(text) {
      stream.write(`\r${oneLine(text)}${CLEAR_TO_END}\n${shown}`);
    },
  };
}

/** A pipe or a file gets whole lines. */
export function lineOutput(stream: ProgressStream): ProgressOutput {
  return {
    line: (text) => stream.write(`${oneLine(text)}\n`),
    notice: (text) => stream.write(`${oneLine(text)}\n`),
  };
}

/** Shows the scan's progress on `stream` (stderr) until `stop`, which writes the final line. */
export function startProgressDisplay(progress: ScanProgress, stream: ProgressStream): { stop(): void } {
  const tty = stream.isTTY === true;
  const cadence = tty ? TTY_CADENCE : PIPE_CADENCE;
  const reporter = new ProgressReporter(progress, tty ? terminalOutput(stream) : lineOutput(stream), cadence);
  return reportPeriodically(reporter, tty ? cadence.lineEveryMs : 500);
}
