import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { TableClient } from '@azure/data-tables';
import type { PipelineRequest } from '@azure/core-rest-pipeline';
import { FindingStore } from '../../shared/adapters/tables/findingStore.js';
import type { PlacedRow } from '../../shared/scan/findingPorts.js';
import { PartitionIndex } from '../../shared/adapters/tables/partitionIndex.js';
import type { PartitionPlacement } from '../../shared/adapters/tables/partitionPlacement.js';
import { findingPartition, partitionKeyForSubscription } from '../../shared/adapters/tables/tableKeys.js';
import type { FindingRow } from '../../shared/alerts/transitions.js';
import { ruleDescriptions } from '../../shared/rules/catalog.js';
import { startAzurite, type RunningAzurite } from '../../local/azurite.js';

/** A table client that records the requests it sends (method and query string), to see what a call costs. */
function recordingClient(connectionString: string, tableName: string, sent: string[]): TableClient {
  const client = TableClient.fromConnectionString(connectionString, tableName, { allowInsecureConnection: true });
  client.pipeline.addPolicy({
    name: 'record',
    sendRequest: (request: PipelineRequest, next) => {
      sent.push(`${request.method} ${decodeURIComponent(new URL(request.url).search)}`);
      return next(request);
    },
  });
  return client;
}

function row(subscriptionId: string, resourceName: string): FindingRow {
  return {
    scanId: 'scan-1', ruleId: 'ESU.Machine.AgentVersion', ruleGroup: 'Machine', ruleTitle: 'Agent version', result: 'Failed', severity: 'High',
    subscriptionId, resourceId: `/subscriptions/${subscriptionId}/resourceGroups/rg/providers/Microsoft.HybridCompute/machines/${resourceName}`,
    resourceType: 'Microsoft.HybridCompute/machines', resourceName, resourceGroup: 'rg', message: 'old agent', messageId: 'AgentVersion.Failed.BelowMinimum',
    evidence: { agentVersion: '1.20' }, remediation: 'upgrade', evaluatedAt: '2026-11-22T00:00:00.000Z', alertState: 'none', fingerprint: 'f1',
  };
}

/** Rows placed as a scan places them: each new row in the first partition with room. */
function placed(placement: PartitionPlacement, rows: readonly FindingRow[]): PlacedRow[] {
  return rows.map((finding) => ({ row: finding, partition: placement.next() }));
}

