/**
 * The upload path end to end without Azure: the real LogsIngestionClient against the loopback ingestion
 * stand-in (which checks rule id, stream, gzip and every record against the compiled template's streams),
 * and the upload ledger in Table Storage (Azurite). Success, 429 with Retry-After, 413 that forces smaller
 * parts, an endpoint down for the whole run (counted, never thrown), and reruns that send nothing twice.
 */
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { TableClient } from '@azure/data-tables';
import { startAzurite, type RunningAzurite } from '../../local/azurite.js';
import { startIngestionStandIn, type IngestionStandIn } from '../../local/ingestionStandIn.js';
import { createLogsIngestionSink, type LogsIngestionConnection } from '../../shared/adapters/logsIngestion/logsIngestionSink.js';
import { UploadLedgerStore } from '../../shared/adapters/tables/uploadLedgerStore.js';
import { findingSnapshotRecords } from '../../shared/telemetry/records.js';
import { fakeCredential } from '../support/testEnvironment.js';
import { compiledSchema, skipWithoutBicep } from './compiledTelemetry.js';
import { everyRow, finding } from './telemetryFixtures.js';

const RULE_ID = 'dcr-0123456789abcdef0123456789abcdef';
const FAST_RETRIES = { maxRetries: 1, retryDelayInMs: 10, maxRetryDelayInMs: 50 };

/** Non-passing findings of many machines: rows of a few hundred bytes each. */
function snapshot(machines: number, scanId = 'scan-1') {
  return findingSnapshotRecords(Array.from({ length: machines }, (_, i) => finding({ scanId, resourceName: `web-${i}`, resourceId: `/subscriptions/s/resourceGroups/rg/providers/Microsoft.HybridCompute/machines/web-${i}` })));
}

const total = (rows: ReturnType<typeof everyRow>): number => Object.values(rows).reduce((sum, list) => sum + (list?.length ?? 0), 0);
const acceptedIds = (standIn: IngestionStandIn, stream: string): string[] => (standIn.accepted.get(stream) ?? []).map((row) => String(row['RecordId']));

