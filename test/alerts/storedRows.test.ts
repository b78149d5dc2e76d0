import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { findingPartition, findingRowKey } from '../../shared/adapters/tables/tableKeys.js';
import { rowDigest, StoredRows } from '../../shared/adapters/tables/storedRows.js';
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
    rows.add(stored(a), PARTITION, findingRowKey(a.ruleId, a.resourceId), rowDigest(a));
    rows.add(stored(row('ESU.Machine.Connected', 'm1')), PARTITION, findingRowKey('ESU.Machine.Connected', a.resourceId), rowDigest(row('ESU.Machine.Connected', 'm1')));
    assert.equal(rows.size, 2);
    const found = rows.take('ESU.Machine.AgentVersion', a.resourceId.toLowerCase());
    assert.equal(found?.sameDigest(rowDigest(a)), true);
    assert.equal(found?.sameDigest(rowDigest({ ...a, message: 'another message' })), false);
    assert.equal(rowDigest({ ...a, evaluatedAt: '2026-12-02T00:00:00.000Z', scanId: 'scan-2', ruleTitle: 'a new title' }), rowDigest(a), 'scan id, time and catalogue texts are no change');
    assert.equal(found?.alertOpenedAt, a.alertOpenedAt);
    assert.equal(rows.take('ESU.Machine.AgentVersion', a.resourceId.toLowerCase()), undefined, 'taken once');
    assert.equal(rows.size, 1);
  });

  it('keeps one row per rule and resource, and drains the rest with their addresses', () => {
    const rows = new StoredRows();
    const a = row('ESU.Machine.AgentVersion', 'm2');
    rows.add(stored(a), PARTITION, findingRowKey(a.ruleId, a.resourceId), rowDigest(a));
    rows.add(stored({ ...a, message: 'newer' }), PARTITION, findingRowKey(a.ruleId, a.resourceId), rowDigest({ ...a, message: 'newer' }));
    rows.add(stored(row('ESU.Machine.AgentVersion', 'm3')), PARTITION, 'an-older-key-scheme', '');
    assert.equal(rows.size, 2);
    const drained = [...rows.drain()];
    assert.deepEqual(drained.map(({ address }) => address).sort((x, y) => x.rowKey.localeCompare(y.rowKey)), [
      { partitionKey: PARTITION.partitionKey, rowKey: findingRowKey(a.ruleId, a.resourceId) },
      { partitionKey: PARTITION.partitionKey, rowKey: 'an-older-key-scheme' },
    ].sort((x, y) => x.rowKey.localeCompare(y.rowKey)));
    assert.equal(drained.find(({ address }) => address.rowKey !== 'an-older-key-scheme')?.state.sameDigest(rowDigest({ ...a, message: 'newer' })), true);
    assert.equal(rows.size, 0);
  });

  it('a stored row without a digest (written before rows carried one) is written again once, and says nothing', async () => {
    const { AlertTracker } = await import('../../shared/scan/alertTracker.js');
    const rows = new StoredRows();
    const { fingerprintOf } = await import('../../shared/alerts/transitions.js');
    const opened = row('ESU.Machine.AgentVersion', 'm4', { evidence: {} });
    const a = { ...opened, fingerprint: fingerprintOf(opened) };
    rows.add(stored(a), PARTITION, findingRowKey(a.ruleId, a.resourceId), '');
    const tracker = new AlertTracker(rows, [], new Date('2026-11-02T00:00:00Z'));
    const { evidence: _e, alertState: _s, fingerprint: _f, alertOpenedAt: _o, alertOpenedScanId: _i, alertLastNotifiedAt: _n, alertJobType: _j, ...finding } = a;
    const job = { jobId: 'j', jobType: 'upgrade-agent' as const, ruleId: a.ruleId, severity: a.severity, subscriptionId: SUBSCRIPTION, resourceGroup: 'RG', resourceId: a.resourceId, title: 't', messageId: a.messageId, message: 'm', commands: [], checkedWith: [], scanId: 'scan-2', createdAt: '2026-11-02T00:00:00Z' };
    const outcome = tracker.process({ findings: [{ ...finding, evidence: {}, scanId: 'scan-2' }], jobs: [job] });
    assert.equal(outcome.rows.length, 1, 'written again, with its digest');
    assert.equal(outcome.rows[0]?.partition, PARTITION, 'where it is');
    assert.equal(outcome.messages.length, 0, 'the same open alert: no message');
  });

  it('packs a fingerprint of 16 hex digits with the digest, and reads both back as they were', async () => {
    const { fingerprintOf } = await import('../../shared/alerts/transitions.js');
    const rows = new StoredRows();
    const plain = row('ESU.Machine.AgentVersion', 'm5', { evidence: { agentVersion: '1.20' } });
    const a = { ...plain, fingerprint: fingerprintOf(plain) };
    assert.match(a.fingerprint, /^[0-9a-f]{16}$/);
    rows.add(stored(a), PARTITION, findingRowKey(a.ruleId, a.resourceId), rowDigest(a));
    rows.add(stored(row('ESU.Machine.Connected', 'm5', { fingerprint: 'not-hex' })), PARTITION, findingRowKey('ESU.Machine.Connected', a.resourceId), rowDigest(a));
    const packed = rows.take(a.ruleId, a.resourceId.toLowerCase());
    const loose = rows.take('ESU.Machine.Connected', a.resourceId.toLowerCase());
    assert.equal(packed?.fingerprint, a.fingerprint);
    assert.equal(packed?.sameDigest(rowDigest(a)), true);
    assert.equal(packed?.sameDigest(rowDigest({ ...a, severity: 'Low' })), false);
    assert.equal(loose?.fingerprint, 'not-hex', 'a fingerprint of another form is kept as it is');
    assert.equal(loose?.sameDigest(rowDigest(a)), true);
    assert.equal(loose?.sameDigest(''), false, 'no digest is never the same');
  });

  it('gives back the exact address of every row it drains, whatever its resource id looks like', () => {
    const rows = new StoredRows();
    const ids = [
      `/subscriptions/${SUBSCRIPTION}/resourceGroups/RG/providers/Microsoft.HybridCompute/machines/m6`,
      `/subscriptions/${SUBSCRIPTION}/resourceGroups/RG/providers/Microsoft.HybridCompute/machines/m7/providers/microsoft.hybridcompute/machines/x`,
      `/subscriptions/${SUBSCRIPTION}/providers/Microsoft.HybridCompute/licenses/l1`,
      `/subscriptions/${SUBSCRIPTION}/resourceGroups/R\u0001G/providers/Microsoft.HybridCompute/machines/m\u0002\u0003`,
      'not an ARM id at all',
      `/subscriptions//resourcegroups/`,
    ];
    for (const id of ids) {
      const finding = row('ESU.Machine.AgentVersion', 'm', { resourceId: id });
      rows.add(stored(finding), PARTITION, findingRowKey(finding.ruleId, id), rowDigest(finding));
    }
    for (const id of ids.slice(0, 2)) assert.ok(rows.take('ESU.Machine.AgentVersion', id.toLowerCase()), `found again: ${id}`);
    const drained = [...rows.drain()].map(({ address }) => address.rowKey).sort();
    assert.deepEqual(drained, ids.slice(2).map((id) => findingRowKey('ESU.Machine.AgentVersion', id)).sort());
  });
});
