import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PartitionPlacement, TENANT_CHUNK_BASE, TenantPlacement } from '../../shared/adapters/tables/partitionPlacement.js';
import { findingPartition } from '../../shared/adapters/tables/tableKeys.js';

const A = '0a000000-0000-4000-8000-00000000000a';
const B = '0b000000-0000-4000-8000-00000000000b';

describe('TenantPlacement: the tenant phase\'s rows in their subscriptions\' own chunks', () => {
  it('fills chunks from the base on, at most the limit each, per subscription', () => {
    const placement = new TenantPlacement(1_000);
    const chunks = (subscriptionId: string, rows: number) => {
      const seen = new Map<number, number>();
      for (let i = 0; i < rows; i += 1) {
        const at = placement.next(subscriptionId);
        seen.set(at.chunk, (seen.get(at.chunk) ?? 0) + 1);
      }
      return [...seen];
    };
    assert.deepEqual(chunks(A, 2_500), [[TENANT_CHUNK_BASE, 1_000], [TENANT_CHUNK_BASE + 1, 1_000], [TENANT_CHUNK_BASE + 2, 500]]);
    assert.deepEqual(chunks(B, 10), [[TENANT_CHUNK_BASE, 10]]);
  });

  it('counts what earlier runs stored and goes on where there is room; chunks below the base are not its own', () => {
    const placement = new TenantPlacement(1_000);
    for (let i = 0; i < 1_000; i += 1) placement.count(findingPartition(A, TENANT_CHUNK_BASE));
    for (let i = 0; i < 400; i += 1) placement.count(findingPartition(A, TENANT_CHUNK_BASE + 1));
    for (let i = 0; i < 900; i += 1) placement.count(findingPartition(A, 0));
    assert.equal(placement.next(A).chunk, TENANT_CHUNK_BASE + 1);
    assert.deepEqual(placement.sizes().sort((x, y) => x - y), [401, 1_000]);
  });

  it('a subscription scan never places rows in the tenant chunks (its placement starts below the base)', () => {
    const placement = new PartitionPlacement(A, [{ partition: findingPartition(A, 0), rows: 1_000 }], 1_000);
    assert.equal(placement.next().chunk, 1);
  });
});
