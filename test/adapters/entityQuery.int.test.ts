import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { odata, TableClient } from '@azure/data-tables';
import { isRestError } from '@azure/core-rest-pipeline';
import { queryEntities, textColumns, type RawEntity } from '../../shared/adapters/tables/entityQuery.js';
import { startAzurite, type RunningAzurite } from '../../local/azurite.js';

async function all(pages: AsyncIterable<RawEntity[]>): Promise<{ pages: number; entities: RawEntity[] }> {
  const entities: RawEntity[] = [];
  let count = 0;
  for await (const page of pages) {
    count += 1;
    entities.push(...page);
  }
  return { pages: count, entities };
}

describe('queryEntities: stored rows read as plain JSON through the table client pipeline (Azurite)', () => {
  let azurite: RunningAzurite;
  let table: TableClient;
  // Quotes, '+', '%', '&', '=', spaces and non-ASCII in a key: all must survive $filter and the URL.
  const oddKey = "sub ~7C o'brien = 1 + 50% & ü";

  before(async () => {
    azurite = await startAzurite({ service: 'table' });
    table = TableClient.fromConnectionString(azurite.connectionString, 'rawquery', { allowInsecureConnection: true });
    await table.createTable();
    // More than one page (the service answers at most 1,000 entities per page and a continuation).
    for (let start = 0; start < 1_203; start += 100) {
      await table.submitTransaction(Array.from({ length: Math.min(100, 1_203 - start) }, (_, offset) => ['create', {
        partitionKey: 'big', rowKey: `r${String(start + offset).padStart(5, '0')}`, ruleId: 'ESU.Machine.AgentVersion', size: start + offset, note: 'x',
      }] as const));
    }
    await table.createEntity({ partitionKey: oddKey, rowKey: "k'1", ruleId: 'ESU.Odd', stateDigest: 'd1' });
  });
  after(async () => {
    await azurite.stop();
  });

  it('follows continuations until every entity of the partition is read, each once, with only the columns selected', async () => {
    const { pages, entities } = await all(queryEntities(table, { filter: odata`PartitionKey eq ${'big'}`, select: ['PartitionKey', 'RowKey', 'ruleId'] }));
    assert.ok(pages >= 2, `expected a continuation, read ${pages} page(s)`);
    assert.equal(entities.length, 1_203);
    assert.equal(new Set(entities.map((entity) => entity['RowKey'])).size, 1_203);
    assert.equal(entities[0]?.['note'], undefined, 'a column not selected is not sent');
    assert.deepEqual(textColumns(entities[0] ?? {}), { partitionKey: 'big', rowKey: 'r00000', ruleId: 'ESU.Machine.AgentVersion' });
  });

  it('without a filter reads every entity of the table, page by page', async () => {
    const { pages, entities } = await all(queryEntities(table, { select: ['PartitionKey', 'RowKey'] }));
    assert.ok(pages >= 2);
    assert.equal(entities.length, 1_204);
    assert.equal(new Set(entities.map((entity) => `${String(entity['PartitionKey'])}|${String(entity['RowKey'])}`)).size, 1_204);
  });

  it('escapes filter values and keeps odd characters of keys exactly', async () => {
    const { entities } = await all(queryEntities(table, { filter: odata`PartitionKey eq ${oddKey}`, select: ['PartitionKey', 'RowKey', 'stateDigest'] }));
    assert.equal(entities.length, 1);
    assert.deepEqual(textColumns(entities[0] ?? {}), { partitionKey: oddKey, rowKey: "k'1", stateDigest: 'd1' });
  });

  it('keeps only text columns (a number is no text our change detection reads)', async () => {
    const { entities } = await all(queryEntities(table, { filter: odata`PartitionKey eq ${'big'} and RowKey eq ${'r00007'}`, select: ['PartitionKey', 'RowKey', 'size'] }));
    assert.equal(entities[0]?.['size'], 7);
    assert.equal(textColumns(entities[0] ?? {})['size'], undefined);
  });

  it('a missing table is a RestError with the service status and code, not an empty list', async () => {
    const missing = TableClient.fromConnectionString(azurite.connectionString, 'nosuchtable', { allowInsecureConnection: true });
    await assert.rejects(all(queryEntities(missing, { filter: odata`PartitionKey eq ${'big'}`, select: ['PartitionKey'] })), (error: unknown) => {
      assert.ok(isRestError(error));
      assert.equal(error.statusCode, 404);
      assert.equal(error.code, 'TableNotFound');
      return true;
    });
  });

  it('an unparsable filter is refused with the service status (400), not read as no rows', async () => {
    await assert.rejects(all(queryEntities(table, { filter: 'PartitionKey eq', select: ['PartitionKey'] })), (error: unknown) => isRestError(error) && error.statusCode === 400);
  });
});
