import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import azureFunctions, { type StorageQueueOutput } from '@azure/functions';
import { createScanSchedulerHandler } from '../../shared/adapters/functions/scanSchedulerHandler.js';
import { createSubscriptionScanHandler, MAX_DEQUEUE_COUNT } from '../../shared/adapters/functions/subscriptionScanHandler.js';
import { createOutboxRelayHandler } from '../../shared/adapters/functions/outboxRelayHandler.js';
import { LedgerStore } from '../../shared/adapters/tables/ledgerStore.js';
import { FindingStore, type SubscriptionState } from '../../shared/adapters/tables/findingStore.js';
import { CLAIM_TIMEOUT_MS, RUN_DEADLINE_MS } from '../../shared/config/hostLimits.js';
import { emptyCounts } from '../../shared/domain/scanSummary.js';
import { CONNECTIONS, RESOURCE_NAMES } from '../../shared/config/resourceNames.js';
import type { Dependencies } from '../../shared/runtime/dependencies.js';
import type { ScanRequest } from '../../shared/scan/scanRequest.js';
import { startTestEnvironment, type TestEnvironment } from '../support/testEnvironment.js';

const { InvocationContext, output, trigger } = azureFunctions;

/** A findings table that fails for one subscription: the kind of outage that makes a scan throw. */
class FailingFindingStore extends FindingStore {
  constructor(private readonly inner: FindingStore, private readonly failing: string) {
    const parts = inner as unknown as { table: ConstructorParameters<typeof FindingStore>[0]; partitions: ConstructorParameters<typeof FindingStore>[1]; rules: ConstructorParameters<typeof FindingStore>[2] };
    super(parts.table, parts.partitions, parts.rules);
  }
  override async loadSubscriptionState(subscriptionId: string, excludeRuleIds?: ReadonlySet<string>): Promise<SubscriptionState> {
    if (subscriptionId.toLowerCase() === this.failing) throw new Error('table unavailable (injected)');
    return this.inner.loadSubscriptionState(subscriptionId, excludeRuleIds);
  }
}

/** A ledger table that fails on load: the finisher dies in the tenant phase. */
class FailingLedgerStore extends LedgerStore {
  override async load(): Promise<never> {
    throw new Error('finisher died (injected)');
  }
}

