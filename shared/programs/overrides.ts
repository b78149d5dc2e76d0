import { z } from 'zod';
import type { EsuProgram, EsuProgramId, ProgramCatalogue } from './program.js';
import { parseJsonSetting } from '../config/jsonSetting.js';

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date YYYY-MM-DD').refine(isCalendarDay, 'a real date');

function isCalendarDay(value: string): boolean {
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(value);
}
const version = z.string().regex(/^\d+(\.\d+){0,3}$/, 'a version such as 1.62');

/** What a deployment may change of a program without a release: its calendar and thresholds. */
const programOverride = z.strictObject({
  endOfSupport: day.optional(),
  esuStart: day.optional(),
  esuEnd: day.optional(),
  agentMinimum: version.optional(),
  billingStart: day.optional(),
  backBilledTo: day.optional(),
  freeEnvironments: z.array(z.enum(['AzureStackHCI', 'AzureVMwareSolution', 'Azure'])).optional(),
});

const overridesSchema = z.partialRecord(z.enum(['WS2008', 'WS2012', 'WS2016']), programOverride);

export type ProgramOverrides = z.infer<typeof overridesSchema>;

/** Parses `ESU_PROGRAM_OVERRIDES` (JSON, e.g. `{"WS2016":{"esuEnd":"2030-01-08"}}`); throws a readable error. */
export function parseProgramOverrides(text: string | undefined): ProgramOverrides {
  return parseJsonSetting('ESU_PROGRAM_OVERRIDES', text, overridesSchema, '{"WS2016":{"esuEnd":"2030-01-08"}}') ?? {};
}

export function applyProgramOverrides(programs: ProgramCatalogue, overrides: ProgramOverrides): ProgramCatalogue {
  return programs.map((program): EsuProgram => {
    const change = overrides[program.id as EsuProgramId];
    return change ? { ...program, ...change } : program;
  });
}
