import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ReportCollector } from '../../cli/report.js';
import { followPages } from '../../shared/adapters/arm/armList.js';
import { runScan, type ScanRunResult } from '../../shared/scan/runScan.js';
import { armMachine, SUBSCRIPTION_ID } from '../support/armFixtures.js';
import { registered } from '../support/ruleHarness.js';
import { startTestEnvironment, WS2012_ACTIVE_AS_OF, type TestEnvironment } from '../support/testEnvironment.js';

/** Two subscriptions: A's providers list is `{}` and its licenses page links to itself; B lists a repeated and a foreign machine. */
const A = '00000000-aaaa-4222-8333-444444444444';
const B = SUBSCRIPTION_ID;
const OTHER = '99999999-1111-4222-8333-444444444444';

function machineIn(subscriptionId: string, name: string): Record<string, unknown> {
  const machine = armMachine({ name });
  return { ...machine, id: String(machine['id']).replace(SUBSCRIPTION_ID, subscriptionId) };
}

describe('ARM lists are validated: a malformed list is an Error for that list, never an empty list or a false failure', () => {
  const estateDir = mkdtempSync(join(tmpdir(), 'esu-lists-'));
  let env: TestEnvironment;
  let result: ScanRunResult;
  const collector = new ReportCollector();

  before(async () => {
    writeFileSync(join(estateDir, 'subscriptions.json'), JSON.stringify({ value: [A, B].map((id) => ({ id: `/subscriptions/${id}`, subscriptionId: id, state: 'Enabled' })) }));
    for (const id of [A, B]) mkdirSync(join(estateDir, id));
    writeFileSync(join(estateDir, A, 'providers.json'), '{}');
    writeFileSync(join(estateDir, A, 'policyAssignments.json'), JSON.stringify({ value: 'deny-esu' }));
    writeFileSync(join(estateDir, A, 'machines.json'), JSON.stringify({ value: [machineIn(A, 'srv-a')] }));
    writeFileSync(join(estateDir, A, 'licenses.json'), JSON.stringify({ value: [], nextLink: `/subscriptions/${A}/providers/Microsoft.HybridCompute/licenses?api-version=2025-01-13` }));
    writeFileSync(join(estateDir, B, 'providers.json'), JSON.stringify({ value: registered() }));
    writeFileSync(join(estateDir, B, 'licenses.json'), JSON.stringify({ value: [] }));
    const twice = machineIn(B, 'srv-twice');
    writeFileSync(join(estateDir, B, 'machines.json'), JSON.stringify({ value: [twice, { ...twice, id: String(twice['id']).toUpperCase() }, machineIn(OTHER, 'srv-foreign')] }));
    env = await startTestEnvironment({ estateDir });
    result = await runScan(await env.dependencies(), { observer: collector, asOf: WS2012_ACTIVE_AS_OF });
  });
  after(async () => {
    await env.close();
    rmSync(estateDir, { recursive: true, force: true });
  });

  it('a providers list of {} is a MalformedResponse Error: no ProviderRegistered failure, no register-provider job', () => {
    assert.deepEqual(result.failures, []);
    const error = collector.findings.find((f) => f.subscriptionId === A && f.resourceId.endsWith('/providers') && f.ruleId === 'ESU.Subscription.Access');
    assert.equal(error?.result, 'Error');
    assert.equal(error?.evidence['code'], 'MalformedResponse');
    assert.deepEqual(collector.findings.filter((f) => f.subscriptionId === A && f.ruleId === 'ESU.Subscription.ProviderRegistered').map((f) => f.result), []);
    assert.deepEqual(collector.jobs.filter((j) => j.subscriptionId === A && j.jobType === 'register-provider'), []);
    assert.deepEqual(collector.messages.filter((m) => m.jobType === 'register-provider' && m.finding.subscriptionId === A), []);
  });

  it('a malformed policy assignments list is an Error for that list; the scan of the subscription goes on', () => {
    const error = collector.findings.find((f) => f.subscriptionId === A && f.resourceId.endsWith('/providers/Microsoft.Authorization/policyAssignments'));
    assert.equal(error?.result, 'Error');
    assert.equal(error?.evidence['code'], 'MalformedResponse');
    assert.deepEqual(collector.findings.filter((f) => f.subscriptionId === A && f.ruleId === 'ESU.Subscription.LicensePolicy'), [], 'no policy finding is made up from it');
    assert.ok(collector.findings.some((f) => f.subscriptionId === A && f.resourceName === 'srv-a'), 'the machines were still scanned');
  });

  it('a nextLink pointing back at its own page ends with an Error, not a loop', () => {
    const error = collector.findings.find((f) => f.subscriptionId === A && f.resourceId.endsWith('/licenses'));
    assert.equal(error?.result, 'Error');
    assert.match(String(error?.evidence['detail']), /nextLink points to a page already read/);
    const licenseRequests = env.standIn.requests.filter((r) => r.path.toLowerCase() === `/subscriptions/${A}/providers/microsoft.hybridcompute/licenses`);
    // The first URL carries the scanner's api-version, the looping link the file's: at most those two are read.
    assert.ok(licenseRequests.length >= 1 && licenseRequests.length <= 2, `read ${licenseRequests.length} time(s)`);
    assert.equal(result.subscriptions.find((s) => s.subscriptionId === A)?.complete, false, 'an incomplete read removes nothing');
  });

  it('a repeated machine is evaluated once and reported; a machine of another subscription is reported, not written there', () => {
    assert.equal(result.subscriptions.find((s) => s.subscriptionId === B)?.machines, 1);
    const twice = collector.findings.filter((f) => f.resourceName === 'srv-twice' && f.ruleId === 'ESU.Machine.Enrolled');
    assert.equal(twice.length, 1);
    assert.equal(collector.findings.filter((f) => f.resourceName === 'srv-foreign').length, 0);
    assert.equal(collector.findings.filter((f) => f.subscriptionId.toLowerCase() === OTHER).length, 0);
    const list = collector.findings.find((f) => f.subscriptionId === B && f.messageId === 'Access.Error.Malformed' && f.resourceId.endsWith('/machines'));
    assert.match(list?.message ?? '', /1 repeated id\(s\) evaluated once/);
    assert.match(list?.message ?? '', /1 item\(s\) of another subscription left out: .*srv-foreign/);
  });

  it('follows at most the page limit', async () => {
    let page = 0;
    const pages = followPages('https://arm.example/list', async () => ({ value: [page], nextLink: `https://arm.example/list?page=${(page += 1)}` }), 3);
    const read: unknown[] = [];
    await assert.rejects((async () => {
      for await (const items of pages) read.push(...items);
    })(), /more than 3 pages/);
    assert.deepEqual(read, [0, 1, 2]);
  });
});