describe('fan-in: a run finishes exactly once, failed subscriptions included', () => {
  let env: TestEnvironment;
  let deps: Dependencies;
  const logs: string[] = [];
  const scanRequests: StorageQueueOutput = output.storageQueue({ queueName: RESOURCE_NAMES.scanRequestQueue, connection: CONNECTIONS.storage });
  const poison: StorageQueueOutput = output.storageQueue({ queueName: `${RESOURCE_NAMES.scanRequestQueue}-poison`, connection: CONNECTIONS.storage });

  const context = (name: string, dequeueCount = 1, messageId?: string) => new InvocationContext({
    invocationId: `${name}-${Math.random()}`,
    functionName: name,
    triggerMetadata: { dequeueCount, ...(messageId ? { id: messageId } : {}) },
    logHandler: (_level, ...args) => logs.push(args.map(String).join(' ')),
    options: { trigger: trigger.storageQueue({ queueName: RESOURCE_NAMES.scanRequestQueue, connection: CONNECTIONS.storage }), extraInputs: [], extraOutputs: [scanRequests, poison] },
  });

  async function plan(): Promise<ScanRequest[]> {
    const ctx = context('scanScheduler');
    await createScanSchedulerHandler(scanRequests, async () => deps)({ isPastDue: false, schedule: { adjustForDST: false }, scheduleStatus: { last: '', next: '', lastUpdated: '' } }, ctx);
    return ctx.extraOutputs.get(scanRequests) as ScanRequest[];
  }

  async function runRow(scanId: string) {
    let row: Record<string, unknown> | undefined;
    for await (const candidate of (deps.runs as unknown as { table: { listEntities: () => AsyncIterable<Record<string, unknown>> } }).table.listEntities()) {
      if (candidate['partitionKey'] === 'run' && candidate['scanId'] === scanId) row = candidate;
    }
    return row;
  }

  before(async () => {
    env = await startTestEnvironment();
    deps = await env.dependencies();
  });
  after(() => env.close());

  it('every message delivered twice, all at once: the tenant phase runs once', async () => {
    const requests = await plan();
    const scan = createSubscriptionScanHandler(async () => deps, poison);
    const before = logs.length;
    await Promise.all([...requests, ...requests].map((request) => scan(JSON.parse(JSON.stringify(request)), context('subscriptionScan'))));
    const finished = logs.slice(before).filter((line) => line.includes('run finished'));
    assert.equal(finished.length, 1, logs.slice(before).join('\n'));
    const run = await runRow(requests[0]!.scanId);
    assert.equal(run?.['state'], 'finished');
    assert.equal(run?.['subscriptionsScanned'], requests.length, 'a duplicate is not counted twice');
  });

  it('a subscription that fails on every delivery counts as done on its last one, and the run finishes', async () => {
    const requests = await plan();
    const [failing, ...others] = requests;
    assert.ok(failing);
    const failingDeps: Dependencies = { ...deps, findings: new FailingFindingStore(deps.findings, failing.subscriptionId) };
    const scan = createSubscriptionScanHandler(async () => failingDeps, poison);
    for (const request of others) await scan(request, context('subscriptionScan'));
    assert.equal((await runRow(failing.scanId))?.['state'], 'running', 'one subscription still to go');

    await assert.rejects(scan(failing, context('subscriptionScan', 1)), /injected/);
    assert.equal((await runRow(failing.scanId))?.['state'], 'running', 'a failure that will be retried is not done yet');

    const before = logs.length;
    await assert.rejects(scan(failing, context('subscriptionScan', MAX_DEQUEUE_COUNT)), /injected/, 'still thrown, so the host moves it to poison');
    const run = await runRow(failing.scanId);
    assert.equal(run?.['state'], 'finished');
    assert.equal(run?.['subscriptionsFailed'], 1);
    assert.equal(run?.['subscriptionsScanned'], others.length);
    assert.equal(logs.slice(before).filter((line) => line.includes('run finished')).length, 1);
  });

  it('a run whose finisher died is finished by the housekeeping timer once the claim is stale', async () => {
    const requests = await plan();
    const scanId = requests[0]!.scanId;
    const dying: Dependencies = { ...deps, ledgers: new FailingLedgerStore((deps.ledgers as unknown as { table: ConstructorParameters<typeof LedgerStore>[0] }).table) };
    const scan = createSubscriptionScanHandler(async () => dying, poison);
    const results = await Promise.allSettled(requests.map((request) => scan(request, context('subscriptionScan'))));
    assert.equal(results.filter((r) => r.status === 'rejected').length, 1, 'the claimer died in the tenant phase');
    assert.equal((await runRow(scanId))?.['state'], 'finishing');

    const relay = createOutboxRelayHandler(async () => deps);
    const timer = { isPastDue: false, schedule: { adjustForDST: false }, scheduleStatus: { last: '', next: '', lastUpdated: '' } };
    await relay(timer, context('outboxRelay'));
    assert.equal((await runRow(scanId))?.['state'], 'finishing', 'a fresh claim is left alone');

    const table = (deps.runs as unknown as { table: { updateEntity: (e: object, mode: string) => Promise<unknown> } }).table;
    const runKey = String((await runRow(scanId))?.['rowKey']);
    await table.updateEntity({ partitionKey: 'run', rowKey: runKey, finishingAt: new Date(Date.now() - CLAIM_TIMEOUT_MS - 60_000).toISOString() }, 'Merge');
    const before = logs.length;
    await relay(timer, context('outboxRelay'));
    assert.equal((await runRow(scanId))?.['state'], 'finished');
    assert.equal(logs.slice(before).filter((line) => line.includes('run finished')).length, 1);
  });

  it("a killed scan's retry takes over the claim its dead delivery left; another message's claim still makes it wait", async () => {
    const requests = await plan();
    const [killed, busy] = requests;
    assert.ok(killed && busy && deps.claims);
    // Short waits: a retry that waited on its own dead claim would give up with SubscriptionBusyError, not hang the test.
    const scan = createSubscriptionScanHandler(async () => deps, poison, undefined, { claimWaitMs: 1_500 });
    // Delivery 1 of message m-killed took the claim and was killed: nothing released it.
    const dead = await deps.claims.tryAcquire(killed.subscriptionId, `scan ${killed.scanId} (killed)`, new Date(), { messageId: 'm-killed', dequeueCount: 1 });
    assert.ok('etag' in dead);
    const started = Date.now();
    const summary = await scan(killed, context('subscriptionScan', 2, 'm-killed'));
    assert.equal(summary?.subscriptionId, killed.subscriptionId);
    assert.ok(Date.now() - started < 60_000, 'scanned at once, not after waiting on its own dead claim');
    const retried = await deps.claims.tryAcquire(killed.subscriptionId, 'probe', new Date());
    assert.ok('etag' in retried, 'the retry released the claim it took over');
    await deps.claims.release(retried);

    // A live scan of another message holds the subscription: a retry of a different message waits, then gives up.
    const live = await deps.claims.tryAcquire(busy.subscriptionId, `scan ${busy.scanId} (alive)`, new Date(), { messageId: 'm-other', dequeueCount: 1 });
    assert.ok('etag' in live);
    await assert.rejects(scan(busy, context('subscriptionScan', 2, 'm-busy')), { name: 'SubscriptionBusyError' });
    // The same message delivered again with the same count (a duplicate, not a retry) waits too.
    await assert.rejects(scan(busy, context('subscriptionScan', 1, 'm-other')), { name: 'SubscriptionBusyError' });
    await deps.claims.release(live);
  });

  it('a run still open past its deadline is finished by the relay: the silent subscriptions count as failed, with the reason', async () => {
    const requests = await plan();
    const [silent, ...others] = requests;
    assert.ok(silent && others.length > 0);
    const scanId = silent.scanId;
    const scan = createSubscriptionScanHandler(async () => deps, poison);
    for (const request of others) await scan(request, context('subscriptionScan'));
    const relay = createOutboxRelayHandler(async () => deps);
    const timer = { isPastDue: false, schedule: { adjustForDST: false }, scheduleStatus: { last: '', next: '', lastUpdated: '' } };
    await relay(timer, context('outboxRelay'));
    assert.equal((await runRow(scanId))?.['state'], 'running', 'before its deadline a run waits for its last subscription');

    const table = (deps.runs as unknown as { table: { updateEntity: (e: object, mode: string) => Promise<unknown> } }).table;
    await table.updateEntity({ partitionKey: 'run', rowKey: String((await runRow(scanId))?.['rowKey']), startedAt: new Date(Date.now() - RUN_DEADLINE_MS - 60_000).toISOString() }, 'Merge');
    const before = logs.length;
    await relay(timer, context('outboxRelay'));
    const run = await runRow(scanId);
    assert.equal(run?.['state'], 'finished');
    assert.equal(run?.['subscriptionsFailed'], 1);
    assert.equal(run?.['subscriptionsScanned'], others.length);
    assert.equal(run?.['subscriptionsUnanswered'], 1);
    assert.equal(typeof run?.['deadlinePassedAt'], 'string');
    assert.equal(await deps.runs.subscriptionStatus(scanId, silent.subscriptionId), 'failed');
    let reason: unknown;
    for await (const row of deps.runs.listSubscriptionScans(scanId)) if (row['subscriptionId'] === silent.subscriptionId) reason = row['error'];
    assert.match(String(reason), /no result 20 hours after the run started/);
    const lines = logs.slice(before);
    assert.equal(lines.filter((line) => line.includes('run finished')).length, 1, lines.join('\n'));
    assert.ok(lines.some((line) => line.includes(`never reported and count as failed (${silent.subscriptionId})`)), lines.join('\n'));
    const stored = await deps.plans.load();
    assert.equal(stored?.scanId, scanId);
    assert.ok(stored?.notes.some((note) => note.code === 'subscription-not-read' && note.resourceId === `/subscriptions/${silent.subscriptionId}`));

    const again = logs.length;
    await relay(timer, context('outboxRelay'));
    assert.equal(logs.slice(again).filter((line) => line.includes('run finished')).length, 0, 'finished once');
    // The late scan still records its result; the run stays finished.
    await scan(silent, context('subscriptionScan'));
    assert.equal((await runRow(scanId))?.['state'], 'finished');
  });

  it('an overdue run with no list of its subscriptions is closed with the reason', async () => {
    const scanId = 'scan-20261101T030000Z-0ld0run0';
    await deps.runs.recordRun({ scanId, startedAt: new Date(Date.now() - RUN_DEADLINE_MS - 60_000).toISOString(), subscriptionsRequested: 3, subscriptionsScanned: 0, machines: 0, counts: emptyCounts(), jobs: 0 }, 'running');
    const relay = createOutboxRelayHandler(async () => deps);
    await relay({ isPastDue: false, schedule: { adjustForDST: false }, scheduleStatus: { last: '', next: '', lastUpdated: '' } }, context('outboxRelay'));
    const run = await runRow(scanId);
    assert.equal(run?.['state'], 'finished');
    assert.match(String(run?.['error']), /3 of 3 subscription\(s\) unaccounted for/);
  });
});
