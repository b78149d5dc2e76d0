import { hostname } from 'node:os';
import { RULES, tenantPhaseRuleIds } from '../rules/catalog.js';
import { DEFAULT_RULE_SETTINGS } from '../rules/context.js';
import type { Evaluation } from './evaluate.js';
import { FindingSink, type ScanObserver } from './findingSink.js';
import { readMachinePages } from './machinePages.js';
import { perScanPatchEvidence } from './patchEvidenceRead.js';
import { readAhead, readNow } from './readAhead.js';
import type { ScanRequest } from './scanRequest.js';
import type { ScanDelivery, ScanTime, SubscriptionScanPorts } from './scanPorts.js';
import { LICENSES_PATH, SubscriptionEvaluator } from './subscriptionEvaluator.js';
import type { SubscriptionScanSummary } from '../domain/scanSummary.js';
import { SubscriptionTelemetry } from '../telemetry/scanTelemetry.js';

export interface SubscriptionScanOptions {
  /** The run's times (see ScanTime): rules evaluate at `asOf`; alerts and records use `startedAt`. */
  readonly time: ScanTime;
  readonly observer?: ScanObserver;
  /** How long to wait for a subscription another scanner holds before giving up (default 2 minutes). */
  readonly claimWaitMs?: number;
  /** The queue delivery running this scan: its retry takes over a claim its killed earlier delivery left. */
  readonly delivery?: ScanDelivery;
}

const DEFAULT_CLAIM_WAIT_MS = 120_000;

/**
 * Scans one subscription under its claim (the CLI's runs, the Functions' queue messages and the benchmark all come
 * here): a second scanner of the same subscription (an overlapping run, a message delivered twice) waits until the
 * first is done, then reads what it stored, so nothing is decided twice. Its ledger goes to the run's archive
 * for the tenant phase.
 */
export async function runSubscription(request: ScanRequest, ports: SubscriptionScanPorts, options: SubscriptionScanOptions): Promise<SubscriptionScanSummary> {
  const claims = ports.claims;
  const claim = claims ? await claims.acquire(request.subscriptionId, `scan ${request.scanId} (${hostname()}, process ${process.pid})`, options.claimWaitMs ?? DEFAULT_CLAIM_WAIT_MS, undefined, options.delivery) : undefined;
  try {
    // Log Analytics sees what the scan decides as it goes (counts, transitions), and gets it once the scan is stored.
    const telemetry = ports.telemetry ? new SubscriptionTelemetry(ports.telemetry.sink, request, { findingsSnapshot: ports.telemetry.findingsSnapshot }) : undefined;
    const observed = telemetry ? { ...options, observer: telemetry.along(options.observer) } : options;
    const { summary, ledger } = await scanClaimedSubscription(request, ports, observed);
    await ports.ledgers.save(summary.scanId, summary.subscriptionId, ledger);
    const notSent = telemetry ? (await telemetry.finish(summary.finishedAt)).notSent : 0;
    // Rows not sent are counted, never a failure: Table Storage holds the data.
    if (notSent > 0) await ports.runs.recordTelemetryNotSent(summary.scanId, summary.subscriptionId, notSent).catch(() => undefined);
    return notSent > 0 ? { ...summary, telemetryNotSent: notSent } : summary;
  } finally {
    if (claim !== undefined) await claims?.release(claim);
  }
}

/**
 * Reads the subscription's lists, all started at once while the stored state and suppressions load (licenses are
 * needed first, providers only at the end, machine pages one ahead), hands them to the evaluator in order and
 * stores what it decides as it goes, then records what it did. A list that cannot be read becomes an
 * `ESU.Subscription.Access` Error finding; the rest of the scan goes on.
 */
