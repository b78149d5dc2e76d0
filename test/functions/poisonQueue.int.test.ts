/**
 * The poison-queue trigger, invoked as the host invokes it, over Azurite and the ARM stand-in: a scan request
 * whose deliveries were all killed still lets its run finish, with the subscription counted as failed.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import azureFunctions, { type StorageQueueOutput } from '@azure/functions';
import { createScanSchedulerHandler } from '../../shared/adapters/functions/scanSchedulerHandler.js';
import { createSubscriptionScanHandler } from '../../shared/adapters/functions/subscriptionScanHandler.js';
import { createScanRequestPoisonHandler } from '../../shared/adapters/functions/scanRequestPoisonHandler.js';
import { CONNECTIONS, RESOURCE_NAMES } from '../../shared/config/resourceNames.js';
import { RULES, tenantPhaseRuleIds } from '../../shared/rules/catalog.js';
import type { Dependencies } from '../../shared/runtime/dependencies.js';
import type { ScanRequest } from '../../shared/scan/scanRequest.js';
import { startTestEnvironment, type TestEnvironment } from '../support/testEnvironment.js';

const { InvocationContext, output, trigger } = azureFunctions;
const POISON_QUEUE = `${RESOURCE_NAMES.scanRequestQueue}-poison`;

describe('poison queue: a scan killed on every delivery still lets its run finish', () => {
  let env: TestEnvironment;
  let deps: Dependencies;
  const logs: { level: string; message: string }[] = [];
  const scanRequests: StorageQueueOutput = output.storageQueue({ queueName: RESOURCE_NAMES.scanRequestQueue, connection: CONNECTIONS.storage });
  const poisonOutput: StorageQueueOutput = output.storageQueue({ queueName: POISON_QUEUE, connection: CONNECTIONS.storage });

  const context = (functionName: string, queueName: string, dequeueCount = 1) => new InvocationContext({
    invocationId: `${functionName}-${Math.random()}`,
    functionName,
    triggerMetadata: { dequeueCount },
    logHandler: (level, ...args) => logs.push({ level, message: args.map(String).join(' ') }),
    options: { trigger: trigger.storageQueue({ queueName, connection: CONNECTIONS.storage }), extraInputs: [], extraOutputs: queueName === POISON_QUEUE ? [] : [scanRequests, poisonOutput] },
  });

  async function plan(): Promise<ScanRequest[]> {
    const ctx = context('scanScheduler', RESOURCE_NAMES.scanRequestQueue);
    await createScanSchedulerHandler(scanRequests, async () => deps)({ isPastDue: false, schedule: { adjustForDST: false }, scheduleStatus: { last: '', next: '', lastUpdated: '' } }, ctx);
    return ctx.extraOutputs.get(scanRequests) as ScanRequest[];
  }

  async function rowsOf(scanId: string): Promise<{ run?: Record<string, unknown>; subscriptions: Record<string, unknown>[] }> {
    const subscriptions: Record<string, unknown>[] = [];
    for await (const row of deps.runs.listSubscriptionScans(scanId)) subscriptions.push(row);
    let run: Record<string, unknown> | undefined;
    for await (const candidate of (deps.runs as unknown as { table: { listEntities: () => AsyncIterable<Record<string, unknown>> } }).table.listEntities()) {
      if (candidate['partitionKey'] === 'run' && candidate['scanId'] === scanId) run = candidate;
    }
    return { ...(run ? { run } : {}), subscriptions };
  }

  const linesSince = (start: number) => logs.slice(start).map((line) => line.message);

  before(async () => {
    env = await startTestEnvironment();
    deps = await env.dependencies();
  });
  after(() => env.close());

  it('marks the subscription failed with the reason, and the run finishes with the tenant phase naming it unread', async () => {
    const requests = await plan();
    const [killed, ...others] = requests;
    assert.ok(killed && others.length > 0);
    const scan = createSubscriptionScanHandler(async () => deps, poisonOutput);
    for (const request of others) await scan(request, context('subscriptionScan', RESOURCE_NAMES.scanRequestQueue));
    assert.equal((await rowsOf(killed.scanId)).run?.['state'], 'running', 'the killed subscription never recorded anything');

    const start = logs.length;
    // The host moves the original message, as JSON text, to the poison queue.
    await createScanRequestPoisonHandler(async () => deps)(JSON.stringify(killed), context('scanRequestPoison', POISON_QUEUE));
    const { run, subscriptions } = await rowsOf(killed.scanId);
    assert.equal(run?.['state'], 'finished');
    assert.equal(run?.['subscriptionsFailed'], 1);
    assert.equal(run?.['subscriptionsScanned'], others.length);
    const failedRow = subscriptions.find((row) => row['subscriptionId'] === killed.subscriptionId);
    assert.equal(failedRow?.['status'], 'failed');
    assert.match(String(failedRow?.['error']), /poison queue after 5 deliveries.*function timeout, out of memory or instance scale-in/);
    assert.equal(linesSince(start).filter((line) => line.includes('run finished')).length, 1, linesSince(start).join('\n'));
    assert.ok(logs.slice(start).some((line) => line.level === 'error' && line.message.includes(killed.subscriptionId)), 'the failure is logged as an error');

    const stored = await deps.plans.load();
    assert.equal(stored?.scanId, killed.scanId, 'the tenant phase planned this run');
    assert.equal(stored?.complete, false);
    assert.ok(stored?.notes.some((note) => note.code === 'subscription-not-read' && note.resourceId === `/subscriptions/${killed.subscriptionId}`), JSON.stringify(stored?.notes));

    // The same poison message delivered again changes nothing and finishes nothing twice.
    const again = logs.length;
    await createScanRequestPoisonHandler(async () => deps)(killed, context('scanRequestPoison', POISON_QUEUE, 2));
    assert.equal(linesSince(again).filter((line) => line.includes('run finished')).length, 0);
    assert.equal((await rowsOf(killed.scanId)).subscriptions.find((row) => row['subscriptionId'] === killed.subscriptionId)?.['error'], failedRow?.['error']);
  });

  it('a subscription that already has its result is not marked failed', async () => {
    const requests = await plan();
    const scan = createSubscriptionScanHandler(async () => deps, poisonOutput);
    for (const request of requests) await scan(request, context('subscriptionScan', RESOURCE_NAMES.scanRequestQueue));
    const start = logs.length;
    await createScanRequestPoisonHandler(async () => deps)(requests[0], context('scanRequestPoison', POISON_QUEUE));
    const { run, subscriptions } = await rowsOf(requests[0]!.scanId);
    assert.equal(run?.['subscriptionsFailed'], 0);
    assert.ok(subscriptions.every((row) => row['status'] === 'scanned'));
    assert.equal(linesSince(start).filter((line) => line.includes('run finished')).length, 0, 'finished once, by the last scan');
  });

  it('the record of a malformed request and a request for an unknown run are logged, never thrown', async () => {
    const bad = context('subscriptionScan', RESOURCE_NAMES.scanRequestQueue);
    await createSubscriptionScanHandler(async () => deps, poisonOutput)({ scanId: 'nope' }, bad);
    const record = bad.extraOutputs.get(poisonOutput);
    assert.ok(record, 'subscriptionScan wrote a poison record');
    const start = logs.length;
    await createScanRequestPoisonHandler(async () => deps)(record, context('scanRequestPoison', POISON_QUEUE));
    await createScanRequestPoisonHandler(async () => deps)({ scanId: 'scan-20261207T000000Z-deadbeef', subscriptionId: '00000000-0000-4000-8000-000000000001', requestedAt: '2026-12-07T00:00:00.000Z' }, context('scanRequestPoison', POISON_QUEUE));
    const warnings = logs.slice(start).filter((line) => line.level === 'warning').map((line) => line.message);
    assert.equal(warnings.length, 2, warnings.join('\n'));
    assert.match(warnings[0]!, /not a scan request/);
    assert.match(warnings[1]!, /never recorded/);
  });

  it("the tenant phase keeps the stored rows of the subscription it could not read: nothing resolves, nothing re-opens", async () => {
    const tenantRules = new Set(tenantPhaseRuleIds(RULES));
    const tenantRowsOf = async (subscriptionId: string) => {
      const rows: string[] = [];
      for await (const finding of deps.findings.query({ subscriptionId })) if (tenantRules.has(finding.ruleId)) rows.push(`${finding.ruleId}|${finding.resourceId}|${finding.result}|${finding.alertState ?? ''}`);
      return rows.sort();
    };
    const first = await plan();
    const scan = createSubscriptionScanHandler(async () => deps, poisonOutput);
    for (const request of first) await scan(request, context('subscriptionScan', RESOURCE_NAMES.scanRequestQueue));
    let killed: string | undefined;
    let before: string[] = [];
    for (const request of first) {
      before = await tenantRowsOf(request.subscriptionId);
      if (before.length > 0) { killed = request.subscriptionId; break; }
    }
    assert.ok(killed, 'the sample estate has tenant-phase findings');

    const second = await plan();
    for (const request of second) if (request.subscriptionId !== killed) await scan(request, context('subscriptionScan', RESOURCE_NAMES.scanRequestQueue));
    await createScanRequestPoisonHandler(async () => deps)(second.find((request) => request.subscriptionId === killed), context('scanRequestPoison', POISON_QUEUE));
    assert.equal((await rowsOf(second[0]!.scanId)).run?.['state'], 'finished');
    assert.deepEqual(await tenantRowsOf(killed), before);
  });
});
