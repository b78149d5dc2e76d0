/* eslint-disable no-control-regex -- these tests look for escape sequences in what the display writes */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { EXIT_CODES } from '../../cli/exitCodes.js';
import { repoRoot } from '../support/repoRoot.js';

interface Outcome { code: number; stdout: string; stderr: string }

const THROTTLED = '1b2c3d4e-0001-4a5b-8c6d-000000000001';

/** `esu-scan scan` piped (stderr is no TTY), as CI or `2> log` sees it: progress lines on stderr, never on stdout. */
describe('esu-scan scan progress on stderr', () => {
  const work = mkdtempSync(join(tmpdir(), 'esu-progress-'));
  after(() => rmSync(work, { recursive: true, force: true }));
  const env: NodeJS.ProcessEnv = { ...process.env, ESU_LOCAL_DATA_DIR: join(work, 'azurite') };
  for (const name of ['ESU_STORAGE', 'ESU_STORAGE__tableServiceUri', 'ESU_SERVICEBUS', 'ESU_SERVICEBUS__fullyQualifiedNamespace', 'ESU_SUBSCRIPTION_IDS']) delete env[name];
  const scan = (...args: string[]): Promise<Outcome> => new Promise((resolve) => {
    execFile(process.execPath, [join(repoRoot(), 'bin', 'esu-scan.js'), 'scan', ...args], { env, cwd: work, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
  const progressLines = (text: string): string[] => text.split('\n').filter((line) => line.startsWith('progress: '));

  it('writes whole progress lines to stderr, the last one with the totals; the summary on stdout is unchanged', async () => {
    const { code, stdout, stderr } = await scan('--estate', join(repoRoot(), 'samples', 'estate'), '--as-of', '2026-09-01');
    assert.equal(code, EXIT_CODES.ok, stderr);
    const lines = progressLines(stderr);
    assert.ok(lines.length >= 1, stderr);
    assert.match(lines.at(-1) ?? '', /^progress: done · subscriptions 4\/4 · 60 machines read \([\d.,]+\/s\) · took [\d.]+ s · ARM: no throttling or retries$/);
    assert.doesNotMatch(stderr, /[\r\u001b]/, 'a pipe gets no carriage returns or escape sequences');
    assert.equal(progressLines(stdout).length, 0, 'progress never goes to stdout');
    assert.match(stdout, /^arc-esu-scanner: scan scan-/);
    assert.match(stdout, /Subscriptions: 4\/4 scanned \(3 read, 1 could not read\)/);
  });

  it('--quiet writes no progress', async () => {
    const { code, stdout, stderr } = await scan('--estate', join(repoRoot(), 'samples', 'estate'), '--quiet');
    assert.equal(code, EXIT_CODES.ok, stderr);
    assert.deepEqual(progressLines(stderr), []);
    assert.equal(stderr, '');
    assert.match(stdout, /Subscriptions: 4\/4 scanned/);
  });

  it('says when it waits on ARM throttling, with a line every few seconds while it waits', async () => {
    // This subscription answers every read 429 with Retry-After 2: the SDK waits 2 s and retries, three times (6 s at least).
    const estate = join(work, 'throttled-estate');
    cpSync(join(repoRoot(), 'samples', 'estate'), estate, { recursive: true });
    writeFileSync(join(estate, THROTTLED, 'error.json'), JSON.stringify({
      status: 429,
      body: { error: { code: 'TooManyRequests', message: `Number of 'read' requests for subscription '${THROTTLED}' actor exceeded.` } },
      headers: { 'retry-after': '2' },
    }));
    const { code, stdout, stderr } = await scan('--estate', estate);
    assert.equal(code, EXIT_CODES.ok, stderr);
    const lines = progressLines(stderr);
    assert.ok(lines.some((line) => line.startsWith(`progress: waiting on ARM throttling: `) && line.includes(`answered 429 (subscription ${THROTTLED})`) && line.endsWith('each waits up to 2.0 s before it is retried')), stderr);
    assert.ok(lines.some((line) => line.startsWith('progress: scanning · subscriptions ')), `a line while the scan waits (the waits take 6 s, a line comes every 5 s): ${stderr}`);
    assert.match(lines.at(-1) ?? '', /^progress: done · subscriptions 4\/4 · \d+ machines read .* · ARM: \d+ throttled \(429\), .* waited$/);
    // After three retries the list could not be read: an access finding, the rest of the scan completes.
    assert.match(stdout, new RegExp(`${THROTTLED} {2}could not read: .*429 TooManyRequests`));
  });
});
