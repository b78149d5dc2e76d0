/**
 * The two Functions handlers, invoked the way the host invokes them (an `InvocationContext` and a
 * trigger payload), over real parts: Azurite for the tables and the HTTPS ARM stand-in serving a copy
 * of `samples/estate`. The queue between them is played by the test: what the timer puts in its
 * queue output is fed, message by message, to the queue handler.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Timer } from '@azure/functions';
import { createScanSchedulerHandler } from '../../shared/adapters/functions/scanSchedulerHandler.js';
import { createSubscriptionScanHandler } from '../../shared/adapters/functions/subscriptionScanHandler.js';
import type { CheckResult, Finding } from '../../shared/domain/findings.js';
import type { Dependencies } from '../../shared/runtime/dependencies.js';
import { parseScanRequest } from '../../shared/scan/scanRequest.js';
import type { ScanRequest } from '../../shared/scan/scanRequest.js';
import { RULES, tenantPhaseRuleIds } from '../../shared/rules/catalog.js';
import { emptyCounts, type SubscriptionScanSummary } from '../../shared/domain/scanSummary.js';
import { poisonQueue, scanInvocations, scanRequests, type InvocationContext } from '../support/scanInvocations.js';
import { startTestEnvironment, type TestEnvironment } from '../support/testEnvironment.js';

const DENIED = '1b2c3d4e-0003-4a5b-8c6d-000000000003'; // samples/estate: error.json answers 403

let env: TestEnvironment;
let deps: Dependencies;
let estateIds: string[];
let dependencyCalls = 0;
const { logLines, newContext } = scanInvocations('test');

const provider = (): Promise<Dependencies> => {
  dependencyCalls += 1;
  return env.dependencies();
};
const scanScheduler = createScanSchedulerHandler(scanRequests, provider);
const subscriptionScan = createSubscriptionScanHandler(provider, poisonQueue);

function timer(isPastDue = false): Timer {
  const now = new Date();
  return {
    isPastDue,
    schedule: { adjustForDST: false },
    scheduleStatus: {
      last: new Date(now.getTime() - 86_400_000).toISOString(),
      next: new Date(now.getTime() + 86_400_000).toISOString(),
      lastUpdated: now.toISOString(),
    },
  };
}

async function findingsOf(subscriptionId?: string): Promise<Finding[]> {
  const rows: Finding[] = [];
  for await (const finding of deps.findings.query(subscriptionId ? { subscriptionId } : {})) rows.push(finding);
  return rows;
}

function countByResult(findings: readonly Finding[]): Record<CheckResult, number> {
  const counts = emptyCounts();
  for (const finding of findings) counts[finding.result] += 1;
  return counts;
}

function keyOf(finding: Finding): string {
  return `${finding.ruleId}|${finding.resourceId.toLowerCase()}`;
}

/** Runs the timer handler and returns what it put in its queue output. */
async function runScheduler(): Promise<{ context: InvocationContext; requests: unknown[] }> {
  const context = newContext('scanScheduler');
  const result: unknown = await scanScheduler(timer(), context);
  assert.equal(result, undefined, 'the timer function has no return binding');
  const queued: unknown = context.extraOutputs.get(scanRequests);
  assert.ok(Array.isArray(queued), 'the queue output is an array: one message per element');
  return { context, requests: queued };
}

/** One queue message through the queue handler; `asText` delivers it as the raw JSON text. */
async function runScan(request: ScanRequest, asText = false): Promise<{ context: InvocationContext; summary: SubscriptionScanSummary }> {
  const context = newContext('subscriptionScan');
  // Queue messages travel as text; the host hands JSON messages to Node as parsed objects.
  const message: unknown = asText ? JSON.stringify(request) : JSON.parse(JSON.stringify(request));
  const summary = await subscriptionScan(message, context);
  assert.ok(summary, 'the scan ran');
  return { context, summary };
}

before(async () => {
  env = await startTestEnvironment();
  deps = await env.dependencies();
  const listed = JSON.parse(readFileSync(join(env.estateDir, 'subscriptions.json'), 'utf8')) as { value: { subscriptionId: string }[] };
  estateIds = listed.value.map((s) => s.subscriptionId.toLowerCase()).sort();
  assert.equal(estateIds.length, 4, 'the sample estate has 4 subscriptions');
  assert.ok(estateIds.includes(DENIED));
});

after(async () => {
  await env?.close();
});

