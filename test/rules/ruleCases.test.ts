import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { allRules } from '../../shared/rules/catalog.js';
import { evaluateRules } from '../../shared/scan/evaluate.js';
import { contextFor, license, machine, ruleById, runRuleCases, STAMP, TARGET, type RuleCase } from '../support/ruleHarness.js';
import { CORE_CASES } from './cases/core.js';
import { LICENSES_CASES } from './cases/licenses.js';
import { MACHINE_LICENSING_CASES } from './cases/machineLicensing.js';
import { MACHINE_OPERATIONS_CASES } from './cases/machineOperations.js';

/** Every rule's table, by area; each row is one subject through one rule. */
const CASES: readonly RuleCase[] = [...CORE_CASES, ...MACHINE_OPERATIONS_CASES, ...MACHINE_LICENSING_CASES, ...LICENSES_CASES];

runRuleCases(CASES);

describe('rule catalogue', () => {
  it('every rule has table cases, among them a non-passing one', () => {
    const missing = allRules().map((r) => r.id).filter((id) => !CASES.some((c) => c.ruleId === id && c.expect.some((m) => !m.endsWith('.Passed'))));
    assert.deepEqual(missing, []);
  });
  it('a rule that throws yields one Error finding for that subject only', () => {
    const broken = { ...ruleById('ESU.Machine.AgentVersion'), evaluate: () => { throw new Error('boom'); } };
    const testCase: RuleCase = { ruleId: 'x', name: 'x', subject: machine(), expect: [] };
    const evaluation = evaluateRules([broken, ruleById('ESU.Machine.AgentVersion')], testCase.subject(), TARGET, contextFor(testCase), STAMP);
    assert.deepEqual(evaluation.findings.map((f) => [f.result, f.messageId]), [['Error', 'AgentVersion.Error.Evaluation'], ['Passed', 'AgentVersion.Passed']]);
  });
  it('job ids are deterministic per rule and resource, whatever the casing', () => {
    const testCase: RuleCase = { ruleId: 'x', name: 'x', subject: license(), expect: [] };
    const rule = ruleById('ESU.License.CoreMinimum');
    const first = evaluateRules([rule], license({ details: { processors: 2 } })(), TARGET, contextFor(testCase), STAMP);
    const second = evaluateRules([rule], license({ details: { processors: 4 } })(), { ...TARGET, resourceId: TARGET.resourceId.toUpperCase() }, contextFor(testCase), { ...STAMP, scanId: 'scan-other' });
    assert.equal(first.jobs[0]?.jobId, second.jobs[0]?.jobId);
    assert.match(first.jobs[0]?.jobId ?? '', /^[0-9a-f]{32}$/);
  });
});
