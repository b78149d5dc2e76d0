import type { EvaluationContext, LicenseSubject, MachineSubject, ReadFailureSubject, SubscriptionSubject, TenantLicenseSubject } from './context.js';
import type { Rule } from './rule.js';
import { coreMinimumRule } from './license/coreMinimum.js';
import { agentVersionRule } from './machine/agentVersion.js';
import { accessRule } from './subscription/access.js';
import { providerRegisteredRule } from './subscription/providerRegistered.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- rules differ only in message keys */
export type MachineRule = Rule<MachineSubject, EvaluationContext, any>;
export type LicenseRule = Rule<LicenseSubject, EvaluationContext, any>;
export type SubscriptionRule = Rule<SubscriptionSubject, EvaluationContext, any>;
export type ReadFailureRule = Rule<ReadFailureSubject, EvaluationContext, any>;
export type TenantLicenseRule = Rule<TenantLicenseSubject, EvaluationContext, any>;
export type AnyRule = Rule<any, EvaluationContext, any>;
/* eslint-enable @typescript-eslint/no-explicit-any */

/** The rule catalogue, by what each rule evaluates. Adding a rule = one file + one line here + its page + its cases. */
export const RULES = {
  machine: [agentVersionRule] as readonly MachineRule[],
  license: [coreMinimumRule] as readonly LicenseRule[],
  subscription: [providerRegisteredRule] as readonly SubscriptionRule[],
  readFailure: [accessRule] as readonly ReadFailureRule[],
  /** Evaluated once per run over the whole tenant: a license may serve machines of several subscriptions. */
  tenantLicense: [] as readonly TenantLicenseRule[],
};

export type RuleCatalog = typeof RULES;

export function allRules(catalog: RuleCatalog = RULES): readonly AnyRule[] {
  return [...catalog.subscription, ...catalog.readFailure, ...catalog.license, ...catalog.tenantLicense, ...catalog.machine];
}
