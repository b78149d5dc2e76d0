import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { findingSnapshotRecords, heartbeatRecord, ruleCountRecords, transitionRecords, type TelemetryRows } from '../../shared/telemetry/records.js';
import { SubscriptionTelemetry } from '../../shared/telemetry/scanTelemetry.js';
import { NOTHING_SENT, type TelemetrySink } from '../../shared/telemetry/telemetrySink.js';
import { halves, partsOf, wasSplit } from '../../shared/telemetry/uploadParts.js';
import { estimate } from '../../scripts/telemetryVolume.js';
import { finding, PLAN, SCAN_ID, SUBSCRIPTION, TRANSITION } from './telemetryFixtures.js';

describe('telemetry records', () => {
  it('counts findings per rule and result of one subscription scan', () => {
    const rows = ruleCountRecords({ scanId: SCAN_ID, subscriptionId: SUBSCRIPTION, finishedAt: '2026-12-07T03:06:00.000Z' }, [
      finding(), finding(), finding({ result: 'Passed' }), finding({ ruleId: 'ESU.Machine.Connected', result: 'Error', severity: 'Medium' }),
    ]);
    assert.deepEqual(rows.map((r) => [r['RuleId'], r['Result'], r['Findings'], r['Severity']]), [
      ['ESU.Machine.AgentVersion', 'Failed', 2, 'High'],
      ['ESU.Machine.AgentVersion', 'Passed', 1, 'High'],
      ['ESU.Machine.Connected', 'Error', 1, 'Medium'],
    ]);
    assert.ok(rows.every((r) => r['SubscriptionId'] === SUBSCRIPTION.toLowerCase() && r['TimeGenerated'] === '2026-12-07T03:06:00.000Z'));
  });

  it('record ids depend on what a row describes, not on when it is built: a rebuilt row has the same id', () => {
    const a = transitionRecords([TRANSITION])[0]!;
    const b = transitionRecords([{ ...TRANSITION }])[0]!;
    const other = transitionRecords([{ ...TRANSITION, messageId: 'ffffffffffffffffffffffffffffffff' }])[0]!;
    assert.equal(a['RecordId'], b['RecordId']);
    assert.notEqual(a['RecordId'], other['RecordId']);
    const started = heartbeatRecord({ scanId: SCAN_ID, event: 'started', startedAt: '2026-12-07T03:00:00.000Z', subscriptionsRequested: 1 });
    const finished = heartbeatRecord({ scanId: SCAN_ID, event: 'finished', startedAt: '2026-12-07T03:00:00.000Z', finishedAt: '2026-12-07T04:00:00.000Z', subscriptionsRequested: 1 });
    assert.notEqual(started['RecordId'], finished['RecordId']);
    assert.equal(finished['TimeGenerated'], '2026-12-07T04:00:00.000Z');
    assert.ok(!('FinishedAt' in started), 'absent values leave the column empty');
  });

  it('the snapshot keeps non-passing findings only', () => {
    const rows = findingSnapshotRecords([finding(), finding({ result: 'Passed' }), finding({ result: 'PassedWithWarning' }), finding({ result: 'Error' })]);
    assert.deepEqual(rows.map((r) => r['Result']), ['Failed', 'PassedWithWarning', 'Error']);
  });

  it('upload parts are deterministic, under the byte budget, and halve with stable keys', () => {
    const rows = findingSnapshotRecords(Array.from({ length: 50 }, (_, i) => finding({ resourceName: `m-${i}`, resourceId: `/x/m-${i}` })));
    const parts = partsOf(rows, 5_000);
    assert.deepEqual(partsOf(rows, 5_000), parts);
    assert.ok(parts.length > 1);
    assert.deepEqual(parts.map((p) => p.key), parts.map((_, i) => String(i)));
    assert.ok(parts.every((p) => Buffer.byteLength(JSON.stringify(p.records)) <= 5_000));
    assert.deepEqual(parts.flatMap((p) => p.records), rows);
    const [left, right] = halves(parts[0]!);
    assert.deepEqual([left.key, right.key], ['0.0', '0.1']);
    assert.deepEqual([...left.records, ...right.records], parts[0]!.records);
    assert.equal(wasSplit(parts[0]!, new Set(['0.1.0'])), true);
    assert.equal(wasSplit(parts[1]!, new Set(['0.1.0', '10'])), false);
  });

  it('the volume estimate scales measured row sizes: snapshot mode adds the findings table', () => {
    const findings = [finding(), finding({ result: 'Passed' })];
    const result = estimate({ scanId: SCAN_ID, startedAt: PLAN.asOf, finishedAt: PLAN.asOf, summary: { machines: 1, subscriptionsRequested: 1 }, plan: PLAN, findings, messages: [TRANSITION] }, 100_000, 500, 7);
    const snapshot = result.tables.find((t) => t.table.startsWith('EsuFindings_CL'))!;
    assert.equal(snapshot.rowsPerDay, 100_000);
    assert.ok(snapshot.bytesPerRow > 200);
    assert.ok(Math.abs(result.steadyDay.snapshot - result.steadyDay.default - snapshot.gbPerDay) < 1e-9);
  });
});

describe('SubscriptionTelemetry.along', () => {
  it('keeps a class observer whole (methods and state) and hears its findings and messages too', async () => {
    class Collector {
      jobs = 0;
      findings = 0;
      messages = 0;
      onJobs(jobs: readonly unknown[]): void {
        this.jobs += jobs.length;
      }
      onFindings(findings: readonly unknown[]): void {
        this.findings += findings.length;
      }
      onMessages(messages: readonly unknown[]): void {
        this.messages += messages.length;
      }
    }
    const sent: TelemetryRows[] = [];
    const sink: TelemetrySink = { send: async (_unit, rows) => (sent.push(rows), NOTHING_SENT), totals: () => NOTHING_SENT };
    const telemetry = new SubscriptionTelemetry(sink, { scanId: SCAN_ID, subscriptionId: SUBSCRIPTION }, { findingsSnapshot: false });
    const collector = new Collector();
    const observer = telemetry.along(collector);
    observer.onJobs([1, 2]);
    observer.onFindings([finding(), finding({ result: 'Passed' })]);
    observer.onMessages([TRANSITION]);
    assert.deepEqual({ jobs: collector.jobs, findings: collector.findings, messages: collector.messages }, { jobs: 2, findings: 2, messages: 1 });
    await telemetry.finish('2026-12-07T03:06:00.000Z');
    assert.deepEqual(sent.flatMap((rows) => Object.keys(rows)).sort(), ['alertTransitions', 'ruleCounts']);
    assert.equal(sent.find((rows) => rows.ruleCounts)?.ruleCounts?.length, 2);
    assert.equal(telemetry.along(undefined).onFindings !== undefined, true);
  });
});
