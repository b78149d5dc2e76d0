import { z } from 'zod';
import type { PriceList } from '../domain/licensePlan.js';

/** `<program> <edition> <core type>`: the price keys the plan asks for. */
const priceKey = z.string().regex(/^(WS2008|WS2012|WS2016) (Standard|Datacenter) (pCore|vCore)$/, 'a key such as "WS2016 Standard vCore"');

const priceListSchema = z.strictObject({
  currency: z.string().regex(/^[A-Z]{3}$/, 'an ISO 4217 code such as USD'),
  perCoreMonth: z.record(priceKey, z.number().nonnegative().finite()),
});

/** Parses `ESU_PRICES` (JSON); undefined when unset; throws a readable error on a bad value. */
export function parsePriceList(text: string | undefined): PriceList | undefined {
  if (text === undefined || text.trim() === '') return undefined;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new Error('ESU_PRICES is not JSON: expected e.g. {"currency":"USD","perCoreMonth":{"WS2016 Standard vCore":10}}');
  }
  const parsed = priceListSchema.safeParse(json);
  if (!parsed.success) throw new Error(`ESU_PRICES is invalid: ${z.prettifyError(parsed.error).replace(/\n/g, ' ')}`);
  return parsed.data;
}
