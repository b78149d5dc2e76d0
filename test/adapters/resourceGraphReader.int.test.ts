import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { startArmStandIn, type ArmStandIn, type ArmStandInOptions } from '../../local/armStandIn.js';
import { createResourceGraphReader, GUEST_CONFIGURATION_QUERY, parseResetsAfter, PATCH_ASSESSMENT_QUERY, ResourceGraphQuota } from '../../shared/adapters/arm/resourceGraphReader.js';
import { describeReadError } from '../../shared/scan/readErrors.js';
import { fakeCredential } from '../support/testEnvironment.js';

const SUB_A = '1b2c3d4e-000a-4a5b-8c6d-00000000000a';
const SUB_B = '1b2c3d4e-000b-4a5b-8c6d-00000000000b';
const machineId = (sub: string, name: string) => `/subscriptions/${sub}/resourceGroups/rg/providers/Microsoft.HybridCompute/machines/${name}`;
const summaryRow = (sub: string, name: string, security = 0) => ({
  id: `${machineId(sub, name)}/patchAssessmentResults/latest`,
  type: 'microsoft.hybridcompute/machines/patchassessmentresults',
  properties: { status: 'Succeeded', lastModifiedDateTime: '2026-11-30T05:00:00Z', availablePatchCountByClassification: { security, critical: 0 } },
});

/** An estate folder with the given Resource Graph file (a body, or raw text), served by the real stand-in. */
async function serve(file: unknown, options: Partial<ArmStandInOptions> = {}): Promise<{ standIn: ArmStandIn; dir: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'esu-rg-'));
  mkdirSync(join(dir, 'resourceGraph'));
  writeFileSync(join(dir, 'subscriptions.json'), JSON.stringify({ value: [SUB_A, SUB_B].map((subscriptionId) => ({ id: `/subscriptions/${subscriptionId}`, subscriptionId })) }));
  writeFileSync(join(dir, 'resourceGraph', 'patchassessmentresources.json'), typeof file === 'string' ? file : JSON.stringify(file));
  return { standIn: await startArmStandIn({ estateDir: dir, ...options }), dir };
}

