import assert from 'node:assert/strict';
import { createServer as createHttpServer } from 'node:http';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { TableClient } from '@azure/data-tables';
import { ReportCollector } from '../../cli/report.js';
import { startTableFaultProxy, type TableFaultProxy } from '../../local/tableFaultProxy.js';
import { openTable } from '../../shared/adapters/tables/tableClients.js';
import { MessagePublisher, SERVICE_BUS_RETRY } from '../../shared/adapters/serviceBus/messagePublisher.js';
import { exampleMessages } from '../../scripts/generateMessageExamples.js';
import { DEFAULT_TABLE_RESILIENCE, StorageUnavailableError, worstCaseMs, type TableResilience } from '../../shared/adapters/tables/tableRetry.js';
import { RESOURCE_NAMES } from '../../shared/config/resourceNames.js';
import { runScan, type ScanRunResult } from '../../shared/scan/runScan.js';
import { startTestEnvironment, type TestEnvironment } from '../support/testEnvironment.js';

/** While Windows Server 2012 ESU still ran: its machines' delivery findings are open. */
const AS_OF = new Date('2026-09-01T03:00:00Z');
/** Columns that say when or by which run a row was written, not what it records. */
const RUN_COLUMNS = new Set(['timestamp', 'etag', 'odata.etag', 'scanId', 'evaluatedAt', 'alertOpenedAt', 'alertOpenedScanId', 'alertLastNotifiedAt', 'stateDigest', 'occurredAt', 'message', 'createdAt']);

/**
 * Every row of a table without the columns that name the run, keyed by partition and row key; outbox rows by
 * what they say (their row key is the message id, which for a change names the wall-clock time of the state it
 * moves from, so it differs between two runs).
 */
async function tableRows(connectionString: string, tableName: string): Promise<Map<string, Record<string, unknown>>> {
  const client = TableClient.fromConnectionString(connectionString, tableName, { allowInsecureConnection: true });
  const rows = new Map<string, Record<string, unknown>>();
  for await (const entity of client.listEntities<Record<string, unknown>>()) {
    const kept: Record<string, unknown> = {};
    for (const [column, value] of Object.entries(entity)) if (!RUN_COLUMNS.has(column) && !(tableName === RESOURCE_NAMES.jobsTable && column === 'rowKey')) kept[column] = value;
    const key = tableName === RESOURCE_NAMES.jobsTable
      ? [entity.partitionKey, entity['transition'], entity['ruleId'], entity['resourceId']].map(String).join('|')
      : `${String(entity.partitionKey)}|${String(entity.rowKey)}`;
    let unique = key;
    for (let n = 2; rows.has(unique); n += 1) unique = `${key}#${n}`;
    rows.set(unique, kept);
  }
  return rows;
}

/** What a run decided to say: transition, rule, resource and the finding's message id, sorted. */
function decided(run: { collector: ReportCollector }): string[] {
  return run.collector.messages.map((message) => `${message.transition}|${message.finding.ruleId}|${message.finding.resourceId}|${message.finding.messageId}`).sort();
}

async function scan(env: TestEnvironment, at: Date, connectionString?: string): Promise<{ result: ScanRunResult; collector: ReportCollector }> {
  const collector = new ReportCollector();
  // The production retry policy with shorter back-offs (0.02 s doubling to 0.5 s), so the suite stays quick.
  const deps = await env.dependencies({}, { kind: 'connectionString', connectionString: connectionString ?? env.azurite.connectionString, resilience: { ...DEFAULT_TABLE_RESILIENCE, retryDelayInMs: 20, maxRetryDelayInMs: 500 } });
  const result = await runScan(deps, { observer: collector, asOf: at });
  return { result, collector };
}

function rowsWritten(result: ScanRunResult): number {
  return result.subscriptions.reduce((sum, subscription) => sum + subscription.rowsWritten + subscription.rowsRemoved, 0) + (result.tenant?.rowsWritten ?? 0);
}

type Run = Awaited<ReturnType<typeof scan>>;
type Tables = Map<string, Map<string, Record<string, unknown>>>;

async function snapshot(env: TestEnvironment): Promise<Tables> {
  const tables: Tables = new Map();
  for (const table of [RESOURCE_NAMES.findingsTable, RESOURCE_NAMES.jobsTable]) tables.set(table, await tableRows(env.azurite.connectionString, table));
  return tables;
}

/**
 * The same synthetic tenant scanned twice, clean and through the fault proxy: as of 2026-09-01 (first scan:
 * rows and messages written) and as of 2026-12-07 (Windows Server 2012 ESU over: its machines' delivery
 * findings resolved and their rows deleted, others changed), so deletes and replaced rows are retried too.
 */
const LATER = new Date('2026-12-07T03:00:00Z');

