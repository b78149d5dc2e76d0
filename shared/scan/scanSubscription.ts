import { hostname } from 'node:os';
import { parseLicense } from '../domain/license.js';
import { LicenseIndex } from '../domain/licenseLink.js';
import { parseMachine } from '../domain/machine.js';
import { toMachineSubject } from '../domain/machineSubject.js';
import { compareVersions, type AgentVersion } from '../domain/versions.js';
import { parseProvider, type ProviderRegistration } from '../domain/provider.js';
import { licenseWriteBlockersIn, parsePolicyAssignment, sameDefinition, type PolicyAssignment } from '../domain/policyAssignment.js';
import { subscriptionResourceId } from '../domain/resourceId.js';
import type { ArmReader } from '../adapters/arm/armReader.js';
import { describeReadError, isSubscriptionWide } from '../adapters/arm/armErrors.js';
import { ListItems } from '../adapters/arm/armList.js';
import type { ScanRunStore } from '../adapters/tables/scanRunStore.js';
import type { Delivery, SubscriptionClaims } from '../adapters/tables/subscriptionClaims.js';
import { DEFAULT_RULE_SETTINGS, type EvaluationContext, type ReadFailureSubject, type RuleSettings } from '../rules/context.js';
import { RULES, tenantPhaseRuleIds, type RuleCatalog } from '../rules/catalog.js';
import { evaluateRules, type Evaluation, type ScanStamp } from './evaluate.js';
import { FindingSink, type FindingSinkDependencies } from './findingSink.js';
import type { SubscriptionScanSummary } from './summary.js';
import { LicenseLedger } from './licenseLedger.js';
import { enrolmentOf, machineNeedOf } from '../rules/machine/enrolment.js';
import { readAhead, readNow } from './readAhead.js';
import { readMachinePages, type ParallelReads } from './machinePages.js';
import type { ResourceGraphReader } from '../adapters/arm/resourceGraphReader.js';
import { ESU_POLICY_DEFINITIONS } from '../programs/catalogue.js';
import { collectPatchEvidence, GUEST_CONFIGURATION_PATH, GUEST_CONFIGURATION_TYPE, perScanPatchEvidence, RESOURCE_GRAPH_PATH, RESOURCE_GRAPH_TYPE, resourceGraphFailureSubject, type PatchEvidenceSource } from './patchEvidenceRead.js';

export interface ScanRequest {
  readonly scanId: string;
  readonly subscriptionId: string;
  readonly requestedAt: string;
}

export type { ScanObserver } from './findingSink.js';

export interface ScanDependencies extends FindingSinkDependencies {
  readonly arm: ArmReader;
  readonly runs: ScanRunStore;
  readonly rules?: RuleCatalog;
  readonly settings?: RuleSettings;
  readonly clock?: () => Date;
  /** The time rules evaluate at (`esu-scan scan --as-of`); default: when the scan starts. */
  readonly evaluationTime?: Date;
  /** Receives the subscription's licenses and what links to them, for the run's tenant-wide license rules. */
  readonly ledger?: LicenseLedger;
  /** One scan per subscription at a time: absent, no claim is taken (tests of the pipeline alone). */
  readonly claims?: SubscriptionClaims;
  /** How long to wait for a subscription another scanner holds before giving up (default 2 minutes). */
  readonly claimWaitMs?: number;
  /** The queue delivery running this scan: its retry takes over a claim its killed earlier delivery left. */
  readonly delivery?: Delivery;
  /** When a large subscription's machines are read per resource group (default: from 5,000 machines, 8 chains). */
  readonly parallelReads?: ParallelReads;
  /** Patch evidence (guest configuration, Update Manager) through Resource Graph; absent, the patch rules stay silent. */
  readonly resourceGraph?: ResourceGraphReader;
  /** The run's shared queries (CLI); default: this subscription's own queries. */
  readonly patchEvidence?: PatchEvidenceSource;
}

