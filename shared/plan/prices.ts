import { z } from 'zod';
import type { PriceList } from '../domain/licensePlan.js';
import { parseJsonSetting } from '../config/jsonSetting.js';

/** `<program> <edition> <core type>`: the price keys the plan asks for. */
const PRICE_KEY = /^(WS2008|WS2012|WS2016) (Standard|Datacenter) (pCore|vCore)$/;

const priceListSchema = z.strictObject({
  currency: z.string().regex(/^[A-Z]{3}$/, 'an ISO 4217 code such as USD'),
  perCoreMonth: z.record(z.string(), z.number().nonnegative().finite()).superRefine((prices, context) => {
    for (const key of Object.keys(prices)) {
      if (!PRICE_KEY.test(key)) context.addIssue({ code: 'custom', path: [key], message: `"${key}" is no price key: use "<program> <edition> <core type>", e.g. "WS2016 Standard vCore"` });
    }
  }),
});

/** Parses `ESU_PRICES` (JSON); undefined when unset; throws a readable error on a bad value. */
export function parsePriceList(text: string | undefined): PriceList | undefined {
  return parseJsonSetting('ESU_PRICES', text, priceListSchema, '{"currency":"USD","perCoreMonth":{"WS2016 Standard vCore":10}}');
}
