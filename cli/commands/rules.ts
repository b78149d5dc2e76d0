import type { Command } from 'commander';
import { allRules } from '../../shared/rules/catalog.js';
import { formatRows, type OutputFormat } from '../format.js';
import { formatOption } from './options.js';

export function registerRules(program: Command): void {
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
}
