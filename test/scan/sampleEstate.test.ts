import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ReportCollector } from '../../cli/report.js';
import { allRules } from '../../shared/rules/catalog.js';
import { runScan, type ScanRunResult } from '../../shared/scan/runScan.js';
import { startTestEnvironment, type TestEnvironment } from '../support/testEnvironment.js';

/** The bundled estate is the demo people run first: every rule must show what it catches there. */
describe('bundled sample estate', () => {
  let env: TestEnvironment;
  let result: ScanRunResult;
  const collector = new ReportCollector();

  before(async () => {
    env = await startTestEnvironment({ pageSize: 100 });
    result = await runScan(await env.dependencies(), { observer: collector });
  });
  after(() => env.close());

  it('scans cleanly', () => {
    assert.deepEqual(result.failures, []);
    assert.equal(result.run.subscriptionsScanned, 4);
    assert.ok(result.tenant, 'the tenant-wide license rules ran');
  });

  for (const rule of allRules()) {
    it(`${rule.id} has a non-passing finding`, () => {
      const results = collector.findings.filter((f) => f.ruleId === rule.id).map((f) => f.result);
      assert.ok(results.some((r) => r !== 'Passed'), `${rule.id}: ${results.join(', ') || 'no findings'}`);
    });
  }

  it('no rule failed to evaluate on the sample data', () => {
    assert.deepEqual(collector.findings.filter((f) => f.messageId.endsWith('.Error.Evaluation')).map((f) => `${f.ruleId} ${f.resourceId}: ${f.message}`), []);
  });
});
