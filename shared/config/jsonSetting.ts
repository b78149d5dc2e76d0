import { z } from 'zod';

/**
 * A setting whose value is JSON of a known shape: undefined when unset or blank, the parsed value when valid,
 * otherwise an error that names the setting, shows an example and says what is wrong.
 */
export function parseJsonSetting<T>(name: string, text: string | undefined, schema: z.ZodType<T>, example: string): T | undefined {
  if (text === undefined || text.trim() === '') return undefined;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new Error(`${name} is not JSON: expected e.g. ${example}`);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) throw new Error(`${name} is invalid: ${z.prettifyError(parsed.error).replace(/\n/g, ' ')}`);
  return parsed.data;
}
