/**
 * A subscription scan's and a run's telemetry, through the sink the settings build (real client, loopback
 * stand-in, upload ledger in Azurite): counts per rule and result, transitions and snapshot rows in batches,
 * the heartbeat and the plan; reruns that repeat nothing and lose nothing; no settings, no telemetry.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startAzurite, type RunningAzurite } from '../../local/azurite.js';
import { startIngestionStandIn, type IngestionStandIn } from '../../local/ingestionStandIn.js';
import { telemetryFromSettings } from '../../shared/runtime/telemetryFromSettings.js';
import type { StorageConnection } from '../../shared/adapters/tables/tableClients.js';
import type { LicensePlan } from '../../shared/domain/licensePlan.js';
import { sendRunFinished, sendRunStarted, SubscriptionTelemetry } from '../../shared/telemetry/scanTelemetry.js';
import { fakeCredential } from '../support/testEnvironment.js';
import { compiledSchema, skipWithoutBicep } from './compiledTelemetry.js';
import { finding, PLAN, SCAN_ID, SUBSCRIPTION, TRANSITION } from './telemetryFixtures.js';

const RULE_ID = 'dcr-fedcba9876543210fedcba9876543210';
const transition = (i: number) => ({ ...TRANSITION, messageId: i.toString(16).padStart(32, '0'), finding: { ...TRANSITION.finding, resourceName: `web-${i}` } });
const findings = Array.from({ length: 12 }, (_, i) => finding({ resourceName: `web-${i}`, resourceId: `/m/web-${i}`, result: i % 3 === 0 ? 'Passed' : 'Failed' }));

describe('scan telemetry through the settings\' sink', { skip: skipWithoutBicep }, () => {
  let azurite: RunningAzurite;
  let standIn: IngestionStandIn;
  let storage: StorageConnection;
  let env: Record<string, string>;

  before(async () => {
    azurite = await startAzurite({ service: 'table' });
    standIn = await startIngestionStandIn({ ruleId: RULE_ID, streams: compiledSchema().streams });
    storage = { kind: 'connectionString', connectionString: azurite.connectionString };
    env = { ESU_LOGS_INGESTION_ENDPOINT: standIn.endpoint, ESU_LOGS_INGESTION_RULE_ID: RULE_ID, ESU_LOGS_FINDINGS_SNAPSHOT: 'true' };
  });
  after(async () => {
    await standIn.close();
    await azurite.stop();
  });

  const rows = (stream: string) => standIn.accepted.get(`Custom-${stream}`) ?? [];

  it('no endpoint or no rule id: no telemetry at all', () => {
    assert.equal(telemetryFromSettings({}, () => fakeCredential, storage).destination, 'none');
    assert.equal(telemetryFromSettings({ ESU_LOGS_INGESTION_ENDPOINT: standIn.endpoint }, () => fakeCredential, storage).destination, 'none');
  });

  it('one subscription scan: rule counts, transitions and snapshot rows in batches; a rerun of the same scan sends nothing again', async () => {
    const scan = async () => {
      const { sink, findingsSnapshot } = telemetryFromSettings(env, () => fakeCredential, storage, { trustedCa: standIn.ca });
      const telemetry = new SubscriptionTelemetry(sink, { scanId: SCAN_ID, subscriptionId: SUBSCRIPTION }, { findingsSnapshot, batchRows: 3 });
      const observer = telemetry.along(undefined);
      observer.onFindings?.(findings.slice(0, 6));
      observer.onMessages?.([transition(1), transition(2), transition(3), transition(4)]);
      observer.onFindings?.(findings.slice(6));
      observer.onMessages?.([transition(5)]);
      return telemetry.finish('2026-12-07T03:06:00.000Z');
    };
    const first = await scan();
    assert.deepEqual({ sent: first.sent, notSent: first.notSent, errors: first.errors }, { sent: 2 + 5 + 8, notSent: 0, errors: [] });
    assert.deepEqual(rows('EsuRuleCounts_CL').map((r) => [r['Result'], r['Findings']]), [['Failed', 8], ['Passed', 4]]);
    assert.equal(rows('EsuAlertTransitions_CL').length, 5);
    assert.equal(rows('EsuFindings_CL').length, 8);

    const again = await scan();
    assert.deepEqual({ sent: again.sent, alreadySent: again.alreadySent }, { sent: 0, alreadySent: 15 });
    assert.equal(rows('EsuAlertTransitions_CL').length, 5);
  });

  it('a rerun that decides other transitions (the first stopped half-way) sends them: nothing lost, nothing twice', async () => {
    standIn.accepted.clear();
    const subscriptionId = '00000000-0000-0000-0000-0000000000bb';
    const run = async (messages: ReturnType<typeof transition>[]) => {
      const { sink } = telemetryFromSettings(env, () => fakeCredential, storage, { trustedCa: standIn.ca });
      const telemetry = new SubscriptionTelemetry(sink, { scanId: SCAN_ID, subscriptionId }, { findingsSnapshot: false, batchRows: 2 });
      telemetry.onMessages(messages);
      return telemetry.finish('2026-12-07T03:06:00.000Z');
    };
    await run([transition(10), transition(11)]);
    // The rows of 10 and 11 were stored before the stop, so the rerun decides only 12 and 13, in a batch of the same size.
    await run([transition(12), transition(13)]);
    const names = rows('EsuAlertTransitions_CL').map((r) => r['ResourceName']);
    assert.deepEqual(names, ['web-10', 'web-11', 'web-12', 'web-13']);
  });

  it('the run: a started and a finished heartbeat, and the license plan\'s three tables', async () => {
    standIn.accepted.clear();
    const { sink } = telemetryFromSettings(env, () => fakeCredential, storage, { trustedCa: standIn.ca });
    const { scanId: _scanId, unplannedMachines: _unplanned, ...overview } = PLAN;
    const plan: LicensePlan = { ...overview, assignments: [], unplanned: [] };
    await sendRunStarted(sink, { scanId: SCAN_ID, startedAt: '2026-12-07T03:00:00.000Z', subscriptionsRequested: 2 });
    const finished = await sendRunFinished(sink, { scanId: SCAN_ID, startedAt: '2026-12-07T03:00:00.000Z', finishedAt: '2026-12-07T03:40:00.000Z', subscriptionsRequested: 2, subscriptionsRead: 1, subscriptionsPartlyRead: 0, subscriptionsNotRead: 1, machines: 12, recordsNotSent: 0 }, plan);
    assert.equal(finished.notSent, 0);
    assert.deepEqual(rows('EsuScanHeartbeat_CL').map((r) => r['Event']), ['started', 'finished']);
    assert.equal(rows('EsuLicensePlan_CL').length, 1);
    assert.equal(rows('EsuCoreMonths_CL')[0]?.['Currency'], 'USD');
    assert.equal(rows('EsuPrograms_CL')[0]?.['EndOfSupport'], '2027-01-12T00:00:00Z');
  });
});
