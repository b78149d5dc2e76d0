import { existsSync, statSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { Option } from 'commander';
import { processEnvironment } from '../../shared/config/settings.js';
import type { CheckResult } from '../../shared/domain/findings.js';
import { ScanProgress } from '../../shared/scan/progress.js';
import { runScan, type ScanRunResult } from '../../shared/scan/runScan.js';
import { scanTimeOf } from '../../shared/scan/scanPorts.js';
import { CliError, EXIT_CODES } from '../exitCodes.js';
import { localStorageFolder, verifySaved, withCliEnvironment } from '../localEnvironment.js';
import { startProgressDisplay } from '../progressDisplay.js';
import { ReportCollector, type ScanReport } from '../report.js';
import { renderSummary } from '../summaryPrinter.js';
import { checkWritable, writeExports } from '../export/writeExports.js';
import { fromScanReport } from '../export/exportData.js';
import { terminalSafe } from '../terminalText.js';
import { calendarDay, positiveInteger } from './options.js';

/** `--fail-on LEVEL` counts LEVEL and every result above it: a warning < a failure < a check that could not run. */
export const FAIL_ON_LEVELS: Readonly<Record<'PassedWithWarning' | 'Failed' | 'Error', readonly CheckResult[]>> = {
  PassedWithWarning: ['PassedWithWarning', 'Failed', 'Error'],
  Failed: ['Failed', 'Error'],
  Error: ['Error'],
};
type FailOn = keyof typeof FAIL_ON_LEVELS;

/** Printed after a scan that wrote neither file (`npm start` too): how to get what people open. */
export const EXPORT_HINT = 'To hand these results over: npx esu-scan export --xlsx results.xlsx (Excel workbook) --html results.html (one-file HTML report with charts)';

interface ScanOptions { estate?: string; report?: string; xlsx?: string; html?: string; pageSize: number; concurrency: number; asOf?: Date; failOn?: FailOn; quiet?: boolean }

export function registerScan(program: Command): void {
  program.command('scan')
    .description('scan every readable subscription (or an estate folder of captured ARM responses) and store the findings')
    .option('--estate <dir>', 'folder of captured ARM responses, served by a local ARM stand-in')
    .option('--report <file>', 'write the JSON report to this file (opened before the scan starts)')
    .option('--xlsx <file>', 'also write the results as an Excel workbook (see esu-scan export)')
    .option('--html <file>', 'also write the results as a one-file HTML report (see esu-scan export)')
    .option('--page-size <n>', 'page size of the local ARM stand-in', positiveInteger, 100)
    .option('--concurrency <n>', 'subscriptions scanned at once', positiveInteger, 4)
    .option('--as-of <date>', 'evaluate every time-dependent rule (ESU program phases, durations) as of this day, YYYY-MM-DD (UTC); default: now', calendarDay)
    .addOption(new Option('--fail-on <result>', `exit ${EXIT_CODES.failOn} when findings at or above this result exist (PassedWithWarning < Failed < Error)`).choices(Object.keys(FAIL_ON_LEVELS)))
    .option('--quiet', 'no progress on stderr (subscriptions done, machines read, rate, time left, ARM throttling and retries)')
    .action(async (options: ScanOptions) => {
      const estate = options.estate ? estateFolder(options.estate) : undefined;
      // Opened first: an unwritable path fails before anything is stored or sent.
      const exports = { xlsx: options.xlsx, html: options.html };
      await checkWritable(exports);
      const report = options.report ? await openReport(options.report) : undefined;
      const env = processEnvironment();
      let scanId: string | undefined;
      try {
        await withCliEnvironment(env, async (environment) => {
          const collector = new ReportCollector();
          const progress = options.quiet ? undefined : new ScanProgress();
          // The run's time, built once here: rules evaluate at --as-of (default: the run's start).
          const time = scanTimeOf(new Date(), options.asOf);
          const result = await withProgressDisplay(progress, () => runScan(environment.deps, { concurrency: options.concurrency, observer: collector, progress, startedAt: time.startedAt, asOf: time.asOf })).catch((error: unknown) => {
            throw new CliError(`Could not list the subscriptions to scan${estate ? ` (${join(estate, 'subscriptions.json')})` : ''}: ${error instanceof Error ? error.message : String(error)}`, EXIT_CODES.notFinished);
          });
          const built = collector.build(result, { evaluatedAsOf: time.asOf, programs: environment.deps.settings.programs });
          scanId = built.scanId;
          if (report) await report.handle.writeFile(`${JSON.stringify(built, null, 2)}\n`);
          console.log(renderSummary(built, environment.description));
          if (report) console.log(`\nReport: ${report.path}`);
          const written = await writeExports(fromScanReport(built), exports);
          if (written.length > 0) console.log(terminalSafe(`${report ? '' : '\n'}${written.join('\n')}`));
          else console.log(`\n${EXPORT_HINT}`);
          process.exitCode = exitCodeOf(result, built, options.failOn);
          if (result.plan.requests.length === 0) console.error(`No subscription to scan${estate ? `: ${join(estate, 'subscriptions.json')} lists none` : ': the identity can read none (or ESU_SUBSCRIPTION_IDS names none)'}.`);
        }, estate, options.pageSize);
      } finally {
        await report?.handle.close();
      }
      const location = localStorageFolder(env);
      if (location && scanId) await verifySaved(location, scanId);
    });
}

/**
 * Progress on stderr while `work` runs; its final line comes before the summary (stdout). A signal ends the
 * line first, so the "Stopping" message that follows starts on a line of its own.
 */
async function withProgressDisplay<T>(progress: ScanProgress | undefined, work: () => Promise<T>): Promise<T> {
  if (!progress) return work();
  const display = startProgressDisplay(progress, process.stderr);
  const stop = (): void => display.stop();
  process.prependOnceListener('SIGINT', stop);
  process.prependOnceListener('SIGTERM', stop);
  try {
    return await work();
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    display.stop();
  }
}

function exitCodeOf(result: ScanRunResult, report: ScanReport, failOn: FailOn | undefined): number {
  if (result.failures.length > 0 || result.plan.requests.length === 0) return EXIT_CODES.notFinished;
  if (failOn && FAIL_ON_LEVELS[failOn].some((level) => report.summary.counts[level] > 0)) return EXIT_CODES.failOn;
  return EXIT_CODES.ok;
}

/** An estate folder holds `subscriptions.json` and a folder per subscription; anything else is a usage error. */
function estateFolder(dir: string): string {
  const folder = resolve(dir);
  if (!existsSync(folder) || !statSync(folder).isDirectory()) throw new CliError(`--estate ${dir}: no such folder.`, EXIT_CODES.usage);
  if (!existsSync(join(folder, 'subscriptions.json'))) {
    throw new CliError(`--estate ${dir} is not an estate folder: it holds no subscriptions.json (an estate holds subscriptions.json and one folder per subscription, e.g. samples/estate).`, EXIT_CODES.usage);
  }
  return folder;
}

async function openReport(file: string): Promise<{ path: string; handle: FileHandle }> {
  const path = resolve(file);
  try {
    return { path, handle: await open(path, 'w') };
  } catch (error) {
    throw new CliError(`--report ${file}: cannot write there (${(error as NodeJS.ErrnoException).code ?? String(error)}); nothing was scanned.`, EXIT_CODES.usage);
  }
}
