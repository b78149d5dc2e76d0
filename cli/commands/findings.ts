import type { Command } from 'commander';
import { Option } from 'commander';
import type { FindingRow } from '../../shared/alerts/transitions.js';
import { processEnvironment } from '../../shared/config/settings.js';
import { CHECK_RESULTS, type CheckResult, type Finding } from '../../shared/domain/findings.js';
import { formatRows, type OutputFormat } from '../format.js';
import { withCliEnvironment } from '../localEnvironment.js';
import { formatOption } from './options.js';

export function registerFindings(program: Command): void {
  program.command('findings')
    .description('query the stored findings')
    .option('--subscription <id>', 'only this subscription')
    .addOption(new Option('--result <result>', 'only this result').choices([...CHECK_RESULTS]))
    .option('--rule <id>', 'only this rule id')
    .option('--resource <name-or-id>', 'only this resource: its name, or its full resource id (any case)')
    .option('--resource-group <name>', 'only this resource group (any case)')
    .option('--program <id>', 'only findings about this ESU program, e.g. WS2016')
    .addOption(formatOption())
    .action(async (options: { subscription?: string; result?: CheckResult; rule?: string; format: OutputFormat } & FindingFilter) => {
      await withCliEnvironment(processEnvironment(), async (environment) => {
        const rows: FindingRow[] = [];
        for await (const row of environment.deps.findings.query({ subscriptionId: options.subscription, result: options.result, ruleId: options.rule })) {
          if (findingMatches(row, options)) rows.push(row);
        }
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

export interface FindingFilter {
  readonly resource?: string;
  readonly resourceGroup?: string;
  readonly program?: string;
}

/**
 * Filters Table Storage cannot apply: Azure names are case-insensitive (an OData `eq` is not) and the program
 * is in the evidence JSON. Applied to the rows the query returns.
 */
export function findingMatches(row: Pick<Finding, 'resourceId' | 'resourceName' | 'resourceGroup' | 'evidence'>, filter: FindingFilter): boolean {
  const same = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase();
  if (filter.resource && !same(filter.resource.startsWith('/') ? row.resourceId : row.resourceName, filter.resource)) return false;
  if (filter.resourceGroup && !same(row.resourceGroup, filter.resourceGroup)) return false;
  if (filter.program && !(typeof row.evidence['program'] === 'string' && same(row.evidence['program'], filter.program))) return false;
  return true;
}
