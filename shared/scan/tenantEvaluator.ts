import type { LicensePlan, PriceList } from '../domain/licensePlan.js';
import { planLicenses } from '../plan/licensePlan.js';
import type { EvaluationContext, RuleSettings } from '../rules/context.js';
import type { RuleCatalog } from '../rules/catalog.js';
import { evaluateRules, type Evaluation, type ScanStamp } from './evaluate.js';
import type { LicenseLedger, LicenseLedgerEntry } from '../plan/licenseLedger.js';
import type { ScanTime } from './scanPorts.js';
import type { MachineNeed } from '../domain/licenseNeed.js';
import type { PolicyAssignment } from '../domain/policyAssignment.js';

const MACHINE_TYPE = 'Microsoft.HybridCompute/machines';
const LICENSE_TYPE = 'Microsoft.HybridCompute/licenses';

export interface TenantEvaluationInput {
  readonly scanId: string;
  /** Every license of the run's readable subscriptions with what links to it, and every unlinked machine (see tenantEvaluationInput). */
  readonly entries: readonly LicenseLedgerEntry[];
  readonly needs: readonly MachineNeed[];
  readonly licenseWriteBlockers: readonly PolicyAssignment[];
  /** `asOf`: the time rules and the plan evaluate at, stored as each finding's `evaluatedAt`; `startedAt`: jobs' `createdAt`. */
  readonly time: ScanTime;
  readonly settings: RuleSettings;
  readonly rules: RuleCatalog;
  readonly prices?: PriceList;
  /** Subscriptions not read (failed, lists unreadable): the plan says what it could not see. */
  readonly unreadSubscriptions: readonly string[];
}

/** The run's merged ledger, read once: its entries are built on each call. */
export function tenantEvaluationInput(ledger: LicenseLedger, rest: Omit<TenantEvaluationInput, 'entries' | 'needs' | 'licenseWriteBlockers'>): TenantEvaluationInput {
  return { ...rest, entries: ledger.entries(), needs: ledger.needs(), licenseWriteBlockers: ledger.licenseWriteBlockers() };
}

/** The tenant license plan over the run's merged ledger. Pure: no I/O, no clock. */
export function tenantLicensePlan(input: TenantEvaluationInput): LicensePlan {
  const { settings, prices } = input;
  return planLicenses({ licenses: input.entries, needs: input.needs, unreadSubscriptions: input.unreadSubscriptions }, { ...settings, ...(prices ? { prices } : {}) }, input.time.asOf);
}

/**
 * The tenant phase's pure core: license rules that need every machine of the tenant (capacity, linking,
 * activation), then the plan's advice (each license to create or shrink, one place per unlinked machine), as
 * evaluations of at most `pageSize` findings, produced as they are taken: 100,000 unlinked machines are never all held.
 */
export function* tenantEvaluations(input: TenantEvaluationInput, plan: LicensePlan, pageSize: number): Generator<Evaluation> {
  const { rules } = input;
  const context: EvaluationContext = { now: input.time.asOf, settings: input.settings, licenseWriteBlockers: input.licenseWriteBlockers };
  const stamp: ScanStamp = { scanId: input.scanId, evaluatedAt: input.time.asOf.toISOString(), createdAt: input.time.startedAt.toISOString() };
  let page: Evaluation = { findings: [], jobs: [] };
  function* whenFull(): Generator<Evaluation> {
    if (page.findings.length < pageSize) return;
    yield page;
    page = { findings: [], jobs: [] };
  }
  for (const entry of input.entries) {
    evaluateRules(rules.tenantLicense, entry, { resourceId: entry.license.id, resourceType: LICENSE_TYPE, resourceName: entry.license.name }, context, stamp, page);
    yield* whenFull();
  }
  for (const row of plan.licenses) {
    evaluateRules(rules.planLicense, row, { resourceId: row.licenseId, resourceType: LICENSE_TYPE, resourceName: row.name }, context, stamp, page);
    yield* whenFull();
  }
  for (const items of [plan.assignments, plan.unplanned] as const) {
    for (const item of items) {
      evaluateRules(rules.planMachine, item, { resourceId: item.need.machineId, resourceType: MACHINE_TYPE, resourceName: item.need.machineName }, context, stamp, page);
      yield* whenFull();
    }
  }
  yield page;
}
