import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DEFAULT_TABLE_RESILIENCE } from '../../shared/adapters/tables/tableRetry.js';
import type { FindingRow } from '../../shared/alerts/transitions.js';
import type { Dependencies } from '../../shared/runtime/dependencies.js';
import { runScan } from '../../shared/scan/runScan.js';
import { relayOutbox } from '../../shared/scan/outboxRelay.js';
import { ReportCollector } from '../../cli/report.js';
import { allRules } from '../../shared/rules/catalog.js';
import { startAmqpPeer, type AmqpPeer } from '../../local/amqpPeer.js';
import { startTestEnvironment, type TestEnvironment, WS2012_ACTIVE_AS_OF } from '../support/testEnvironment.js';

const PROD = '1b2c3d4e-0001-4a5b-8c6d-000000000001';
const BRANCH = '1b2c3d4e-0002-4a5b-8c6d-000000000002';
const LAB = '1b2c3d4e-0003-4a5b-8c6d-000000000003';

async function storedFindings(deps: Dependencies, subscriptionId?: string): Promise<FindingRow[]> {
  const rows: FindingRow[] = [];
  for await (const finding of deps.findings.query(subscriptionId ? { subscriptionId } : {})) rows.push(finding);
  return rows;
}

const keyOf = (f: FindingRow) => `${f.ruleId}|${f.resourceId.toLowerCase()}`;