const DEFAULT_CLAIM_WAIT_MS = 120_000;

/**
 * Scans one subscription under its claim: a second scanner of the same subscription (an overlapping run, a
 * message delivered twice) waits until the first is done, then reads what it stored, so nothing is decided twice.
 */
export async function scanSubscription(request: ScanRequest, deps: ScanDependencies): Promise<SubscriptionScanSummary> {
  const claim = deps.claims ? await deps.claims.acquire(request.subscriptionId, `scan ${request.scanId} (${hostname()}, process ${process.pid})`, deps.claimWaitMs ?? DEFAULT_CLAIM_WAIT_MS, undefined, deps.delivery) : undefined;
  try {
    return await scanClaimedSubscription(request, deps);
  } finally {
    if (claim) await deps.claims?.release(claim);
  }
}

const MACHINES_PATH = 'providers/Microsoft.HybridCompute/machines';
const LICENSES_PATH = 'providers/Microsoft.HybridCompute/licenses';
const PROVIDERS_PATH = 'providers';
const POLICY_ASSIGNMENTS_PATH = 'providers/Microsoft.Authorization/policyAssignments';

/**
 * Scans one subscription: reads licenses and providers, streams machines page by page through the
 * rules, stores findings and the messages their changes decide as it goes, then records what it did. A list that cannot be
 * read becomes an `ESU.Subscription.Access` Error finding; the rest of the scan goes on.
 */
