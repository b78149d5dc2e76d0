/**
 * Telemetry wired into the run, on the sample estate: the CLI's runScan and the Functions handlers (fan-out,
 * subscription scans, the finisher) send rule counts, transitions, the heartbeats and the plan to the ingestion
 * stand-in; with the endpoint down the same run completes with the same results and counts what it did not send.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import azureFunctions, { type StorageQueueOutput } from '@azure/functions';
import { startIngestionStandIn, type IngestionStandIn } from '../../local/ingestionStandIn.js';
import { createScanSchedulerHandler } from '../../shared/adapters/functions/scanSchedulerHandler.js';
import { createSubscriptionScanHandler } from '../../shared/adapters/functions/subscriptionScanHandler.js';
import { telemetryFromSettings } from '../../shared/runtime/telemetryFromSettings.js';
import { CONNECTIONS, RESOURCE_NAMES } from '../../shared/config/resourceNames.js';
import type { Dependencies } from '../../shared/runtime/dependencies.js';
import { runScan } from '../../shared/scan/runScan.js';
import type { ScanRequest } from '../../shared/scan/scanRequest.js';
import { fakeCredential, startTestEnvironment, type TestEnvironment } from '../support/testEnvironment.js';
import { compiledSchema, skipWithoutBicep } from './compiledTelemetry.js';

const { InvocationContext, output, trigger } = azureFunctions;
const RULE_ID = 'dcr-00112233445566778899aabbccddeeff';

describe('telemetry wired into the run (sample estate)', { skip: skipWithoutBicep }, () => {
  let env: TestEnvironment;
  let standIn: IngestionStandIn;
  const logs: string[] = [];

  before(async () => {
    [env, standIn] = await Promise.all([startTestEnvironment(), startIngestionStandIn({ ruleId: RULE_ID, streams: compiledSchema().streams })]);
  });
  after(async () => {
    await standIn.close();
    await env.close();
  });

  async function dependencies(): Promise<Dependencies> {
    const deps = await env.dependencies();
    const settings = { ESU_LOGS_INGESTION_ENDPOINT: standIn.endpoint, ESU_LOGS_INGESTION_RULE_ID: RULE_ID };
    const telemetry = telemetryFromSettings(settings, () => fakeCredential, { kind: 'connectionString', connectionString: env.azurite.connectionString }, { trustedCa: standIn.ca });
    return { ...deps, telemetry };
  }
  const rows = (table: string) => standIn.accepted.get(`Custom-${table}`) ?? [];
  const sum = (table: string, column: string) => rows(table).reduce((total, row) => total + Number(row[column] ?? 0), 0);

  it('CLI run: counts match the summaries, one row per transition, both heartbeats and the plan', async () => {
    standIn.accepted.clear();
    const result = await runScan(await dependencies());
    assert.equal(result.telemetryNotSent, 0);
    const scanned = result.subscriptions.reduce((total, s) => total + Object.values(s.counts).reduce((a, b) => a + b, 0), 0);
    assert.ok(scanned > 0);
    assert.equal(sum('EsuRuleCounts_CL', 'Findings'), scanned);
    assert.equal(rows('EsuAlertTransitions_CL').length, result.subscriptions.reduce((total, s) => total + s.messages, 0));
    assert.deepEqual(rows('EsuScanHeartbeat_CL').map((r) => r['Event']), ['started', 'finished']);
    const finished = rows('EsuScanHeartbeat_CL')[1]!;
    assert.equal(finished['SubscriptionsRequested'], result.run.subscriptionsRequested);
    assert.equal(finished['Machines'], result.run.machines);
    assert.equal(rows('EsuLicensePlan_CL').length, result.tenant?.plan.licenses.length);
    assert.ok(rows('EsuPrograms_CL').length > 0);
  });

  it('CLI run with the endpoint down: the same results, every row counted as not sent', async () => {
    standIn.accepted.clear();
    standIn.configure({ down: true });
    try {
      const result = await runScan(await dependencies());
      assert.ok(result.telemetryNotSent > 0);
      assert.deepEqual(result.failures, []);
      assert.equal(standIn.accepted.size, 0);
    } finally {
      standIn.configure({ down: false });
    }
  });

  it('Functions: fan-out sends the started heartbeat, each scan its counts, the finisher the finished heartbeat and the plan', async () => {
    standIn.accepted.clear();
    const deps = await dependencies();
    const scanRequests: StorageQueueOutput = output.storageQueue({ queueName: RESOURCE_NAMES.scanRequestQueue, connection: CONNECTIONS.storage });
    const poison: StorageQueueOutput = output.storageQueue({ queueName: `${RESOURCE_NAMES.scanRequestQueue}-poison`, connection: CONNECTIONS.storage });
    const context = (name: string) => new InvocationContext({
      invocationId: `${name}-${Math.random()}`,
      functionName: name,
      triggerMetadata: { dequeueCount: 1 },
      logHandler: (_level, ...args) => logs.push(args.map(String).join(' ')),
      options: { trigger: trigger.storageQueue({ queueName: RESOURCE_NAMES.scanRequestQueue, connection: CONNECTIONS.storage }), extraInputs: [], extraOutputs: [scanRequests, poison] },
    });
    const fanOut = context('scanScheduler');
    await createScanSchedulerHandler(scanRequests, async () => deps)({ isPastDue: false, schedule: { adjustForDST: false }, scheduleStatus: { last: '', next: '', lastUpdated: '' } }, fanOut);
    const requests = fanOut.extraOutputs.get(scanRequests) as ScanRequest[];
    assert.deepEqual(rows('EsuScanHeartbeat_CL').map((r) => r['Event']), ['started']);
    const scan = createSubscriptionScanHandler(async () => deps, poison);
    let findings = 0;
    for (const request of requests) {
      const summary = await scan(request, context('subscriptionScan'));
      findings += Object.values(summary!.counts).reduce((a, b) => a + b, 0);
    }
    assert.equal(sum('EsuRuleCounts_CL', 'Findings'), findings);
    const heartbeat = rows('EsuScanHeartbeat_CL');
    assert.deepEqual(heartbeat.map((r) => r['Event']), ['started', 'finished']);
    assert.equal(heartbeat[1]!['SubscriptionsRequested'], requests.length);
    assert.equal(Number(heartbeat[1]!['SubscriptionsRead']) + Number(heartbeat[1]!['SubscriptionsPartlyRead']) + Number(heartbeat[1]!['SubscriptionsNotRead']), requests.length);
    assert.equal(heartbeat[1]!['RecordsNotSent'], 0);
    assert.ok(rows('EsuLicensePlan_CL').length > 0);
  });

  it('Functions with the endpoint down: every scan completes, its rows not sent are on its row and summed on the run\'s', async () => {
    const deps = await dependencies();
    standIn.configure({ down: true });
    try {
      const scanRequests: StorageQueueOutput = output.storageQueue({ queueName: RESOURCE_NAMES.scanRequestQueue, connection: CONNECTIONS.storage });
      const poison: StorageQueueOutput = output.storageQueue({ queueName: `${RESOURCE_NAMES.scanRequestQueue}-poison`, connection: CONNECTIONS.storage });
      const context = (name: string) => new InvocationContext({
        invocationId: `${name}-${Math.random()}`,
        functionName: name,
        triggerMetadata: { dequeueCount: 1 },
        logHandler: (_level, ...args) => logs.push(args.map(String).join(' ')),
        options: { trigger: trigger.storageQueue({ queueName: RESOURCE_NAMES.scanRequestQueue, connection: CONNECTIONS.storage }), extraInputs: [], extraOutputs: [scanRequests, poison] },
      });
      const fanOut = context('scanScheduler');
      await createScanSchedulerHandler(scanRequests, async () => deps)({ isPastDue: false, schedule: { adjustForDST: false }, scheduleStatus: { last: '', next: '', lastUpdated: '' } }, fanOut);
      const requests = fanOut.extraOutputs.get(scanRequests) as ScanRequest[];
      const scan = createSubscriptionScanHandler(async () => deps, poison);
      let perSubscription = 0;
      for (const request of requests) {
        assert.ok(await scan(request, context('subscriptionScan')));
        for await (const row of deps.runs.listSubscriptionScans(request.scanId)) if (row['subscriptionId'] === request.subscriptionId) perSubscription += Number(row['telemetryNotSent'] ?? 0);
      }
      assert.ok(perSubscription > 0);
      const runRow = await (deps.runs as unknown as { table: { getEntity: (p: string, r: string) => Promise<Record<string, unknown>> } }).table.getEntity('run', requests[0]!.scanId);
      assert.equal(runRow['telemetryNotSent'], perSubscription);
      assert.equal(runRow['state'], 'finished');
      assert.ok(logs.some((line) => /Log Analytics row\(s\) not sent/.test(line)));
    } finally {
      standIn.configure({ down: false });
    }
  });
});