describe('scan pipeline: ARM stand-in → rules → Azurite → Service Bus peer', () => {
  let env: TestEnvironment;
  let peer: AmqpPeer;
  let deps: Dependencies;

  before(async () => {
    [env, peer] = await Promise.all([startTestEnvironment({ pageSize: 5 }), startAmqpPeer()]);
    deps = await env.dependencies({ ESU_SERVICEBUS: peer.connectionString });
  });
  after(async () => {
    await env.close();
    await peer.stop();
  });

  it('scans every subscription, stores each finding once and publishes a job per failed finding', async () => {
    const collector = new ReportCollector();
    const result = await runScan(deps, { asOf: WS2012_ACTIVE_AS_OF, observer: collector });
    assert.deepEqual(result.failures, []);
    assert.equal(result.run.subscriptionsScanned, 4);

    const stored = await storedFindings(deps);
    assert.equal(stored.length, collector.findings.filter((f) => f.result !== 'Passed').length, 'a row per non-passing finding');
    assert.equal(new Set(stored.map(keyOf)).size, stored.length, 'one row per rule and resource');
    for (const ruleId of ['ESU.Machine.AgentVersion', 'ESU.License.CoreMinimum', 'ESU.Subscription.ProviderRegistered']) {
      assert.ok(stored.some((f) => f.ruleId === ruleId && f.result === 'Failed'), `${ruleId} has a Failed finding`);
    }
    const lab = await storedFindings(deps, LAB);
    assert.deepEqual(lab.map((f) => [f.ruleId, f.result, f.evidence['statusCode'], f.evidence['missingRole']]), [['ESU.Subscription.Access', 'Error', 403, 'Reader']]);

    const findingOf = new Map(collector.findings.map((f) => [keyOf(f as FindingRow), f]));
    for (const job of collector.jobs) {
      const finding = findingOf.get(`${job.ruleId}|${job.resourceId.toLowerCase()}`);
      assert.ok(finding && (finding.result === 'Failed' || finding.result === 'PassedWithWarning'), `job ${job.jobType} has its non-passing finding`);
    }
    const withFix = new Set(allRules().filter((rule) => rule.remediation).map((rule) => rule.id));
    const failedWithFix = stored.filter((f) => f.result === 'Failed' && withFix.has(f.ruleId));
    // A finding that points to its root finding (a linked license that cannot deliver) leaves the fix to the root.
    const pointing = failedWithFix.filter((f) => typeof f.evidence['rootMessageId'] === 'string');
    const hasJob = (f: FindingRow) => collector.jobs.some((job) => job.ruleId === f.ruleId && job.resourceId === f.resourceId);
    assert.ok(failedWithFix.filter((f) => !pointing.includes(f)).every(hasJob), 'every Failed finding of a rule with a fix has a job');
    assert.ok(pointing.every((f) => !hasJob(f)), 'a finding that points to its root has no job of its own');
    assert.ok(pointing.every((f) => stored.some((root) => root.messageId === f.evidence['rootMessageId'])), 'the root finding it names was stored');
    assert.equal(new Set(collector.jobs.map((job) => job.jobId)).size, collector.jobs.length, 'job ids are unique');
    // First scan: every finding with a fix opens an alert, one message each.
    assert.equal(collector.messages.length, collector.jobs.length);
    assert.ok(collector.messages.every((m) => m.transition === 'opened'));
    const messages = await peer.waitForMessages(collector.messages.length, 10_000);
    assert.equal(messages.length, collector.messages.length);
    const byId = new Map(messages.map((m) => [m.messageId, m]));
    for (const sent of collector.messages) {
      const message = byId.get(sent.messageId);
      assert.ok(message, `message ${sent.messageId} was published`);
      assert.equal(message.address, 'esu-remediation');
      assert.equal(message.subject, result.run.scanId);
      assert.equal(message.correlationId, result.run.scanId);
      assert.deepEqual(message.body, JSON.parse(JSON.stringify(sent)));
      assert.deepEqual(message.applicationProperties, {
        schemaVersion: '1', jobType: sent.jobType, ruleId: sent.finding.ruleId, severity: sent.finding.severity, result: sent.finding.result,
        transition: 'opened', subscriptionId: sent.finding.subscriptionId, resourceGroup: sent.finding.resourceGroup,
      });
      assert.ok(collector.jobs.some((job) => job.jobId === sent.job?.jobId && job.jobType === sent.jobType), 'the message carries its job');
    }
    assert.equal(result.pendingMessages, 0, 'the outbox is empty once the topic has them');
  });

  it('reads lists page by page with no per-machine requests', () => {
    const paths = env.standIn.requests.map((r) => r.path.toLowerCase());
    const listEndpoint = /^\/subscriptions(\/[^/]+(\/providers(\/microsoft\.hybridcompute\/(machines|licenses)|\/microsoft\.authorization\/policyassignments)?)?)?\/?$|^\/providers\/microsoft\.resourcegraph\/resources$/;
    assert.ok(paths.every((p) => listEndpoint.test(p)), `only list endpoints: ${paths.filter((p) => !listEndpoint.test(p)).join(', ')}`);
    assert.equal(paths.filter((p) => p.includes('agentversions')).length, 0, 'no agentVersions call: it is not in the stable API specification');
    // Each subscription scan queries each table (patchassessmentresources, guestconfigurationresources) for itself,
    // in the CLI as in Azure: one page each here, for the sample's 4 subscriptions (the first test's run).
    assert.equal(paths.filter((p) => p.includes('microsoft.resourcegraph')).length, 2 * 4, 'one Resource Graph query per table per subscription scan');
    assert.ok(!paths.some((p) => p.includes('guestconfigurationassignments')), 'no per-subscription guest configuration list');
    const prodMachinePages = env.standIn.requests.filter((r) => r.path.toLowerCase() === `/subscriptions/${PROD}/providers/microsoft.hybridcompute/machines`).length;
    const prodMachines = (JSON.parse(readFileSync(join(env.estateDir, PROD, 'machines.json'), 'utf8')) as { value: unknown[] }).value.length;
    assert.equal(prodMachinePages, Math.ceil(prodMachines / 5));
  });

  it('re-scanning the same estate writes no row and sends nothing', async () => {
    const before = await storedFindings(deps);
    const receivedBefore = peer.received.length;
    const collector = new ReportCollector();
    const rescan = await runScan(deps, { asOf: WS2012_ACTIVE_AS_OF, observer: collector });
    assert.deepEqual(rescan.subscriptions.map((s) => [s.rowsWritten, s.rowsRemoved]), rescan.subscriptions.map(() => [0, 0]));
    assert.equal(rescan.tenant?.rowsWritten, 0);
    const afterRows = await storedFindings(deps);
    assert.deepEqual(afterRows.map(keyOf).sort(), before.map(keyOf).sort());
    assert.ok(collector.jobs.length > 0, 'the jobs are still decided');
    assert.deepEqual(collector.messages, [], 'no message for findings that stayed the same');
    assert.equal(peer.received.length, receivedBefore);
  });

  it('removes rows for machines that are gone, once the subscription was read completely', async () => {
    const file = join(env.estateDir, PROD, 'machines.json');
    const estate = JSON.parse(readFileSync(file, 'utf8')) as { value: { id: string }[] };
    const removed = estate.value.shift();
    writeFileSync(file, JSON.stringify(estate));
    await env.restartStandIn();
    const rescanDeps = await env.dependencies({ ESU_SERVICEBUS: peer.connectionString });
    const openBefore = (await storedFindings(rescanDeps, PROD)).filter((f) => removed && f.resourceId === removed.id && f.alertState === 'open');
    const collector = new ReportCollector();
    await runScan(rescanDeps, { asOf: WS2012_ACTIVE_AS_OF, observer: collector });
    const prod = await storedFindings(rescanDeps, PROD);
    assert.ok(removed && !prod.some((f) => f.resourceId === removed.id), 'the deleted machine has no findings left');
    assert.ok(openBefore.length > 0, 'the removed machine had open alerts');
    assert.deepEqual(collector.messages.filter((m) => m.finding.resourceId === removed?.id).map((m) => m.transition), openBefore.map(() => 'resolved'), 'each of its open alerts is resolved');
    assert.ok(prod.some((f) => f.ruleId === 'ESU.Machine.AgentVersion'), 'the other machines still do');
  });

  it('a malformed machines page becomes an Error finding for that list; the rest of the scan completes', async () => {
    const beforeBranch = await storedFindings(deps, BRANCH);
    writeFileSync(join(env.estateDir, BRANCH, 'machines.json'), '{"value": [ {"id": "truncated');
    await env.restartStandIn();
    const brokenDeps = await env.dependencies({ ESU_SERVICEBUS: peer.connectionString });
    const brokenRun = new ReportCollector();
    const result = await runScan(brokenDeps, { asOf: WS2012_ACTIVE_AS_OF, observer: brokenRun });
    assert.deepEqual(result.failures, []);
    const branch = await storedFindings(brokenDeps, BRANCH);
    const malformed = branch.filter((f) => f.messageId === 'Access.Error.Malformed');
    assert.equal(malformed.length, 1);
    assert.match(malformed[0]?.resourceId ?? '', /\/providers\/Microsoft\.HybridCompute\/machines$/);
    assert.ok(brokenRun.findings.some((f) => f.ruleId === 'ESU.License.CoreMinimum' && f.subscriptionId === BRANCH), 'licenses of that subscription were still scanned');
    const machineRows = beforeBranch.filter((f) => f.ruleId === 'ESU.Machine.AgentVersion').map(keyOf);
    assert.ok(machineRows.length > 0 && machineRows.every((key) => branch.some((f) => keyOf(f) === key)), 'an incomplete read removes no machine rows');
    assert.equal(result.subscriptions.find((s) => s.subscriptionId === BRANCH)?.complete, false);
  });

  it('keeps messages in the outbox while Service Bus is down and delivers each once when it is back', async () => {
    await peer.stop();
    // Change the estate so the scan decides new messages while the bus is down.
    const file = join(env.estateDir, PROD, 'licenses.json');
    const licenses = JSON.parse(readFileSync(file, 'utf8')) as { value: { properties: { licenseDetails: { processors: number } } }[] };
    for (const license of licenses.value) license.properties.licenseDetails.processors = 2;
    writeFileSync(file, JSON.stringify(licenses));
    await env.restartStandIn();
    const downDeps = await env.dependencies({ ESU_SERVICEBUS: peer.connectionString });
    const collector = new ReportCollector();
    const result = await runScan(downDeps, { asOf: WS2012_ACTIVE_AS_OF, observer: collector });
    assert.deepEqual(result.failures, []);
    assert.ok(collector.messages.length > 0, 'the scan decided messages');
    const kept = [];
    for await (const entry of downDeps.outbox.list()) kept.push(entry);
    assert.deepEqual(kept.map((e) => e.message.messageId).sort(), collector.messages.map((m) => m.messageId).sort(), 'every decided message waits in the outbox');
    assert.ok(kept.every((entry) => entry.state === 'PublishFailed' && (entry.lastError ?? '').length > 0));
    await downDeps.close();

    peer = await startAmqpPeer({ port: peer.port });
    const upDeps = await env.dependencies({ ESU_SERVICEBUS: peer.connectionString });
    const relay = await relayOutbox(upDeps.outbox, upDeps.publisher);
    assert.deepEqual({ published: relay.published, pending: relay.pending }, { published: kept.length, pending: 0 });
    const delivered = await peer.waitForMessages(kept.length, 10_000);
    const ids = delivered.map((m) => m.messageId);
    assert.deepEqual([...ids].sort(), kept.map((e) => e.message.messageId).sort(), 'each message delivered once, under its decided id');
    assert.equal((await relayOutbox(upDeps.outbox, upDeps.publisher)).published, 0, 'nothing is sent twice');
  });

  it('a storage outage fails each subscription scan with a clear error, and the run still ends', async () => {
    // The production retry policy with shorter back-offs: what is asserted is that the run fails each subscription
    // and ends, not how long it retries (the production bound is asserted in adapters/flakyStorage.int.test.ts).
    const resilience = { ...DEFAULT_TABLE_RESILIENCE, retryDelayInMs: 20, maxRetryDelayInMs: 500 };
    const outageDeps = await env.dependencies({ ESU_SERVICEBUS: peer.connectionString }, { kind: 'connectionString', connectionString: env.azurite.connectionString, resilience });
    await env.azurite.stop();
    const result = await runScan(outageDeps, { asOf: WS2012_ACTIVE_AS_OF });
    assert.equal(result.subscriptions.length, 0);
    for (const id of [PROD, BRANCH, LAB]) assert.ok(result.failures.some((f) => f.subscriptionId === id), `${id} failed`);
    assert.ok(result.failures.some((f) => f.subscriptionId === '(run record)'), 'the run record failed too');
    assert.ok(result.failures.every((f) => /ECONNREFUSED|connect/i.test(f.error)), result.failures.map((f) => f.error).join('\n'));
  });
});
