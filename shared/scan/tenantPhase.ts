import { DEFAULT_RULE_SETTINGS, type EvaluationContext, type RuleSettings } from '../rules/context.js';
import { RULES, type RuleCatalog } from '../rules/catalog.js';
import { evaluateRules, type Evaluation } from './evaluate.js';
import { FindingSink, type FindingSinkDependencies } from './findingSink.js';
import type { LicenseLedger } from './licenseLedger.js';
import type { ResultCounts } from './summary.js';

export interface TenantPhaseDependencies extends FindingSinkDependencies {
  readonly rules?: RuleCatalog;
  readonly settings?: RuleSettings;
  readonly clock?: () => Date;
  /** The time rules evaluate at (`esu-scan scan --as-of`); default: now. */
  readonly evaluationTime?: Date;
}

export interface TenantPhaseResult {
  readonly licenses: number;
  readonly counts: ResultCounts;
  readonly jobs: number;
  readonly messages: number;
  readonly messagesPending: number;
  readonly rowsWritten: number;
}

/**
 * The run's last step: license rules that need every machine of the tenant (capacity, linking,
 * activation), with their own change detection over the rows of those rules. Idempotent: running it
 * twice for a run writes the same rows and decides the same message ids.
 */
export async function evaluateTenantLicenses(scanId: string, ledger: LicenseLedger, deps: TenantPhaseDependencies): Promise<TenantPhaseResult> {
  const now = (deps.clock ?? (() => new Date()))();
  const rules = (deps.rules ?? RULES).tenantLicense;
  const context: EvaluationContext = { now: deps.evaluationTime ?? now, settings: deps.settings ?? DEFAULT_RULE_SETTINGS, licenseWriteBlockers: ledger.licenseWriteBlockers() };
  const stamp = { scanId, evaluatedAt: now.toISOString() };
  const evaluation: Evaluation = { findings: [], jobs: [] };
  const entries = ledger.entries();
  for (const entry of entries) {
    const target = { resourceId: entry.license.id, resourceType: 'Microsoft.HybridCompute/licenses', resourceName: entry.license.name };
    evaluateRules(rules, entry, target, context, stamp, evaluation);
  }
  const sink = await FindingSink.open(deps, { rows: await deps.findings.loadRuleState(rules.map((rule) => rule.id)) }, now);
  await sink.write(evaluation);
  // The ledger holds every license of the run's readable subscriptions: rows of other licenses are gone.
  const relay = await sink.finish(scanId, true);
  return {
    licenses: entries.length,
    counts: sink.counts,
    jobs: sink.stats.jobs,
    messages: sink.stats.messages,
    messagesPending: relay.pending,
    rowsWritten: sink.stats.rowsWritten,
  };
}
