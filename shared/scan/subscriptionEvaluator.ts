import { parseLicense } from '../domain/license.js';
import { LicenseIndex } from '../domain/licenseLink.js';
import { parseMachine } from '../domain/machine.js';
import { toMachineSubject } from '../rules/machineSubject.js';
import { compareVersions, type AgentVersion } from '../domain/versions.js';
import { parseProvider, type ProviderRegistration } from '../domain/provider.js';
import { parsePolicyAssignment, sameDefinition, type PolicyAssignment } from '../domain/policyAssignment.js';
import { licenseWriteBlockersIn } from '../programs/licenseWriteBlockers.js';
import { subscriptionResourceId } from '../domain/resourceId.js';
import { describeReadError, isSubscriptionWide } from './readErrors.js';
import { ListItems } from '../domain/listItems.js';
import type { GuestConfigurationAnswer, PatchAssessmentAnswer } from './armPorts.js';
import type { EvaluationContext, MachineSubject, ReadFailureSubject, RuleSettings } from '../rules/context.js';
import type { RuleCatalog } from '../rules/catalog.js';
import { enrolmentOf, machineNeedOf } from '../rules/machine/enrolment.js';
import { ESU_POLICY_DEFINITIONS } from '../programs/catalogue.js';
import { evaluateRules, type Evaluation, type ScanStamp } from './evaluate.js';
import { LicenseLedger, type LinkedMachineContribution } from '../plan/licenseLedger.js';
import { collectPatchEvidence, GUEST_CONFIGURATION_PATH, GUEST_CONFIGURATION_TYPE, RESOURCE_GRAPH_PATH, RESOURCE_GRAPH_TYPE, resourceGraphFailureSubject } from './patchEvidenceRead.js';
import type { ScanTime } from './scanPorts.js';
import { SkippedItems, targetOf } from './skippedItems.js';

export const MACHINES_PATH = 'providers/Microsoft.HybridCompute/machines';
export const LICENSES_PATH = 'providers/Microsoft.HybridCompute/licenses';
export const PROVIDERS_PATH = 'providers';
export const POLICY_ASSIGNMENTS_PATH = 'providers/Microsoft.Authorization/policyAssignments';
const MACHINE_TYPE = 'Microsoft.HybridCompute/machines';
const LICENSE_TYPE = 'Microsoft.HybridCompute/licenses';
const PROVIDER_TYPE = 'Microsoft.Resources/providers';
const POLICY_TYPE = 'Microsoft.Authorization/policyAssignments';

export interface SubscriptionEvaluatorOptions {
  readonly scanId: string;
  readonly subscriptionId: string;
  /** `asOf`: the time rules evaluate at, stored as each finding's `evaluatedAt`; `startedAt`: jobs' `createdAt`. */
  readonly time: ScanTime;
  readonly settings: RuleSettings;
  readonly rules: RuleCatalog;
  /** Each machine as it is parsed, with the facts rules derive (the CLI counts machines per ESU program). */
  readonly onMachine?: (machine: MachineSubject) => void;
}

/** A read's result as the evaluator takes it: the list, or why it could not be read. */
export type ReadOutcome<T> = { ok: true; value: T } | { ok: false; error: unknown };

/** What a linked machine adds to its license's usage: the one place this literal is written. */
export function linkedMachineContributionOf(machine: MachineSubject, subscriptionId: string): LinkedMachineContribution {
  return {
    machineId: machine.id,
    machineName: machine.name,
    subscriptionId,
    hostType: machine.host.type,
    cores: machine.host.cores,
    inScope: machine.inScope,
    freeEnvironment: machine.host.freeEnvironment,
    esuUsage: machine.esuUsage,
  };
}

/**
 * The pure core of a subscription scan: the lists ARM returned go in (policy assignments, licenses, patch
 * evidence, machine pages, providers, in that order), evaluations come out. No I/O and no clock: the caller reads,
 * stores and decides when; the benchmark's oracle feeds it the generator's lists directly.
 */
