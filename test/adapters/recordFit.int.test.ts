import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ReportCollector } from '../../cli/report.js';
import type { FindingRow } from '../../shared/alerts/transitions.js';
import { findingPartition, findingRowKey, MAX_KEY_CHARS } from '../../shared/adapters/tables/tableKeys.js';
import type { Dependencies } from '../../shared/runtime/dependencies.js';
import { runScan, type ScanRunResult } from '../../shared/scan/runScan.js';
import { armMachine, SUBSCRIPTION_ID } from '../support/armFixtures.js';
import { registered } from '../support/ruleHarness.js';
import { startTestEnvironment, type TestEnvironment, WS2012_ACTIVE_AS_OF } from '../support/testEnvironment.js';

const LONG_DETAILS = 'x'.repeat(40_000);
const LONG_NAME = `srv-${'n'.repeat(896)}`;
const SEPARATED = 'srv-line\u2028para\u2029end';
const LONE = 'srv-lone-\ud800-surrogate';

/** The odd records of the issue, each on a machine that fails a rule (so each must become a stored row). */
const MACHINES = [
  null,
  armMachine({ name: 'srv-long-details', properties: { status: 'Error', errorDetails: [{ code: 'AgentError', message: LONG_DETAILS }] } }),
  armMachine({ name: LONG_NAME }),
  armMachine({ name: SEPARATED, properties: { status: 'Error', errorDetails: [{ code: 'X', message: 'first\u2028second\u2029third' }] } }),
  armMachine({ name: LONE }),
  armMachine({ name: 'srv-ordinary' }),
];