describe('Logs Ingestion sink: real client, loopback stand-in, ledger in Azurite', { skip: skipWithoutBicep }, () => {
  let azurite: RunningAzurite;
  let standIn: IngestionStandIn;
  let ledger: UploadLedgerStore;
  let tableNumber = 0;

  before(async () => {
    azurite = await startAzurite({ service: 'table' });
    standIn = await startIngestionStandIn({ ruleId: RULE_ID, streams: compiledSchema().streams });
  });
  after(async () => {
    await standIn.close();
    await azurite.stop();
  });

  async function freshLedger(): Promise<UploadLedgerStore> {
    const table = TableClient.fromConnectionString(azurite.connectionString, `uploadledger${(tableNumber += 1)}`, { allowInsecureConnection: true });
    await table.createTable();
    return new UploadLedgerStore(table);
  }

  function connection(overrides: Partial<LogsIngestionConnection> = {}): LogsIngestionConnection {
    return { endpoint: standIn.endpoint, ruleId: RULE_ID, credential: fakeCredential, trustedCa: standIn.ca, retry: FAST_RETRIES, ...overrides };
  }

  function reset(): void {
    standIn.accepted.clear();
    standIn.requests.length = 0;
    standIn.configure({ replies: [], maxBodyBytes: 1_048_576, down: false });
  }

  it('sends one of every row to its stream; the stand-in accepts each against the compiled declarations', async () => {
    reset();
    ledger = await freshLedger();
    const sink = createLogsIngestionSink(connection(), ledger);
    const rows = everyRow();
    const upload = await sink.send('scan-1/sub-a', rows);
    assert.deepEqual(upload, { sent: total(rows), alreadySent: 0, notSent: 0, errors: [] });
    for (const [kind, list] of Object.entries(rows)) {
      const stream = `Custom-${({ ruleCounts: 'EsuRuleCounts_CL', alertTransitions: 'EsuAlertTransitions_CL', licensePlan: 'EsuLicensePlan_CL', coreMonths: 'EsuCoreMonths_CL', programs: 'EsuPrograms_CL', heartbeat: 'EsuScanHeartbeat_CL', findings: 'EsuFindings_CL' } as Record<string, string>)[kind]}`;
      assert.deepEqual(acceptedIds(standIn, stream), list!.map((row) => row['RecordId']), stream);
    }
    assert.ok(standIn.requests.every((r) => r.status === 204));
  });

  it('a record the stream does not declare is refused (400) and counted, not thrown', async () => {
    reset();
    const sink = createLogsIngestionSink(connection(), await freshLedger());
    const upload = await sink.send('scan-1/sub-bad', { heartbeat: [{ ...everyRow().heartbeat![0]!, Surprise: 'x' }] });
    assert.equal(upload.notSent, 1);
    assert.match(upload.errors.join('\n'), /HTTP 400.*Surprise is not declared/);
  });

  it('429 with Retry-After: waits as told, then the same rows are accepted once', async () => {
    reset();
    standIn.configure({ replies: [{ status: 429, retryAfterSeconds: 1 }] });
    const sink = createLogsIngestionSink(connection({ retry: { maxRetries: 3, retryDelayInMs: 10, maxRetryDelayInMs: 50 } }), await freshLedger());
    const started = Date.now();
    const upload = await sink.send('scan-1/throttled', { heartbeat: everyRow().heartbeat! });
    assert.equal(upload.sent, 2);
    assert.ok(Date.now() - started >= 900, 'the Retry-After of 1 s was honoured');
    assert.deepEqual(standIn.requests.map((r) => r.status), [429, 204]);
    assert.equal(acceptedIds(standIn, 'Custom-EsuScanHeartbeat_CL').length, 2);
  });

  it('413 halves the part until it fits; a rerun of the unit sends nothing again', async () => {
    reset();
    standIn.configure({ maxBodyBytes: 4_000 });
    ledger = await freshLedger();
    const rows = { findings: snapshot(40) };
    const first = createLogsIngestionSink(connection(), ledger);
    const upload = await first.send('scan-1/sub-big', rows);
    assert.deepEqual({ sent: upload.sent, notSent: upload.notSent }, { sent: 40, notSent: 0 });
    assert.ok(standIn.requests.some((r) => r.status === 413), 'the stand-in refused the first, large part');
    assert.ok(standIn.requests.filter((r) => r.status === 204).every((r) => r.bytes <= 4_000));
    const ids = acceptedIds(standIn, 'Custom-EsuFindings_CL');
    assert.equal(new Set(ids).size, 40);
    assert.equal(ids.length, 40);

    const requestsBefore = standIn.requests.length;
    const rerun = createLogsIngestionSink(connection(), ledger);
    const again = await rerun.send('scan-1/sub-big', rows);
    assert.deepEqual(again, { sent: 0, alreadySent: 40, notSent: 0, errors: [] });
    assert.equal(standIn.requests.length, requestsBefore, 'no request at all');
  });

  it('endpoint down for the whole run: every row counted as not sent, later parts not even tried, nothing thrown', async () => {
    reset();
    standIn.configure({ down: true });
    const sink = createLogsIngestionSink(connection({ maxPartBytes: 3_000 }), await freshLedger());
    const a = await sink.send('scan-2/sub-a', { findings: snapshot(30, 'scan-2') });
    const b = await sink.send('scan-2/sub-b', everyRow());
    assert.equal(a.sent + b.sent, 0);
    assert.equal(sink.totals().notSent, 30 + total(everyRow()));
    assert.match(a.errors.join('\n'), /HTTP 503/);
    assert.equal(standIn.requests.length, 1 + FAST_RETRIES.maxRetries, 'one part tried (with its retries), then the run stops trying');
  });

  it('an endpoint found down is tried again once downForMs has passed (a Functions process keeps its sink)', async () => {
    reset();
    standIn.configure({ down: true });
    const sink = createLogsIngestionSink(connection({ downForMs: 200 }), await freshLedger());
    assert.equal((await sink.send('scan-5/sub-a', { heartbeat: everyRow().heartbeat! })).notSent, 2);
    standIn.configure({ down: false });
    assert.equal((await sink.send('scan-5/sub-b', { heartbeat: everyRow().heartbeat! })).notSent, 2, 'still within downForMs: not tried');
    await new Promise((resolve) => setTimeout(resolve, 250));
    assert.equal((await sink.send('scan-5/sub-b', { heartbeat: everyRow().heartbeat! })).sent, 2);
  });

  it('endpoint that does not answer at all (nothing listening): counted, not thrown', async () => {
    const closedPort = await new Promise<number>((resolve) => {
      const server = createServer().listen(0, '127.0.0.1', () => {
        const port = (server.address() as { port: number }).port;
        server.close(() => resolve(port));
      });
    });
    const sink = createLogsIngestionSink(connection({ endpoint: `https://127.0.0.1:${closedPort}` }), await freshLedger());
    const upload = await sink.send('scan-3/sub-a', everyRow());
    assert.deepEqual({ sent: upload.sent, notSent: upload.notSent }, { sent: 0, notSent: total(everyRow()) });
    assert.match(upload.errors[0] ?? '', /no answer/);
  });

  it('a run that stopped half-way: the rerun sends only the parts not accepted, so no record is there twice', async () => {
    reset();
    ledger = await freshLedger();
    const rows = { findings: snapshot(30, 'scan-4') };
    // Two parts accepted, then the endpoint fails (past the retries) and the rest of the run is not sent.
    standIn.configure({ replies: [{ status: 'serve' }, { status: 'serve' }, { status: 503 }, { status: 503 }] });
    const first = createLogsIngestionSink(connection({ maxPartBytes: 3_000 }), ledger);
    const partly = await first.send('scan-4/sub-a', rows);
    assert.ok(partly.sent > 0 && partly.notSent > 0, JSON.stringify(partly));
    assert.equal(partly.sent + partly.notSent, 30);

    const rerun = createLogsIngestionSink(connection({ maxPartBytes: 3_000 }), ledger);
    const rest = await rerun.send('scan-4/sub-a', rows);
    assert.deepEqual({ sent: rest.sent, alreadySent: rest.alreadySent, notSent: rest.notSent }, { sent: partly.notSent, alreadySent: partly.sent, notSent: 0 });
    const ids = acceptedIds(standIn, 'Custom-EsuFindings_CL');
    assert.equal(ids.length, 30);
    assert.equal(new Set(ids).size, 30);
  });
});
