import { stringify } from 'csv-stringify/sync';
import { terminalSafe } from './terminalText.js';

export type OutputFormat = 'table' | 'json' | 'csv';

export interface Column<T> {
  readonly header: string;
  readonly value: (row: T) => string | number;
  /** Longest text shown in table format; csv and json are never cut. */
  readonly width?: number;
}

/** Rows for the terminal, in any format: text from ARM or storage never carries control characters to it (see terminalSafe). */
export function formatRows<T>(rows: readonly T[], columns: readonly Column<T>[], format: OutputFormat): string {
  return terminalSafe(formatted(rows, columns, format));
}

function formatted<T>(rows: readonly T[], columns: readonly Column<T>[], format: OutputFormat): string {
  if (format === 'json') return JSON.stringify(rows, null, 2);
  if (format === 'csv') {
    return stringify([columns.map((c) => c.header), ...rows.map((row) => columns.map((c) => String(c.value(row))))]);
  }
  const cells = rows.map((row) => columns.map((c) => truncate(String(c.value(row)), c.width)));
  const widths = columns.map((c, i) => Math.max(c.header.length, ...cells.map((line) => (line[i] ?? '').length)));
  const render = (line: readonly string[]): string => line.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join('  ').trimEnd();
  return [render(columns.map((c) => c.header)), render(widths.map((w) => '-'.repeat(w))), ...cells.map(render)].join('\n');
}

function truncate(text: string, width: number | undefined): string {
  return width !== undefined && text.length > width ? `${text.slice(0, width - 1)}…` : text;
}
