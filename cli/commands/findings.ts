import type { Command } from 'commander';
import { Option } from 'commander';
import type { FindingRow } from '../../shared/alerts/transitions.js';
import { processEnvironment } from '../../shared/config/settings.js';
import { CHECK_RESULTS, type CheckResult } from '../../shared/domain/findings.js';
import { formatRows, type OutputFormat } from '../format.js';
import { withCliEnvironment } from '../localEnvironment.js';
import { formatOption } from './options.js';

export function registerFindings(program: Command): void {
  program.command('findings')
    .description('query the stored findings')
    .option('--subscription <id>', 'only this subscription')
    .addOption(new Option('--result <result>', 'only this result').choices([...CHECK_RESULTS]))
    .option('--rule <id>', 'only this rule id')
    .addOption(formatOption())
    .action(async (options: { subscription?: string; result?: CheckResult; rule?: string; format: OutputFormat }) => {
      await withCliEnvironment(processEnvironment(), async (environment) => {
        const rows: FindingRow[] = [];
        for await (const row of environment.deps.findings.query({ subscriptionId: options.subscription, result: options.result, ruleId: options.rule })) rows.push(row);
        console.log(formatRows(rows, [
          { header: 'result', value: (f) => f.result },
          { header: 'severity', value: (f) => f.severity },
          { header: 'ruleId', value: (f) => f.ruleId },
          { header: 'subscriptionId', value: (f) => f.subscriptionId, width: 36 },
          { header: 'resource', value: (f) => (options.format === 'table' ? f.resourceName : f.resourceId), width: 28 },
          { header: 'messageId', value: (f) => f.messageId },
          { header: 'alert', value: (f) => f.alertState },
          { header: 'message', value: (f) => f.message, width: 90 },
        ], options.format));
      });
    });
}
