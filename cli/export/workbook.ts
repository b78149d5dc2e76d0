/** The Excel workbook: one real Excel table per sheet (autofilter, frozen header, widths), values typed, ARM text never a formula. */
import ExcelJS from 'exceljs';
import type { PlanLicenseRow } from '../../shared/domain/licensePlan.js';
import type { RemediationCommand } from '../../shared/domain/findings.js';
import type { ExportData, ExportFinding, ExportJob, MachineRow } from './exportData.js';
import { sourceOf, type ExportSource } from './exportSource.js';
import { StreamedTables } from './streamedTables.js';

/** Rows of an Excel sheet (header included). */
export const EXCEL_MAX_ROWS = 1_048_576;

type CellValue = string | number | boolean | Date | { readonly text: string; readonly hyperlink: string } | undefined;

export interface SheetColumn<T> {
  readonly header: string;
  readonly width: number;
  readonly value: (row: T) => CellValue;
  /** The number format of its dates (default: day and time). */
  readonly format?: string;
}

export interface WorkbookOptions {
  /** Rows per sheet, header included (tests lower it to check the split). */
  readonly rowLimit?: number;
}

const DATE_FORMAT = 'yyyy-mm-dd hh:mm';
const DAY_FORMAT = 'yyyy-mm-dd';
/** Characters that make a spreadsheet read a typed value as a formula (OWASP "CSV injection"). */
const FORMULA_START = /^[=+\-@\t\r]/;

/** Characters an Excel cell holds: a longer text makes Excel call the file damaged. */
export const EXCEL_MAX_CELL_TEXT = 32_767;
const CUT_MARK = ' … (cut: longer than an Excel cell holds)';

function fitCell(value: CellValue): Exclude<CellValue, undefined> | null {
  if (value === undefined) return null;
  return typeof value === 'string' && value.length > EXCEL_MAX_CELL_TEXT ? `${value.slice(0, EXCEL_MAX_CELL_TEXT - CUT_MARK.length)}${CUT_MARK}` : value;
}

/** The sheets of each part, as `splitRows` lays them out: a name per sheet and its rows' range. */
export function splitRows(name: string, rows: number, rowLimit = EXCEL_MAX_ROWS): { name: string; from: number; to: number }[] {
  const perSheet = rowLimit - 1;
  const sheets = Math.max(1, Math.ceil(rows / perSheet));
  return Array.from({ length: sheets }, (_, index) => ({ name: index === 0 ? name : `${name} ${index + 1}`, from: index * perSheet, to: Math.min(rows, (index + 1) * perSheet) }));
}

const date = (text: string | undefined): Date | undefined => {
  if (!text) return undefined;
  const parsed = new Date(text);
  return Number.isNaN(parsed.getTime()) ? undefined : parsed;
};
const day = (text: string | undefined): Date | undefined => (text ? date(`${text.slice(0, 10)}T00:00:00Z`) : undefined);
const commandsOf = (commands: readonly RemediationCommand[], shell: RemediationCommand['shell']): string => commands.filter((command) => command.shell === shell).map((command) => command.command).join('\n');
/** The Azure portal page of a resource. */
export const portalLink = (resourceId: string): string => `https://portal.azure.com/#resource${resourceId.split('/').map(encodeURIComponent).join('/')}`;

export const FINDING_COLUMNS: readonly SheetColumn<ExportFinding>[] = [
  { header: 'Subscription', width: 38, value: (f) => f.subscriptionId },
  { header: 'Resource group', width: 24, value: (f) => f.resourceGroup },
  { header: 'Resource', width: 28, value: (f) => f.resourceName },
  { header: 'Resource type', width: 30, value: (f) => f.resourceType },
  { header: 'Rule', width: 34, value: (f) => f.ruleId },
  { header: 'Result', width: 18, value: (f) => f.result },
  { header: 'Severity', width: 10, value: (f) => f.severity },
  { header: 'Message', width: 100, value: (f) => f.message },
  { header: 'Message id', width: 36, value: (f) => f.messageId },
  { header: 'First seen', width: 18, value: (f) => date(f.firstSeen) },
  { header: 'Evaluated', width: 18, value: (f) => date(f.evaluatedAt) },
  { header: 'Resource id', width: 60, value: (f) => f.resourceId },
];