async function scanClaimedSubscription(request: ScanRequest, deps: ScanDependencies): Promise<SubscriptionScanSummary> {
  const clock = deps.clock ?? (() => new Date());
  const rules = deps.rules ?? RULES;
  const startedAt = clock();
  const stamp: ScanStamp = { scanId: request.scanId, evaluatedAt: startedAt.toISOString() };
  const settings = deps.settings ?? DEFAULT_RULE_SETTINGS;
  // The subscription's own ledger: spare cores seen by its rules depend on its machines only (in ARM order),
  // never on which other subscription happened to finish first, so evidence stays the same scan after scan.
  const ledger = new LicenseLedger({ pCore: settings.pCoreMinimum, vCore: settings.vCoreMinimum });
  let newestReportedAgent: { readonly version: AgentVersion; readonly text: string } | undefined;
  const licenseIndex = new LicenseIndex();
  const context: EvaluationContext = {
    now: deps.evaluationTime ?? startedAt,
    settings,
    // The newest agent a machine of this scan reported so far: ESU.Machine.AgentSupported names it when it is newer than the release notes.
    newestReportedAgentVersion: () => newestReportedAgent?.text,
  };
  const subscriptionId = request.subscriptionId;
  const stats = { machines: 0, machinesInScope: 0, licenses: 0, complete: true };
  const unreadLists: string[] = [];
  // The three lists are independent reads: all start now, while the stored state and suppressions load.
  // Licenses are needed first (machines are checked against them), providers only at the end, and the
  // machine pages are read one ahead.
  // Each list's items are checked as they come (nulls, repeated ids, ids of other subscriptions): see ListItems.
  const licenseItems = new ListItems(subscriptionId);
  const machineItems = new ListItems(subscriptionId);
  const providerItems = new ListItems(subscriptionId);
  // Assignments inherited from management groups have ids outside the subscription: only nulls and repeats are checked.
  const policyItems = new ListItems(subscriptionId, { outsideIdsAllowed: true });
  const licenseRead = readNow(async () => licenseItems.take(await deps.arm.listLicenses(subscriptionId)));
  const providerRead = readNow(async () => providerItems.take(await deps.arm.listProviders(subscriptionId)).flatMap((raw) => parseProvider(raw) ?? []));
  const policyRead = readNow(() => deps.arm.listPolicyAssignments(subscriptionId));
  // Patch evidence (guest configuration, Update Manager through Resource Graph), read with the lists.
  const patchSource = deps.patchEvidence ?? (deps.resourceGraph ? perScanPatchEvidence(deps.resourceGraph) : undefined);
  const guestRead = patchSource ? readNow(() => patchSource.guestConfigurationsFor(subscriptionId)) : undefined;
  const assessmentRead = patchSource ? readNow(() => patchSource.assessmentsFor(subscriptionId)) : undefined;
  // The index says how many machines the last complete scan read: a large subscription is read in parallel chains.
  const layout = await deps.findings.layoutOf(subscriptionId);
  const machineRead = readMachinePages(deps.arm, subscriptionId, layout.machinesLastScan, deps.parallelReads);
  const pages = readAhead(machineRead.pages);

  // Tenant-wide license rows belong to the run's tenant phase, not to this subscription's change detection.
  const tenantRuleIds = new Set(tenantPhaseRuleIds(rules));
  const sink = await FindingSink.open(deps, deps.findings.loadSubscriptionState(subscriptionId, tenantRuleIds, layout), startedAt);
  const flush = (evaluation: Evaluation): Promise<void> => sink.write(evaluation);

  const readFailure = (path: string, resourceType: string, error: unknown): Evaluation => {
    stats.complete = false;
    const facts = describeReadError(error);
    const wide = isSubscriptionWide(facts);
    unreadLists.push(wide ? 'subscription' : (path.split('/').at(-1) ?? path).toLowerCase());
    const subject: ReadFailureSubject = {
      subscriptionId,
      resourceId: wide ? subscriptionResourceId(subscriptionId) : `${subscriptionResourceId(subscriptionId)}/${path}`,
      resourceType: wide ? 'Microsoft.Resources/subscriptions' : resourceType,
      ...facts,
    };
    return evaluateRules(rules.readFailure, subject, targetOf(subject.resourceId, subject.resourceType), context, stamp);
  };

  let licenses: unknown[] = [];
  const licenseOutcome = await licenseRead;
  if (licenseOutcome.ok) {
    licenses = licenseOutcome.value;
  } else {
    await flush(readFailure(LICENSES_PATH, 'Microsoft.HybridCompute/licenses', licenseOutcome.error));
    // Not readable at all: one finding says so (the other two reads fail the same way and are not reported twice).
    if (isSubscriptionWide(describeReadError(licenseOutcome.error))) return finish();
  }

  // Policy assignments come before any job: license jobs in the scope of an enforced Deny name it.
  let policyAssignments: PolicyAssignment[] | undefined;
  const policyOutcome = await policyRead;
  if (policyOutcome.ok) {
    const policySkips = new SkippedItems(policyItems);
    policyAssignments = [];
    for (const raw of policyItems.take(policyOutcome.value)) {
      const parsed = parsePolicyAssignment(raw);
      if (parsed.ok) policyAssignments.push(parsed.value);
      else policySkips.add(parsed.reason);
    }
    const policySkipped: Evaluation = { findings: [], jobs: [] };
    evaluateSkippedItems(POLICY_ASSIGNMENTS_PATH, 'Microsoft.Authorization/policyAssignments', policySkips, policySkipped);
    await flush(policySkipped);
  } else {
    await flush(readFailure(POLICY_ASSIGNMENTS_PATH, 'Microsoft.Authorization/policyAssignments', policyOutcome.error));
  }
  const blockers = licenseWriteBlockersIn(policyAssignments ?? []);
  ledger.addLicenseWriteBlockers(blockers);
  const licenseContext: EvaluationContext = { ...context, licenseWriteBlockers: blockers };

  const licenseSkips = new SkippedItems(licenseItems);
  const licenseEvaluation: Evaluation = { findings: [], jobs: [] };
  for (const raw of licenses) {
    const parsed = parseLicense(raw);
    if (!parsed.ok) {
      licenseSkips.add(parsed.reason);
      continue;
    }
    stats.licenses += 1;
    licenseIndex.add(parsed.value);
    ledger.registerLicense(parsed.value);
    evaluateRules(rules.license, parsed.value, targetOf(parsed.value.id, 'Microsoft.HybridCompute/licenses'), licenseContext, stamp, licenseEvaluation);
  }
  evaluateSkippedItems(LICENSES_PATH, 'Microsoft.HybridCompute/licenses', licenseSkips, licenseEvaluation);
  await flush(licenseEvaluation);
  let patchEvidence: EvaluationContext['patchEvidence'];
  if (guestRead && assessmentRead) {
    const esuPolicyAssignments = policyAssignments?.filter((assignment) => sameDefinition(assignment, ESU_POLICY_DEFINITIONS.esuPatchesInstalled));
    const patch = collectPatchEvidence(subscriptionId, await guestRead, await assessmentRead, esuPolicyAssignments);
    patchEvidence = patch.index;
    const patchFindings: Evaluation = { findings: [], jobs: [] };
    // No evidence read is no evidence of anything: earlier patch findings must not resolve on it. The guest
    // configuration failure keeps its place on the subscription's guest configuration assignments.
    const failures = [
      { error: patch.guestConfigurationError, table: 'guestconfigurationresources', path: GUEST_CONFIGURATION_PATH, type: GUEST_CONFIGURATION_TYPE },
      { error: patch.updateManagerError, table: 'patchassessmentresources', path: RESOURCE_GRAPH_PATH, type: RESOURCE_GRAPH_TYPE },
    ];
    for (const failure of failures) {
      if (failure.error === undefined) continue;
      stats.complete = false;
      unreadLists.push(failure.table);
      const subject = resourceGraphFailureSubject(subscriptionId, failure.error, failure.path, failure.type);
      evaluateRules(rules.readFailure, subject, targetOf(subject.resourceId, subject.resourceType), context, stamp, patchFindings);
    }
    await flush(patchFindings);
  }
  const machineContext: EvaluationContext = { ...licenseContext, ...(patchEvidence ? { patchEvidence } : {}) };

  let sqlDiscoveredInScope = false;
  const machineSkips = new SkippedItems(machineItems);
  for (;;) {
    // Only the read is guarded: a storage failure while flushing must fail the scan, not pose as an ARM error.
    let next: IteratorResult<unknown[]>;
    try {
      next = await pages.next();
    } catch (error) {
      await flush(readFailure(MACHINES_PATH, 'Microsoft.HybridCompute/machines', error));
      machineSkips.dropped = true; // the list's one finding is the read failure; never two rows for one key
      break;
    }
    if (next.done) break;
    const pageEvaluation: Evaluation = { findings: [], jobs: [] };
    for (const raw of machineItems.take(next.value)) {
      const parsed = parseMachine(raw);
      if (!parsed.ok) {
        machineSkips.add(parsed.reason);
        continue;
      }
      const machine = toMachineSubject(parsed.value, licenseIndex);
      deps.observer?.onMachine?.(machine);
      stats.machines += 1;
      if (machine.inScope) {
        stats.machinesInScope += 1;
        sqlDiscoveredInScope ||= machine.mssqlDiscovered;
      }
      if (machine.link.assigned) {
        ledger.addLink(machine.link, {
          machineId: machine.id,
          machineName: machine.name,
          subscriptionId,
          hostType: machine.host.type,
          cores: machine.host.cores,
          inScope: machine.inScope,
          freeEnvironment: machine.host.freeEnvironment,
          esuUsage: machine.esuUsage,
        });
      }
      const enrolment = enrolmentOf(machine, machineContext);
      if (enrolment?.kind === 'needs-license') ledger.addNeed(machineNeedOf(machine, enrolment));
      const agent = machine.agentVersionParsed;
      if (agent && (newestReportedAgent === undefined || compareVersions(agent, newestReportedAgent.version) > 0)) newestReportedAgent = { version: agent, text: machine.agentVersion?.trim() ?? '' };
      evaluateRules(rules.machine, machine, targetOf(machine.id, 'Microsoft.HybridCompute/machines'), machineContext, stamp, pageEvaluation);
      patchEvidence?.release(machine.id);
    }
    await flush(pageEvaluation);
  }

  let providers: ProviderRegistration[] | undefined;
  const providerOutcome = await providerRead;
  if (providerOutcome.ok) providers = providerOutcome.value;
  else await flush(readFailure(PROVIDERS_PATH, 'Microsoft.Resources/providers', providerOutcome.error));

  const skippedItems: Evaluation = { findings: [], jobs: [] };
  evaluateSkippedItems(MACHINES_PATH, 'Microsoft.HybridCompute/machines', machineSkips, skippedItems);
  if (providers) evaluateSkippedItems(PROVIDERS_PATH, 'Microsoft.Resources/providers', new SkippedItems(providerItems), skippedItems);
  await flush(skippedItems);

  if (providers || policyAssignments) {
    const subject = { subscriptionId, providers, policyAssignments, sqlDiscoveredInScope };
    await flush(evaluateRules(rules.subscription, subject, targetOf(subscriptionResourceId(subscriptionId), 'Microsoft.Resources/subscriptions'), context, stamp));
  }
  return finish();

  /** Items without an id, null, repeated or of another subscription cannot carry findings of their own: one finding on their list says so. */
  function evaluateSkippedItems(path: string, resourceType: string, skipped: SkippedItems, into: Evaluation): void {
    const problems = skipped.problems();
    if (problems.length === 0) return;
    const subject: ReadFailureSubject = {
      subscriptionId,
      resourceId: `${subscriptionResourceId(subscriptionId)}/${path}`,
      resourceType,
      code: 'MalformedResponse',
      detail: problems.join('; '),
    };
    evaluateRules(rules.readFailure, subject, targetOf(subject.resourceId, resourceType), context, stamp, into);
  }

  async function finish(): Promise<SubscriptionScanSummary> {
    if (!stats.complete) ledger.markIncomplete(subscriptionId);
    deps.ledger?.merge(ledger);
    // Only a complete read proves that rows from earlier scans are gone for good.
    const relay = await sink.finish(request.scanId, stats.complete, subscriptionId);
    if (stats.complete) await deps.findings.recordMachines(subscriptionId, stats.machines, layout);
    const summary: SubscriptionScanSummary = {
      scanId: request.scanId,
      subscriptionId,
      startedAt: startedAt.toISOString(),
      finishedAt: clock().toISOString(),
      machines: stats.machines,
      machinesInScope: stats.machinesInScope,
      licenses: stats.licenses,
      counts: sink.counts,
      jobs: sink.stats.jobs,
      messages: sink.messageStats.messages,
      messagesPublished: relay.published,
      messagesPending: relay.pending,
      ...(relay.error ? { publishError: relay.error } : {}),
      rowsWritten: sink.stats.rowsWritten,
      rowsRemoved: sink.stats.rowsRemoved,
      complete: stats.complete,
      unreadLists,
      machineReadChains: machineRead.chains(),
      largestPartitionRows: Math.max(0, ...sink.partitionSizes()),
    };
    await deps.runs.recordSubscription(summary);
    return summary;
  }
}

/** List items that could not be used: those the list check left out, and those that did not parse (counted with their distinct reasons). */
class SkippedItems {
  count = 0;
  /** The list's read failed: its one finding says so. */
  dropped = false;
  readonly reasons = new Set<string>();

  constructor(private readonly items: ListItems) {}

  add(reason: string): void {
    this.count += 1;
    this.reasons.add(reason);
  }

  problems(): string[] {
    if (this.dropped) return [];
    const lines = this.items.problems();
    if (this.count > 0) lines.unshift(`${this.count} item(s) of the list were skipped: ${[...this.reasons].join('; ')}`);
    return lines;
  }
}

function targetOf(resourceId: string, resourceType: string) {
  return { resourceId, resourceType, resourceName: resourceId.split('/').filter(Boolean).at(-1) ?? resourceId };
}
