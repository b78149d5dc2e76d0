/* eslint-disable no-control-regex -- these tests look for escape sequences in what the display writes */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { lineOutput, PIPE_CADENCE, terminalOutput, TTY_CADENCE, type ProgressStream } from '../../cli/progressDisplay.js';
import { ScanProgress } from '../../shared/scan/progress.js';
import { ProgressReporter, type ProgressOutput, type ReportCadence } from '../../shared/scan/progressReporter.js';

function stream(isTTY: boolean, columns?: number): ProgressStream & { written: string } {
  return { isTTY, columns, written: '', write(text: string) { this.written += text; return true; } };
}

/** A subscription id as a hostile ARM could send it: an escape sequence that would clear the screen. */
const HOSTILE_ID = '1b2c3d4e-0001\u001b[2J\u0007';

function scripted(output: ProgressOutput, cadence: ReportCadence) {
  let time = 0;
  const progress = new ScanProgress(() => time);
  const reporter = new ProgressReporter(progress, output, cadence);
  progress.planned(2);
  progress.subscriptionStarted('a');
  const at = (ms: number, step?: () => void) => {
    time = ms;
    step?.();
    reporter.tick();
  };
  return { progress, reporter, at };
}

describe('CLI progress display', () => {
  it('on a TTY rewrites one line in place (\\r, clear to end), fits the width, prints notices above it, ends with a newline', () => {
    const tty = stream(true, 100);
    const { progress, reporter, at } = scripted(terminalOutput(tty), TTY_CADENCE);
    at(100, () => progress.machinesRead(5));
    at(200, () => progress.machinesRead(5));
    at(250);
    at(300, () => progress.armWaited({ kind: 'throttled', subscriptionId: HOSTILE_ID, waitMs: 2_000, status: 429 }));
    reporter.finish();
    const text = tty.written;
    assert.equal(text.split('\n').length - 1, 2, 'newlines only after the notice and at the end');
    assert.ok(text.endsWith('\n'));
    const writes = text.split('\r').filter(Boolean);
    assert.ok(writes.every((w) => w.startsWith('progress: ')), JSON.stringify(writes));
    const lines = writes.filter((w) => !w.startsWith('progress: waiting')); // a notice is a whole line of its own, wrapped if need be
    assert.ok(lines.every((w) => w.replace(/\u001b\[K\n?$/, '').length <= 99), 'every progress line fits 100 columns');
    assert.match(text, /\rprogress: scanning · subscriptions 0\/2 done, 1 running · 5 machines read · 0\.1 s elapsed\u001b\[K/);
    assert.match(text, /\rprogress: waiting on ARM throttling: 1 request answered 429 \(subscription 1b2c3d4e-0001\?\[2J\?\)[^\n]*\u001b\[K\n/, 'the notice on a line of its own, control characters replaced');
    assert.equal((text.match(/\u001b/g) ?? []).length, (text.match(/\u001b\[K/g) ?? []).length, 'no escape sequence but clear-to-end');
    assert.match(text, /\rprogress: done · subscriptions 0\/2 · 10 machines read \(33\/s\) · took 0\.3 s · ARM: 1 throttled \(429\)…\u001b\[K\n$/, 'the final line, cut to the width');
    assert.ok(lines.some((w) => w.length > 99 - 1 && w.includes('…')), 'a longer line is cut, not wrapped');
  });

  it('in a pipe writes whole lines without control characters, and one at the end', () => {
    const pipe = stream(false);
    const { progress, reporter, at } = scripted(lineOutput(pipe), PIPE_CADENCE);
    for (let t = 500; t <= 11_000; t += 500) at(t, () => progress.machinesRead(10));
    at(11_500, () => progress.armWaited({ kind: 'retry', subscriptionId: HOSTILE_ID, status: 503, waitMs: 1_000 }));
    progress.subscriptionFinished('a');
    reporter.finish();
    const lines = pipe.written.split('\n');
    assert.equal(lines.pop(), '', 'every line ends with a newline');
    assert.deepEqual(lines.map((line) => line.replace(/ · .*$/, '')), ['progress: scanning', 'progress: scanning', 'progress: retrying ARM reads: 1 request answered 503 (subscription 1b2c3d4e-0001?[2J?); retried after up to 1.0 s', 'progress: done']);
    assert.match(lines[0] ?? '', /100 machines read \(20\/s\) · 5\.0 s elapsed$/);
    assert.match(lines[3] ?? '', /^progress: done · subscriptions 1\/2 · 220 machines read \(19\/s\) · took 12 s · ARM: 1 retried$/);
    assert.doesNotMatch(pipe.written, /[\r\u001b\u0007]/);
  });
});
