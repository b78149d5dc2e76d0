import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { TableClient } from '@azure/data-tables';
import type { PipelineRequest } from '@azure/core-rest-pipeline';
import { FindingStore } from '../../shared/adapters/tables/findingStore.js';
import { PartitionIndex } from '../../shared/adapters/tables/partitionIndex.js';
import { partitionKeyForSubscription } from '../../shared/adapters/tables/tableKeys.js';
import type { FindingRow } from '../../shared/alerts/transitions.js';
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

describe('findings partition index against Azurite', () => {
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

  it('reads a never-written partition as empty without querying the findings table', async () => {
    const store = new FindingStore(findingsTable, new PartitionIndex(indexTable));
    findingRequests.length = 0;
    const state = await store.loadSubscriptionState('00000000-0000-0000-0000-00000000000a');
    assert.equal(state.size, 0);
    assert.deepEqual(findingRequests, []);
  });

  it('indexes a partition before its first row, once, and reads it back from then on', async () => {
    const subscriptionId = '00000000-0000-0000-0000-00000000000B';
    const writer = new FindingStore(findingsTable, new PartitionIndex(indexTable));
    assert.equal((await writer.loadSubscriptionState(subscriptionId)).size, 0);
    indexRequests.length = 0;
    await Promise.all([writer.upsert([row(subscriptionId, 'm1')]), writer.upsert([row(subscriptionId, 'm2')])]);
    await writer.upsert([row(subscriptionId, 'm3')]);
    assert.equal(indexRequests.filter((request) => request.startsWith('PATCH')).length, 1, 'one index write for three upserts');
    await indexTable.getEntity(partitionKeyForSubscription(subscriptionId), 'findings');

    // Another process (a new store) finds the index row and queries the partition.
    const reader = new FindingStore(findingsTable, new PartitionIndex(indexTable));
    findingRequests.length = 0;
    const state = await reader.loadSubscriptionState(subscriptionId);
    assert.deepEqual([...state.values()].map((stored) => stored.resourceName).sort(), ['m1', 'm2', 'm3']);
    assert.equal(findingRequests.filter((request) => request.includes('$filter')).length, 1);
  });

  it('refuses to call a partition empty when the index table itself is missing', async () => {
    const missingTable = TableClient.fromConnectionString(azurite.connectionString, 'nosuchtable', { allowInsecureConnection: true });
    await assert.rejects(new PartitionIndex(missingTable).has('p'), (error: { statusCode?: number }) => error.statusCode === 404);
  });

  it('writes no finding rows when the index cannot be written, and tries the index again next time', async () => {
    const subscriptionId = '00000000-0000-0000-0000-00000000000c';
    const missingIndex = TableClient.fromConnectionString(azurite.connectionString, 'nosuchindex', { allowInsecureConnection: true });
    const store = new FindingStore(findingsTable, new PartitionIndex(missingIndex));
    await assert.rejects(store.upsert([row(subscriptionId, 'm1')]), (error: { statusCode?: number }) => error.statusCode === 404);
    const rows = [];
    for await (const entity of findingsTable.listEntities({ queryOptions: { filter: `PartitionKey eq '${partitionKeyForSubscription(subscriptionId)}'` } })) rows.push(entity);
    assert.equal(rows.length, 0);
    await assert.rejects(store.loadSubscriptionState(subscriptionId), 'the failed write is forgotten; the missing table is an error');
    await missingIndex.createTable();
    await store.upsert([row(subscriptionId, 'm1')]);
    assert.equal((await new FindingStore(findingsTable, new PartitionIndex(missingIndex)).loadSubscriptionState(subscriptionId)).size, 1);
  });
});
