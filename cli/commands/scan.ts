import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { processEnvironment } from '../../shared/config/settings.js';
import { runScan } from '../../shared/scan/runScan.js';
import { withCliEnvironment } from '../localEnvironment.js';
import { ReportCollector } from '../report.js';
import { renderSummary } from '../summaryPrinter.js';
import { calendarDay, positiveInteger } from './options.js';

export function registerScan(program: Command): void {
  program.command('scan')
    .description('scan every readable subscription (or an estate folder of captured ARM responses) and store the findings')
    .option('--estate <dir>', 'folder of captured ARM responses, served by a local ARM stand-in')
    .option('--report <file>', 'write the JSON report to this file')
    .option('--page-size <n>', 'page size of the local ARM stand-in', positiveInteger, 100)
    .option('--concurrency <n>', 'subscriptions scanned at once', positiveInteger, 4)
    .option('--as-of <date>', 'evaluate every time-dependent rule (ESU program phases, durations) as of this day, YYYY-MM-DD (UTC); default: now', calendarDay)
    .action(async (options: { estate?: string; report?: string; pageSize: number; concurrency: number; asOf?: Date }) => {
      await withCliEnvironment(processEnvironment(), async (environment) => {
        const collector = new ReportCollector();
        const result = await runScan(environment.deps, { concurrency: options.concurrency, observer: collector, evaluationTime: options.asOf });
        const report = collector.build(result, { evaluatedAsOf: options.asOf ?? new Date(result.run.startedAt), programs: environment.deps.settings.programs });
        if (options.report) await writeFile(options.report, `${JSON.stringify(report, null, 2)}\n`);
        console.log(renderSummary(report, environment.description));
        if (options.report) console.log(`\nReport: ${resolve(options.report)}`);
        if (result.failures.length > 0) process.exitCode = 1;
      }, options.estate ? resolve(options.estate) : undefined, options.pageSize);
    });
}
