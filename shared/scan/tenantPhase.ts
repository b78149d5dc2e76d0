import type { Finding, RemediationJob } from '../domain/findings.js';
import type { JobSink } from '../adapters/jobSink.js';
import type { FindingStore } from '../adapters/tables/findingStore.js';
import { DEFAULT_RULE_SETTINGS, type EvaluationContext, type RuleSettings } from '../rules/context.js';
import { RULES, type RuleCatalog } from '../rules/catalog.js';
import { evaluateRules, type Evaluation } from './evaluate.js';
import type { LicenseLedger } from './licenseLedger.js';
import { countFindings, emptyCounts, type ResultCounts } from './summary.js';
import type { ScanObserver } from './scanSubscription.js';

export interface TenantPhaseDependencies {
  readonly findings: FindingStore;
  readonly jobs: JobSink;
  readonly rules?: RuleCatalog;
  readonly settings?: RuleSettings;
  readonly clock?: () => Date;
  readonly observer?: ScanObserver;
}

export interface TenantPhaseResult {
  readonly licenses: number;
  readonly counts: ResultCounts;
  readonly jobs: number;
  readonly jobsKept: number;
  readonly rowsWritten: number;
}

/**
 * The run's last step: license rules that need every machine of the tenant (capacity, linking,
 * activation). Idempotent: running it twice for a run writes the same rows and job ids.
 */
export async function evaluateTenantLicenses(scanId: string, ledger: LicenseLedger, deps: TenantPhaseDependencies): Promise<TenantPhaseResult> {
  const now = (deps.clock ?? (() => new Date()))();
  const context: EvaluationContext = { now, settings: deps.settings ?? DEFAULT_RULE_SETTINGS };
  const stamp = { scanId, evaluatedAt: now.toISOString() };
  const evaluation: Evaluation = { findings: [], jobs: [] };
  const entries = ledger.entries();
  for (const entry of entries) {
    const target = { resourceId: entry.license.id, resourceType: 'Microsoft.HybridCompute/licenses', resourceName: entry.license.name };
    evaluateRules((deps.rules ?? RULES).tenantLicense, entry, target, context, stamp, evaluation);
  }
  return { licenses: entries.length, ...(await store(evaluation.findings, evaluation.jobs, deps)) };
}

async function store(findings: Finding[], jobs: RemediationJob[], deps: TenantPhaseDependencies) {
  deps.observer?.onFindings?.(findings);
  deps.observer?.onJobs?.(jobs);
  const rowsWritten = findings.length > 0 ? await deps.findings.upsert(findings) : 0;
  const delivery = jobs.length > 0 ? await deps.jobs.deliver(jobs) : { kept: 0 };
  return { counts: countFindings(findings, emptyCounts()), jobs: jobs.length, jobsKept: delivery.kept, rowsWritten };
}
