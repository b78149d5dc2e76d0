import type { RuleCase } from '../../support/ruleHarness.js';

export const MACHINE_OPERATIONS_CASES: readonly RuleCase[] = [];