export const JOB_COLUMNS: readonly SheetColumn<ExportJob>[] = [
  { header: 'Job type', width: 22, value: (j) => j.jobType },
  { header: 'Title', width: 60, value: (j) => j.title },
  { header: 'Rule', width: 34, value: (j) => j.ruleId },
  { header: 'Severity', width: 10, value: (j) => j.severity },
  { header: 'Subscription', width: 38, value: (j) => j.subscriptionId },
  { header: 'Resource group', width: 24, value: (j) => j.resourceGroup },
  { header: 'Resource', width: 28, value: (j) => j.resourceId.split('/').at(-1) ?? j.resourceId },
  { header: 'az', width: 100, value: (j) => commandsOf(j.commands, 'az') },
  { header: 'PowerShell', width: 100, value: (j) => commandsOf(j.commands, 'powershell') },
  { header: 'bash (on the machine)', width: 60, value: (j) => commandsOf(j.commands, 'bash') },
  { header: 'Resource id', width: 60, value: (j) => j.resourceId },
];

export const MACHINE_COLUMNS: readonly SheetColumn<MachineRow>[] = [
  { header: 'Subscription', width: 38, value: (m) => m.subscriptionId },
  { header: 'Resource group', width: 24, value: (m) => m.resourceGroup },
  { header: 'Machine', width: 28, value: (m) => m.name },
  { header: 'OS', width: 34, value: (m) => m.os },
  { header: 'Program', width: 10, value: (m) => m.programId },
  { header: 'Host type', width: 12, value: (m) => m.hostType },
  { header: 'Cores', width: 8, value: (m) => m.cores },
  { header: 'Agent', width: 18, value: (m) => m.agentVersion },
  { header: 'Agent advisories', width: 40, value: (m) => m.advisories },
  { header: 'License', width: 36, value: (m) => m.license },
  { header: 'License state', width: 16, value: (m) => m.licenseState },
  { header: 'Connectivity', width: 14, value: (m) => m.connectivity },
  { header: 'Last status change', width: 18, value: (m) => m.lastStatusChange },
  { header: 'Last patch assessment', width: 18, value: (m) => m.lastPatchAssessment },
  { header: 'Open findings', width: 10, value: (m) => m.openFindings },
  { header: 'Resource id', width: 60, value: (m) => m.resourceId },
];

export const PLAN_COLUMNS: readonly SheetColumn<PlanLicenseRow>[] = [
  { header: 'Action', width: 14, value: (r) => r.action },
  { header: 'License', width: 40, value: (r) => r.name },
  { header: 'Program', width: 10, value: (r) => r.programId },
  { header: 'Edition', width: 12, value: (r) => r.edition },
  { header: 'Core type', width: 10, value: (r) => r.coreType },
  { header: 'State', width: 12, value: (r) => r.state },
  { header: 'Cores now', width: 10, value: (r) => r.processors },
  { header: 'Cores after', width: 10, value: (r) => r.processorsAfter },
  { header: 'Cores used', width: 10, value: (r) => r.coresUsed },
  { header: 'Cores planned', width: 10, value: (r) => r.coresPlanned },
  { header: 'Machines linked', width: 10, value: (r) => r.machinesLinked },
  { header: 'Machines to link', width: 10, value: (r) => r.machinesPlanned },
  { header: 'Subscription', width: 38, value: (r) => r.subscriptionId },
  { header: 'Resource group', width: 24, value: (r) => r.resourceGroup },
  { header: 'Location', width: 14, value: (r) => r.location },
  { header: 'Note', width: 60, value: (r) => r.note },
  { header: 'Link', width: 16, value: (r) => (r.proposed ? undefined : { text: 'Azure portal', hyperlink: portalLink(r.licenseId) }) },
];

interface SummaryLine { readonly item: string; readonly value: CellValue }

/** One part of the workbook: a sheet (or several, split at the row limit) of rows under columns. */
interface Part {
  readonly name: string;
  readonly columns: readonly SheetColumn<unknown>[];
  readonly rows: Iterable<unknown>;
  readonly count: number;
}
const part = <T>(name: string, columns: readonly SheetColumn<T>[], rows: Iterable<T>, count: number): Part => ({ name, columns: columns as unknown as readonly SheetColumn<unknown>[], rows, count });
const listPart = <T>(name: string, columns: readonly SheetColumn<T>[], rows: readonly T[]): Part => part(name, columns, rows, rows.length);

