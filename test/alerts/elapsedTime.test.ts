import assert from 'node:assert/strict';
import { hash } from 'node:crypto';
import { describe, it } from 'node:test';
import { compareFingerprints, deadlineStageOf, fingerprintOf, isCurrentFingerprint } from '../../shared/alerts/fingerprint.js';
import { rowDigest } from '../../shared/adapters/tables/storedRows.js';
import { decide, type FindingRow, type StoredFinding } from '../../shared/alerts/transitions.js';
import type { Finding, RemediationJob } from '../../shared/domain/findings.js';

const POLICY = { reminderDays: 7, deadlineEscalationDays: [30, 14, 7, 1, 0] };

/** An open readiness warning of a WS2016 machine, `daysLeft` before end of support. */
function finding(daysLeft: number, overrides: Partial<Finding> = {}): Finding {
  return {
    scanId: `scan-${daysLeft}`, ruleId: 'ESU.Machine.AgentVersion', ruleGroup: 'Machine', ruleTitle: 'Agent version', result: 'PassedWithWarning', severity: 'High',
    subscriptionId: 'sub', resourceId: '/subscriptions/sub/resourceGroups/rg/providers/Microsoft.HybridCompute/machines/m1',
    resourceType: 'Microsoft.HybridCompute/machines', resourceName: 'm1', resourceGroup: 'rg',
    message: `Agent 1.58 is below 1.62: upgrade it (${daysLeft} days left).`, messageId: 'AgentVersion.PassedWithWarning.BelowMinimumBeforeDeadline',
    evidence: { agentVersion: '1.58', minimumVersion: '1.62', program: 'WS2016', programPhase: 'upcoming', endOfSupport: '2027-01-12', daysLeft },
    remediation: 'Upgrade the agent.', evaluatedAt: '2026-12-07T03:00:00.000Z',
    ...overrides,
  };
}

const JOB: RemediationJob = {
  jobId: 'j', jobType: 'upgrade-agent', ruleId: 'ESU.Machine.AgentVersion', severity: 'High', subscriptionId: 'sub', resourceGroup: 'rg',
  resourceId: '/subscriptions/sub/resourceGroups/rg/providers/Microsoft.HybridCompute/machines/m1', title: 'Upgrade', messageId: 'x', message: 'x',
  commands: [], checkedWith: [], scanId: 's', createdAt: '2026-12-07T03:00:00.000Z',
};

function stored(row: FindingRow): StoredFinding {
  const { evidence: _evidence, ...rest } = row;
  return rest;
}

/** Scans the same finding on consecutive days from `first` days left; returns the transitions sent. */
function dailyTransitions(daysLeft: readonly number[]): (string | undefined)[] {
  let previous: StoredFinding | undefined;
  const sent: (string | undefined)[] = [];
  for (const [index, days] of daysLeft.entries()) {
    const now = new Date(Date.UTC(2026, 11, 7 + index, 3));
    const decision = decide(previous, finding(days), JOB, undefined, now, POLICY);
    sent.push(decision.message?.transition);
    previous = stored(decision.row);
  }
  return sent;
}

