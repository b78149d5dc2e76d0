import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ReportCollector } from '../../cli/report.js';
import { runScan } from '../../shared/scan/runScan.js';
import { startTestEnvironment, copySampleEstate, type TestEnvironment } from '../support/testEnvironment.js';
import type { ArmStandInOptions } from '../../local/armStandIn.js';

/** The sample estate's patch evidence through a whole scan: real SDK clients, the HTTPS stand-in, Azurite. */
const TODAY = new Date('2026-12-01T00:00:00Z');
const DATACENTER = '1b2c3d4e-0004-4a5b-8c6d-000000000004';
const PRODUCTION = '1b2c3d4e-0001-4a5b-8c6d-000000000001';
const RG_FILE = join('resourceGraph', 'patchassessmentresources.json');

async function scanWith(change: (estateDir: string) => void, standIn: Omit<ArmStandInOptions, 'estateDir' | 'synthetic' | 'pageSize'> = {}, evaluationTime = TODAY) {
  const estateDir = copySampleEstate();
  change(estateDir);
  const env: TestEnvironment = await startTestEnvironment({ estateDir, evaluationTime, standIn });
  try {
    const collector = new ReportCollector();
    const result = await runScan(await env.dependencies(), { observer: collector, asOf: evaluationTime });
    return { result, findings: collector.findings, requests: env.standIn.requests };
  } finally {
    await env.close();
  }
}

const patchRuleIds = ['ESU.Machine.EsuPatchesInstalled', 'ESU.Machine.PatchAssessmentCurrent', 'ESU.Machine.PatchAssessmentHealthy', 'ESU.Machine.PatchEvidence'];
const verdicts = (findings: readonly { ruleId: string; resourceName: string; messageId: string }[]) =>
  findings.filter((f) => patchRuleIds.includes(f.ruleId)).map((f) => `${f.resourceName} ${f.messageId}`).sort();

