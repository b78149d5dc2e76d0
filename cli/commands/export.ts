import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import { processEnvironment } from '../../shared/config/settings.js';
import { withCliEnvironment } from '../localEnvironment.js';
import { checkWritable, exportStored, type ExportFiles } from '../export/writeExports.js';
import { terminalSafe } from '../terminalText.js';

export function registerExport(program: Command): void {
  program.command('export')
    .description('write the stored results of the last scan as an Excel workbook (--xlsx) and/or a one-file HTML report (--html)')
    .option('--xlsx <file>', 'the Excel workbook: Summary, Plan, Findings, Jobs and Machines sheets')
    .option('--html <file>', 'the HTML report: one file, opened in any browser without network')
    .action(async (options: ExportFiles) => {
      if (!options.xlsx && !options.html) throw new InvalidArgumentError('name a file to write: --xlsx FILE and/or --html FILE');
      await checkWritable(options);
      await withCliEnvironment(processEnvironment(), async (environment) => {
        const written = await exportStored(environment.deps, options);
        if (!written) {
          console.error('No stored results yet: run esu-scan scan first.');
          process.exitCode = 1;
          return;
        }
        for (const line of written.lines) console.log(terminalSafe(line));
      });
    });
}
