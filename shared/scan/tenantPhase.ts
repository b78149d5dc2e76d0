import type { LicensePlan } from '../domain/licensePlan.js';
import { DEFAULT_RULE_SETTINGS } from '../rules/context.js';
import { RULES, tenantPhaseRuleIds } from '../rules/catalog.js';
import { FindingSink } from './findingSink.js';
import type { LicenseLedger } from '../plan/licenseLedger.js';
import type { RunPorts, ScanTime } from './scanPorts.js';
import type { ResultCounts } from '../domain/scanSummary.js';
import { tenantEvaluationInput, tenantEvaluations, tenantLicensePlan } from './tenantEvaluator.js';

export type TenantPhasePorts = Pick<RunPorts, 'findings' | 'outbox' | 'suppressions' | 'publisher' | 'alertPolicy' | 'observer' | 'rules' | 'settings' | 'prices' | 'plans'>;

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

/**
 * Findings handed to the sink at a time, as a subscription scan hands over a page of machines. A page waits while
 * the sink writes, so whatever it holds outlives young collections: 250, not 1,000, took the rescan of 500 x 200
 * all-WS2016 machines from 519 to 459 MB of peak RSS (docs/license-plan.md). Rows still go 100 to a transaction.
 */
const PAGE = 250;

/**
 * The run's last step, once every subscription is read: the tenant evaluator's findings (see tenantEvaluations)
 * with their own change detection over the rows of those rules, then the plan kept for `esu-scan plan`.
 * Idempotent: running it twice for a run writes the same rows and decides the same message ids.
 * `failedSubscriptions`: subscriptions whose scan failed for good, so the plan says what it could not see.
 */
export async function runTenantPhase(scanId: string, ledger: LicenseLedger, ports: TenantPhasePorts, time: ScanTime, failedSubscriptions: readonly string[] = []): Promise<TenantPhaseResult> {
  const rules = ports.rules ?? RULES;
  // Change detection needs what the tenant phase stored last time; it loads while the rules and the plan run.
  const sink = FindingSink.open(ports, ports.findings.loadRuleState(tenantPhaseRuleIds(rules)), time.startedAt);
  const unread = [...new Set([...ledger.incompleteSubscriptions(), ...failedSubscriptions.map((id) => id.toLowerCase())])];
  const input = tenantEvaluationInput(ledger, { scanId, time, settings: ports.settings ?? DEFAULT_RULE_SETTINGS, rules, unreadSubscriptions: unread, ...(ports.prices ? { prices: ports.prices } : {}) });
  const planStarted = performance.now();
  const plan = tenantLicensePlan(input);
  const planMs = performance.now() - planStarted;
  const writer = await sink;
  for (const page of tenantEvaluations(input, plan, PAGE)) await writer.write(page);
  // Rows of subscriptions not read (failed, killed, lists unreadable) stay: their licenses are not gone, only unseen.
  writer.keepUnread(new Set(unread));
  // The ledger holds every license and unlinked machine of the run's readable subscriptions: other rows are gone.
  const relay = await writer.finish(scanId, true);
  await ports.plans?.save(scanId, plan);
  return {
    licenses: input.entries.length,
    counts: writer.counts,
    jobs: writer.stats.jobs,
    messages: writer.messageStats.messages,
    messagesPending: relay.pending,
    rowsWritten: writer.stats.rowsWritten,
    plan,
    planMs,
  };
}
