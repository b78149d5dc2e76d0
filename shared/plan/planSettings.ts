import type { PriceList } from '../domain/licensePlan.js';
import type { ProgramCatalogue } from '../programs/program.js';

/**
 * The settings the plan reads: the rules' minimums and limits (the same fields as the rules' `RuleSettings`,
 * which passes as it is) and the operator's prices.
 */
export interface PlanSettings {
  readonly programs: ProgramCatalogue;
  readonly pCoreMinimum: number;
  readonly vCoreMinimum: number;
  readonly maximumLicenseCores: number;
  readonly maximumLicensesPerResourceGroup: number;
  readonly prices?: PriceList;
}
