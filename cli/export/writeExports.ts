import { mkdtempSync, rmSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Dependencies } from '../../shared/runtime/dependencies.js';
import { CliError, EXIT_CODES } from '../exitCodes.js';
import type { ExportData } from './exportData.js';
import { loadStoredSource, sourceOf, type ExportSource } from './exportSource.js';
import { writeHtml } from './htmlReport.js';

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

/** Writes the files asked for, each as it is made; returns a line per file for the console. */
export async function writeExports(data: ExportData | ExportSource, files: ExportFiles): Promise<string[]> {
  const source = 'findingCount' in data ? data : sourceOf(data);
  const lines: string[] = [];
  if (files.xlsx) {
    // exceljs is the CLI's heaviest module: loaded only when a workbook is asked for, so other commands start fast.
    const { writeWorkbookFrom } = await import('./workbook.js');
    await writeWorkbookFrom(source, resolve(files.xlsx));
    lines.push(`Workbook: ${resolve(files.xlsx)}`);
  }
  if (files.html) {
    await writeHtml(source, resolve(files.html));
    lines.push(`HTML report: ${resolve(files.html)}`);
  }
  return lines;
}

/**
 * Writes the files from the stored results of the last scan, read a page at a time and sorted on disk in a
 * folder of its own (removed after); the source's figures are returned for the console and the benchmark.
 * Undefined before the first scan.
 */
export async function exportStored(deps: Pick<Dependencies, 'findings' | 'plans' | 'runs' | 'outbox' | 'settings'>, files: ExportFiles): Promise<{ source: ExportSource; lines: string[] } | undefined> {
  const dir = mkdtempSync(join(tmpdir(), 'esu-export-'));
  try {
    const source = await loadStoredSource(deps, dir);
    return source ? { source, lines: await writeExports(source, files) } : undefined;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
