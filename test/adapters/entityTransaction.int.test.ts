import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { RestError } from '@azure/core-rest-pipeline';
import { TableClient } from '@azure/data-tables';
import { submitEntityTransaction } from '../../shared/adapters/tables/entityTransaction.js';
import { startAzurite, type RunningAzurite } from '../../local/azurite.js';

describe('entity group transactions against Azurite', () => {
  let azurite: RunningAzurite;
  let table: TableClient;

  before(async () => {
    azurite = await startAzurite({ service: 'table' });
    table = TableClient.fromConnectionString(azurite.connectionString, 'transactions', { allowInsecureConnection: true });
    await table.createTable();
  });
  after(async () => {
    await azurite.stop();
  });

  // Keys with `'` or `/` are escaped in the URL as the SDK does, but Azurite refuses them in
  // transactions (the SDK's own too); our keys never hold them (tableKeys escapes `/`).
  it('writes what the SDK reads back, with awkward keys and values', async () => {
    const awkward = "it's a/b\\c#?~ é \r\n--changeset_x \"partitionKey\":\"p 9\",\"rowKey\":\"z\"";
    await submitEntityTransaction(table, [
      ['upsert', { partitionKey: 'p 1', rowKey: 'a 1', text: awkward, flag: true, count: -7 }, 'Replace'],
      ['upsert', { partitionKey: 'p 1', rowKey: 'b é', text: '', flag: false, count: 2 ** 31 - 1 }, 'Replace'],
    ]);
    const a = await table.getEntity<{ text: string; flag: boolean; count: number }>('p 1', 'a 1');
    assert.equal(a.text, awkward);
    assert.equal(a.flag, true);
    assert.equal(a.count, -7);
    const b = await table.getEntity<{ text: string; flag: boolean; count: number }>('p 1', 'b é');
    assert.deepEqual([b.text, b.flag, b.count], ['', false, 2 ** 31 - 1]);
  });

  it('replaces or merges on upsert, updates only existing rows, deletes', async () => {
    await submitEntityTransaction(table, [['upsert', { partitionKey: 'p2', rowKey: 'r', keep: 'k', change: 'old' }, 'Replace']]);
    await submitEntityTransaction(table, [['upsert', { partitionKey: 'p2', rowKey: 'r', change: 'merged' }, 'Merge']]);
    assert.deepEqual(pick(await table.getEntity('p2', 'r'), ['keep', 'change']), { keep: 'k', change: 'merged' });
    await submitEntityTransaction(table, [['update', { partitionKey: 'p2', rowKey: 'r', change: 'updated' }, 'Merge']]);
    assert.deepEqual(pick(await table.getEntity('p2', 'r'), ['keep', 'change']), { keep: 'k', change: 'updated' });
    await submitEntityTransaction(table, [['upsert', { partitionKey: 'p2', rowKey: 'r', change: 'replaced' }, 'Replace']]);
    assert.deepEqual(pick(await table.getEntity('p2', 'r'), ['keep', 'change']), { keep: undefined, change: 'replaced' });
    await submitEntityTransaction(table, [['delete', { partitionKey: 'p2', rowKey: 'r' }]]);
    await assert.rejects(table.getEntity('p2', 'r'), (error: RestError) => error.statusCode === 404);
  });

  it('a transaction of deletes replayed after it landed (a retry whose first answer was lost) completes, and leaves the rows gone', async () => {
    const rows = ['a', 'b', 'c'].map((rowKey) => ({ partitionKey: 'p5', rowKey }));
    await submitEntityTransaction(table, rows.map((row) => ['upsert', { ...row, value: 'x' }, 'Replace'] as const));
    await submitEntityTransaction(table, rows.map((row) => ['delete', row] as const));
    // The replay: every row already gone answers 404, which for a delete means done.
    await submitEntityTransaction(table, rows.map((row) => ['delete', row] as const));
    // Partly landed: one row still there is deleted, the others are already gone.
    await submitEntityTransaction(table, [['upsert', { partitionKey: 'p5', rowKey: 'b', value: 'y' }, 'Replace']]);
    await submitEntityTransaction(table, rows.map((row) => ['delete', row] as const));
    await assert.rejects(table.getEntity('p5', 'b'), (error: RestError) => error.statusCode === 404);
  });

  it('applies all or nothing, and names the refusal', async () => {
    const refused = submitEntityTransaction(table, [
      ['upsert', { partitionKey: 'p3', rowKey: 'new', value: 'x' }, 'Replace'],
      ['update', { partitionKey: 'p3', rowKey: 'missing', value: 'y' }, 'Merge'],
    ]);
    await assert.rejects(refused, (error: unknown) => error instanceof RestError && error.statusCode === 404 && error.code === 'ResourceNotFound');
    await assert.rejects(table.getEntity('p3', 'new'), (error: RestError) => error.statusCode === 404, 'the first action was rolled back');
  });

  it('refuses values it cannot write faithfully before sending anything', async () => {
    await assert.rejects(submitEntityTransaction(table, [['upsert', { partitionKey: 'p4', rowKey: 'r', ratio: 1.5 }, 'Replace']]), TypeError);
    await assert.rejects(submitEntityTransaction(table, [['upsert', { partitionKey: 'p4', rowKey: 'r', big: 2 ** 40 }, 'Replace']]), TypeError);
  });

  it('throws a RestError when the table does not exist', async () => {
    const missing = TableClient.fromConnectionString(azurite.connectionString, 'nosuchtable', { allowInsecureConnection: true });
    await assert.rejects(submitEntityTransaction(missing, [['upsert', { partitionKey: 'p', rowKey: 'r', v: 'x' }, 'Replace']]), (error: unknown) => error instanceof RestError && error.statusCode === 404);
  });
});

function pick(entity: Record<string, unknown>, columns: string[]): Record<string, unknown> {
  return Object.fromEntries(columns.map((column) => [column, entity[column]]));
}
