import type { EvaluationContext, LicenseSubject, MachineSubject, ReadFailureSubject, SubscriptionSubject, TenantLicenseSubject } from './context.js';
import type { Rule } from './rule.js';
import { coreMinimumRule } from './license/coreMinimum.js';
import { activatedRule } from './license/activated.js';
import { capacityRule } from './license/capacity.js';
import { combinationRule } from './license/combination.js';
import { limitsRule } from './license/limits.js';
import { programRule } from './license/program.js';
import { usageTagsRule } from './license/usageTags.js';
import { unusedRule } from './license/unused.js';
import { vCoreOnPhysicalRule } from './license/vCoreOnPhysical.js';
import { agentVersionRule } from './machine/agentVersion.js';
import { agentSupportedRule } from './machine/agentSupported.js';
import { agentVulnerabilityRule } from './machine/agentVulnerability.js';
import { connectedRule } from './machine/connected.js';
import { coreCountRule } from './machine/coreCount.js';
import { eligibilityRule } from './machine/eligibility.js';
import { legacyOsRule } from './machine/legacyOs.js';
import { patchAssessmentRule } from './machine/patchAssessment.js';
import { esuPatchesInstalledRule } from './machine/esuPatchesInstalled.js';
import { patchAssessmentCurrentRule } from './machine/patchAssessmentCurrent.js';
import { patchAssessmentHealthyRule } from './machine/patchAssessmentHealthy.js';
import { patchEvidenceRule } from './machine/patchEvidence.js';
import { enrolledRule } from './machine/enrolled.js';
import { esuKeyActiveRule } from './machine/esuKeyActive.js';
import { freeEsuEnvironmentRule } from './machine/freeEsuEnvironment.js';
import { licenseOnIneligibleOsRule } from './machine/licenseOnIneligibleOs.js';
import { linkedLicenseFoundRule } from './machine/linkedLicenseFound.js';
import { accessRule } from './subscription/access.js';
import { providerRegisteredRule } from './subscription/providerRegistered.js';
import { licensePolicyRule } from './subscription/licensePolicy.js';
import { machineLicensePlanRule, type PlannedMachineSubject } from './plan/machineLicensePlan.js';
import { licensePlanRule } from './plan/licensePlanRow.js';
import type { PlanLicenseRow } from '../domain/licensePlan.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- rules differ only in message keys */
export type MachineRule = Rule<MachineSubject, EvaluationContext, any>;
export type LicenseRule = Rule<LicenseSubject, EvaluationContext, any>;
export type SubscriptionRule = Rule<SubscriptionSubject, EvaluationContext, any>;
export type ReadFailureRule = Rule<ReadFailureSubject, EvaluationContext, any>;
export type TenantLicenseRule = Rule<TenantLicenseSubject, EvaluationContext, any>;
export type PlanMachineRule = Rule<PlannedMachineSubject, EvaluationContext, any>;
export type PlanLicenseRule = Rule<PlanLicenseRow, EvaluationContext, any>;
export type AnyRule = Rule<any, EvaluationContext, any>;
/* eslint-enable @typescript-eslint/no-explicit-any */

/** The rule catalogue, by what each rule evaluates. Adding a rule = one file + one line here + its page + its cases. */
export const RULES = {
  machine: [agentVersionRule, connectedRule, agentSupportedRule, agentVulnerabilityRule, eligibilityRule, coreCountRule, patchAssessmentRule, legacyOsRule, enrolledRule, freeEsuEnvironmentRule, esuKeyActiveRule, licenseOnIneligibleOsRule, esuPatchesInstalledRule, patchAssessmentCurrentRule, patchAssessmentHealthyRule, patchEvidenceRule] as readonly MachineRule[],
  license: [coreMinimumRule, combinationRule, programRule] as readonly LicenseRule[],
  subscription: [providerRegisteredRule, licensePolicyRule] as readonly SubscriptionRule[],
  readFailure: [accessRule] as readonly ReadFailureRule[],
  /** Evaluated once per run over the whole tenant: a license may serve machines of several subscriptions. */
  tenantLicense: [activatedRule, unusedRule, capacityRule, vCoreOnPhysicalRule, limitsRule, usageTagsRule, linkedLicenseFoundRule] as readonly TenantLicenseRule[],
  /** The tenant license plan (`shared/plan/`), once per run: each unlinked machine's place, each license to create or shrink. */
  planMachine: [machineLicensePlanRule] as readonly PlanMachineRule[],
  planLicense: [licensePlanRule] as readonly PlanLicenseRule[],
};

export type RuleCatalog = typeof RULES;

export function allRules(catalog: RuleCatalog = RULES): readonly AnyRule[] {
  return [...catalog.subscription, ...catalog.readFailure, ...catalog.license, ...catalog.tenantLicense, ...catalog.planLicense, ...catalog.machine, ...catalog.planMachine];
}

/** The rules of the run's tenant phase: their rows are that phase's, never a subscription scan's. */
export function tenantPhaseRuleIds(catalog: RuleCatalog = RULES): string[] {
  return [...catalog.tenantLicense, ...catalog.planMachine, ...catalog.planLicense].map((rule) => rule.id);
}

/** A rule by its id (title, group, recommendation): what stored rows are read back with, so rows need not repeat it. */
export function ruleDescriptions(catalog: RuleCatalog = RULES): (ruleId: string) => AnyRule | undefined {
  const byId = new Map<string, AnyRule>(allRules(catalog).map((rule) => [rule.id, rule]));
  return (ruleId) => byId.get(ruleId);
}
