import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { Command, InvalidArgumentError, Option } from 'commander';
import { CHECK_RESULTS, type CheckResult, type Finding } from '../shared/domain/findings.js';
import { processEnvironment } from '../shared/config/settings.js';
import type { KeptJob } from '../shared/adapters/tables/jobStore.js';
import { allRules } from '../shared/rules/catalog.js';
import { runScan } from '../shared/scan/runScan.js';
import { formatRows, type OutputFormat } from './format.js';
import { openCliEnvironment } from './localEnvironment.js';
import { ReportCollector } from './report.js';
import { renderSummary } from './summaryPrinter.js';

function positiveInteger(value: string): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1) throw new InvalidArgumentError('must be a positive whole number');
  return number;
}

const formatOption = () => new Option('--format <format>', 'output format').choices(['table', 'json', 'csv']).default('table');

export function buildProgram(): Command {
  const program = new Command('esu-scan')
    .description('Checks that Azure Arc-enabled Windows Server 2012 machines keep receiving Extended Security Updates.')
    .showHelpAfterError();

  program.command('scan')
    .description('scan every readable subscription (or an estate folder of captured ARM responses) and store the findings')
    .option('--estate <dir>', 'folder of captured ARM responses, served by a local ARM stand-in')
    .option('--report <file>', 'write the JSON report to this file')
    .option('--page-size <n>', 'page size of the local ARM stand-in', positiveInteger, 100)
    .option('--concurrency <n>', 'subscriptions scanned at once', positiveInteger, 4)
    .action(async (options: { estate?: string; report?: string; pageSize: number; concurrency: number }) => {
      const environment = await openCliEnvironment(processEnvironment(), options.estate ? resolve(options.estate) : undefined, options.pageSize);
      try {
        const collector = new ReportCollector();
        const result = await runScan(environment.deps, { concurrency: options.concurrency, observer: collector });
        const report = collector.build(result);
        if (options.report) await writeFile(options.report, `${JSON.stringify(report, null, 2)}\n`);
        console.log(renderSummary(report, environment.description));
        if (options.report) console.log(`\nReport: ${resolve(options.report)}`);
        if (result.failures.length > 0) process.exitCode = 1;
      } finally {
        await environment.close();
      }
    });

  program.command('findings')
    .description('query the stored findings')
    .option('--subscription <id>', 'only this subscription')
    .addOption(new Option('--result <result>', 'only this result').choices([...CHECK_RESULTS]))
    .option('--rule <id>', 'only this rule id')
    .addOption(formatOption())
    .action(async (options: { subscription?: string; result?: CheckResult; rule?: string; format: OutputFormat }) => {
      const environment = await openCliEnvironment(processEnvironment());
      try {
        const rows: Finding[] = [];
        for await (const finding of environment.deps.findings.query({ subscriptionId: options.subscription, result: options.result, ruleId: options.rule })) {
          rows.push(finding);
        }
        console.log(formatRows(rows, [
          { header: 'result', value: (f) => f.result },
          { header: 'severity', value: (f) => f.severity },
          { header: 'ruleId', value: (f) => f.ruleId },
          { header: 'subscriptionId', value: (f) => f.subscriptionId, width: 36 },
          { header: 'resource', value: (f) => (options.format === 'table' ? f.resourceName : f.resourceId), width: 28 },
          { header: 'messageId', value: (f) => f.messageId },
          { header: 'message', value: (f) => f.message, width: 90 },
        ], options.format));
      } finally {
        await environment.close();
      }
    });

  program.command('jobs')
    .description('list remediation jobs kept in storage (when no Service Bus is configured, or it failed)')
    .option('--subscription <id>', 'only this subscription')
    .addOption(formatOption())
    .action(async (options: { subscription?: string; format: OutputFormat }) => {
      const environment = await openCliEnvironment(processEnvironment());
      try {
        const rows: KeptJob[] = [];
        for await (const job of environment.deps.jobStore.list(options.subscription)) rows.push(job);
        console.log(formatRows(rows, [
          { header: 'jobType', value: (j) => j.jobType },
          { header: 'state', value: (j) => j.state },
          { header: 'ruleId', value: (j) => j.ruleId },
          { header: 'resourceId', value: (j) => j.resourceId, width: 60 },
          { header: 'command', value: (j) => j.commands[0]?.command ?? '', width: 100 },
        ], options.format));
      } finally {
        await environment.close();
      }
    });

  program.command('rules')
    .description('list the rule catalogue')
    .addOption(formatOption())
    .action((options: { format: OutputFormat }) => {
      console.log(formatRows(allRules(), [
        { header: 'id', value: (r) => r.id },
        { header: 'group', value: (r) => r.group },
        { header: 'severity', value: (r) => r.severity },
        { header: 'title', value: (r) => r.title },
      ], options.format));
    });

  return program;
}

export async function main(argv: readonly string[]): Promise<void> {
  await buildProgram().parseAsync([...argv]);
}
