import type { LicensePlan, PriceList } from '../domain/licensePlan.js';
import { planLicenses } from '../plan/licensePlan.js';
import { DEFAULT_RULE_SETTINGS, type EvaluationContext, type RuleSettings } from '../rules/context.js';
import { RULES, tenantPhaseRuleIds, type RuleCatalog } from '../rules/catalog.js';
import { evaluateRules, type Evaluation } from './evaluate.js';
import { FindingSink, type FindingSinkDependencies } from './findingSink.js';
import type { LicenseLedger } from './licenseLedger.js';
import type { ResultCounts } from './summary.js';

/** Where the plan is kept for `esu-scan plan` and for people who query it (the plan table). */
export interface PlanSink {
  save(scanId: string, plan: LicensePlan): Promise<void>;
}

export interface TenantPhaseDependencies extends FindingSinkDependencies {
  readonly rules?: RuleCatalog;
  readonly settings?: RuleSettings;
  readonly clock?: () => Date;
  /** The time rules evaluate at (`esu-scan scan --as-of`); default: now. */
  readonly evaluationTime?: Date;
  /** Prices per core per month (`ESU_PRICES`); absent, the plan counts core-months only. */
  readonly prices?: PriceList;
  readonly plans?: PlanSink;
}

export interface TenantPhaseResult {
  readonly licenses: number;
  readonly counts: ResultCounts;
  readonly jobs: number;
  readonly messages: number;
  readonly messagesPending: number;
  readonly rowsWritten: number;
  readonly plan: LicensePlan;
  /** How long computing the plan took (ms), for the log and the benchmark. */
  readonly planMs: number;
}

const MACHINE_TYPE = 'Microsoft.HybridCompute/machines';
const LICENSE_TYPE = 'Microsoft.HybridCompute/licenses';
/** Findings handed to the sink at a time, as a subscription scan hands over a page of machines. */
const PAGE = 1_000;

/**
 * The run's last step, once every subscription is read: license rules that need every machine of the tenant
 * (capacity, linking, activation), then the tenant license plan and its advice (one place per unlinked machine,
 * each license to create or shrink), with their own change detection over the rows of those rules. Idempotent:
 * running it twice for a run writes the same rows and decides the same message ids.
 * `failedSubscriptions`: subscriptions whose scan failed for good, so the plan says what it could not see.
 */
export async function evaluateTenantLicenses(scanId: string, ledger: LicenseLedger, deps: TenantPhaseDependencies, failedSubscriptions: readonly string[] = []): Promise<TenantPhaseResult> {
  const now = (deps.clock ?? (() => new Date()))();
  const rules = deps.rules ?? RULES;
  const settings = deps.settings ?? DEFAULT_RULE_SETTINGS;
  const asOf = deps.evaluationTime ?? now;
  const context: EvaluationContext = { now: asOf, settings, licenseWriteBlockers: ledger.licenseWriteBlockers() };
  const stamp = { scanId, evaluatedAt: now.toISOString() };
  // Change detection needs what the tenant phase stored last time; it loads while the rules and the plan run.
  const sink = FindingSink.open(deps, deps.findings.loadRuleState(tenantPhaseRuleIds(rules)), now);
  const entries = ledger.entries();
  const unread = [...new Set([...ledger.incompleteSubscriptions(), ...failedSubscriptions.map((id) => id.toLowerCase())])];
  const planStarted = performance.now();
  const plan = planLicenses({ licenses: entries, needs: ledger.needs(), unreadSubscriptions: unread }, { ...settings, ...(deps.prices ? { prices: deps.prices } : {}) }, asOf);
  const planMs = performance.now() - planStarted;
  const writer = await sink;
  // Every license of the tenant, the plan's licenses and one advice per unlinked machine (100,000 in a large
  // tenant): evaluated and written a page at a time, never all held.
  let page: Evaluation = { findings: [], jobs: [] };
  const flushWhenFull = async (): Promise<void> => {
    if (page.findings.length < PAGE) return;
    await writer.write(page);
    page = { findings: [], jobs: [] };
  };
  for (const entry of entries) {
    evaluateRules(rules.tenantLicense, entry, { resourceId: entry.license.id, resourceType: LICENSE_TYPE, resourceName: entry.license.name }, context, stamp, page);
    await flushWhenFull();
  }
  for (const row of plan.licenses) {
    evaluateRules(rules.planLicense, row, { resourceId: row.licenseId, resourceType: LICENSE_TYPE, resourceName: row.name }, context, stamp, page);
    await flushWhenFull();
  }
  for (const items of [plan.assignments, plan.unplanned] as const) {
    for (const item of items) {
      evaluateRules(rules.planMachine, item, { resourceId: item.need.machineId, resourceType: MACHINE_TYPE, resourceName: item.need.machineName }, context, stamp, page);
      await flushWhenFull();
    }
  }
  await writer.write(page);
  // Rows of subscriptions not read (failed, killed, lists unreadable) stay: their licenses are not gone, only unseen.
  writer.keepUnread(new Set(unread));
  // The ledger holds every license and unlinked machine of the run's readable subscriptions: other rows are gone.
  const relay = await writer.finish(scanId, true);
  await deps.plans?.save(scanId, plan);
  return {
    licenses: entries.length,
    counts: writer.counts,
    jobs: writer.stats.jobs,
    messages: writer.messageStats.messages,
    messagesPending: relay.pending,
    rowsWritten: writer.stats.rowsWritten,
    plan,
    planMs,
  };
}
