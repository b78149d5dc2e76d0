import { open, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { FindingRow } from '../../shared/alerts/transitions.js';
import type { OutboxEntry } from '../../shared/scan/messagePorts.js';
import type { Dependencies } from '../../shared/runtime/dependencies.js';
import { CliError, EXIT_CODES } from '../exitCodes.js';
import { fromStored, type ExportData } from './exportData.js';
import { renderHtml } from './htmlReport.js';
import { writeWorkbook } from './workbook.js';

export interface ExportFiles {
  readonly xlsx?: string;
  readonly html?: string;
}

/** Checks each file can be written (creating it empty) before any work: a bad path fails first, as `--report` does. */
export async function checkWritable(files: ExportFiles): Promise<void> {
  for (const [option, file] of Object.entries(files) as [string, string | undefined][]) {
    if (!file) continue;
    try {
      await (await open(resolve(file), 'w')).close();
    } catch (error) {
      throw new CliError(`--${option} ${file}: cannot write there (${(error as NodeJS.ErrnoException).code ?? String(error)}).`, EXIT_CODES.usage);
    }
  }
}

/** Writes the files asked for; returns a line per file for the console. */
export async function writeExports(data: ExportData, files: ExportFiles): Promise<string[]> {
  const lines: string[] = [];
  if (files.xlsx) {
    await writeWorkbook(data, resolve(files.xlsx));
    lines.push(`Workbook: ${resolve(files.xlsx)}`);
  }
  if (files.html) {
    await writeFile(resolve(files.html), renderHtml(data));
    lines.push(`HTML report: ${resolve(files.html)}`);
  }
  return lines;
}

/** The stored results of the last scan, or undefined before the first scan. */
export async function loadStoredExport(deps: Pick<Dependencies, 'findings' | 'plans' | 'runs' | 'outbox' | 'settings'>): Promise<ExportData | undefined> {
  const [run, plan] = await Promise.all([deps.runs.latestRun(), deps.plans.load()]);
  const findings: FindingRow[] = [];
  for await (const row of deps.findings.query()) findings.push(row);
  if (!run && !plan && findings.length === 0) return undefined;
  const outbox: OutboxEntry[] = [];
  for await (const entry of deps.outbox.list()) outbox.push(entry);
  return fromStored({ run, findings, plan, outbox, programs: deps.settings.programs });
}
