import { InvalidArgumentError, Option } from 'commander';

export function positiveInteger(value: string): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1) throw new InvalidArgumentError('must be a positive whole number');
  return number;
}

/** A calendar day `YYYY-MM-DD`, as midnight UTC at its start (the time ESU phases change). */
export function calendarDay(value: string): Date {
  const date = /^\d{4}-\d{2}-\d{2}$/.test(value) ? new Date(`${value}T00:00:00Z`) : new Date(Number.NaN);
  if (Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== value) throw new InvalidArgumentError('must be a date YYYY-MM-DD');
  return date;
}

export const formatOption = (): Option => new Option('--format <format>', 'output format').choices(['table', 'json', 'csv']).default('table');
