import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';
import { repoRoot } from '../support/repoRoot.js';

const run = promisify(execFile);

/**
 * The benchmark's own correctness at a tiny scale: it must count what it claims. Its speed and memory
 * figures are reported by `npm run bench`, never asserted here.
 */
describe('npm run bench (tiny scale)', () => {
  it('scans the synthetic estate through every part and agrees with its oracle; a rescan writes and sends nothing', async () => {
    const { stdout } = await run(process.execPath, [join(repoRoot(), 'dist', 'bench', 'run.js'), '--subscriptions', '6', '--machines', '600', '--latency', '5', '--concurrency', '4', '--rescan', '--json'], { maxBuffer: 4 * 1024 * 1024 });
    const figures = JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as Record<string, number> & { cpuMs?: Record<string, number | null> };
    assert.equal(figures['machines'], 600);
    assert.equal(figures['subscriptions'], 6);
    assert.equal(figures['armRequests'], figures['armRequestsMinimum'], 'no request beyond what the pages need');
    assert.equal(figures['findingsStored'], figures['findingsExpected'], 'no finding lost or duplicated');
    assert.equal(figures['findingsEvaluated'], figures['findingsEvaluatedExpected']);
    assert.ok((figures['messagesSent'] ?? 0) > 0);
    assert.equal(figures['duplicateMessageIds'], 0);
    assert.equal(figures['failures'], 0);
    assert.equal(figures['rescanRowsWritten'], 0);
    assert.equal(figures['rescanMessagesSent'], 0);
    // Bytes as sent (encoded AMQP messages): a remediation message is a JSON job of a few KB, never empty.
    assert.ok((figures['messageBytesSent'] ?? 0) > (figures['messagesSent'] ?? 0) * 500, `${figures['messageBytesSent']} bytes for ${figures['messagesSent']} messages`);
    assert.equal(figures['rescanMessageBytesSent'], 0);
    for (const key of ['wallMs', 'lowerBoundMs', 'machinesPerSecond', 'peakRssMb', 'rowsWritten', 'tableTransactions', 'throttled']) {
      assert.equal(typeof figures[key], 'number', `${key} is reported`);
    }
    for (const part of ['scanner', 'armStandIn', 'amqpPeer']) assert.equal(typeof figures.cpuMs?.[part], 'number', `CPU time of ${part} is reported`);
    if (process.platform === 'linux') assert.equal(typeof figures.cpuMs?.['azurite'], 'number', "Azurite's CPU time is read from /proc");
  });

  it('spreads one large subscription over partitions of at most 1,000 rows, loses nothing, and a rescan writes and sends nothing', async () => {
    const { stdout } = await run(process.execPath, [join(repoRoot(), 'dist', 'bench', 'run.js'), '--subscriptions', '1', '--machines', '1500', '--latency', '0', '--rescan', '--json'], { maxBuffer: 4 * 1024 * 1024 });
    const figures = JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as Record<string, number | string>;
    assert.equal(figures['machines'], 1500);
    assert.equal(figures['findingsStored'], figures['findingsExpected'], 'no finding lost or duplicated');
    assert.ok(Number(figures['findingsStored']) > 2_000, `enough rows to need several partitions (${figures['findingsStored']})`);
    assert.ok(Number(figures['findingPartitions']) >= Math.ceil(Number(figures['findingsStored']) / 1_000), `partitions: ${figures['findingPartitions']}`);
    assert.ok(Number(figures['entitiesPerPartitionMax']) <= 1_000, `largest partition: ${figures['entitiesPerPartitionMax']}`);
    assert.ok(['chain', 'throttle', 'storage'].includes(String(figures['bindingBound'])));
    assert.equal(figures['duplicateMessageIds'], 0);
    assert.equal(figures['rescanRowsWritten'], 0);
    assert.equal(figures['rescanMessagesSent'], 0);
  });
});