describe('patch evidence through a scan', () => {
  it('paged and throttled Resource Graph answers give the same verdicts as one page', async () => {
    const plain = await scanWith(() => undefined);
    const paged = await scanWith(() => undefined, { resourceGraphPageSize: 2, resourceGraphThrottleOnce: { resetsAfter: '00:00:01' } });
    assert.deepEqual(verdicts(paged.findings), verdicts(plain.findings));
    assert.ok(verdicts(plain.findings).includes('ws16-app-01 EsuPatchesInstalled.Failed.UpdatesPending'));
    const posts = paged.requests.filter((r) => r.path.toLowerCase() === '/providers/microsoft.resourcegraph/resources');
    // Each of the 4 subscription scans queries both tables for itself, at 2 rows a page: assessments 0001: 0 rows,
    // 1 page; 0002: 3 rows, 2 pages; 0003: 1 page; 0004: 7 rows, 4 pages (8 pages); guest configuration 0001:
    // 3 rows, 2 pages, the others 1 each (5 pages); and one 429 before them all (the queries run side by side).
    assert.deepEqual(posts.map((r) => r.status).sort(), [...Array<number>(13).fill(200), 429]);
    assert.equal(posts[0]?.status, 429);
  });

  it('a malformed Resource Graph answer is an Error for each subscription, and no patch verdict from it', async () => {
    const { result, findings } = await scanWith((dir) => writeFileSync(join(dir, RG_FILE), '{"value": []}'));
    const errors = findings.filter((f) => f.resourceId.endsWith('/providers/Microsoft.ResourceGraph/resources'));
    assert.deepEqual(errors.map((f) => `${f.subscriptionId.slice(-4)} ${f.messageId}`).sort(), ['0001 Access.Error.Malformed', '0002 Access.Error.Malformed', '0004 Access.Error.Malformed']);
    assert.match(errors[0]?.message ?? '', /no "data" array/);
    const names = verdicts(findings);
    assert.ok(!names.some((v) => v.includes('EsuPatchesInstalled.Passed')), `never a false "patched": ${names.join('; ')}`);
    assert.ok(!names.some((v) => v.includes('PatchEvidence.')), 'no "no evidence" warning either: the read failed, not the machine');
    const datacenter = result.subscriptions.find((s) => s.subscriptionId === DATACENTER);
    assert.equal(datacenter?.complete, false, 'an incomplete read resolves nothing');
    assert.ok(datacenter?.unreadLists?.includes('patchassessmentresources'));
  });

  it('a partial answer (totalRecords above the rows) is an Error too', async () => {
    const { findings } = await scanWith((dir) => {
      // The datacenter's rows only: a partial answer is served as captured, to every subscription's query.
      const body = JSON.parse(readFileSync(join(dir, RG_FILE), 'utf8')) as { data: { id: string }[] };
      const data = body.data.filter((row) => row.id.toLowerCase().startsWith(`/subscriptions/${DATACENTER}/`));
      writeFileSync(join(dir, RG_FILE), JSON.stringify({ ...body, data, count: data.length, totalRecords: data.length + 1000, $skipToken: undefined }));
    });
    const error = findings.find((f) => f.subscriptionId === DATACENTER && f.resourceId.endsWith('/providers/Microsoft.ResourceGraph/resources'));
    assert.match(error?.message ?? '', /partial/);
    assert.ok(!findings.some((f) => f.messageId === 'EsuPatchesInstalled.Passed'));
  });

  it('a malformed row fails its own subscription\'s read only', async () => {
    const { findings } = await scanWith((dir) => {
      const body = JSON.parse(readFileSync(join(dir, RG_FILE), 'utf8')) as { data: { id: string; properties: Record<string, unknown> }[] };
      const row = body.data.find((r) => r.id.includes('/ws16-azure-07/'));
      if (row) delete row.properties['availablePatchCountByClassification'];
      writeFileSync(join(dir, RG_FILE), JSON.stringify(body));
    }, {}, new Date('2026-09-01T00:00:00Z'));
    const errors = findings.filter((f) => f.resourceId.endsWith('/providers/Microsoft.ResourceGraph/resources'));
    assert.deepEqual(errors.map((f) => f.subscriptionId), [DATACENTER]);
    assert.match(errors[0]?.message ?? '', /without availablePatchCountByClassification/);
    assert.ok(findings.some((f) => f.resourceName === 'br-01-2012r2' && f.messageId === 'EsuPatchesInstalled.Failed.UpdatesPending'), 'the branch subscription still has its evidence');
  });

  it('a Failed assessment without counts is read (no Error for the subscription), and PatchAssessmentHealthy reports it', async () => {
    const { findings } = await scanWith((dir) => {
      const body = JSON.parse(readFileSync(join(dir, RG_FILE), 'utf8')) as { data: { id: string; properties: Record<string, unknown> }[] };
      const row = body.data.find((r) => r.id.includes('/ws16-db-05/'));
      assert.equal(row?.properties['status'], 'Failed');
      if (row) delete row.properties['availablePatchCountByClassification'];
      writeFileSync(join(dir, RG_FILE), JSON.stringify(body));
    });
    assert.deepEqual(findings.filter((f) => f.resourceId.endsWith('/providers/Microsoft.ResourceGraph/resources')).map((f) => f.message), []);
    assert.equal(findings.find((f) => f.resourceName === 'ws16-db-05' && f.ruleId === 'ESU.Machine.PatchAssessmentHealthy')?.messageId, 'PatchAssessmentHealthy.Failed.AssessmentFailed');
    assert.ok(findings.some((f) => f.resourceName === 'ws16-app-01' && f.messageId === 'EsuPatchesInstalled.Failed.UpdatesPending'), 'the rest of the subscription keeps its evidence');
  });

  it('guest configuration comes from Resource Graph guestconfigurationresources: the Arc machines\' PendingESUUpdates rows decide, no per-subscription GET', async () => {
    const { findings, requests } = await scanWith(() => undefined, {}, new Date('2026-09-01T00:00:00Z'));
    const installed = (name: string) => findings.find((f) => f.resourceName === name && f.ruleId === 'ESU.Machine.EsuPatchesInstalled')?.messageId;
    assert.equal(installed('app-2012r2-05'), 'EsuPatchesInstalled.Failed.GuestConfigurationNonCompliant');
    assert.equal(installed('app-2012r2-03'), 'EsuPatchesInstalled.Passed');
    assert.ok(!requests.some((r) => /guestconfigurationassignments/i.test(r.path)), 'the subscription-wide REST list is not read');
  });

  it('an unreadable guest configuration answer is an Error on each subscription\'s guest configuration assignments; Update Manager evidence still counts', async () => {
    const { findings, result } = await scanWith((dir) => writeFileSync(join(dir, 'resourceGraph', 'guestconfigurationresources.json'), '{"value": []}'), {}, new Date('2026-09-01T00:00:00Z'));
    const error = findings.find((f) => f.resourceId.endsWith(`${PRODUCTION}/providers/Microsoft.GuestConfiguration/guestConfigurationAssignments`));
    assert.equal(error?.messageId, 'Access.Error.Malformed');
    assert.match(error?.message ?? '', /no "data" array/);
    assert.ok(result.subscriptions.find((s) => s.subscriptionId === PRODUCTION)?.unreadLists?.includes('guestconfigurationresources'));
    assert.ok(!findings.some((f) => f.subscriptionId === PRODUCTION && f.ruleId === 'ESU.Machine.PatchEvidence' && f.evidence['program'] === 'WS2012'), 'no "no evidence" warning for a WS2012 machine while its guest configuration source is unread');
    assert.ok(!findings.some((f) => f.resourceName === 'app-2012r2-05' && f.ruleId === 'ESU.Machine.EsuPatchesInstalled'));
    assert.ok(findings.some((f) => f.resourceName === 'br-01-2012r2' && f.messageId === 'EsuPatchesInstalled.Failed.UpdatesPending'));
  });
});
