import { programById, type ProgramCatalogue } from '../programs/program.js';
import { stateOf } from './licenseFacts.js';
import type { CoreMonthLine, PlanLicenseRow, PlanMoney, PriceList } from '../domain/licensePlan.js';

/**
 * Cores billed per month per program, edition and core type, now and after the plan, and the cores created after
 * end of support that are back-billed once. Back-billing covers the whole calendar months from the program's
 * back-billing date up to the month of provisioning (billing page: provisioned in December, back-billed for October
 * and November); the provisioning month is billed as usual.
 */
export function coreMonthsOf(rows: readonly PlanLicenseRow[], programs: ProgramCatalogue, asOf: Date, prices: PriceList | undefined): CoreMonthLine[] {
  const lines = new Map<string, { -readonly [K in keyof CoreMonthLine]: CoreMonthLine[K] }>();
  for (const row of rows) {
    if (!row.programId || !row.edition) continue;
    const billedNow = stateOf(row.state) === 'Activated';
    if (!billedNow && !row.proposed) continue;
    const program = programById(programs, row.programId);
    const coreType = row.coreType ?? 'not chosen';
    const key = `${row.programId} ${row.edition} ${coreType}`;
    let line = lines.get(key);
    if (!line) {
      const price = prices ? priceOf(prices, key, row.edition, row.programId) : undefined;
      line = { programId: row.programId, edition: row.edition, coreType, coresNow: 0, coresAfter: 0, coresBackBilled: 0, backBilledMonths: backBilledMonths(program?.backBilledTo, asOf), ...(price !== undefined ? { price } : {}) };
      lines.set(key, line);
    }
    if (billedNow) line.coresNow += row.processors;
    line.coresAfter += row.processorsAfter;
    // New cores (a new license, or an increase) after end of support are back-billed (billing page, "Core modification").
    if (line.backBilledMonths > 0 || isAfter(asOf, program?.backBilledTo)) line.coresBackBilled += Math.max(0, row.processorsAfter - row.processors);
  }
  return [...lines.values()].sort((a, b) => `${a.programId} ${a.edition} ${a.coreType}`.localeCompare(`${b.programId} ${b.edition} ${b.coreType}`));
}

function priceOf(prices: PriceList, key: string, edition: string, programId: string): number | undefined {
  const own = prices.perCoreMonth[key];
  if (own !== undefined) return own;
  return edition === 'Datacenter' ? prices.perCoreMonth[`${programId} Datacenter pCore`] : undefined;
}

/** Whole calendar months from the back-billing date's month up to (not including) the month of `asOf`. */
export function backBilledMonths(backBilledTo: string | undefined, asOf: Date): number {
  if (!backBilledTo) return 0;
  const from = new Date(`${backBilledTo}T00:00:00Z`);
  if (Number.isNaN(from.getTime()) || asOf.getTime() < from.getTime()) return 0;
  return (asOf.getUTCFullYear() - from.getUTCFullYear()) * 12 + asOf.getUTCMonth() - from.getUTCMonth();
}

function isAfter(asOf: Date, day: string | undefined): boolean {
  return day !== undefined && asOf.getTime() >= Date.parse(`${day}T00:00:00Z`);
}

/** Money per month now and after, and the one-time back-billing; lines without a price are left out (and say so). */
export function moneyOf(lines: readonly CoreMonthLine[], prices: PriceList): PlanMoney & { readonly unpriced: readonly string[] } {
  let monthlyNow = 0;
  let monthlyAfter = 0;
  let backBilling = 0;
  const unpriced: string[] = [];
  for (const line of lines) {
    if (line.price === undefined) {
      if (line.coresNow > 0 || line.coresAfter > 0) unpriced.push(`${line.programId} ${line.edition} ${line.coreType}`);
      continue;
    }
    monthlyNow += line.coresNow * line.price;
    monthlyAfter += line.coresAfter * line.price;
    backBilling += line.coresBackBilled * line.backBilledMonths * line.price;
  }
  return { currency: prices.currency, monthlyNow: round(monthlyNow), monthlyAfter: round(monthlyAfter), backBilling: round(backBilling), unpriced };
}

const round = (value: number): number => Math.round(value * 100) / 100;
