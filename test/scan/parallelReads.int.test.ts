import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { PUBLIC_ARM_AUDIENCE } from '../../shared/adapters/arm/armReader.js';
import { createDependencies } from '../../shared/runtime/dependencies.js';
import { runScan } from '../../shared/scan/runScan.js';
import { startArmStandIn, type ArmStandIn } from '../../local/armStandIn.js';
import { startAzurite, type RunningAzurite } from '../../local/azurite.js';
import { fakeCredential, startTestEnvironment, WS2012_ACTIVE_AS_OF, type TestEnvironment } from '../support/testEnvironment.js';

// Above the 500-machine threshold set below (ESU_PARALLEL_READ_MACHINES), three groups of 200: the size itself is not what is tested.
const MACHINES = 600;
const GROUPS = MACHINES / 200;

describe('a large subscription is read per resource group in parallel chains', () => {
  let azurite: RunningAzurite;
  let standIn: ArmStandIn;

  before(async () => {
    [azurite, standIn] = await Promise.all([
      startAzurite({ service: 'table' }),
      startArmStandIn({ synthetic: { subscriptions: 1, machinesPerSubscription: MACHINES, seed: 7 }, pageSize: 100 }),
    ]);
  });
  after(async () => {
    await Promise.all([standIn.close(), azurite.stop()]);
  });

  const scan = async () => {
    const deps = await createDependencies(
      { ESU_ARM_ENDPOINT: standIn.endpoint, ESU_PARALLEL_READ_MACHINES: '500' },
      { armCredential: fakeCredential, armTrustedCa: standIn.ca, armTokenAudience: PUBLIC_ARM_AUDIENCE, storage: { kind: 'connectionString', connectionString: azurite.connectionString } },
    );
    const before = standIn.stats;
    const result = await runScan(deps, { asOf: WS2012_ACTIVE_AS_OF });
    await deps.close();
    const after = standIn.stats;
    const requestsTo = (template: string) => (after.byPath[template]?.requests ?? 0) - (before.byPath[template]?.requests ?? 0);
    return { result, subscription: result.subscriptions[0], requestsTo };
  };

  it('reads the first scan as one list, and the next (once the subscription is known large) per group, with the same results', async () => {
    const first = await scan();
    assert.equal(first.subscription?.machines, MACHINES);
    assert.equal(first.subscription?.machineReadChains, 1);
    assert.equal(first.requestsTo('/subscriptions/{s}/providers/microsoft.hybridcompute/machines'), MACHINES / 100);
    assert.equal(first.requestsTo('/subscriptions/{s}/resourcegroups'), 0, 'a subscription of unknown size lists no groups');

    const second = await scan();
    assert.equal(second.subscription?.machines, MACHINES, 'every machine read, none twice');
    assert.equal(second.subscription?.machineReadChains, GROUPS + 1, 'one chain per group (the licenses\' group has none)');
    assert.equal(second.requestsTo('/subscriptions/{s}/providers/microsoft.hybridcompute/machines'), 0);
    const perGroup = Object.entries(standIn.stats.byPath).filter(([template]) => template.includes('/resourcegroups/')).reduce((sum, [, stats]) => sum + stats.requests, 0);
    assert.equal(perGroup, GROUPS * 2 + 1, 'two pages per group of 200, one empty page for the licenses\' group');
    assert.deepEqual(second.subscription?.counts, first.subscription?.counts, 'the same findings');
    assert.equal(second.subscription?.rowsWritten, 0, 'machines in the same order: nothing changed, nothing written');
    assert.equal(second.subscription?.messages, 0);
  });
});

describe('parallel reads of an estate folder cover every machine of every group', () => {
  let env: TestEnvironment;
  before(async () => {
    env = await startTestEnvironment();
  });
  after(async () => {
    await env.close();
  });

  it('reads a subscription of several groups per group and keeps every machine; one of a single group stays one list', async () => {
    const deps = await env.dependencies({ ESU_PARALLEL_READ_MACHINES: '5' });
    const first = await runScan(deps, { asOf: WS2012_ACTIVE_AS_OF });
    const second = await runScan(deps, { asOf: WS2012_ACTIVE_AS_OF });
    const chainsOf = (suffix: string) => second.subscriptions.find((s) => s.subscriptionId.endsWith(suffix))?.machineReadChains;
    // Sample subscriptions: 0001 has machines in rg-sql, rg-app, rg-web, rg-linux (interleaved), rg-app-ws16; 0004 in rg-hosts, rg-ws2016; 0002 only rg-branch.
    assert.equal(chainsOf('0001'), 5);
    assert.equal(chainsOf('0004'), 2);
    assert.equal(chainsOf('0002'), 1);
    for (const subscription of first.subscriptions) {
      assert.equal(first.subscriptions.find((s) => s.subscriptionId === subscription.subscriptionId)?.machineReadChains ?? 1, 1, 'first scans read one list');
      assert.equal(second.subscriptions.find((s) => s.subscriptionId === subscription.subscriptionId)?.machines, subscription.machines, `${subscription.subscriptionId}: every machine read again`);
    }
  });
});
