import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { MachineSubject } from '../../shared/rules/context.js';
import type { Finding } from '../../shared/domain/findings.js';
import { describeNotice, describeProgress, estimateRemainingMs, formatDuration, ScanProgress } from '../../shared/scan/progress.js';
import { ProgressReporter, type ProgressOutput } from '../../shared/scan/progressReporter.js';

/** A clock the test moves by hand. */
function fakeClock(start = 1_000_000): { now: () => number; advance: (ms: number) => void } {
  let time = start;
  return { now: () => time, advance: (ms) => (time += ms) };
}

const SUB_A = '1b2c3d4e-0001-4a5b-8c6d-000000000001';
const SUB_B = '1b2c3d4e-0002-4a5b-8c6d-000000000002';
const SUB_C = '1b2c3d4e-0004-4a5b-8c6d-000000000004';

describe('scan progress model', () => {
  it('counts subscriptions and machines, and computes the rate and the time left from the subscriptions done', () => {
    const clock = fakeClock();
    const progress = new ScanProgress(clock.now);
    assert.equal(progress.snapshot().phase, 'listing subscriptions');
    clock.advance(2_000); // listing subscriptions does not count towards the machine rate
    progress.planned(4);
    for (const id of [SUB_A, SUB_B]) progress.subscriptionStarted(id);
    progress.machinesRead(40);
    clock.advance(500);
    let snapshot = progress.snapshot();
    assert.equal(snapshot.machinesPerSecond, undefined, 'no rate in the first second');
    assert.equal(snapshot.remainingMs, undefined, 'no time left before a subscription has finished');
    assert.equal(describeProgress(snapshot), 'scanning · subscriptions 0/4 done, 2 running · 40 machines read · 2.5 s elapsed');

    clock.advance(1_500);
    progress.machinesRead(1_960);
    progress.subscriptionFinished(SUB_A);
    progress.subscriptionFinished(SUB_A); // twice is once
    snapshot = progress.snapshot();
    assert.deepEqual(snapshot.subscriptions, { total: 4, done: 1, running: 1 });
    assert.equal(snapshot.machines, 2_000);
    assert.equal(snapshot.machinesPerSecond, 1_000, '2,000 machines in the 2 s since scanning began');
    assert.equal(snapshot.remainingMs, 6_000, '1 of 4 done in 2 s: 3 more take about 6 s');
    assert.equal(describeProgress(snapshot), 'scanning · subscriptions 1/4 done, 1 running · 2,000 machines read (1,000/s) · 4.0 s elapsed · about 6.0 s left');
    assert.equal(describeProgress(snapshot, { subscriptions: false }), 'scanning · 2,000 machines read (1,000/s) · 4.0 s elapsed · about 6.0 s left');

    progress.subscriptionFinished(SUB_B);
    progress.phase('done');
    clock.advance(1_000);
    snapshot = progress.snapshot();
    assert.equal(snapshot.remainingMs, undefined);
    assert.equal(describeProgress(snapshot), 'done · subscriptions 2/4 · 2,000 machines read (667/s) · took 5.0 s · ARM: no throttling or retries');
  });

  it('estimates the time left only when it can', () => {
    assert.equal(estimateRemainingMs(10_000, 0, 4), undefined);
    assert.equal(estimateRemainingMs(10_000, 4, 4), undefined);
    assert.equal(estimateRemainingMs(10_000, 1, undefined), undefined);
    assert.equal(estimateRemainingMs(10_000, 2, 5), 15_000);
  });

  it('formats durations people read', () => {
    assert.deepEqual([400, 9_940, 12_400, 65_000, 3_599_000, 7_380_000].map(formatDuration), ['0.4 s', '9.9 s', '12 s', '1 min 05 s', '59 min 59 s', '2 h 03 min']);
  });

  it('says when a scan waits on ARM throttling, and for how long', () => {
    const clock = fakeClock();
    const progress = new ScanProgress(clock.now);
    progress.planned(3);
    progress.armWaited({ kind: 'throttled', subscriptionId: SUB_A, waitMs: 5_000, status: 429 });
    clock.advance(2_000);
    const snapshot = progress.snapshot();
    assert.deepEqual(snapshot.arm.waiting, { kind: 'throttled', remainingMs: 3_000 });
    assert.match(describeProgress(snapshot), / · ARM: 1 throttled \(429\), 5\.0 s waited · waiting on ARM throttling, 3\.0 s left$/);
    clock.advance(3_000);
    assert.equal(progress.snapshot().arm.waiting, undefined, 'the wait is over');
    assert.doesNotMatch(describeProgress(progress.snapshot()), /waiting/);
  });

  it('aggregates throttling and retries into notices between takes', () => {
    const progress = new ScanProgress(fakeClock().now);
    progress.armWaited({ kind: 'throttled', subscriptionId: SUB_A, waitMs: 1_000, status: 429 });
    progress.armWaited({ kind: 'throttled', subscriptionId: SUB_B, waitMs: 5_000, status: 429 });
    progress.armWaited({ kind: 'throttled', subscriptionId: SUB_A, waitMs: 2_000, status: 429 });
    progress.armWaited({ kind: 'throttled', subscriptionId: SUB_C, waitMs: 2_000, status: 429 });
    progress.armWaited({ kind: 'throttled', waitMs: 2_000, status: 429 });
    progress.armWaited({ kind: 'retry', subscriptionId: SUB_B, waitMs: 1_000, status: 503 });
    progress.armWaited({ kind: 'retry', subscriptionId: SUB_B, status: 500 });
    const notices = progress.takeNotices();
    assert.deepEqual(notices.map(describeNotice), [
      `waiting on ARM throttling: 5 requests answered 429 (subscription ${SUB_A}, subscription ${SUB_B} and 2 more); each waits up to 5.0 s before it is retried`,
      `retrying ARM reads: 2 requests answered 503/500 (subscription ${SUB_B}); retried after up to 1.0 s`,
    ]);
    assert.deepEqual(progress.takeNotices(), [], 'taken once');
    progress.armWaited({ kind: 'retry', subscriptionId: SUB_A, code: 'ECONNRESET' });
    progress.armWaited({ kind: 'throttled', waitMs: 800, status: 429 });
    assert.deepEqual(progress.takeNotices().map(describeNotice), [
      'waiting on ARM throttling: 1 request answered 429 (tenant-level reads); each waits up to 0.8 s before it is retried',
      `retrying ARM reads: 1 request failed (ECONNRESET) (subscription ${SUB_A}); retried after a backoff`,
    ]);
    const { arm } = progress.snapshot();
    assert.deepEqual({ throttled: arm.throttled, throttledWaitMs: arm.throttledWaitMs, retries: arm.retries }, { throttled: 6, throttledWaitMs: 12_800, retries: 3 });
  });

  it('treats short read-budget waits as pacing: summed, never shown as waiting, never a notice', () => {
    const clock = fakeClock();
    const progress = new ScanProgress(clock.now);
    progress.planned(1);
    for (let i = 0; i < 30; i += 1) progress.armWaited({ kind: 'budget', subscriptionId: SUB_A, waitMs: 40 });
    assert.equal(progress.snapshot().arm.waiting, undefined);
    assert.deepEqual(progress.takeNotices(), []);
    assert.match(describeProgress(progress.snapshot()), /ARM: 1\.2 s paced to the read budget$/);
    progress.armWaited({ kind: 'budget', subscriptionId: SUB_A, waitMs: 4_000 }); // e.g. ARM said no reads are left
    assert.deepEqual(progress.snapshot().arm.waiting, { kind: 'budget', remainingMs: 4_000 });
    assert.match(describeProgress(progress.snapshot()), /waiting on the ARM read budget, 4\.0 s left$/);
  });

  it('counts machines through an observer and passes everything on to a class-based observer', () => {
    const seen: string[] = [];
    class Collector {
      onMachine(machine: MachineSubject): void {
        seen.push(`machine ${machine.name}`);
      }
      onFindings(findings: readonly Finding[]): void {
        seen.push(`findings ${findings.length}`);
      }
    }
    const progress = new ScanProgress(fakeClock().now);
    const observer = progress.observing(new Collector());
    observer.onMachine?.({ name: 'srv-01' } as MachineSubject);
    observer.onFindings?.([]);
    observer.onJobs?.([]);
    assert.deepEqual(seen, ['machine srv-01', 'findings 0']);
    assert.equal(progress.snapshot().machines, 1);
  });
});

