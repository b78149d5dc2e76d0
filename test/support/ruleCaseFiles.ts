/**
 * Every rule's cases, loaded by convention: test/rules/cases/<ruleId>.cases.ts exports `CASES`, all of them for
 * that one rule. A new rule's file is found without being listed anywhere.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RuleCase } from './ruleHarness.js';

const SUFFIX = '.cases.js';

export interface RuleCaseFile {
  /** The rule the file is named after. */
  readonly ruleId: string;
  readonly file: string;
  readonly cases: readonly RuleCase[];
}

export const RULE_CASES_FOLDER = fileURLToPath(new URL('../rules/cases/', import.meta.url));

export async function loadRuleCaseFiles(): Promise<RuleCaseFile[]> {
  const files = readdirSync(RULE_CASES_FOLDER).filter((name) => name.endsWith(SUFFIX)).sort();
  return Promise.all(files.map(async (file) => {
    const module = (await import(new URL(`../rules/cases/${file}`, import.meta.url).href)) as { CASES?: readonly RuleCase[] };
    return { ruleId: file.slice(0, -SUFFIX.length), file: join('test', 'rules', 'cases', file.replace(/\.js$/, '.ts')), cases: module.CASES ?? [] };
  }));
}