describe('Functions handlers over Azurite and the ARM stand-in', () => {
  let requests: ScanRequest[] = [];
  const firstSummaries = new Map<string, SubscriptionScanSummary>();
  const firstRowCounts = new Map<string, number>();

  test('scanScheduler queues one valid request per subscription, all in one scan', async () => {
    const { context, requests: queued } = await runScheduler();
    assert.equal(queued.length, 4);
    requests = queued.map((message) => parseScanRequest(message));
    assert.deepEqual(requests.map((r) => r.subscriptionId).sort(), estateIds);
    const scanIds = new Set(requests.map((r) => r.scanId));
    assert.equal(scanIds.size, 1, 'all requests share one scanId');
    assert.equal(new Set(requests.map((r) => r.requestedAt)).size, 1);
    // What is queued is exactly what parses: no extra fields that a worker would silently drop.
    assert.deepEqual(queued, requests);

    const run = await deps.runs.latestRun();
    assert.equal(run?.['scanId'], requests[0]!.scanId, 'the run is recorded');
    assert.equal(run?.['subscriptionsRequested'], 4);

    const lines = logLines.filter((l) => l.invocationId === context.invocationId);
    assert.ok(lines.some((l) => l.level === 'information' && l.message.includes(`Scan ${requests[0]!.scanId}: queued 4 subscription scan(s)`)), JSON.stringify(lines));
  });

  test('subscriptionScan stores findings in the table and its summary matches them', async () => {
    assert.equal(requests.length, 4, 'depends on the scheduler test');
    for (const [index, request] of requests.entries()) {
      const { summary } = await runScan(request, index % 2 === 1);
      assert.equal(summary.scanId, request.scanId);
      assert.equal(summary.subscriptionId, request.subscriptionId);
      firstSummaries.set(request.subscriptionId, summary);
    }

    // The scan that completed the run also stored the tenant phase's findings (license rules, the license plan).
    const tenantRuleIds = new Set(tenantPhaseRuleIds(RULES));
    for (const request of requests) {
      const summary = firstSummaries.get(request.subscriptionId)!;
      const allStored = await findingsOf(request.subscriptionId);
      firstRowCounts.set(request.subscriptionId, allStored.length);
      const stored = allStored.filter((f) => !tenantRuleIds.has(f.ruleId));
      const label = `subscription ${request.subscriptionId}`;
      assert.ok(allStored.every((f) => f.scanId === request.scanId && f.subscriptionId.toLowerCase() === request.subscriptionId), `${label}: rows belong to this scan`);
      // Rows are the non-passing findings; passes are only counted.
      assert.deepEqual(countByResult(stored), { ...summary.counts, Passed: 0 }, `${label}: summary counts = stored rows by result, passes aside`);
      assert.equal(summary.rowsWritten, stored.length, `${label}: rowsWritten`);
      if (summary.licenses > 0) {
        assert.ok(allStored.some((f) => f.ruleId === 'ESU.License.Capacity'), `${label}: tenant-wide license findings stored`);
      }

      if (request.subscriptionId === DENIED) {
        assert.equal(stored.length, 1, `${label}: only the access finding`);
        const [access] = stored;
        assert.equal(access!.ruleId, 'ESU.Subscription.Access');
        assert.equal(access!.result, 'Error');
        assert.equal(access!.evidence['statusCode'], 403);
        assert.equal(access!.evidence['code'], 'AuthorizationFailed');
        assert.equal(access!.evidence['missingRole'], 'Reader');
        assert.equal(summary.complete, false);
        assert.equal(summary.machines, 0);
        assert.deepEqual(summary.counts, { ...emptyCounts(), Error: 1 });
      } else {
        const rules = new Set(stored.map((f) => f.ruleId));
        assert.ok(rules.has('ESU.Machine.AgentVersion'), `${label}: has ESU.Machine.AgentVersion findings (has ${[...rules].join(', ')})`);
        // Readable: the only access findings allowed are items skipped as malformed (sample 0002 has one).
        const access = stored.filter((f) => f.ruleId === 'ESU.Subscription.Access');
        assert.ok(access.every((f) => f.evidence['code'] === 'MalformedResponse' && f.evidence['statusCode'] === null), `${label}: readable`);
        assert.equal(summary.complete, true);
        assert.ok(summary.machines > 0 && summary.machinesInScope > 0, `${label}: machines were read`);
        assert.ok(stored.every((f) => f.result !== 'Passed'), `${label}: no row for a passing check`);
      }
    }

    const perSubscription = [];
    for await (const row of deps.runs.listSubscriptionScans(requests[0]!.scanId)) perSubscription.push(row);
    assert.equal(perSubscription.length, 4, 'one scan-run row per subscription');
    const run = await deps.runs.latestRun();
    const summaries = [...firstSummaries.values()];
    assert.equal(run?.['subscriptionsScanned'], 4, 'the run row counts the scanned subscriptions');
    assert.equal(run?.['counts_Failed'], summaries.reduce((sum, s) => sum + s.counts.Failed, 0), 'the run row totals the failed findings');
    assert.equal(run?.['machines'], summaries.reduce((sum, s) => sum + s.machines, 0));
    // The last scan's tenant phase planned the tenant's licenses from every subscription's ledger and kept the plan.
    const plan = await deps.plans.load();
    assert.equal(plan?.scanId, requests[0]!.scanId);
    assert.ok(plan?.notes.some((note) => note.code === 'subscription-not-read' && note.text.includes(DENIED)), 'the plan says which subscription it could not read');
    assert.ok(plan?.licenses.some((row) => row.action === 'create'), 'and proposes licenses for the unlinked WS2016 machines');
  });

  test('running the same requests again is idempotent', async () => {
    assert.equal(firstSummaries.size, 4, 'depends on the previous test');
    const before = await findingsOf();
    for (const request of requests) {
      const { summary } = await runScan(request);
      const first = firstSummaries.get(request.subscriptionId)!;
      assert.deepEqual(summary.counts, first.counts, `subscription ${request.subscriptionId}: same counts`);
      assert.equal(summary.rowsRemoved, 0);
      const stored = await findingsOf(request.subscriptionId);
      assert.equal(stored.length, firstRowCounts.get(request.subscriptionId), `subscription ${request.subscriptionId}: same number of rows`);
      const keys = stored.map(keyOf);
      assert.equal(new Set(keys).size, keys.length, `subscription ${request.subscriptionId}: no duplicate rows`);
    }
    const afterRows = await findingsOf();
    assert.equal(afterRows.length, before.length);
    assert.deepEqual(afterRows.map(keyOf).sort(), before.map(keyOf).sort());
  });

  test('a malformed message goes straight to the poison queue with its reason, and writes nothing', async () => {
    const valid = requests[0] ?? { scanId: 'scan-20250101T000000Z-abcd1234', subscriptionId: estateIds[0]!, requestedAt: new Date().toISOString() };
    const cases: { label: string; message: unknown; expected: RegExp }[] = [
      { label: 'not JSON', message: '{"scanId": "scan-1", ', expected: /not JSON/ },
      { label: 'missing subscriptionId (text)', message: JSON.stringify({ scanId: valid.scanId, requestedAt: valid.requestedAt }), expected: /subscriptionId/ },
      { label: 'missing subscriptionId (object)', message: { scanId: valid.scanId, requestedAt: valid.requestedAt }, expected: /subscriptionId/ },
      { label: 'subscriptionId not a GUID', message: { ...valid, subscriptionId: 'contoso-production' }, expected: /subscriptionId: subscriptionId must be a GUID/ },
      { label: 'subscriptionId with a path', message: { ...valid, subscriptionId: `${valid.subscriptionId}/resourceGroups/x` }, expected: /subscriptionId must be a GUID/ },
    ];
    const rowsBefore = (await findingsOf()).map(keyOf).sort();
    const callsBefore = dependencyCalls;
    for (const { label, message, expected } of cases) {
      const context = newContext('subscriptionScan');
      const summary = await subscriptionScan(message, context);
      assert.equal(summary, undefined, `${label}: no scan ran`);
      const poison = context.extraOutputs.get(poisonQueue) as { error?: string; message?: unknown } | undefined;
      assert.ok(poison, `${label}: written to the poison queue (not retried)`);
      assert.match(poison.error ?? '', expected, label);
      assert.match(poison.error ?? '', /scan request/, `${label}: the reason says what was expected`);
      assert.deepEqual(poison.message, message, `${label}: the original message is kept`);
      const lines = logLines.filter((l) => l.invocationId === context.invocationId);
      assert.deepEqual(lines.map((l) => l.level), ['error'], `${label}: one error line`);
    }
    assert.equal(dependencyCalls, callsBefore, 'rejected before any client is built');
    assert.deepEqual((await findingsOf()).map(keyOf).sort(), rowsBefore, 'no rows written');
  });

  test('log lines go through the invocation context', () => {
    const scans = logLines.filter((l) => l.invocationId.startsWith('test-subscriptionScan-'));
    for (const request of requests) {
      const summary = firstSummaries.get(request.subscriptionId)!;
      const expected = `Scan ${request.scanId} of ${request.subscriptionId}: ${summary.machines} machine(s), `;
      assert.equal(scans.filter((l) => l.level === 'information' && l.message.startsWith(expected)).length, 2, `${request.subscriptionId}: one summary line per run`);
    }
    const warnings = scans.filter((l) => l.level === 'warning');
    assert.equal(warnings.length, 2, 'the unreadable subscription warns on each of its two runs');
    assert.ok(warnings.every((l) => l.message.includes(DENIED) && l.message.includes('ESU.Subscription.Access')));
  });
});