export class SubscriptionEvaluator {
  /** The subscription's own ledger: spare cores seen by its rules depend on its machines only (in ARM order). */
  readonly ledger: LicenseLedger;
  readonly stats = { machines: 0, machinesInScope: 0, licenses: 0, complete: true };
  /** The lists that could not be read (`subscription` when none could), for the run record. */
  readonly unreadLists: string[] = [];
  private readonly licenseIndex = new LicenseIndex();
  private readonly context: EvaluationContext;
  private licenseContext: EvaluationContext;
  private machineContext: EvaluationContext;
  private policyAssignmentsRead: PolicyAssignment[] | undefined;
  private patchIndex: EvaluationContext['patchEvidence'];
  private newestReportedAgent: { readonly version: AgentVersion; readonly text: string } | undefined;
  private sqlDiscoveredInScope = false;
  // Each list's items are checked as they come (nulls, repeated ids, ids of other subscriptions): see ListItems.
  private readonly licenseItems: ListItems;
  private readonly machineItems: ListItems;
  private readonly providerItems: ListItems;
  // Assignments inherited from management groups have ids outside the subscription: only nulls and repeats are checked.
  private readonly policyItems: ListItems;
  private readonly machineSkips: SkippedItems;
  /** Every finding's scan id and evaluation time: the as-of time, so a rescan at the same as-of stores the same rows. */
  private readonly stamp: ScanStamp;

  constructor(private readonly options: SubscriptionEvaluatorOptions) {
    const { subscriptionId, settings } = options;
    this.ledger = new LicenseLedger({ pCore: settings.pCoreMinimum, vCore: settings.vCoreMinimum });
    this.context = {
      now: options.time.asOf,
      settings,
      // The newest agent a machine of this scan reported so far: ESU.Machine.AgentSupported names it when it is newer than the release notes.
      newestReportedAgentVersion: () => this.newestReportedAgent?.text,
    };
    this.licenseContext = this.context;
    this.machineContext = this.context;
    this.licenseItems = new ListItems(subscriptionId);
    this.machineItems = new ListItems(subscriptionId);
    this.providerItems = new ListItems(subscriptionId);
    this.policyItems = new ListItems(subscriptionId, { outsideIdsAllowed: true });
    this.machineSkips = new SkippedItems(this.machineItems);
    this.stamp = { scanId: options.scanId, evaluatedAt: options.time.asOf.toISOString(), createdAt: options.time.startedAt.toISOString() };
  }


  /** A list that could not be read: an `ESU.Subscription.Access` finding on it (or on the subscription, when nothing is readable). */
  readFailure(path: string, resourceType: string, error: unknown): Evaluation {
    const { subscriptionId } = this.options;
    this.stats.complete = false;
    const facts = describeReadError(error);
    const wide = isSubscriptionWide(facts);
    this.unreadLists.push(wide ? 'subscription' : (path.split('/').at(-1) ?? path).toLowerCase());
    const subject: ReadFailureSubject = {
      subscriptionId,
      resourceId: wide ? subscriptionResourceId(subscriptionId) : `${subscriptionResourceId(subscriptionId)}/${path}`,
      resourceType: wide ? 'Microsoft.Resources/subscriptions' : resourceType,
      ...facts,
    };
    return evaluateRules(this.options.rules.readFailure, subject, targetOf(subject.resourceId, subject.resourceType), this.context, this.stamp);
  }

  /** The license list failed so that nothing of the subscription is readable: the scan stops at its one finding. */
  static isUnreadableSubscription(error: unknown): boolean {
    return isSubscriptionWide(describeReadError(error));
  }

