import { InvalidArgumentError, Option } from 'commander';

export function positiveInteger(value: string): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1) throw new InvalidArgumentError('must be a positive whole number');
  return number;
}

export const formatOption = (): Option => new Option('--format <format>', 'output format').choices(['table', 'json', 'csv']).default('table');
