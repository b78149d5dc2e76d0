/**
 * Progress over real parts: the real SDK clients against the HTTPS ARM stand-in with ARM-like throttling
 * (a small read budget, so it answers 429 with Retry-After), Azurite for the tables.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ScanProgress } from '../../shared/scan/progress.js';
import { ProgressReporter } from '../../shared/scan/progressReporter.js';
import { runScan } from '../../shared/scan/runScan.js';
import { startTestEnvironment, type TestEnvironment, WS2012_ACTIVE_AS_OF } from '../support/testEnvironment.js';

describe('scan progress under ARM throttling (stand-in)', () => {
  let env: TestEnvironment;
  before(async () => {
    env = await startTestEnvironment({ standIn: { throttle: { burst: 2, refillPerSecond: 10 } } });
  });
  after(() => env?.close());

  it('counts what the run read and says that it waited on ARM throttling', async () => {
    const deps = await env.dependencies();
    const progress = new ScanProgress();
    const notices: string[] = [];
    const lines: string[] = [];
    const reporter = new ProgressReporter(progress, { line: (text) => lines.push(text), notice: (text) => notices.push(text) }, { lineEveryMs: 1_000, noticeEveryMs: 1_000 });
    const result = await runScan(deps, { asOf: WS2012_ACTIVE_AS_OF, progress });
    reporter.finish();

    const snapshot = progress.snapshot();
    assert.deepEqual(snapshot.subscriptions, { total: 4, done: 4, running: 0 });
    assert.equal(snapshot.machines, result.run.machines, 'every machine the run read was counted');
    assert.ok(snapshot.machines > 0);
    const served429 = env.standIn.stats.throttled;
    assert.ok(served429 > 0, 'the stand-in throttled the scan');
    assert.ok(snapshot.arm.throttled > 0 && snapshot.arm.throttled <= served429, `${snapshot.arm.throttled} throttling waits told for ${served429} 429s served`);
    assert.ok(snapshot.arm.throttledWaitMs >= 1_000 * snapshot.arm.throttled, 'each waits the Retry-After the stand-in sent (at least 1 s)');
    assert.ok(notices.some((text) => /^waiting on ARM throttling: \d+ requests? answered 429 \(subscription 1b2c3d4e-/.test(text)), notices.join('\n'));
    assert.match(lines.at(-1) ?? '', /^done · subscriptions 4\/4 · \d+ machines read \([\d.,]+\/s\) · took .* · ARM: \d+ throttled \(429\), [\d.]+ (s|min) .*waited/);

    // Waits are told only while the run listens.
    const before = progress.snapshot().arm.throttled;
    deps.armWaits.emit({ kind: 'throttled', subscriptionId: 'x', waitMs: 1_000, status: 429 });
    assert.equal(progress.snapshot().arm.throttled, before);
  });
});
