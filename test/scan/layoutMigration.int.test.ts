import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { TableClient } from '@azure/data-tables';
import { RESOURCE_NAMES } from '../../shared/config/resourceNames.js';
import type { Dependencies } from '../../shared/runtime/dependencies.js';
import { runScan } from '../../shared/scan/runScan.js';
import { startTestEnvironment, type TestEnvironment, WS2012_ACTIVE_AS_OF } from '../support/testEnvironment.js';

/**
 * A findings table written before rows carried `stateDigest` and before a subscription's `size` row: the next scan
 * reads it as it is, writes each row again once (with its digest), sends nothing, and loses nothing.
 */
describe('a findings table of the earlier layout', () => {
  let env: TestEnvironment;
  let deps: Dependencies;
  let findings: TableClient;
  let index: TableClient;

  before(async () => {
    env = await startTestEnvironment();
    deps = await env.dependencies();
    findings = TableClient.fromConnectionString(env.azurite.connectionString, RESOURCE_NAMES.findingsTable, { allowInsecureConnection: true });
    index = TableClient.fromConnectionString(env.azurite.connectionString, RESOURCE_NAMES.subscriptionsTable, { allowInsecureConnection: true });
  });
  after(async () => {
    await env.close();
  });

  async function rows(): Promise<Map<string, Record<string, unknown>>> {
    const all = new Map<string, Record<string, unknown>>();
    for await (const entity of findings.listEntities<Record<string, unknown>>()) all.set(`${entity.partitionKey}|${entity.rowKey}`, entity);
    return all;
  }

  it('is read as it is: rows written once more without a message, then nothing', async () => {
    const first = await runScan(deps, { asOf: WS2012_ACTIVE_AS_OF });
    const written = await rows();
    assert.ok(written.size > 20);
    // Back to the earlier layout: no digests, no size rows.
    for (const entity of written.values()) {
      const { etag: _etag, timestamp: _timestamp, stateDigest: _digest, ...columns } = entity;
      await findings.upsertEntity(columns as { partitionKey: string; rowKey: string }, 'Replace');
    }
    for await (const entity of index.listEntities()) {
      if (entity.rowKey === 'size') await index.deleteEntity(entity.partitionKey ?? '', entity.rowKey);
    }

    const migrating = await runScan(deps, { asOf: WS2012_ACTIVE_AS_OF });
    assert.equal(migrating.run.messages ?? 0, 0, 'no message for the layout change');
    // The tenant-wide license rows are written again by the run's tenant phase.
    const rewritten = migrating.subscriptions.reduce((sum, s) => sum + s.rowsWritten, 0) + (migrating.tenant?.rowsWritten ?? 0);
    assert.equal(rewritten, written.size, 'every row written again once');
    const after = await rows();
    assert.deepEqual([...after.keys()].sort(), [...written.keys()].sort(), 'the same rows, where they were');
    assert.ok([...after.values()].filter((entity) => typeof entity['stateDigest'] === 'string' && entity['stateDigest'] !== '').length >= rewritten);
    assert.deepEqual(migrating.run.counts, first.run.counts, 'the same findings');

    const settled = await runScan(deps, { asOf: WS2012_ACTIVE_AS_OF });
    assert.equal(settled.subscriptions.reduce((sum, s) => sum + s.rowsWritten + s.rowsRemoved, 0), 0);
    assert.equal(settled.run.messages ?? 0, 0);
  });
});
