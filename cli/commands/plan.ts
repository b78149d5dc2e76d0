import type { Command } from 'commander';
import { processEnvironment } from '../../shared/config/settings.js';
import { formatRows, type OutputFormat } from '../format.js';
import { withCliEnvironment } from '../localEnvironment.js';
import { PLAN_COLUMNS, planLines, rowsOfSubscription } from '../planView.js';
import { terminalSafe } from '../terminalText.js';
import { formatOption } from './options.js';

export function registerPlan(program: Command): void {
  program.command('plan')
    .description('the tenant license plan of the last scan: licenses to create, shrink or remove, and the cores billed before and after')
    .option('--subscription <id>', "only this subscription's licenses and the licenses that serve its machines")
    .addOption(formatOption())
    .action(async (options: { subscription?: string; format: OutputFormat }) => {
      await withCliEnvironment(processEnvironment(), async (environment) => {
        const plan = await environment.deps.plans.load();
        if (!plan) {
          console.error('No license plan yet: run esu-scan scan first.');
          process.exitCode = 1;
          return;
        }
        const licenses = rowsOfSubscription(plan.licenses, options.subscription);
        if (options.format === 'json') {
          console.log(terminalSafe(JSON.stringify({ ...plan, licenses }, null, 2)));
          return;
        }
        if (options.format === 'table') console.log(terminalSafe([`License plan of scan ${plan.scanId}, as of ${plan.asOf.slice(0, 10)}:`, ...planLines(plan), ''].join('\n')));
        console.log(formatRows(licenses, PLAN_COLUMNS, options.format));
      });
    });
}