describe('a busy storage account (15 % 503, 3 % 500, 3 % dropped connections, seeded)', () => {
  let clean: TestEnvironment;
  let flaky: TestEnvironment;
  let proxy: TableFaultProxy;
  const runs: { clean: Run; flaky: Run; cleanTables: Tables; flakyTables: Tables }[] = [];

  before(async () => {
    // A synthetic tenant of 3 x 120 machines (the 3,000-machine case is measured with
    // `npm run bench -- --subscriptions 1 --machines 3000 --flaky-storage --rescan`, see docs/resilience.md).
    const synthetic = { subscriptions: 3, machinesPerSubscription: 120, seed: 23, referenceTime: AS_OF.toISOString() };
    [clean, flaky] = await Promise.all([startTestEnvironment({ pageSize: 100, synthetic }), startTestEnvironment({ pageSize: 100, synthetic })]);
    proxy = await startTableFaultProxy({ target: new URL(flaky.azurite.connectionString.match(/TableEndpoint=(http:\/\/[^/;]+)/i)?.[1] ?? '').origin, seed: 23 });
    for (const at of [AS_OF, LATER]) {
      // The two tenants have their own Azurite and stand-in: their scans run side by side.
      const [cleanRun, flakyRun] = await Promise.all([scan(clean, at), scan(flaky, at, proxy.connectionStringFor(flaky.azurite.connectionString))]);
      const [cleanTables, flakyTables] = await Promise.all([snapshot(clean), snapshot(flaky)]);
      runs.push({ clean: cleanRun, flaky: flakyRun, cleanTables, flakyTables });
    }
  });
  after(async () => {
    await proxy.close();
    await Promise.all([clean.close(), flaky.close()]);
  });

  it('faults were injected, of every kind', () => {
    assert.ok(proxy.stats.requests > 300, `requests: ${proxy.stats.requests}`);
    assert.ok(proxy.stats.busy503 > 0 && proxy.stats.error500 > 0 && proxy.stats.droppedBefore > 0 && proxy.stats.droppedAfter > 0, JSON.stringify(proxy.stats));
  });

  it('the scans succeed: no subscription fails, the tenant license rules run', () => {
    for (const { clean: cleanRun, flaky: flakyRun } of runs) {
      assert.deepEqual(flakyRun.result.failures, []);
      assert.equal(flakyRun.result.run.subscriptionsScanned, cleanRun.result.run.subscriptionsScanned);
      assert.ok(flakyRun.result.tenant, 'the tenant-wide license rules ran');
    }
    const later = runs[1]?.clean.result.subscriptions ?? [];
    assert.ok(later.reduce((sum, subscription) => sum + subscription.rowsRemoved, 0) > 0, 'the second scan deletes rows');
  });

  it('after each scan, stores exactly what a clean run stores, and decides the same messages once each', () => {
    for (const [index, { clean: cleanRun, flaky: flakyRun, cleanTables, flakyTables }] of runs.entries()) {
      for (const [table, expected] of cleanTables) {
        const actual = flakyTables.get(table) ?? new Map();
        assert.ok(expected.size > 0, `${table} holds rows`);
        assert.deepEqual([...actual.keys()].sort(), [...expected.keys()].sort(), `scan ${index + 1}, ${table}: the same rows`);
        for (const [key, row] of expected) assert.deepEqual(actual.get(key), row, `scan ${index + 1}, ${table} ${key}`);
      }
      assert.ok(decided(cleanRun).length > 0);
      assert.deepEqual(decided(flakyRun), decided(cleanRun), `scan ${index + 1}: the same messages`);
      const ids = flakyRun.collector.messages.map((message) => message.messageId);
      assert.equal(new Set(ids).size, ids.length, 'no message decided twice');
    }
    // The first scan's messages open alerts, moving from no stored state: their ids are the clean run's too.
    const ids = (run: Run) => run.collector.messages.map((message) => message.messageId).sort();
    if (runs[0]) assert.deepEqual(ids(runs[0].flaky), ids(runs[0].clean));
  });

  it('a clean rescan of what the flaky runs stored decides no message and writes no row', async () => {
    const rescan = await scan(flaky, LATER);
    assert.deepEqual(rescan.result.failures, []);
    assert.equal(rescan.collector.messages.length, 0);
    assert.equal(rowsWritten(rescan.result), 0);
  });
});

