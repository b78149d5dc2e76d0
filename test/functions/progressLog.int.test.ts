/**
 * The queue-triggered scan logs its progress through the InvocationContext: a line at a set rate, ARM
 * throttling of its own subscription as a warning, a final line. Real parts: Azurite, the HTTPS ARM stand-in.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Timer } from '@azure/functions';
import { ArmWaitFeed } from '../../shared/adapters/arm/armThrottle.js';
import { logInvocationProgress } from '../../shared/adapters/functions/invocationProgress.js';
import { createScanSchedulerHandler } from '../../shared/adapters/functions/scanSchedulerHandler.js';
import { createSubscriptionScanHandler } from '../../shared/adapters/functions/subscriptionScanHandler.js';
import type { Dependencies } from '../../shared/runtime/dependencies.js';
import { parseScanRequest } from '../../shared/scan/scanRequest.js';
import type { ScanRequest } from '../../shared/scan/scanRequest.js';
import { poisonQueue, scanInvocations, scanRequests, type InvocationContext, type LogLine } from '../support/scanInvocations.js';
import { copySampleEstate, startTestEnvironment, type TestEnvironment } from '../support/testEnvironment.js';

const THROTTLED = '1b2c3d4e-0001-4a5b-8c6d-000000000001';
const READABLE = '1b2c3d4e-0002-4a5b-8c6d-000000000002';

const { logLines, newContext } = scanInvocations('progress');

const timer: Timer = { isPastDue: false, schedule: { adjustForDST: false }, scheduleStatus: { last: '', next: '', lastUpdated: '' } };
const linesOf = (context: InvocationContext): LogLine[] => logLines.filter((line) => line.invocationId === context.invocationId);

describe('subscriptionScan logs progress through the invocation context', () => {
  let env: TestEnvironment;
  let deps: Dependencies;
  before(async () => {
    const estateDir = copySampleEstate();
    // Every read of this subscription answers 429 with Retry-After 1: the SDK waits and retries three times.
    writeFileSync(join(estateDir, THROTTLED, 'error.json'), JSON.stringify({
      status: 429,
      body: { error: { code: 'TooManyRequests', message: 'Number of read requests exceeded.' } },
      headers: { 'retry-after': '1' },
    }));
    env = await startTestEnvironment({ estateDir });
    deps = await env.dependencies();
  });
  after(() => env?.close());

  test('throttling of its own subscription is a warning; the other invocation of the instance logs none; both end with a progress line', async () => {
    const scheduler = createScanSchedulerHandler(scanRequests, () => Promise.resolve(deps));
    const schedulerContext = newContext('scanScheduler');
    await scheduler(timer, schedulerContext);
    const requests = (schedulerContext.extraOutputs.get(scanRequests) as unknown[]).map((message) => parseScanRequest(message));
    const byId = (id: string): ScanRequest => requests.find((request) => request.subscriptionId === id)!;
    const handler = createSubscriptionScanHandler(() => Promise.resolve(deps), poisonQueue);
    const throttledContext = newContext('subscriptionScan');
    const readableContext = newContext('subscriptionScan');
    // Side by side on the same dependencies (one Functions instance, one set of ARM clients).
    const [throttled, readable] = await Promise.all([handler(byId(THROTTLED), throttledContext), handler(byId(READABLE), readableContext)]);
    assert.ok(throttled && readable);

    const throttledLines = linesOf(throttledContext);
    const warning = throttledLines.find((line) => line.level === 'warning' && line.message.includes('waiting on ARM throttling'));
    assert.ok(warning, JSON.stringify(throttledLines, null, 1));
    assert.match(warning.message, new RegExp(`^Scan ${throttled.scanId} of ${THROTTLED}: waiting on ARM throttling: \\d+ requests? answered 429 \\(subscription ${THROTTLED}\\); each waits up to 1\\.0 s before it is retried$`));
    const final = throttledLines.find((line) => line.level === 'information' && line.message.startsWith(`Scan ${throttled.scanId} of ${THROTTLED}: done · `));
    assert.ok(final, JSON.stringify(throttledLines, null, 1));
    assert.match(final.message, /: done · 0 machines read .* · ARM: \d+ throttled \(429\), .* waited$/);
    assert.doesNotMatch(final.message, /subscriptions/, 'one invocation scans one subscription');
    const finalAt = throttledLines.indexOf(final);
    assert.ok(throttledLines.findIndex((line) => line.message.includes('machine(s),')) > finalAt, 'the final progress line comes before the summary');

    const readableLines = linesOf(readableContext);
    assert.ok(!readableLines.some((line) => line.level === 'warning' || line.message.includes('waiting on ARM throttling')), JSON.stringify(readableLines, null, 1));
    const readableFinal = readableLines.find((line) => line.message.startsWith(`Scan ${readable.scanId} of ${READABLE}: done · `));
    assert.match(readableFinal?.message ?? '', new RegExp(`: done · ${readable.machines} machines read \\([\\d.,]+/s\\) · took .* · ARM: no throttling or retries$`));
  });
});

describe('invocation progress cadence', () => {
  test('a line every 30 s while the scan runs, warnings at most as often (the first at once, the rest gathered), the final line at stop', () => {
    let time = 0;
    const feed = new ArmWaitFeed();
    const context = newContext('subscriptionScan');
    const request: ScanRequest = { scanId: 'scan-20261201T000000Z-abcdef01', subscriptionId: READABLE.toUpperCase(), requestedAt: '2026-12-01T00:00:00.000Z' };
    const progress = logInvocationProgress(context, request, feed, { tickMs: 0, clock: () => time });
    for (time = 0; time <= 70_000; time += 1_000) {
      progress.observer.onMachine?.({} as never);
      if (time === 2_000 || time === 10_000 || time === 20_000 || time === 40_000) feed.emit({ kind: 'throttled', subscriptionId: READABLE, waitMs: 3_000, status: 429 });
      if (time === 3_000) feed.emit({ kind: 'throttled', subscriptionId: THROTTLED, waitMs: 3_000, status: 429 }); // another invocation's
      progress.tick();
    }
    progress.stop();
    feed.emit({ kind: 'throttled', subscriptionId: READABLE, waitMs: 3_000, status: 429 }); // after stop: not heard
    const lines = linesOf(context).map((line) => `${line.level} ${line.message.replace(`Scan ${request.scanId} of ${request.subscriptionId}: `, '')}`);
    assert.deepEqual(lines.map((line) => line.replace(/ · .*$/, '')), [
      'warning waiting on ARM throttling: 1 request answered 429 (subscription 1b2c3d4e-0002-4a5b-8c6d-000000000002); each waits up to 3.0 s before it is retried',
      'information scanning',
      'warning waiting on ARM throttling: 2 requests answered 429 (subscription 1b2c3d4e-0002-4a5b-8c6d-000000000002); each waits up to 3.0 s before it is retried',
      'information scanning',
      'warning waiting on ARM throttling: 1 request answered 429 (subscription 1b2c3d4e-0002-4a5b-8c6d-000000000002); each waits up to 3.0 s before it is retried',
      'information done',
    ]);
    assert.equal(lines[1], 'information scanning · 31 machines read (1.0/s) · 30 s elapsed · ARM: 3 throttled (429), 9.0 s waited');
    assert.equal(lines[5], 'information done · 71 machines read (1.0/s) · took 1 min 11 s · ARM: 4 throttled (429), 12 s waited');
  });
});