describe('findings partitions and their index against Azurite', () => {
  let azurite: RunningAzurite;
  const findingRequests: string[] = [];
  const indexRequests: string[] = [];
  let findingsTable: TableClient;
  let indexTable: TableClient;

  before(async () => {
    azurite = await startAzurite({ service: 'table' });
    findingsTable = recordingClient(azurite.connectionString, 'findings', findingRequests);
    indexTable = recordingClient(azurite.connectionString, 'partitions', indexRequests);
    await findingsTable.createTable();
    await indexTable.createTable();
  });
  after(async () => {
    await azurite.stop();
  });

  it('reads a never-written subscription as empty without querying the findings table', async () => {
    const store = new FindingStore(findingsTable, new PartitionIndex(indexTable), ruleDescriptions());
    findingRequests.length = 0;
    const state = await store.loadSubscriptionState('00000000-0000-0000-0000-00000000000a');
    assert.equal(state.rows.size, 0);
    assert.deepEqual(findingRequests, []);
    assert.equal(state.placement.next().partitionKey, partitionKeyForSubscription('00000000-0000-0000-0000-00000000000a'), 'the first rows go to the subscription key itself');
  });

  it('indexes a partition before its first row, once, and reads it back from then on', async () => {
    const subscriptionId = '00000000-0000-0000-0000-00000000000B';
    const writer = new FindingStore(findingsTable, new PartitionIndex(indexTable), ruleDescriptions());
    const { rows, placement } = await writer.loadSubscriptionState(subscriptionId);
    assert.equal(rows.size, 0);
    indexRequests.length = 0;
    await Promise.all([writer.upsert(placed(placement, [row(subscriptionId, 'm1')])), writer.upsert(placed(placement, [row(subscriptionId, 'm2')]))]);
    await writer.upsert(placed(placement, [row(subscriptionId, 'm3')]));
    assert.equal(indexRequests.filter((request) => request.startsWith('PATCH')).length, 1, 'one index write for three upserts');
    await indexTable.getEntity(partitionKeyForSubscription(subscriptionId), 'findings');

    // Another process (a new store) finds the index row and queries the partition.
    const reader = new FindingStore(findingsTable, new PartitionIndex(indexTable), ruleDescriptions());
    findingRequests.length = 0;
    const state = await reader.loadSubscriptionState(subscriptionId);
    assert.equal(state.rows.size, 3);
    assert.ok([...state.rows.drain()].every(({ state: stored }) => stored.ruleId === 'ESU.Machine.AgentVersion'));
    assert.equal(findingRequests.filter((request) => request.includes('$filter')).length, 1);
  });

  it('spreads a large subscription over partitions of at most the limit, each read with its own equality query', async () => {
    const subscriptionId = '00000000-0000-0000-0000-00000000000d';
    const limit = 40;
    const writer = new FindingStore(findingsTable, new PartitionIndex(indexTable), ruleDescriptions(), { partitionRowLimit: limit });
    const first = await writer.loadSubscriptionState(subscriptionId);
    const machines = Array.from({ length: 150 }, (_, n) => row(subscriptionId, `m${n}`));
    await writer.upsert(placed(first.placement, machines));
    assert.deepEqual(first.placement.sizes(), [40, 40, 40, 30]);

    const sizes = new Map<string, number>();
    for await (const entity of findingsTable.listEntities()) {
      if (entity.subscriptionId === subscriptionId) sizes.set(entity.partitionKey ?? '', (sizes.get(entity.partitionKey ?? '') ?? 0) + 1);
    }
    assert.deepEqual([...sizes.keys()].sort(), [0, 1, 2, 3].map((chunk) => findingPartition(subscriptionId, chunk).partitionKey).sort());
    assert.ok([...sizes.values()].every((count) => count <= limit));

    const reader = new FindingStore(findingsTable, new PartitionIndex(indexTable), ruleDescriptions(), { partitionRowLimit: limit });
    findingRequests.length = 0;
    const again = await reader.loadSubscriptionState(subscriptionId);
    assert.equal(again.rows.size, 150);
    const queries = findingRequests.filter((request) => request.includes('$filter'));
    assert.equal(queries.length, 4, 'one query per partition');
    assert.ok(queries.every((query) => /PartitionKey eq '[^']+'(&|$)/.test(query)), 'equality queries, no ranges');
    // New rows of the next scan go into the last partition's room first, then a fifth.
    const next = placed(again.placement, Array.from({ length: 15 }, (_, n) => row(subscriptionId, `new${n}`)));
    assert.deepEqual(again.placement.sizes(), [40, 40, 40, 40, 5]);
    assert.equal(next[0]?.partition.chunk, 3);
    assert.equal(next.at(-1)?.partition.chunk, 4);

    const queried = [];
    for await (const finding of reader.query({ subscriptionId })) queried.push(finding);
    assert.equal(queried.length, 150, 'a query by subscription reads every partition');
  });

  it('reads a table written with one partition per subscription (the layout before partitions were split) as it is', async () => {
    const subscriptionId = '00000000-0000-0000-0000-00000000000e';
    const partitionKey = partitionKeyForSubscription(subscriptionId);
    await indexTable.upsertEntity({ partitionKey, rowKey: 'findings' }, 'Merge');
    const old = new FindingStore(findingsTable, new PartitionIndex(indexTable), ruleDescriptions());
    await old.upsert([row(subscriptionId, 'old1'), row(subscriptionId, 'old2')].map((finding) => ({ row: finding, partition: findingPartition(subscriptionId, 0) })));
    const state = await new FindingStore(findingsTable, new PartitionIndex(indexTable), ruleDescriptions()).loadSubscriptionState(subscriptionId);
    assert.equal(state.rows.size, 2);
    assert.ok([...state.rows.drain()].every(({ address }) => address.partitionKey === partitionKey), 'rows stay where they are');
    assert.equal(state.placement.next().chunk, 0, 'new rows fill the old partition while it has room');
  });

  it('refuses to call a subscription empty when the index table itself is missing', async () => {
    const missingTable = TableClient.fromConnectionString(azurite.connectionString, 'nosuchtable', { allowInsecureConnection: true });
    await assert.rejects(new PartitionIndex(missingTable).layoutOf('p'), (error: { statusCode?: number }) => error.statusCode === 404);
  });

  it('writes no finding rows when the index cannot be written, and tries the index again next time', async () => {
    const subscriptionId = '00000000-0000-0000-0000-00000000000c';
    const missingIndex = TableClient.fromConnectionString(azurite.connectionString, 'nosuchindex', { allowInsecureConnection: true });
    const store = new FindingStore(findingsTable, new PartitionIndex(missingIndex), ruleDescriptions());
    const partition = findingPartition(subscriptionId, 0);
    await assert.rejects(store.upsert([{ row: row(subscriptionId, 'm1'), partition }]), (error: { statusCode?: number }) => error.statusCode === 404);
    const rows = [];
    for await (const entity of findingsTable.listEntities({ queryOptions: { filter: `PartitionKey eq '${partitionKeyForSubscription(subscriptionId)}'` } })) rows.push(entity);
    assert.equal(rows.length, 0);
    await assert.rejects(store.loadSubscriptionState(subscriptionId), 'the failed write is forgotten; the missing table is an error');
    await missingIndex.createTable();
    await store.upsert([{ row: row(subscriptionId, 'm1'), partition }]);
    assert.equal((await new FindingStore(findingsTable, new PartitionIndex(missingIndex), ruleDescriptions()).loadSubscriptionState(subscriptionId)).rows.size, 1);
  });
});