async function scanClaimedSubscription(request: ScanRequest, ports: SubscriptionScanPorts, options: SubscriptionScanOptions) {
  // The subscription's own start and end, wall clock, for its record.
  const startedAt = new Date();
  const { subscriptionId, scanId } = request;
  const rules = ports.rules ?? RULES;
  const sinkPorts = options.observer ? { ...ports, observer: options.observer } : ports;
  const evaluator = new SubscriptionEvaluator({
    scanId,
    subscriptionId,
    time: options.time,
    settings: ports.settings ?? DEFAULT_RULE_SETTINGS,
    rules,
    ...(options.observer?.onMachine ? { onMachine: (machine) => options.observer?.onMachine?.(machine) } : {}),
  });
  const licenseRead = readNow(() => ports.arm.listLicenses(subscriptionId));
  const providerRead = readNow(() => ports.arm.listProviders(subscriptionId));
  const policyRead = readNow(() => ports.arm.listPolicyAssignments(subscriptionId));
  // Each subscription scan reads its own patch evidence, in the CLI as in Azure (its own paging and quota).
  const patchSource = ports.resourceGraph ? perScanPatchEvidence(ports.resourceGraph) : undefined;
  const guestRead = patchSource ? readNow(() => patchSource.guestConfigurationsFor(subscriptionId)) : undefined;
  const assessmentRead = patchSource ? readNow(() => patchSource.assessmentsFor(subscriptionId)) : undefined;
  // The index says how many machines the last complete scan read: a large subscription is read in parallel chains.
  const layout = await ports.findings.layoutOf(subscriptionId);
  const machineRead = readMachinePages(ports.arm, subscriptionId, layout.machinesLastScan, ports.parallelReads);
  const pages = readAhead(machineRead.pages);
  // Tenant-wide license rows belong to the run's tenant phase, not to this subscription's change detection.
  const tenantRuleIds = new Set(tenantPhaseRuleIds(rules));
  // Alerts and suppressions go by the run's start (bookkeeping), rules by `asOf`.
  const sink = await FindingSink.open(sinkPorts, ports.findings.loadSubscriptionState(subscriptionId, tenantRuleIds, layout), options.time.startedAt);
  const flush = (evaluation: Evaluation): Promise<void> => sink.write(evaluation);

  const licenseOutcome = await licenseRead;
  let licenses: unknown[] = [];
  if (licenseOutcome.ok) {
    licenses = licenseOutcome.value;
  } else {
    await flush(evaluator.readFailure(LICENSES_PATH, 'Microsoft.HybridCompute/licenses', licenseOutcome.error));
    // Not readable at all: one finding says so (the other reads fail the same way and are not reported twice).
    if (SubscriptionEvaluator.isUnreadableSubscription(licenseOutcome.error)) return finish();
  }
  await flush(evaluator.policyAssignments(await policyRead));
  await flush(evaluator.licenses(licenses));
  if (guestRead && assessmentRead) await flush(evaluator.patchEvidence(await guestRead, await assessmentRead));
  for (;;) {
    // Only the read is guarded: a storage failure while flushing must fail the scan, not pose as an ARM error.
    let next: IteratorResult<unknown[]>;
    try {
      next = await pages.next();
    } catch (error) {
      await flush(evaluator.machineReadFailed(error));
      break;
    }
    if (next.done) break;
    await flush(evaluator.machines(next.value));
  }
  for (const evaluation of evaluator.providersAndSubscription(await providerRead)) await flush(evaluation);
  return finish();

  async function finish() {
    const { stats } = evaluator;
    const ledger = evaluator.finalLedger();
    // Only a complete read proves that rows from earlier scans are gone for good.
    const relay = await sink.finish(scanId, stats.complete, subscriptionId);
    if (stats.complete) await ports.findings.recordMachines(subscriptionId, stats.machines, layout);
    const summary: SubscriptionScanSummary = {
      scanId,
      subscriptionId,
      startedAt: startedAt.toISOString(),
      finishedAt: new Date().toISOString(),
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
      unreadLists: evaluator.unreadLists,
      machineReadChains: machineRead.chains(),
      largestPartitionRows: Math.max(0, ...sink.partitionSizes()),
    };
    await ports.runs.recordSubscription(summary);
    return { summary, ledger };
  }
}
