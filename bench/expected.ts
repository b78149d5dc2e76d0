import type { SyntheticEstate } from '../local/syntheticEstate.js';
import type { ResourceGraphAnswer } from '../shared/scan/armPorts.js';
import { parseAssessmentRow, type AssessmentRow } from '../shared/domain/patchEvidence.js';
import { RULES } from '../shared/rules/catalog.js';
import { DEFAULT_RULE_SETTINGS } from '../shared/rules/context.js';
import type { Evaluation } from '../shared/scan/evaluate.js';
import { LicenseLedger } from '../shared/plan/licenseLedger.js';
import { scanTimeOf } from '../shared/scan/scanPorts.js';
import { SubscriptionEvaluator } from '../shared/scan/subscriptionEvaluator.js';
import { tenantEvaluationInput, tenantEvaluations, tenantLicensePlan } from '../shared/scan/tenantEvaluator.js';

export interface ExpectedTotals {
  /** Every finding a scan produces (what the scan counts). */
  readonly findings: number;
  /** The non-passing ones: the rows the findings table must hold after a scan. */
  readonly rows: number;
  readonly byRule: Record<string, number>;
}

/** Machines handed to the evaluator at a time, as ARM pages them. */
const MACHINE_PAGE = 1_000;
const TENANT_PAGE = 1_000;

/** A Resource Graph answer of rows that all read well, as the stand-in serves the generator's rows. */
function answerOf<T>(rows: readonly T[]): ResourceGraphAnswer<T> {
  return { rowsOf: () => rows, takeRowsOf: () => rows, problemsOf: () => [] };
}

/**
 * The oracle: the scan's own pure core (SubscriptionEvaluator, then the tenant evaluator) straight over the
 * generator's payloads, with no ARM, paging, retries, storage or messaging in between. A scan that loses or
 * duplicates anything on its way to storage disagrees with it.
 */
export function expectedTotals(estate: SyntheticEstate, asOf = new Date()): ExpectedTotals {
  const scanId = 'scan-expected';
  const time = scanTimeOf(asOf);
  const byRule: Record<string, number> = {};
  let findings = 0;
  const count = (evaluation: Evaluation): void => {
    for (const finding of evaluation.findings) {
      findings += 1;
      if (finding.result !== 'Passed') byRule[finding.ruleId] = (byRule[finding.ruleId] ?? 0) + 1;
    }
  };
  const tenantLedger = new LicenseLedger();
  for (const [s, subscriptionId] of estate.subscriptionIds.entries()) {
    const evaluator = new SubscriptionEvaluator({ scanId, subscriptionId, time, settings: DEFAULT_RULE_SETTINGS, rules: RULES });
    // The synthetic tenant has no policy and no guest configuration assignments; its assessments are generated rows.
    count(evaluator.policyAssignments({ ok: true, value: [] }));
    count(evaluator.licenses(estate.licenses(subscriptionId)));
    const assessments: AssessmentRow[] = [];
    for (let k = 0; k < estate.patchAssessmentRowCount(s); k += 1) {
      const row = parseAssessmentRow(estate.patchAssessmentRow(s, k));
      if (row.ok) assessments.push(row.value);
    }
    count(evaluator.patchEvidence({ ok: true, value: answerOf([]) }, { ok: true, value: answerOf(assessments) }));
    const machines = estate.machineCount(subscriptionId);
    for (let first = 0; first < machines; first += MACHINE_PAGE) {
      const page: unknown[] = [];
      for (let i = first; i < Math.min(machines, first + MACHINE_PAGE); i += 1) page.push(estate.machine(s, i));
      count(evaluator.machines(page));
    }
    for (const evaluation of evaluator.providersAndSubscription({ ok: true, value: estate.providersBody(subscriptionId).value })) count(evaluation);
    tenantLedger.merge(evaluator.finalLedger());
  }
  const input = tenantEvaluationInput(tenantLedger, { scanId, time, settings: DEFAULT_RULE_SETTINGS, rules: RULES, unreadSubscriptions: [] });
  for (const evaluation of tenantEvaluations(input, tenantLicensePlan(input), TENANT_PAGE)) count(evaluation);
  return { findings, rows: Object.values(byRule).reduce((a, b) => a + b, 0), byRule };
}
