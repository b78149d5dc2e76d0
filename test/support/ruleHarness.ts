import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseLicense } from '../../shared/domain/license.js';
import { parseMachine } from '../../shared/domain/machine.js';
import { toMachineSubject } from '../../shared/rules/machineSubject.js';
import { LicenseIndex } from '../../shared/domain/licenseLink.js';
import type { EsuLicense } from '../../shared/domain/license.js';
import type { ProviderRegistration } from '../../shared/domain/provider.js';
import { allRules, type AnyRule } from '../../shared/rules/catalog.js';
import { DEFAULT_RULE_SETTINGS, type EvaluationContext, type ReadFailureSubject, type RuleSettings, type SubscriptionSubject } from '../../shared/rules/context.js';
import { evaluateRules } from '../../shared/scan/evaluate.js';
import { LicenseLedger, type LicenseLedgerEntry } from '../../shared/plan/licenseLedger.js';
import { linkedMachineContributionOf } from '../../shared/scan/subscriptionEvaluator.js';
import { armLicense, armMachine, SUBSCRIPTION_ID, type LicenseOverrides, type MachineOverrides } from './armFixtures.js';

/**
 * One row of a rule's table: a subject in, the messageIds (in order) and job types out.
 * `context` adds to the default evaluation context (e.g. `now`, `licenses`, `newestReportedAgentVersion`).
 */
export interface RuleCase {
  readonly ruleId: string;
  readonly name: string;
  readonly subject: () => unknown;
  readonly expect: readonly string[];
  readonly jobs?: readonly string[];
  readonly evidence?: Readonly<Record<string, unknown>>;
  readonly context?: Partial<Omit<EvaluationContext, 'settings'>> & { readonly settings?: Partial<RuleSettings> };
  /** Text that must appear in the first finding's message. */
  readonly messageIncludes?: readonly string[];
}

/** WS2012 ESU still active, WS2016 upcoming; program cases set their own dates. */
export const NOW = new Date('2026-09-01T00:00:00Z');

function unwrap<T>(result: { ok: true; value: T } | { ok: false; reason: string }): T {
  if (!result.ok) throw new Error(result.reason);
  return result.value;
}

export function parsedLicense(overrides: LicenseOverrides = {}): EsuLicense {
  return unwrap(parseLicense(armLicense(overrides)));
}

/** A machine subject as a scan derives it; `licenses` are the subscription's licenses it may link to. */
export const machine = (overrides: MachineOverrides = {}, licenses: readonly EsuLicense[] = []) => () =>
  toMachineSubject(unwrap(parseMachine(armMachine(overrides))), new LicenseIndex(licenses));

export const license = (overrides: LicenseOverrides = {}) => () => parsedLicense(overrides);

/** A license with machines linked to it, as the tenant phase sees it. */
export const ledgerEntry = (licenseOverrides: LicenseOverrides, linked: readonly MachineOverrides[], sameNameCount = 1) => (): LicenseLedgerEntry => {
  const target = parsedLicense(licenseOverrides);
  const ledger = new LicenseLedger();
  ledger.registerLicense(target);
  for (const overrides of linked) {
    const subject = toMachineSubject(unwrap(parseMachine(armMachine(overrides))), new LicenseIndex([target]));
    if (!subject.link.assigned) continue;
    ledger.addLink(subject.link, linkedMachineContributionOf(subject, subject.subscriptionId));
  }
  const [entry] = ledger.entries();
  if (!entry) throw new Error('ledger entry missing');
  return { ...entry, sameNameCount };
};

export const registered = (...except: [string, string][]): ProviderRegistration[] => {
  const states = new Map(except);
  return ['Microsoft.HybridCompute', 'Microsoft.GuestConfiguration', 'Microsoft.Compute', 'Microsoft.Security', 'Microsoft.OperationalInsights', 'Microsoft.Storage', 'Microsoft.Sql']
    .map((namespace) => ({ namespace, registrationState: states.get(namespace) ?? 'Registered' }));
};

export const subscription = (providers: ProviderRegistration[], sqlDiscoveredInScope = false) => (): SubscriptionSubject =>
  ({ subscriptionId: SUBSCRIPTION_ID, providers, sqlDiscoveredInScope });

export const readFailure = (facts: Partial<ReadFailureSubject>) => (): ReadFailureSubject => ({
  subscriptionId: SUBSCRIPTION_ID,
  resourceId: `/subscriptions/${SUBSCRIPTION_ID}`,
  resourceType: 'Microsoft.Resources/subscriptions',
  code: 'AuthorizationFailed',
  detail: 'no access',
  ...facts,
});

export const STAMP = { scanId: 'scan-test', evaluatedAt: NOW.toISOString() };
export const TARGET = { resourceId: `/subscriptions/${SUBSCRIPTION_ID}/resourceGroups/rg/providers/X/y/subject`, resourceType: 'X/y', resourceName: 'subject' };

export function ruleById(id: string): AnyRule {
  const rule = allRules().find((candidate) => candidate.id === id);
  assert.ok(rule, `rule ${id} is in the catalogue`);
  return rule;
}

export function contextFor(testCase: RuleCase): EvaluationContext {
  const { settings, ...rest } = testCase.context ?? {};
  return { now: NOW, ...rest, settings: { ...DEFAULT_RULE_SETTINGS, ...settings } };
}

/** Registers one `describe` per rule id and one `it` per row. */
export function runRuleCases(cases: readonly RuleCase[]): void {
  for (const ruleId of new Set(cases.map((c) => c.ruleId))) {
    describe(ruleId, () => {
      for (const testCase of cases.filter((c) => c.ruleId === ruleId)) {
        it(testCase.name, () => {
          const evaluation = evaluateRules([ruleById(ruleId)], testCase.subject(), TARGET, contextFor(testCase), STAMP);
          assert.deepEqual(evaluation.findings.map((f) => f.messageId), testCase.expect);
          assert.deepEqual(evaluation.jobs.map((j) => j.jobType), testCase.jobs ?? []);
          for (const finding of evaluation.findings) {
            assert.equal(finding.ruleId, ruleId);
            assert.ok(finding.message.length > 0 && !/undefined|NaN|\[object Object\]/.test(finding.message), `message reads well: ${finding.message}`);
            assert.equal(finding.remediation === '', finding.result === 'Passed', 'non-passing findings carry the recommendation');
          }
          for (const job of evaluation.jobs) {
            assert.ok(job.commands.length > 0 && job.commands.every((c) => !/undefined|NaN/.test(c.command)), 'jobs carry complete commands');
          }
          for (const [key, value] of Object.entries(testCase.evidence ?? {})) {
            assert.deepEqual(evaluation.findings[0]?.evidence[key], value, `evidence ${key}`);
          }
          for (const text of testCase.messageIncludes ?? []) {
            assert.ok(evaluation.findings[0]?.message.includes(text), `message "${evaluation.findings[0]?.message}" mentions "${text}"`);
          }
        });
      }
    });
  }
}
