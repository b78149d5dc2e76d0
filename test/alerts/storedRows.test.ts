import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { findingPartition, findingRowKey } from '../../shared/adapters/tables/tableKeys.js';
import { rowDigest, StoredRows } from '../../shared/alerts/storedRows.js';
import type { FindingRow, StoredFinding } from '../../shared/alerts/transitions.js';

const SUBSCRIPTION = '00000000-0000-0000-0000-000000000001';
const PARTITION = findingPartition(SUBSCRIPTION, 2);

function row(ruleId: string, machine: string, overrides: Partial<FindingRow> = {}): FindingRow {
  return {
    scanId: 'scan-1', ruleId, ruleGroup: 'Machine', ruleTitle: 'title', result: 'Failed', severity: 'High', subscriptionId: SUBSCRIPTION,
    resourceId: `/subscriptions/${SUBSCRIPTION}/resourceGroups/RG/providers/Microsoft.HybridCompute/machines/${machine}`,
    resourceType: 'Microsoft.HybridCompute/machines', resourceName: machine, resourceGroup: 'RG', message: 'message', messageId: 'X.Failed.Y',
    evidence: {}, remediation: 'fix', evaluatedAt: '2026-12-01T00:00:00.000Z', alertState: 'open', fingerprint: 'f1',
    alertOpenedAt: '2026-11-01T00:00:00.000Z', alertOpenedScanId: 'scan-0', alertLastNotifiedAt: '2026-11-01T00:00:00.000Z', alertJobType: 'upgrade-agent',
    ...overrides,
  };
}

function stored(finding: FindingRow): StoredFinding {
  const { evidence: _evidence, ...rest } = finding;
  return rest;
}

describe('StoredRows: what change detection keeps of each stored row', () => {
  it('finds a row by rule and lower-cased resource once, and its digest matches the row as it would be written again', () => {
    const rows = new StoredRows();
    const a = row('ESU.Machine.AgentVersion', 'm1');
    rows.add(stored(a), PARTITION, findingRowKey(a.ruleId, a.resourceId));
    rows.add(stored(row('ESU.Machine.Connected', 'm1')), PARTITION, findingRowKey('ESU.Machine.Connected', a.resourceId));
    assert.equal(rows.size, 2);
    const found = rows.take('ESU.Machine.AgentVersion', a.resourceId.toLowerCase());
    assert.equal(found?.digest, rowDigest(a));
    assert.notEqual(found?.digest, rowDigest({ ...a, message: 'another message' }));
    assert.equal(found?.alertOpenedAt, a.alertOpenedAt);
    assert.equal(rows.take('ESU.Machine.AgentVersion', a.resourceId.toLowerCase()), undefined, 'taken once');
    assert.equal(rows.size, 1);
  });

  it('keeps one row per rule and resource, and drains the rest with their addresses', () => {
    const rows = new StoredRows();
    const a = row('ESU.Machine.AgentVersion', 'm2');
    rows.add(stored(a), PARTITION, findingRowKey(a.ruleId, a.resourceId));
    rows.add(stored({ ...a, message: 'newer' }), PARTITION, findingRowKey(a.ruleId, a.resourceId));
    rows.add(stored(row('ESU.Machine.AgentVersion', 'm3')), PARTITION, 'an-older-key-scheme');
    assert.equal(rows.size, 2);
    const drained = [...rows.drain()];
    assert.deepEqual(drained.map(({ address }) => address).sort((x, y) => x.rowKey.localeCompare(y.rowKey)), [
      { partitionKey: PARTITION.partitionKey, rowKey: findingRowKey(a.ruleId, a.resourceId) },
      { partitionKey: PARTITION.partitionKey, rowKey: 'an-older-key-scheme' },
    ].sort((x, y) => x.rowKey.localeCompare(y.rowKey)));
    assert.equal(drained.find(({ address }) => address.rowKey !== 'an-older-key-scheme')?.state.digest, rowDigest({ ...a, message: 'newer' }));
    assert.equal(rows.size, 0);
  });
});