function partsOf(data: ExportSource): Part[] {
  const plan = data.plan;
  const programs = data.programs.map((program) => ({ program, plan: plan?.programs.find((line) => line.programId === program.id) }));
  return [
    listPart('Summary', [
      { header: 'Program', width: 34, value: (p) => p.program.id },
      { header: 'Name', width: 32, value: (p) => p.program.name },
      { header: 'Phase', width: 10, value: (p) => p.program.phase },
      { header: 'End of support', width: 14, value: (p) => day(p.program.endOfSupport), format: DAY_FORMAT },
      { header: 'ESU end', width: 14, value: (p) => day(p.program.esuEnd), format: DAY_FORMAT },
      { header: 'Days left', width: 10, value: (p) => p.program.daysToEndOfSupport },
      { header: 'Machines', width: 10, value: (p) => p.program.machines },
      { header: 'Passed', width: 10, value: (p) => p.program.counts.Passed },
      { header: 'Warnings', width: 10, value: (p) => p.program.counts.PassedWithWarning },
      { header: 'Failed', width: 10, value: (p) => p.program.counts.Failed },
      { header: 'Errors', width: 10, value: (p) => p.program.counts.Error },
      { header: 'Cores billed per month now', width: 14, value: (p) => p.plan?.coresBilledNow },
      { header: 'Cores billed per month after the plan', width: 14, value: (p) => p.plan?.coresBilledAfter },
    ], programs),
    listPart('Plan', PLAN_COLUMNS, plan?.licenses ?? []),
    listPart('Plan core-months', [
      { header: 'Program', width: 10, value: (l) => l.programId },
      { header: 'Edition', width: 12, value: (l) => l.edition },
      { header: 'Core type', width: 12, value: (l) => l.coreType },
      { header: 'Cores billed now', width: 12, value: (l) => l.coresNow },
      { header: 'Cores billed after', width: 12, value: (l) => l.coresAfter },
      { header: 'Cores back-billed', width: 12, value: (l) => l.coresBackBilled },
      { header: 'Months back-billed', width: 12, value: (l) => l.backBilledMonths },
      { header: `Price per core-month${plan?.money ? ` (${plan.money.currency})` : ''}`, width: 14, value: (l) => l.price },
    ], plan?.coreMonths ?? []),
    part('Findings', FINDING_COLUMNS, data.findings, data.findingCount),
    part('Jobs', JOB_COLUMNS, data.jobs, data.jobCount),
    part('Machines', MACHINE_COLUMNS, data.machines, data.machineCount),
  ];
}

function summaryLines(data: ExportSource, parts: readonly Part[], rowLimit: number): SummaryLine[] {
  const plan = data.plan;
  return [
    { item: 'Scan', value: data.scanId },
    { item: 'Started', value: data.startedAt },
    { item: 'Finished', value: data.finishedAt },
    { item: 'Evaluated as of', value: data.evaluatedAsOf },
    { item: 'Source', value: data.source === 'scan' ? 'the scan just run (every machine evaluated)' : 'the stored results of the last scan (machines with a non-passing finding only; jobs still in the outbox only)' },
    { item: 'Subscriptions requested', value: data.subscriptionsRequested },
    { item: 'Subscriptions scanned', value: data.subscriptionsScanned },
    ...data.reads.map((read): SummaryLine => ({ item: `Not read: ${read.subscriptionId}`, value: `${read.status}${read.reasons.length > 0 ? `: ${read.reasons.join(' ')}` : ''}` })),
    { item: 'License plan', value: plan ? `as of ${plan.asOf.slice(0, 10)}${plan.complete ? '' : ' (partial: a subscription or license could not be read)'}; ${plan.unplannedMachines} machine(s) could not be placed` : 'none stored (the tenant phase did not run or failed): see the link-license and create-license jobs' },
    ...(plan?.money
      ? [
          { item: `Money per month now (${plan.money.currency})`, value: plan.money.monthlyNow },
          { item: `Money per month after the plan (${plan.money.currency})`, value: plan.money.monthlyAfter },
          { item: `Back-billing once (${plan.money.currency})`, value: plan.money.backBilling },
          ...(plan.money.unpriced.length > 0 ? [{ item: 'No price set for', value: plan.money.unpriced.join(', ') }] : []),
        ]
      : [{ item: 'Money', value: 'prices are not configured (ESU_PRICES): cores and core-months only' }]),
    ...parts.map((item) => ({ name: item.name, sheets: splitRows(item.name, item.count, rowLimit) })).filter(({ sheets }) => sheets.length > 1)
      .map(({ name, sheets }) => ({ item: `${name} split over`, value: sheets.map((sheet) => sheet.name).join(', ') })),
  ];
}

function styleValueCell(cell: ExcelJS.Cell, value: CellValue, format = DATE_FORMAT): void {
  if (value instanceof Date) cell.numFmt = format;
  // Written as a string already (never a formula); the text format keeps it text when someone edits the cell.
  else if (typeof value === 'string' && FORMULA_START.test(value)) cell.numFmt = '@';
}

/** Rows written between two waits for the zip to take them. */
const ROWS_PER_FLUSH = 500;
/** 64 KB buffers a sheet may hold that the zip has not taken yet. */
const SHEET_BUFFERS_AHEAD = 4;

