import { LicenseIndex } from '../shared/domain/licenseLink.js';
import { parseLicense } from '../shared/domain/license.js';
import { parseMachine } from '../shared/domain/machine.js';
import { toMachineSubject } from '../shared/rules/machineSubject.js';
import { parseProvider } from '../shared/domain/provider.js';
import type { SyntheticEstate } from '../local/syntheticEstate.js';
import { RULES } from '../shared/rules/catalog.js';
import { DEFAULT_RULE_SETTINGS, type EvaluationContext } from '../shared/rules/context.js';
import { evaluateRules, type Evaluation } from '../shared/scan/evaluate.js';
import { LicenseLedger } from '../shared/plan/licenseLedger.js';
import { parseAssessmentRow, PatchEvidenceIndex } from '../shared/domain/patchEvidence.js';
import { enrolmentOf, machineNeedOf } from '../shared/rules/machine/enrolment.js';
import { planLicenses } from '../shared/plan/licensePlan.js';

export interface ExpectedTotals {
  /** Every finding a scan produces (what the scan counts). */
  readonly findings: number;
  /** The non-passing ones: the rows the findings table must hold after a scan. */
  readonly rows: number;
  readonly byRule: Record<string, number>;
}

/**
 * The oracle: the same rules, straight over the generator's payloads, with no ARM, paging, retries,
 * storage or messaging in between. A scan that loses or duplicates anything disagrees with it.
 */
export function expectedTotals(estate: SyntheticEstate, now = new Date()): ExpectedTotals {
  const stamp = { scanId: 'scan-expected', evaluatedAt: now.toISOString() };
  const ledger = new LicenseLedger();
  const byRule: Record<string, number> = {};
  let findings = 0;
  const count = (evaluation: Evaluation): void => {
    for (const finding of evaluation.findings) {
      findings += 1;
      if (finding.result !== 'Passed') byRule[finding.ruleId] = (byRule[finding.ruleId] ?? 0) + 1;
    }
  };
  for (const [s, subscriptionId] of estate.subscriptionIds.entries()) {
    const licenses = estate.licenses(subscriptionId).flatMap((raw) => {
      const parsed = parseLicense(raw);
      return parsed.ok ? [parsed.value] : [];
    });
    const index = new LicenseIndex(licenses);
    // The synthetic tenant has no guest configuration assignments; its assessments are generated rows.
    const patchEvidence = new PatchEvidenceIndex(true, true);
    for (let k = 0; k < estate.patchAssessmentRowCount(s); k += 1) {
      const row = parseAssessmentRow(estate.patchAssessmentRow(s, k));
      if (row.ok) patchEvidence.addRow(row.value);
    }
    const context: EvaluationContext = { now, settings: DEFAULT_RULE_SETTINGS, patchEvidence };
    for (const license of licenses) {
      ledger.registerLicense(license);
      count(evaluateRules(RULES.license, license, { resourceId: license.id, resourceType: 'Microsoft.HybridCompute/licenses', resourceName: license.name }, context, stamp));
    }
    let sqlDiscoveredInScope = false;
    for (let i = 0; i < estate.machineCount(subscriptionId); i += 1) {
      const parsed = parseMachine(estate.machine(s, i));
      if (!parsed.ok) continue;
      const machine = toMachineSubject(parsed.value, index);
      if (machine.inScope) sqlDiscoveredInScope ||= machine.mssqlDiscovered;
      if (machine.link.assigned) {
        ledger.addLink(machine.link, {
          machineId: machine.id, machineName: machine.name, subscriptionId, hostType: machine.host.type,
          cores: machine.host.cores, inScope: machine.inScope, freeEnvironment: machine.host.freeEnvironment, esuUsage: machine.esuUsage,
        });
      }
      const enrolment = enrolmentOf(machine, context);
      if (enrolment?.kind === 'needs-license') ledger.addNeed(machineNeedOf(machine, enrolment));
      count(evaluateRules(RULES.machine, machine, { resourceId: machine.id, resourceType: 'Microsoft.HybridCompute/machines', resourceName: machine.name }, context, stamp));
    }
    const providers = estate.providersBody(subscriptionId).value.flatMap((raw) => parseProvider(raw) ?? []);
    count(evaluateRules(RULES.subscription, { subscriptionId, providers, sqlDiscoveredInScope }, { resourceId: `/subscriptions/${subscriptionId}`, resourceType: 'Microsoft.Resources/subscriptions', resourceName: subscriptionId }, context, stamp));
  }
  const tenantContext: EvaluationContext = { now, settings: DEFAULT_RULE_SETTINGS };
  for (const entry of ledger.entries()) {
    count(evaluateRules(RULES.tenantLicense, entry, { resourceId: entry.license.id, resourceType: 'Microsoft.HybridCompute/licenses', resourceName: entry.license.name }, tenantContext, stamp));
  }
  const plan = planLicenses({ licenses: ledger.entries(), needs: ledger.needs() }, DEFAULT_RULE_SETTINGS, now);
  for (const row of plan.licenses) count(evaluateRules(RULES.planLicense, row, { resourceId: row.licenseId, resourceType: 'Microsoft.HybridCompute/licenses', resourceName: row.name }, tenantContext, stamp));
  for (const item of [...plan.assignments, ...plan.unplanned]) {
    count(evaluateRules(RULES.planMachine, item, { resourceId: item.need.machineId, resourceType: 'Microsoft.HybridCompute/machines', resourceName: item.need.machineName }, tenantContext, stamp));
  }
  return { findings, rows: Object.values(byRule).reduce((a, b) => a + b, 0), byRule };
}
