import type { Command } from 'commander';
import { createReadStream, createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { finished } from 'node:stream/promises';
import { InvalidBackupRecordError, parseBackupRecord, type BackupRecord } from '../../shared/adapters/tables/alertStateBackup.js';
import { processEnvironment } from '../../shared/config/settings.js';
import { CliError, EXIT_CODES } from '../exitCodes.js';
import { withCliEnvironment } from '../localEnvironment.js';

/**
 * `alerts export` / `alerts import`: the findings' alert state (JSON Lines, one stored entity per line), so an
 * account can be rebuilt (with `suppress export` / `import`) without every alert opening again.
 */
export function registerAlertState(alerts: Command): void {
  alerts.command('export')
    .description('write the stored findings and their alert state as JSON Lines, to rebuild an account without re-opening alerts')
    .requiredOption('--output <file>', 'the file to write (JSON Lines, one stored entity per line)')
    .action(async (options: { output: string }) => {
      await withCliEnvironment(processEnvironment(), async (environment) => {
        const out = createWriteStream(options.output, { encoding: 'utf8' });
        let count = 0;
        for await (const record of environment.deps.alertState.read()) {
          if (!out.write(`${JSON.stringify(record)}\n`)) await once(out, 'drain');
          count += 1;
        }
        out.end();
        await finished(out);
        console.log(`Exported ${count} stored row(s) to ${options.output}.`);
      });
    });

  alerts.command('import')
    .description('write the rows of an `alerts export` file into the configured account (replacing rows with the same keys); importing twice changes nothing')
    .argument('<file>', 'a file written by `esu-scan alerts export`')
    .action(async (file: string) => {
      await withCliEnvironment(processEnvironment(), async (environment) => {
        const written = await environment.deps.alertState.write(recordsOf(file));
        console.log(`Imported ${written} stored row(s) from ${file}.`);
      });
    });
}

/** The file's records, checked line by line: a bad line stops the import and names its number (lines before it are written; importing again after fixing it is safe). */
async function* recordsOf(file: string): AsyncIterable<BackupRecord> {
  const lines = createInterface({ input: createReadStream(file, { encoding: 'utf8' }), crlfDelay: Infinity });
  let number = 0;
  for await (const line of lines) {
    number += 1;
    if (line.trim() === '') continue;
    try {
      yield parseBackupRecord(line);
    } catch (error) {
      if (error instanceof InvalidBackupRecordError) throw new CliError(`${file} line ${number} is not an alert-state record: ${error.message}`, EXIT_CODES.usage);
      throw error;
    }
  }
}