  /** Policy assignments come before any job: license jobs in the scope of an enforced Deny name it. */
  policyAssignments(outcome: ReadOutcome<unknown[]>): Evaluation {
    if (!outcome.ok) {
      this.setLicenseWriteBlockers([]);
      return this.readFailure(POLICY_ASSIGNMENTS_PATH, POLICY_TYPE, outcome.error);
    }
    const skips = new SkippedItems(this.policyItems);
    const assignments: PolicyAssignment[] = [];
    for (const raw of this.policyItems.take(outcome.value)) {
      const parsed = parsePolicyAssignment(raw);
      if (parsed.ok) assignments.push(parsed.value);
      else skips.add(parsed.reason);
    }
    this.policyAssignmentsRead = assignments;
    this.setLicenseWriteBlockers(assignments);
    return this.skippedItems(POLICY_ASSIGNMENTS_PATH, POLICY_TYPE, skips, { findings: [], jobs: [] });
  }

  private setLicenseWriteBlockers(assignments: readonly PolicyAssignment[]): void {
    const blockers = licenseWriteBlockersIn(assignments);
    this.ledger.addLicenseWriteBlockers(blockers);
    this.licenseContext = { ...this.context, licenseWriteBlockers: blockers };
    this.machineContext = this.licenseContext;
  }

  licenses(raws: unknown[]): Evaluation {
    const skips = new SkippedItems(this.licenseItems);
    const evaluation: Evaluation = { findings: [], jobs: [] };
    for (const raw of this.licenseItems.take(raws)) {
      const parsed = parseLicense(raw);
      if (!parsed.ok) {
        skips.add(parsed.reason);
        continue;
      }
      this.stats.licenses += 1;
      this.licenseIndex.add(parsed.value);
      this.ledger.registerLicense(parsed.value);
      evaluateRules(this.options.rules.license, parsed.value, targetOf(parsed.value.id, LICENSE_TYPE), this.licenseContext, this.stamp, evaluation);
    }
    return this.skippedItems(LICENSES_PATH, LICENSE_TYPE, skips, evaluation);
  }

  /** Patch evidence (guest configuration, Update Manager through Resource Graph), for the machines' patch rules. */
  patchEvidence(guest: ReadOutcome<GuestConfigurationAnswer>, assessments: ReadOutcome<PatchAssessmentAnswer>): Evaluation {
    const { subscriptionId } = this.options;
    const esuPolicyAssignments = this.policyAssignmentsRead?.filter((assignment) => sameDefinition(assignment, ESU_POLICY_DEFINITIONS.esuPatchesInstalled));
    const patch = collectPatchEvidence(subscriptionId, guest, assessments, esuPolicyAssignments);
    this.patchIndex = patch.index;
    this.machineContext = { ...this.licenseContext, patchEvidence: patch.index };
    const evaluation: Evaluation = { findings: [], jobs: [] };
    // No evidence read is no evidence of anything: earlier patch findings must not resolve on it. The guest
    // configuration failure keeps its place on the subscription's guest configuration assignments.
    const failures = [
      { error: patch.guestConfigurationError, table: 'guestconfigurationresources', path: GUEST_CONFIGURATION_PATH, type: GUEST_CONFIGURATION_TYPE },
      { error: patch.updateManagerError, table: 'patchassessmentresources', path: RESOURCE_GRAPH_PATH, type: RESOURCE_GRAPH_TYPE },
    ];
    for (const failure of failures) {
      if (failure.error === undefined) continue;
      this.stats.complete = false;
      this.unreadLists.push(failure.table);
      const subject = resourceGraphFailureSubject(subscriptionId, failure.error, failure.path, failure.type);
      evaluateRules(this.options.rules.readFailure, subject, targetOf(subject.resourceId, subject.resourceType), this.context, this.stamp, evaluation);
    }
    return evaluation;
  }

  /** One page of machines, checked against the licenses given before. */
  machines(raws: unknown[]): Evaluation {
    const evaluation: Evaluation = { findings: [], jobs: [] };
    for (const raw of this.machineItems.take(raws)) {
      const parsed = parseMachine(raw);
      if (!parsed.ok) {
        this.machineSkips.add(parsed.reason);
        continue;
      }
      this.machine(toMachineSubject(parsed.value, this.licenseIndex), evaluation);
    }
    return evaluation;
  }