/**
 * exceljs's sheet buffer (`StreamBuf`) takes every row at once and never says "wait": rows made faster than
 * the zip deflates them pile up in the zip's input (116 MB after 150,000 rows, measured). So the writer waits while
 * the sheet holds more than a few buffers the zip has not taken, or while the zip holds more than 1 MB of it.
 */
interface SheetStream {
  readonly stream?: { readonly buffers?: readonly unknown[]; readonly pipes?: readonly ZipEntryInput[] };
}
/** The zip's input for the sheet: a `readable-stream` PassThrough, whose buffered length is in its state. */
interface ZipEntryInput {
  readonly writableLength?: number;
  readonly _writableState?: { readonly length?: number };
}
const buffered = (pipe: ZipEntryInput): number => pipe.writableLength ?? pipe._writableState?.length ?? 0;
/** Bytes of a sheet the zip may hold before the writer waits. */
const ZIP_BYTES_AHEAD = 1 << 20;
async function drained(sheet: ExcelJS.Worksheet, failure: () => unknown): Promise<void> {
  const stream = (sheet as unknown as SheetStream).stream;
  const behind = (): boolean => (stream?.buffers?.length ?? 0) > SHEET_BUFFERS_AHEAD
    || (stream?.pipes ?? []).some((pipe) => buffered(pipe) > ZIP_BYTES_AHEAD);
  await new Promise((resolve) => setImmediate(resolve));
  while (behind()) {
    // A file that cannot be written (disk full) stops the zip: the wait ends with its error.
    if (failure() !== undefined) throw failure();
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
}

/**
 * Writes the workbook row by row with exceljs's streaming writer (memory bounded by a sheet's buffer, not by
 * the estate): each sheet an Excel table (filter buttons, banded rows) with a frozen header and set widths, split
 * over numbered sheets at `rowLimit` rows.
 */
export async function writeWorkbookFrom(data: ExportSource, file: string, options: WorkbookOptions = {}): Promise<void> {
  const rowLimit = options.rowLimit ?? EXCEL_MAX_ROWS;
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useStyles: true, useSharedStrings: false });
  let failed: unknown;
  const failure = new Promise<never>((_resolve, reject) => {
    for (const emitter of [(workbook as unknown as { stream: NodeJS.EventEmitter }).stream, (workbook as unknown as { zip: NodeJS.EventEmitter }).zip]) {
      emitter.on('error', (error: unknown) => { failed ??= error; reject(error instanceof Error ? error : new Error(String(error))); });
    }
  });
  failure.catch(() => undefined);
  workbook.creator = 'esu-scan';
  workbook.created = data.startedAt;
  const tables = new StreamedTables(workbook);
  const parts = partsOf(data);
  for (const item of parts) {
    const pieces = splitRows(item.name, item.count, rowLimit);
    const rows = item.rows[Symbol.iterator]();
    for (const piece of pieces) {
      const sheet = workbook.addWorksheet(piece.name, { views: [{ state: 'frozen', ySplit: 1 }] });
      sheet.columns = item.columns.map((column) => ({ width: column.width }));
      const header = sheet.addRow(item.columns.map((column) => column.header));
      header.font = { bold: true };
      header.commit();
      let written = 0;
      while (written < piece.to - piece.from) {
        const next = rows.next();
        if (next.done) break;
        const values = item.columns.map((column) => column.value(next.value));
        const row = sheet.addRow(values.map(fitCell));
        values.forEach((value, column) => styleValueCell(row.getCell(column + 1), value, item.columns[column]?.format));
        row.commit();
        written += 1;
        if (written % ROWS_PER_FLUSH === 0) await drained(sheet, () => failed);
      }
      const lastColumn = sheet.getColumn(item.columns.length).letter;
      // Excel rejects a table without a data row: the header alone keeps its filter buttons.
      if (written === 0) sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: item.columns.length } };
      else tables.add(sheet, piece.name.replace(/[^A-Za-z0-9]/g, '_'), `A1:${lastColumn}${written + 1}`, item.columns.map((column) => column.header));
      if (item.name === 'Summary' && piece.from === 0) {
        sheet.addRow([]).commit();
        for (const line of summaryLines(data, parts, rowLimit)) {
          const row = sheet.addRow([line.item, fitCell(line.value)]);
          row.getCell(1).font = { bold: true };
          styleValueCell(row.getCell(2), line.value);
          row.commit();
        }
      }
      sheet.commit();
    }
    rows.return?.();
  }
  await Promise.race([workbook.commit(), failure]);
}

/** The workbook of data in memory (a scan just run, a test's). */
export function writeWorkbook(data: ExportData, file: string, options: WorkbookOptions = {}): Promise<void> {
  return writeWorkbookFrom(sourceOf(data), file, options);
}