describe('progress reporter cadence', () => {
  function recorder(): ProgressOutput & { lines: { text: string; final: boolean; at: number }[]; notices: { text: string; at: number }[] } {
    return { lines: [], notices: [], line(text, final) { this.lines.push({ text, final, at: now() }); }, notice(text) { this.notices.push({ text, at: now() }); } };
  }
  let now: () => number = () => 0;

  it('writes a line every interval, notices at most every notice interval (the first at once), and the final line once', () => {
    const clock = fakeClock(0);
    now = clock.now;
    const progress = new ScanProgress(clock.now);
    progress.planned(2);
    const output = recorder();
    const reporter = new ProgressReporter(progress, output, { lineEveryMs: 5_000, noticeEveryMs: 5_000 });
    for (let t = 0; t < 12_000; t += 500) {
      if (t === 1_000 || t === 1_500 || t === 3_000 || t === 7_000) progress.armWaited({ kind: 'throttled', subscriptionId: SUB_A, waitMs: 1_000, status: 429 });
      reporter.tick();
      clock.advance(500);
    }
    assert.deepEqual(output.lines.map((l) => [l.at, l.final]), [[5_000, false], [10_000, false]], 'a line every 5 s, none at the start');
    assert.deepEqual(output.notices.map((n) => n.at), [1_000, 6_000, 11_000], 'the first notice at once, then at most every 5 s');
    assert.match(output.notices[1]?.text ?? '', /^waiting on ARM throttling: 2 requests answered 429/, 'the waits in between are aggregated');
    progress.armWaited({ kind: 'retry', subscriptionId: SUB_B, status: 503, waitMs: 1_000 });
    reporter.finish();
    reporter.finish();
    reporter.tick();
    assert.equal(output.notices.length, 4, 'finish writes the pending notice');
    assert.deepEqual(output.lines.map((l) => l.final), [false, false, true], 'one final line');
    assert.match(output.lines.at(-1)?.text ?? '', /^done · subscriptions 0\/2 · 0 machines read/);
  });

  it('rewrites a terminal line at most 10 times a second', () => {
    const clock = fakeClock(0);
    const progress = new ScanProgress(clock.now);
    progress.planned(1);
    let lines = 0;
    const reporter = new ProgressReporter(progress, { line: () => (lines += 1), notice: () => undefined }, { lineEveryMs: 100, noticeEveryMs: 1_000 });
    for (let t = 0; t < 1_000; t += 10) {
      progress.machinesRead(1);
      reporter.tick();
      clock.advance(10);
    }
    assert.ok(lines <= 10, `${lines} lines in one second`);
    assert.ok(lines >= 9, `${lines} lines in one second`);
  });
});