const opened: { standIn: ArmStandIn; dir: string }[] = [];
after(async () => {
  for (const { standIn, dir } of opened) {
    await standIn.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

async function query(file: unknown, options: Partial<ArmStandInOptions> = {}, subscriptions = [SUB_A, SUB_B]) {
  const served = await serve(file, options);
  opened.push(served);
  const reader = createResourceGraphReader({ endpoint: served.standIn.endpoint, credential: fakeCredential, trustedCa: served.standIn.ca });
  try {
    return { answer: await reader.queryPatchAssessments(subscriptions), reader, standIn: served.standIn };
  } finally {
    reader.close();
  }
}

const body = (rows: unknown[]) => ({ totalRecords: rows.length, count: rows.length, data: rows, facets: [], resultTruncated: 'false' });

describe('Resource Graph reads through @azure/arm-resourcegraph against the stand-in', () => {
  it('one query for every subscription, paged with $skipToken, rows grouped by subscription', async () => {
    const rows = [...Array.from({ length: 5 }, (_, i) => summaryRow(SUB_A, `a-${i}`)), summaryRow(SUB_B, 'b-0', 2)];
    const { answer, reader, standIn } = await query(body(rows), { resourceGraphPageSize: 2 });
    assert.equal(answer.rowsOf(SUB_A).length, 5);
    assert.equal(answer.rowsOf(SUB_B.toUpperCase()).length, 1);
    assert.deepEqual(answer.problemsOf(SUB_A), []);
    assert.equal(answer.takeRowsOf(SUB_B).length, 1, 'a scan takes its rows');
    assert.equal(answer.rowsOf(SUB_B).length, 0, 'and the answer holds them no longer');
    assert.equal(answer.rowsOf(SUB_A).length, 5, 'the other subscription keeps its own');
    const posts = standIn.requests.filter((r) => r.path.toLowerCase() === '/providers/microsoft.resourcegraph/resources');
    assert.equal(posts.length, 3, 'six rows at two a page');
    assert.ok(posts.every((r) => r.method === 'POST' && r.status === 200 && /api-version=2021-03-01/.test(r.query)));
    assert.equal(reader.metrics.requests, 3);
  });

  it('the query asks for Arc summary rows and security/critical per-patch rows only', () => {
    assert.match(PATCH_ASSESSMENT_QUERY, /^patchassessmentresources\n/);
    assert.match(PATCH_ASSESSMENT_QUERY, /microsoft\.hybridcompute\/machines\/patchassessmentresults\/softwarepatches/);
    assert.match(PATCH_ASSESSMENT_QUERY, /has 'Security'.*has 'Critical'/);
  });

  it('a throttled answer (429 with the quota headers, no Retry-After) is retried after the window resets', async () => {
    const started = Date.now();
    const { answer, reader, standIn } = await query(body([summaryRow(SUB_A, 'a-0')]), { resourceGraphThrottleOnce: { resetsAfter: '00:00:01' } });
    // Behaviour, not speed: the retry waited for the announced reset (1 s) instead of hammering the service.
    assert.ok(Date.now() - started >= 950, `the retry waited for x-ms-user-quota-resets-after (${Date.now() - started} ms)`);
    assert.equal(answer.rowsOf(SUB_A).length, 1);
    assert.equal(reader.metrics.throttled, 1);
    assert.deepEqual(standIn.requests.map((r) => r.status), [429, 200]);
    assert.equal(standIn.stats.throttled, 1);
  });

  for (const [name, file, detail] of [
    ['a body without a data array', { value: [] }, /no "data" array/],
    ['a body that is not JSON', '{"totalRecords": 3, "data": [', /./],
    ['an answer that announces more rows than it holds', { totalRecords: 3, count: 1, data: [summaryRow(SUB_A, 'a-0')], resultTruncated: 'false' }, /announced 3 rows but returned 1/],
    ['a truncated answer', { totalRecords: 1, count: 1, data: [summaryRow(SUB_A, 'a-0')], resultTruncated: 'true' }, /truncated/],
    ['a count that disagrees with the rows', { totalRecords: 1, count: 2, data: [summaryRow(SUB_A, 'a-0')], resultTruncated: 'false' }, /count 2 but holds 1/],
    ['a row of a subscription nobody asked for', body([summaryRow('99999999-0000-4000-8000-000000000000', 'x')]), /no queried subscription/],
  ] as const) {
    it(`${name} is an error of the read, never an empty answer`, async () => {
      // The stand-in filters rows by subscription; the foreign row is served because the raw file bypasses it.
      const raw = name.includes('nobody') ? `${JSON.stringify(file)} ` : file;
      const served = await serve(typeof raw === 'string' && name.includes('nobody') ? JSON.stringify({ ...(file as object), totalRecords: 2 }) : raw);
      opened.push(served);
      const reader = createResourceGraphReader({ endpoint: served.standIn.endpoint, credential: fakeCredential, trustedCa: served.standIn.ca });
      try {
        await assert.rejects(reader.queryPatchAssessments([SUB_A, SUB_B]), (error: unknown) => {
          const facts = describeReadError(error);
          return (name.includes('nobody') ? /announced 2 rows|no queried subscription/ : detail).test(facts.detail) && facts.code.length > 0;
        });
      } finally {
        reader.close();
      }
    });
  }

  it('a malformed row is a problem of its subscription only', async () => {
    const bad = { id: `${machineId(SUB_A, 'a-1')}/patchAssessmentResults/latest`, type: 'microsoft.hybridcompute/machines/patchassessmentresults', properties: { status: 'Succeeded' } };
    const { answer } = await query(body([summaryRow(SUB_A, 'a-0'), bad, summaryRow(SUB_B, 'b-0')]));
    assert.match(answer.problemsOf(SUB_A).join(), /without availablePatchCountByClassification/);
    assert.deepEqual(answer.problemsOf(SUB_B), []);
    assert.equal(answer.rowsOf(SUB_B).length, 1);
  });

  it('guest configuration: one guestconfigurationresources query, served from its own table, Arc machines\' PendingESUUpdates rows kept', async () => {
    assert.match(GUEST_CONFIGURATION_QUERY, /^guestconfigurationresources\n/);
    assert.match(GUEST_CONFIGURATION_QUERY, /type =~ 'microsoft\.guestconfiguration\/guestconfigurationassignments'/);
    assert.match(GUEST_CONFIGURATION_QUERY, /name =~ 'PendingESUUpdates' or name startswith 'PendingESUUpdates\$'/);
    assert.match(GUEST_CONFIGURATION_QUERY, /project id, name, properties/);
    const assignment = (id: string) => ({ id: `${id}/providers/Microsoft.GuestConfiguration/guestConfigurationAssignments/PendingESUUpdates$pid1`, name: 'PendingESUUpdates$pid1', properties: { complianceStatus: 'NonCompliant', guestConfiguration: { name: 'PendingESUUpdates' } } });
    const rows = [assignment(machineId(SUB_A, 'a-0')), assignment(`/subscriptions/${SUB_A}/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm-0`), assignment(machineId(SUB_B, 'b-0'))];
    // The patch table holds an assessment row: the guest configuration query must not get it.
    const served = await serve(body([summaryRow(SUB_A, 'a-0')]), { resourceGraphPageSize: 2 });
    opened.push(served);
    writeFileSync(join(served.dir, 'resourceGraph', 'guestconfigurationresources.json'), JSON.stringify(body(rows)));
    const reader = createResourceGraphReader({ endpoint: served.standIn.endpoint, credential: fakeCredential, trustedCa: served.standIn.ca });
    try {
      const answer = await reader.queryGuestConfigurations([SUB_A, SUB_B]);
      assert.deepEqual(answer.rowsOf(SUB_A).map((row) => [row.machineId, row.assignment.complianceStatus]), [[machineId(SUB_A, 'a-0').toLowerCase(), 'NonCompliant']], 'the Azure VM\'s row is left out');
      assert.equal(answer.rowsOf(SUB_B).length, 1);
      assert.equal(reader.metrics.requests, 2, 'three rows at two a page');
    } finally {
      reader.close();
    }
  });

  it('no file: no rows, and no error', async () => {
    const served = await serve('');
    opened.push(served);
    rmSync(join(served.dir, 'resourceGraph', 'patchassessmentresources.json'));
    const reader = createResourceGraphReader({ endpoint: served.standIn.endpoint, credential: fakeCredential, trustedCa: served.standIn.ca });
    const answer = await reader.queryPatchAssessments([SUB_A]);
    reader.close();
    assert.deepEqual(answer.rowsOf(SUB_A), []);
  });
});

describe('Resource Graph quota', () => {
  it('reads hh:mm:ss reset times', () => {
    assert.equal(parseResetsAfter('00:00:05'), 5000);
    assert.equal(parseResetsAfter('00:01:02.5'), 62_500);
    assert.equal(parseResetsAfter('soon'), undefined);
    assert.equal(parseResetsAfter(undefined), undefined);
  });

  it('with no request left in the window, the next one waits for the reset', async () => {
    const waits: number[] = [];
    const quota = new ResourceGraphQuota(5, async (ms) => void waits.push(ms));
    const headers = (remaining: string) => ({ get: (name: string) => (name === 'x-ms-user-quota-remaining' ? remaining : name === 'x-ms-user-quota-resets-after' ? '00:00:04' : undefined) });
    const answers = [headers('0'), headers('13')];
    const policy = quota.policy().create({ sendRequest: async () => ({ status: 200, headers: answers.shift()! }) } as never, {} as never);
    const request = { clone: () => request } as never;
    await policy.sendRequest(request);
    assert.deepEqual(waits, [], 'the first request goes at once');
    await policy.sendRequest(request);
    assert.equal(waits.length, 1);
    assert.ok(waits[0]! > 3000 && waits[0]! <= 4000, `waited ${waits[0]} ms`);
  });
});
