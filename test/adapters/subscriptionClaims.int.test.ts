import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { TableClient } from '@azure/data-tables';
import { SubscriptionClaims } from '../../shared/adapters/tables/subscriptionClaims.js';
import { startAzurite, type RunningAzurite } from '../../local/azurite.js';

const SUBSCRIPTION = '1b2c3d4e-0001-4a5b-8c6d-000000000001';

/** Races of two scanners over one subscription's claim, against Azurite, made certain instead of left to timing. */
describe('subscription claims: a release between a refused create and the read', () => {
  let azurite: RunningAzurite;
  let table: TableClient;
  before(async () => {
    azurite = await startAzurite({ service: 'table' });
    table = TableClient.fromConnectionString(azurite.connectionString, 'claims', { allowInsecureConnection: true });
    await table.createTable();
  });
  after(() => azurite.stop());

  it('the waiting scanner is told to wait, not failed, and gets the claim on its next try', async () => {
    const first = new SubscriptionClaims(table);
    const held = await first.tryAcquire(SUBSCRIPTION, 'scanner A');
    assert.ok('etag' in held);
    // Scanner B's create meets A's row (409); A releases before B reads the row (the window a loaded machine widens).
    const releasingBeforeRead = new Proxy(table, {
      get(target, property, receiver) {
        if (property === 'getEntity') {
          return async (...args: Parameters<TableClient['getEntity']>) => {
            await first.release(held);
            return target.getEntity(...args);
          };
        }
        return Reflect.get(target, property, receiver) as unknown;
      },
    });
    const second = new SubscriptionClaims(releasingBeforeRead);
    const outcome = await second.tryAcquire(SUBSCRIPTION, 'scanner B');
    assert.ok('heldBy' in outcome, 'not an error: the claim was just released');
    const claim = await new SubscriptionClaims(table).acquire(SUBSCRIPTION, 'scanner B', 5_000, 10);
    assert.ok('etag' in claim, 'the next try creates it');
  });
});
