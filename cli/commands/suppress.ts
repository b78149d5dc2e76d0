import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import { processEnvironment } from '../../shared/config/settings.js';
import { isActive, type Suppression } from '../../shared/domain/suppression.js';
import { readFile, writeFile } from 'node:fs/promises';
import { InvalidSuppressionExportError, parseSuppressionExport, suppressionExport } from '../../shared/domain/suppressionExport.js';
import { CliError, EXIT_CODES } from '../exitCodes.js';
import { formatRows, type OutputFormat } from '../format.js';
import { withCliEnvironment } from '../localEnvironment.js';
import { formatOption } from './options.js';

/** An expiry must be a date in the future; a bare date means the end of that day (UTC). */
export function parseExpiry(value: string, now: Date = new Date()): string {
  const text = /^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T23:59:59Z` : value;
  const time = Date.parse(text);
  if (!Number.isFinite(time)) throw new InvalidArgumentError('must be a date, e.g. 2027-03-31 or 2027-03-31T12:00:00Z');
  // JavaScript rolls 2026-02-31 over to 3 March: a day the calendar lacks is named as such, not taken for another.
  const day = /^(\d{4})-(\d{2})-(\d{2})/.exec(value);
  if (day && new Date(Date.UTC(Number(day[1]), Number(day[2]) - 1, Number(day[3]))).toISOString().slice(0, 10) !== day[0]) {
    throw new InvalidArgumentError(`${day[0]} is not a day of the calendar (${Number(day[2]) >= 1 && Number(day[2]) <= 12 ? `that month has ${new Date(Date.UTC(Number(day[1]), Number(day[2]), 0)).getUTCDate()} days` : 'months are 01 to 12'})`);
  }
  if (time <= now.getTime()) throw new InvalidArgumentError('must be in the future');
  return new Date(time).toISOString();
}

export function registerSuppress(program: Command): void {
  const suppress = program.command('suppress').description('exempt a rule, a resource, or a rule on a resource, until an expiry date');

  suppress.command('add')
    .description('add a suppression (findings are still recorded, marked suppressed, and send no messages)')
    .option('--rule <id>', 'the rule to exempt')
    .option('--resource <id>', 'the resource id to exempt')
    .requiredOption('--reason <text>', 'why')
    .requiredOption('--owner <name>', 'who answers for it')
    .requiredOption('--expires <date>', 'when it ends; the finding re-opens then', (value) => parseExpiry(value))
    .action(async (options: { rule?: string; resource?: string; reason: string; owner: string; expires: string }) => {
      if (!options.rule && !options.resource) throw new InvalidArgumentError('give --rule, --resource or both');
      await withCliEnvironment(processEnvironment(), async (environment) => {
        const added = await environment.deps.suppressions.add({
          ...(options.rule ? { ruleId: options.rule } : {}),
          ...(options.resource ? { resourceId: options.resource } : {}),
          reason: options.reason,
          owner: options.owner,
          expiresAt: options.expires,
        });
        console.log(`Suppression ${added.id} added; it applies from the next scan until ${added.expiresAt}.`);
      });
    });

  suppress.command('list')
    .description('list active suppressions (--all: expired ones too)')
    .option('--all', 'include expired suppressions')
    .addOption(formatOption())
    .action(async (options: { all?: boolean; format: OutputFormat }) => {
      await withCliEnvironment(processEnvironment(), async (environment) => {
        const now = new Date();
        const rows = (await environment.deps.suppressions.list()).filter((s) => options.all || isActive(s, now));
        console.log(formatRows<Suppression>(rows, [
          { header: 'id', value: (s) => s.id },
          { header: 'ruleId', value: (s) => s.ruleId ?? '*' },
          { header: 'resourceId', value: (s) => s.resourceId ?? '*', width: 60 },
          { header: 'owner', value: (s) => s.owner },
          { header: 'expiresAt', value: (s) => s.expiresAt },
          { header: 'active', value: (s) => String(isActive(s, now)) },
          { header: 'reason', value: (s) => s.reason, width: 60 },
        ], options.format));
      });
    });

  suppress.command('remove')
    .description('remove a suppression; its findings re-open at the next scan')
    .argument('<id>', 'the suppression id')
    .action(async (id: string) => {
      await withCliEnvironment(processEnvironment(), async (environment) => {
        const removed = await environment.deps.suppressions.remove(id);
        console.log(removed ? `Suppression ${id} removed.` : `No suppression ${id}.`);
        if (!removed) process.exitCode = 1;
      });
    });

  suppress.command('export')
    .description('write every suppression (expired ones too, ids and dates kept) as JSON, to rebuild an account without re-opening alerts')
    .option('--output <file>', 'write to this file instead of standard output')
    .action(async (options: { output?: string }) => {
      await withCliEnvironment(processEnvironment(), async (environment) => {
        const suppressions = await environment.deps.suppressions.list();
        const text = `${JSON.stringify(suppressionExport(suppressions, new Date()), null, 2)}\n`;
        if (!options.output) {
          process.stdout.write(text);
          return;
        }
        await writeFile(options.output, text, 'utf8');
        console.log(`Exported ${suppressions.length} suppression(s) to ${options.output}.`);
      });
    });

  suppress.command('import')
    .description('write the suppressions of an export file, ids and dates kept; importing twice changes nothing')
    .argument('<file>', 'a file written by `esu-scan suppress export`')
    .action(async (file: string) => {
      let suppressions;
      try {
        suppressions = parseSuppressionExport(await readFile(file, 'utf8'));
      } catch (error) {
        if (error instanceof InvalidSuppressionExportError) throw new CliError(`${file} is not a suppression export: ${error.message}`, EXIT_CODES.usage);
        throw error;
      }
      await withCliEnvironment(processEnvironment(), async (environment) => {
        const known = new Set((await environment.deps.suppressions.list()).map((s) => s.id));
        for (const suppression of suppressions) await environment.deps.suppressions.put(suppression);
        const added = suppressions.filter((s) => !known.has(s.id)).length;
        console.log(`Imported ${suppressions.length} suppression(s): ${added} new, ${suppressions.length - added} already there (written again as in the file).`);
      });
    });
}
