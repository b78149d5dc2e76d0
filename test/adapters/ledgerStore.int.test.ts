import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { TableClient } from '@azure/data-tables';
import { LedgerStore } from '../../shared/adapters/tables/ledgerStore.js';
import { LicenseLedger } from '../../shared/plan/licenseLedger.js';
import { startAzurite, type RunningAzurite } from '../../local/azurite.js';
import { esuLicense, need, SUB_A, SUB_B } from '../plan/planEstate.js';

describe('LedgerStore: a subscription\'s licenses and unlinked machines kept between its scan and the tenant phase (Azurite)', () => {
  let azurite: RunningAzurite;
  let store: LedgerStore;
  before(async () => {
    azurite = await startAzurite({ service: 'table' });
    const table = TableClient.fromConnectionString(azurite.connectionString, 'ledgers', { allowInsecureConnection: true });
    await table.createTable();
    store = new LedgerStore(table);
  });
  after(async () => {
    await azurite.stop();
  });

  it('thousands of needs over many chunks, names outside the BMP split nowhere, read back whole and merged per run', async () => {
    // Surrogate pairs everywhere: a chunk boundary must never fall between the two halves of one.
    const names = Array.from({ length: 3_000 }, (_, i) => `vm-${i}-😀-${'x'.repeat(i % 7)}`);
    const a = new LicenseLedger();
    a.registerLicense(esuLicense({ name: 'lic-a' }));
    for (const name of names) a.addNeed(need({ name, cores: 8 }));
    a.markIncomplete(SUB_A);
    const b = new LicenseLedger();
    b.addNeed(need({ name: 'only-b', subscriptionId: SUB_B, cores: 4 }));
    await store.save('scan-1', SUB_A, a);
    await store.save('scan-1', SUB_B, b);
    // A re-delivered scan saves again with fewer needs: its old trailing chunks must not count.
    const fewer = new LicenseLedger();
    for (const name of names.slice(0, 10)) fewer.addNeed(need({ name, cores: 8 }));
    await store.save('scan-2', SUB_A, a);
    await store.save('scan-2', SUB_A, fewer);

    const run = await store.load('scan-1');
    assert.deepEqual(run.needs().map((n) => n.machineName).sort(), [...names, 'only-b'].sort());
    assert.deepEqual(run.incompleteSubscriptions(), [SUB_A]);
    assert.equal(run.entries().length, 1);
    assert.deepEqual((await store.load('scan-2')).needs().map((n) => n.machineName), names.slice(0, 10));
  });
});