  private machine(machine: MachineSubject, into: Evaluation): void {
    this.options.onMachine?.(machine);
    this.stats.machines += 1;
    if (machine.inScope) {
      this.stats.machinesInScope += 1;
      this.sqlDiscoveredInScope ||= machine.mssqlDiscovered;
    }
    if (machine.link.assigned) this.ledger.addLink(machine.link, linkedMachineContributionOf(machine, this.options.subscriptionId));
    const enrolment = enrolmentOf(machine, this.machineContext);
    if (enrolment?.kind === 'needs-license') this.ledger.addNeed(machineNeedOf(machine, enrolment));
    const agent = machine.agentVersionParsed;
    if (agent && (this.newestReportedAgent === undefined || compareVersions(agent, this.newestReportedAgent.version) > 0)) this.newestReportedAgent = { version: agent, text: machine.agentVersion?.trim() ?? '' };
    evaluateRules(this.options.rules.machine, machine, targetOf(machine.id, MACHINE_TYPE), this.machineContext, this.stamp, into);
    this.patchIndex?.release(machine.id);
  }

  /** The machine list broke off: its one finding is the read failure, never two rows for one key. */
  machineReadFailed(error: unknown): Evaluation {
    this.machineSkips.dropped = true;
    return this.readFailure(MACHINES_PATH, MACHINE_TYPE, error);
  }

  /** The last step: providers, the lists' skipped items, then the subscription's own rules. */
  providersAndSubscription(outcome: ReadOutcome<unknown[]>): Evaluation[] {
    const { subscriptionId } = this.options;
    const evaluations: Evaluation[] = [];
    let providers: ProviderRegistration[] | undefined;
    if (outcome.ok) providers = this.providerItems.take(outcome.value).flatMap((raw) => parseProvider(raw) ?? []);
    else evaluations.push(this.readFailure(PROVIDERS_PATH, PROVIDER_TYPE, outcome.error));
    const skipped: Evaluation = { findings: [], jobs: [] };
    this.skippedItems(MACHINES_PATH, MACHINE_TYPE, this.machineSkips, skipped);
    if (providers) this.skippedItems(PROVIDERS_PATH, PROVIDER_TYPE, new SkippedItems(this.providerItems), skipped);
    evaluations.push(skipped);
    const policyAssignments = this.policyAssignmentsRead;
    if (providers || policyAssignments) {
      const subject = { subscriptionId, providers, policyAssignments, sqlDiscoveredInScope: this.sqlDiscoveredInScope };
      evaluations.push(evaluateRules(this.options.rules.subscription, subject, targetOf(subscriptionResourceId(subscriptionId), 'Microsoft.Resources/subscriptions'), this.context, this.stamp));
    }
    return evaluations;
  }

  /** The ledger the run's tenant phase gets: marked incomplete when a list was not read, so the plan says what it could not see. */
  finalLedger(): LicenseLedger {
    if (!this.stats.complete) this.ledger.markIncomplete(this.options.subscriptionId);
    return this.ledger;
  }

  /** Items without an id, null, repeated or of another subscription cannot carry findings of their own: one finding on their list says so. */
  private skippedItems(path: string, resourceType: string, skipped: SkippedItems, into: Evaluation): Evaluation {
    const problems = skipped.problems();
    if (problems.length === 0) return into;
    const { subscriptionId } = this.options;
    const subject: ReadFailureSubject = { subscriptionId, resourceId: `${subscriptionResourceId(subscriptionId)}/${path}`, resourceType, code: 'MalformedResponse', detail: problems.join('; ') };
    return evaluateRules(this.options.rules.readFailure, subject, targetOf(subject.resourceId, resourceType), this.context, this.stamp, into);
  }
}