describe('unreachable storage', () => {
  const quick: TableResilience = { maxRetries: 10, retryDelayInMs: 20, maxRetryDelayInMs: 200, attemptTimeoutMs: 300, deadlineMs: 1_500 };
  let silent: Server;
  let silentPort: number;
  const held = new Set<Socket>();

  before(async () => {
    // Accepts connections and never answers: a black-holed endpoint.
    silent = createServer((socket) => held.add(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    silentPort = (silent.address() as AddressInfo).port;
  });
  after(() => new Promise<void>((resolve) => {
    for (const socket of held) socket.destroy();
    silent.close(() => resolve());
  }));

  it('the production figures bound a request to under 3 minutes', () => {
    assert.ok(worstCaseMs(DEFAULT_TABLE_RESILIENCE) <= 180_000, `${worstCaseMs(DEFAULT_TABLE_RESILIENCE)} ms`);
  });

  for (const [name, port] of [['refused', async () => closedPort()], ['never answering', async () => silentPort]] as const) {
    it(`${name}: one error within the bound, naming the endpoint and what to check`, async () => {
      const endpoint = `http://127.0.0.1:${await port()}`;
      const connectionString = `DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=${Buffer.from('key').toString('base64')};TableEndpoint=${endpoint}/devstoreaccount1;`;
      const started = Date.now();
      await assert.rejects(openTable({ kind: 'connectionString', connectionString, resilience: quick }, `unreachable${name.length}`), (error: unknown) => {
        assert.ok(error instanceof StorageUnavailableError, String(error));
        assert.equal(error.endpoint, endpoint);
        assert.match(error.message, new RegExp(`Table storage at ${endpoint.replace(/\./g, '\\.')}: POST /devstoreaccount1/Tables failed after \\d+ attempt`));
        assert.match(error.message, /DNS/);
        assert.match(error.message, /firewall/);
        return true;
      });
      assert.ok(Date.now() - started <= worstCaseMs(quick) + 1_000, `${Date.now() - started} ms`);
    });
  }
});

describe('throttling without Retry-After, and a refusal no retry can fix', () => {
  /** A table endpoint answering each request with the next of `statuses` (the last one repeats). */
  async function answering(statuses: readonly number[]): Promise<{ endpoint: string; requests: () => number; close: () => Promise<void> }> {
    let count = 0;
    const server = createHttpServer((request, response) => {
      const status = statuses[Math.min(count, statuses.length - 1)] ?? 500;
      count += 1;
      request.resume();
      const code = status === 409 ? 'TableAlreadyExists' : status === 403 ? 'AuthorizationPermissionMismatch' : 'TooManyRequests';
      response.writeHead(status, { 'Content-Type': 'application/json' });
      response.end(JSON.stringify({ 'odata.error': { code, message: { lang: 'en-US', value: `${code}.` } } }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return {
      endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      requests: () => count,
      close: () => new Promise<void>((resolve) => server.close(() => resolve())),
    };
  }
  const quick: TableResilience = { maxRetries: 10, retryDelayInMs: 20, maxRetryDelayInMs: 200, attemptTimeoutMs: 1_000, deadlineMs: 5_000 };
  const connection = (endpoint: string) => ({ kind: 'connectionString' as const, connectionString: `DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=${Buffer.from('key').toString('base64')};TableEndpoint=${endpoint}/devstoreaccount1;`, resilience: quick });

  it('a 429 without Retry-After is retried with back-off like a 503', async () => {
    const server = await answering([429, 429, 409]);
    try {
      await openTable(connection(server.endpoint), 'throttled');
      assert.equal(server.requests(), 3);
    } finally {
      await server.close();
    }
  });

  it('a 403 is not retried: one error naming the endpoint and the role to check', async () => {
    const server = await answering([403]);
    try {
      await assert.rejects(openTable(connection(server.endpoint), 'refused'), (error: unknown) => {
        assert.ok(error instanceof StorageUnavailableError, String(error));
        assert.match(error.message, new RegExp(`^Table storage at ${server.endpoint.replace(/\./g, '\\.')}: POST /devstoreaccount1/Tables was refused \\(status 403 AuthorizationPermissionMismatch`));
        assert.match(error.message, /Storage Table Data Contributor/);
        return true;
      });
      assert.equal(server.requests(), 1);
    } finally {
      await server.close();
    }
  });
});

describe('unreachable Service Bus', () => {
  it('one error naming the namespace and what to check, within the SDK\'s bounded retries; the messages wait in the outbox', async () => {
    const port = await closedPort();
    const publisher = new MessagePublisher({ kind: 'connectionString', connectionString: `Endpoint=sb://127.0.0.1:${port};SharedAccessKeyName=k;SharedAccessKey=v;UseDevelopmentEmulator=true` }, 'esu-remediation');
    const started = Date.now();
    try {
      const outcome = await publisher.publish(exampleMessages().map((example) => example.message));
      assert.deepEqual(outcome.sent, []);
      assert.match(outcome.error ?? '', new RegExp(`^Service Bus at sb://127\\.0\\.0\\.1:${port}: sending to topic esu-remediation failed \\(.+\\); check that the namespace name resolves \\(DNS`));
      assert.match(outcome.error ?? '', /outbox/);
      assert.doesNotMatch(outcome.error ?? '', /SharedAccessKey/);
    } finally {
      await publisher.close();
    }
    const { maxRetries, retryDelayInMs, timeoutInMs } = SERVICE_BUS_RETRY;
    assert.ok(Date.now() - started <= (maxRetries + 1) * timeoutInMs + maxRetries * retryDelayInMs, `${Date.now() - started} ms`);
    assert.ok((maxRetries + 1) * timeoutInMs + maxRetries * retryDelayInMs <= 180_000, 'the production figures bound it under 3 minutes');
  });
});

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
