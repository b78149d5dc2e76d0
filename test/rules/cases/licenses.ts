import type { RuleCase } from '../../support/ruleHarness.js';

export const LICENSES_CASES: readonly RuleCase[] = [];