describe('elapsed time is not news', () => {
  it('days left, age and time disconnected do not change the fingerprint; anything else does', () => {
    const base = finding(36);
    assert.equal(fingerprintOf(finding(35)), fingerprintOf(base));
    assert.equal(fingerprintOf({ ...base, evidence: { ...base.evidence, ageDays: 9, duration: '3 days', disconnectedHours: 80 } }),
      fingerprintOf({ ...base, evidence: { ...base.evidence, ageDays: 10, duration: '4 days', disconnectedHours: 104 } }));
    assert.notEqual(fingerprintOf({ ...base, evidence: { ...base.evidence, agentVersion: '1.59' } }), fingerprintOf(base));
    assert.notEqual(fingerprintOf({ ...base, messageId: 'AgentVersion.Failed.BelowMinimum', result: 'Failed' }), fingerprintOf(base));
    assert.ok(isCurrentFingerprint(fingerprintOf(base)));
  });

  it('deadline stages: the smallest threshold the days left are within', () => {
    const stage = (daysLeft: number) => deadlineStageOf({ daysLeft }, POLICY.deadlineEscalationDays);
    assert.deepEqual([45, 31, 30, 29, 14, 8, 7, 2, 1, 0].map(stage), [undefined, undefined, 30, 30, 14, 14, 7, 7, 1, 0]);
    assert.equal(deadlineStageOf({ ageDays: 3 }, POLICY.deadlineEscalationDays), undefined);
  });

  it('a finding open for 40 days sends one opened, then one escalated per stage crossed, nothing on the other days', () => {
    const days = Array.from({ length: 41 }, (_, index) => 40 - index);
    const sent = dailyTransitions(days);
    const crossings = sent.flatMap((transition, index) => (transition ? [`${days[index]}:${transition}`] : []));
    // Day 33 (7 days after the opening on day 40) is a reminder on the existing cadence; each escalation restarts it.
    assert.deepEqual(crossings, ['40:opened', '33:reminder', '30:escalated', '23:reminder', '16:reminder', '14:escalated', '7:escalated', '1:escalated', '0:escalated']);
  });

  it('a changed decision on a crossing day is `changed`, not an escalation; an escalation id is stable across reruns', () => {
    const opened = decide(undefined, finding(31), JOB, undefined, new Date('2026-12-12T03:00:00Z'), POLICY);
    const crossing = new Date('2026-12-13T03:00:00Z');
    const moved = finding(30, { evidence: { ...finding(30).evidence, agentVersion: '1.59' } });
    assert.equal(decide(stored(opened.row), moved, JOB, undefined, crossing, POLICY).message?.transition, 'changed');
    const first = decide(stored(opened.row), finding(30), JOB, undefined, crossing, POLICY).message;
    const rerun = decide(stored(opened.row), finding(30), JOB, undefined, new Date('2026-12-13T09:00:00Z'), POLICY).message;
    assert.equal(first?.transition, 'escalated');
    assert.equal(rerun?.messageId, first?.messageId);
    assert.equal(compareFingerprints(fingerprintOf(finding(30)), fingerprintOf(finding(31))), 'changed', 'a stage further away (a date moved out) is a change');
  });

  it('a row fingerprinted before elapsed time was left out takes the new fingerprint silently, unless its result changed', () => {
    const opened = decide(undefined, finding(36), JOB, undefined, new Date('2026-12-07T03:00:00Z'), POLICY);
    // The scheme before: 8 bytes of SHA-256 over result, message id and the whole evidence.
    const whole = Object.keys(finding(36).evidence).sort().map((key) => [key, finding(36).evidence[key]]);
    const legacy = hash('sha256', JSON.stringify(['PassedWithWarning', finding(36).messageId, whole]), 'buffer').toString('hex', 0, 8);
    assert.equal(isCurrentFingerprint(legacy), false);
    const previous = { ...stored(opened.row), fingerprint: legacy };
    const upgraded = decide(previous, finding(35), JOB, undefined, new Date('2026-12-08T03:00:00Z'), POLICY);
    assert.equal(upgraded.message, undefined);
    assert.equal(upgraded.row.fingerprint, fingerprintOf(finding(35)));
    const failed = finding(35, { result: 'Failed', messageId: 'AgentVersion.Failed.BelowMinimum' });
    assert.equal(decide(previous, failed, JOB, undefined, new Date('2026-12-08T03:00:00Z'), POLICY).message?.transition, 'changed');
  });

  it('a stored row whose only change is elapsed time is rewritten at most once a UTC day', () => {
    const row = (daysLeft: number, evaluatedAt: string): FindingRow => ({ ...finding(daysLeft, { evaluatedAt }), alertState: 'open', fingerprint: fingerprintOf(finding(daysLeft)) });
    assert.equal(rowDigest(row(36, '2026-12-07T03:00:00.000Z')), rowDigest(row(36, '2026-12-07T23:00:00.000Z')), 'same day: no write');
    assert.notEqual(rowDigest(row(36, '2026-12-07T03:00:00.000Z')), rowDigest(row(35, '2026-12-08T03:00:00.000Z')), 'next day: the message is refreshed once');
    const plain = (message: string): FindingRow => ({ ...finding(36, { message, evidence: { program: 'WS2016' } }), alertState: 'open', fingerprint: 'x' });
    assert.notEqual(rowDigest(plain('a')), rowDigest(plain('b')), 'a message without elapsed time is compared whole');
  });
});
