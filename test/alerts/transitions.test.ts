import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Finding, RemediationJob } from '../../shared/domain/findings.js';
import { decide, decideGone, fingerprintOf, type StoredFinding } from '../../shared/alerts/transitions.js';
import { evaluateRules } from '../../shared/scan/evaluate.js';
import { contextFor, machine, ruleById, STAMP, TARGET } from '../support/ruleHarness.js';

const NOW = new Date('2026-11-22T00:00:00Z');
const POLICY = { reminderDays: 7 };

function evaluate(agentVersion: string, scanId = 'scan-2'): { finding: Finding; job?: RemediationJob } {
  const evaluation = evaluateRules([ruleById('ESU.Machine.AgentVersion')], machine({ properties: { agentVersion } })(), TARGET, contextFor({ ruleId: '', name: '', subject: () => undefined, expect: [] }), { ...STAMP, scanId });
  const [finding] = evaluation.findings;
  assert.ok(finding);
  return { finding, job: evaluation.jobs[0] };
}

function stored(agentVersion: string, overrides: Partial<StoredFinding> = {}): StoredFinding {
  const { finding, job } = evaluate(agentVersion, 'scan-1');
  const { evidence: _evidence, ...rest } = finding;
  return {
    ...rest,
    alertState: job ? 'open' : 'none',
    fingerprint: fingerprintOf(finding),
    ...(job ? { alertOpenedAt: '2026-11-20T00:00:00.000Z', alertOpenedScanId: 'scan-1', alertLastNotifiedAt: '2026-11-20T00:00:00.000Z', alertJobType: job.jobType } : {}),
    ...overrides,
  };
}

describe('alert transitions', () => {
  const cases: { name: string; previous?: StoredFinding; agent: string; suppressed?: boolean; expect?: string; state: string }[] = [
    { name: 'new failing finding opens', agent: '1.30', expect: 'opened', state: 'open' },
    { name: 'new passing finding sends nothing', agent: '1.45', state: 'none' },
    { name: 'unchanged open finding sends nothing', previous: stored('1.30'), agent: '1.30', state: 'open' },
    { name: 'changed evidence sends changed', previous: stored('1.30'), agent: '1.31', expect: 'changed', state: 'open' },
    { name: 'passing after failing sends resolved', previous: stored('1.30'), agent: '1.45', expect: 'resolved', state: 'resolved' },
    { name: 'passing after passing sends nothing', previous: stored('1.45'), agent: '1.45', state: 'none' },
    { name: 'failing after passing opens again', previous: stored('1.45'), agent: '1.30', expect: 'opened', state: 'open' },
    { name: 'a week after the last message: reminder', previous: stored('1.30', { alertLastNotifiedAt: '2026-11-15T00:00:00.000Z' }), agent: '1.30', expect: 'reminder', state: 'open' },
    { name: 'suppressed: recorded, silent', previous: stored('1.30'), agent: '1.30', suppressed: true, state: 'suppressed' },
    { name: 'suppression lifted: opens again', previous: stored('1.30', { alertState: 'suppressed' }), agent: '1.30', expect: 'opened', state: 'open' },
    { name: 'a stored open alert without its job type is treated as not alerted', previous: stored('1.30', { alertJobType: undefined }), agent: '1.45', state: 'none' },
  ];
  for (const testCase of cases) {
    it(testCase.name, () => {
      const { finding, job } = evaluate(testCase.agent);
      const suppression = testCase.suppressed ? { id: 's', ruleId: finding.ruleId, reason: 'r', owner: 'o', expiresAt: '2027-01-01T00:00:00Z', createdAt: '2026-11-01T00:00:00Z' } : undefined;
      const decision = decide(testCase.previous, finding, job, suppression, NOW, POLICY);
      assert.equal(decision.message?.transition, testCase.expect);
      assert.equal(decision.row.alertState, testCase.state);
    });
  }

  it('a check that could not run (Error, no job) keeps the open alert, silently', () => {
    const previous = stored('1.30');
    const { finding } = evaluate('1.30');
    const errored = { ...finding, result: 'Error' as const, messageId: 'AgentVersion.Error.Evaluation', evidence: { error: 'boom' } };
    const decision = decide(previous, errored, undefined, undefined, NOW, POLICY);
    assert.equal(decision.message, undefined);
    assert.equal(decision.row.alertState, 'open');
    assert.equal(decision.row.alertOpenedScanId, 'scan-1');
    assert.equal(decision.row.fingerprint, previous.fingerprint, 'the next real result is compared with the last real one');
  });

  it('an alert keeps its opening time through changes and reminders', () => {
    const { finding, job } = evaluate('1.31');
    const decision = decide(stored('1.30'), finding, job, undefined, NOW, POLICY);
    assert.equal(decision.row.alertOpenedAt, '2026-11-20T00:00:00.000Z');
    assert.equal(decision.message?.finding.openedAt, '2026-11-20T00:00:00.000Z');
    assert.equal(decision.row.alertLastNotifiedAt, NOW.toISOString());
  });

  it('a message id is the decision: any run, any time, deciding the same transition from the same row has the same id', () => {
    const { finding, job } = evaluate('1.30');
    const first = decide(undefined, finding, job, undefined, NOW, POLICY).message?.messageId;
    const later = decide(undefined, finding, job, undefined, new Date(NOW.getTime() + 3_600_000), POLICY).message?.messageId;
    const otherScan = decide(undefined, evaluate('1.30', 'scan-3').finding, job, undefined, NOW, POLICY).message?.messageId;
    assert.ok(first);
    assert.equal(first, later);
    assert.equal(first, otherScan);
    const changedFrom = (row: StoredFinding) => decide(row, evaluate('1.31', 'scan-4').finding, job, undefined, NOW, POLICY).message?.messageId;
    assert.equal(changedFrom(stored('1.30')), changedFrom(stored('1.30')));
    assert.notEqual(changedFrom(stored('1.30')), changedFrom(stored('1.30', { alertLastNotifiedAt: '2026-11-21T00:00:00.000Z' })), 'another stored state is another decision');
  });

  it('a re-opening after a resolution is a new decision, not a duplicate of the first opening', () => {
    const { finding, job } = evaluate('1.30');
    const opened = decide(undefined, finding, job, undefined, NOW, POLICY);
    const resolved = decide({ ...opened.row }, evaluate('1.45').finding, undefined, undefined, new Date(NOW.getTime() + 60_000), POLICY);
    assert.equal(resolved.row.alertState, 'resolved');
    const reopened = decide({ ...resolved.row }, finding, job, undefined, new Date(NOW.getTime() + 120_000), POLICY);
    assert.equal(reopened.message?.transition, 'opened');
    assert.notEqual(reopened.message?.messageId, opened.message?.messageId);
    assert.equal(reopened.message?.finding.previousResult, undefined, 'a kept resolution is not a previous result');
  });

  it('a resolution is keyed on the opening, whichever scan notices it', () => {
    const previous = stored('1.30');
    const byScan2 = decide(previous, evaluate('1.45', 'scan-2').finding, undefined, undefined, NOW, POLICY).message?.messageId;
    const byScan3 = decide(previous, evaluate('1.45', 'scan-3').finding, undefined, undefined, NOW, POLICY).message?.messageId;
    assert.ok(byScan2);
    assert.equal(byScan2, byScan3);
  });

  it('a gone resource resolves its open alert; a closed one sends nothing', () => {
    assert.equal(decideGone(stored('1.30'), 'scan-2', NOW)?.transition, 'resolved');
    assert.equal(decideGone(stored('1.45'), 'scan-2', NOW), undefined);
  });
});
