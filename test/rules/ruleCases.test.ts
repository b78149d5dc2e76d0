import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { allRules } from '../../shared/rules/catalog.js';
import { resultOf, type MessageKey } from '../../shared/rules/rule.js';
import { evaluateRules } from '../../shared/scan/evaluate.js';
import { loadRuleCaseFiles } from '../support/ruleCaseFiles.js';
import { contextFor, license, machine, ruleById, runRuleCases, STAMP, TARGET, type RuleCase } from '../support/ruleHarness.js';

/** Every rule's table, one file per rule (test/rules/cases/<ruleId>.cases.ts); each row is one subject through one rule. */
const FILES = await loadRuleCaseFiles();
const CASES: readonly RuleCase[] = FILES.flatMap((file) => file.cases);

runRuleCases(CASES);

describe('rule catalogue', () => {
  it('every rule in the catalogue has its cases file, and every cases file names a rule of the catalogue', () => {
    const ids = allRules().map((rule) => rule.id).sort();
    assert.deepEqual(FILES.map((file) => file.ruleId).sort(), ids);
  });
  it('a cases file holds the cases of its own rule only', () => {
    const strays = FILES.flatMap((file) => file.cases.filter((c) => c.ruleId !== file.ruleId).map((c) => `${file.file}: ${c.ruleId}: ${c.name}`));
    assert.deepEqual(strays, []);
  });
  it('every rule has a case for each result its messages can produce', () => {
    const missing = allRules().flatMap((rule) => {
      const produced = new Set(Object.keys(rule.messages).map((key) => resultOf(key as MessageKey)));
      const covered = new Set(CASES.filter((c) => c.ruleId === rule.id).flatMap((c) => c.expect.map((messageId) => resultOf(messageId.slice(rule.messagePrefix.length + 1) as MessageKey))));
      return [...produced].filter((result) => !covered.has(result)).map((result) => `${rule.id}: ${result}`);
    });
    assert.deepEqual(missing, []);
  });
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

describe('license jobs under the ESU license Deny policy', () => {
  const deny = (notScopes: string[] = []) => ({
    id: '/subscriptions/00000000-1111-4222-8333-444444444444/providers/Microsoft.Authorization/policyAssignments/deny-esu',
    name: 'deny-esu', displayName: 'Deny ESU licenses', notScopes, parameters: {},
    policyDefinitionId: '/providers/Microsoft.Authorization/policyDefinitions/4c660f31-eafb-408d-a2b3-6ed2260bd26c',
    scope: '/subscriptions/00000000-1111-4222-8333-444444444444', enforcementMode: 'Default',
  });
  const resize = (blockers: ReturnType<typeof deny>[]) => {
    const testCase: RuleCase = { ruleId: 'x', name: 'x', subject: license(), expect: [] };
    return evaluateRules([ruleById('ESU.License.CoreMinimum')], license({ details: { processors: 2 } })(), TARGET, { ...contextFor(testCase), licenseWriteBlockers: blockers }, STAMP).jobs;
  };
  it('a license write in scope names the assignment that will refuse it', () => {
    assert.deepEqual(resize([deny()]).map((job) => job.blockedBy), [[{ policyAssignmentId: deny().id, displayName: 'Deny ESU licenses' }]]);
  });
  it('a resource in the notScopes, or no assignment, is not blocked', () => {
    assert.deepEqual(resize([deny([`/subscriptions/00000000-1111-4222-8333-444444444444/resourceGroups/RG`])]).map((job) => job.blockedBy), [undefined]);
    assert.deepEqual(resize([]).map((job) => job.blockedBy), [undefined]);
  });
  it('a machine link to an existing license writes no license: not blocked', () => {
    const testCase: RuleCase = { ruleId: 'x', name: 'x', subject: machine(), expect: [] };
    const jobs = evaluateRules([ruleById('ESU.Machine.LicenseOnIneligibleOs')], machine({ esuProfile: { licenseAssignmentState: 'Assigned' }, properties: { osName: 'Windows Server 2019 Standard', osSku: null } })(), TARGET, { ...contextFor(testCase), licenseWriteBlockers: [deny()] }, STAMP).jobs;
    assert.deepEqual(jobs.map((job) => [job.jobType, job.blockedBy]), [['unlink-license', undefined]]);
  });
});