describe('every record fits Table Storage (against Azurite)', () => {
  const estateDir = mkdtempSync(join(tmpdir(), 'esu-records-'));
  let env: TestEnvironment;
  let deps: Dependencies;
  let result: ScanRunResult;
  const collector = new ReportCollector();
  const stored: FindingRow[] = [];

  before(async () => {
    writeFileSync(join(estateDir, 'subscriptions.json'), JSON.stringify({ value: [null, { id: `/subscriptions/${SUBSCRIPTION_ID}`, subscriptionId: SUBSCRIPTION_ID, state: 'Enabled' }] }));
    mkdirSync(join(estateDir, SUBSCRIPTION_ID));
    writeFileSync(join(estateDir, SUBSCRIPTION_ID, 'machines.json'), JSON.stringify({ value: MACHINES }));
    writeFileSync(join(estateDir, SUBSCRIPTION_ID, 'licenses.json'), JSON.stringify({ value: [] }));
    writeFileSync(join(estateDir, SUBSCRIPTION_ID, 'providers.json'), JSON.stringify({ value: registered() }));
    env = await startTestEnvironment({ estateDir });
    deps = await env.dependencies();
    result = await runScan(deps, { asOf: WS2012_ACTIVE_AS_OF, observer: collector });
    for await (const row of deps.findings.query({ subscriptionId: SUBSCRIPTION_ID })) stored.push(row);
  });
  after(async () => {
    await env.close();
    rmSync(estateDir, { recursive: true, force: true });
  });

  it('scans the subscription to the end and stores every non-passing finding', () => {
    assert.deepEqual(result.failures, []);
    assert.equal(result.run.subscriptionsScanned, 1);
    const expected = collector.findings.filter((f) => f.result !== 'Passed').map((f) => `${f.ruleId}|${f.resourceId}`).sort();
    assert.deepEqual(stored.map((f) => `${f.ruleId}|${f.resourceId}`).sort(), expected);
    for (const name of ['srv-long-details', LONG_NAME, SEPARATED, LONE, 'srv-ordinary']) {
      assert.ok(stored.some((f) => f.resourceName === name), `${name.slice(0, 40)} has stored findings`);
    }
    assert.deepEqual(stored.filter((f) => f.messageId.endsWith('.Error.NotStored')).map((f) => f.message), [], 'nothing needed the fallback');
  });

  it('cuts a 40,000-character text with a marker; the evidence stays JSON', () => {
    const connected = stored.find((f) => f.resourceName === 'srv-long-details' && f.ruleId === 'ESU.Machine.Connected');
    assert.ok(connected);
    assert.ok(connected.message.length <= 32_000);
    assert.match(connected.message, /…\[truncated: \d+ characters in all\]$/);
    const details = connected.evidence['errorDetails'];
    assert.equal(typeof details, 'string');
    assert.match(String(details), /^AgentError: x+ …\[truncated/);
  });

  it('hashes a key over the limit and keeps the full id in its column', () => {
    const row = stored.find((f) => f.resourceName === LONG_NAME);
    assert.ok(row);
    assert.ok(row.resourceId.endsWith(LONG_NAME), 'the full id is kept');
    const rowKey = findingRowKey(row.ruleId, row.resourceId);
    assert.ok(rowKey.length <= MAX_KEY_CHARS);
    assert.match(rowKey, /~H[0-9a-f]{32}$/);
  });

  it('keeps U+2028/U+2029 and a lone surrogate as they came', () => {
    assert.ok(stored.some((f) => f.resourceName === SEPARATED && f.message.includes('first\u2028second\u2029third')));
    assert.ok(stored.some((f) => f.resourceId.endsWith(LONE)));
  });

  it('a null list item is counted on its list', () => {
    const list = stored.find((f) => f.messageId === 'Access.Error.Malformed' && f.resourceId.endsWith('/machines'));
    assert.match(list?.message ?? '', /1 null item\(s\) skipped/);
  });

  it('a rescan finds every row again: nothing changes, nothing is sent', async () => {
    const again = new ReportCollector();
    const rescan = await runScan(deps, { asOf: WS2012_ACTIVE_AS_OF, observer: again });
    assert.deepEqual(rescan.failures, []);
    assert.equal(again.messages.length, 0);
    assert.equal(rescan.subscriptions[0]?.rowsWritten, 0);
  });

  it('a record the service still refuses becomes one Error finding naming it; the rest of the batch is stored', async () => {
    const [template] = stored;
    assert.ok(template);
    // 3-byte characters: every column fits a Table property, the entity exceeds the service's 1 MiB.
    const wide = '\u6f22'.repeat(31_000);
    const huge: FindingRow = {
      ...template, resourceId: `${template.resourceId}-huge`, resourceName: wide, resourceType: wide, resourceGroup: wide, message: wide,
      evidence: { a: wide.slice(0, 15_000), b: wide.slice(0, 15_000) }, scanId: wide, evaluatedAt: wide, fingerprint: wide,
      alertOpenedScanId: wide, alertOpenedAt: wide, alertLastNotifiedAt: wide, suppressionId: wide,
    };
    const neighbours = [1, 2].map((n): FindingRow => ({ ...template, resourceId: `${template.resourceId}-neighbour-${n}` }));
    const partition = findingPartition(SUBSCRIPTION_ID, 0);
    await deps.findings.upsert([neighbours[0] as FindingRow, huge, neighbours[1] as FindingRow].map((row) => ({ row, partition })));
    const rows: FindingRow[] = [];
    for await (const row of deps.findings.query({ subscriptionId: SUBSCRIPTION_ID })) rows.push(row);
    for (const neighbour of neighbours) assert.ok(rows.some((r) => r.resourceId === neighbour.resourceId), 'its neighbours are stored');
    const notStored = rows.filter((r) => r.messageId.endsWith('.Error.NotStored'));
    assert.equal(notStored.length, 1);
    assert.equal(notStored[0]?.result, 'Error');
    assert.match(notStored[0]?.message ?? '', /could not be stored/);
    assert.ok(notStored[0]?.message.includes(template.ruleId));
    assert.equal(deps.findings.metrics.rowsNotStored, 1);
  });
});
