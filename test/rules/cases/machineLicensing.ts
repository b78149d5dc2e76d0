import type { RuleCase } from '../../support/ruleHarness.js';

export const MACHINE_LICENSING_CASES: readonly RuleCase[] = [];
