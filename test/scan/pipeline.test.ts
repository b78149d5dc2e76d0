import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Finding } from '../../shared/domain/findings.js';
import type { Dependencies } from '../../shared/runtime/dependencies.js';
import { runScan } from '../../shared/scan/runScan.js';
import { ReportCollector } from '../../cli/report.js';
import { allRules } from '../../shared/rules/catalog.js';
import { startAmqpPeer, type AmqpPeer } from '../support/amqpPeer.js';
import { startTestEnvironment, type TestEnvironment } from '../support/testEnvironment.js';

const PROD = '1b2c3d4e-0001-4a5b-8c6d-000000000001';
const BRANCH = '1b2c3d4e-0002-4a5b-8c6d-000000000002';
const LAB = '1b2c3d4e-0003-4a5b-8c6d-000000000003';

async function storedFindings(deps: Dependencies, subscriptionId?: string): Promise<Finding[]> {
  const rows: Finding[] = [];
  for await (const finding of deps.findings.query(subscriptionId ? { subscriptionId } : {})) rows.push(finding);
  return rows;
}

const keyOf = (f: Finding) => `${f.ruleId}|${f.resourceId.toLowerCase()}`;

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
    const result = await runScan(deps, { observer: collector });
    assert.deepEqual(result.failures, []);
    assert.equal(result.run.subscriptionsScanned, 4);

    const stored = await storedFindings(deps);
    assert.equal(stored.length, collector.findings.length);
    assert.equal(new Set(stored.map(keyOf)).size, stored.length, 'one row per rule and resource');
    for (const ruleId of ['ESU.Machine.AgentVersion', 'ESU.License.CoreMinimum', 'ESU.Subscription.ProviderRegistered']) {
      assert.ok(stored.some((f) => f.ruleId === ruleId && f.result === 'Failed'), `${ruleId} has a Failed finding`);
    }
    const lab = await storedFindings(deps, LAB);
    assert.deepEqual(lab.map((f) => [f.ruleId, f.result, f.evidence['statusCode'], f.evidence['missingRole']]), [['ESU.Subscription.Access', 'Error', 403, 'Reader']]);

    const findingOf = new Map(stored.map((f) => [keyOf(f), f]));
    for (const job of collector.jobs) {
      const finding = findingOf.get(`${job.ruleId}|${job.resourceId.toLowerCase()}`);
      assert.ok(finding && (finding.result === 'Failed' || finding.result === 'PassedWithWarning'), `job ${job.jobType} has its non-passing finding`);
    }
    const withFix = new Set(allRules().filter((rule) => rule.remediation).map((rule) => rule.id));
    const failedWithFix = stored.filter((f) => f.result === 'Failed' && withFix.has(f.ruleId));
    assert.ok(failedWithFix.every((f) => collector.jobs.some((job) => job.ruleId === f.ruleId && job.resourceId === f.resourceId)), 'every Failed finding of a rule with a fix has a job');
    assert.equal(new Set(collector.jobs.map((job) => job.jobId)).size, collector.jobs.length, 'job ids are unique');
    const messages = await peer.waitForMessages(collector.jobs.length, 10_000);
    assert.equal(messages.length, collector.jobs.length);
    const byId = new Map(messages.map((m) => [m.messageId, m]));
    for (const job of collector.jobs) {
      const message = byId.get(job.jobId);
      assert.ok(message, `job ${job.jobId} was published`);
      assert.equal(message.address, 'esu-remediation');
      assert.equal(message.subject, result.run.scanId);
      assert.equal(message.correlationId, result.run.scanId);
      assert.deepEqual(message.body, JSON.parse(JSON.stringify(job)));
      assert.deepEqual(message.applicationProperties, {
        schemaVersion: '1', jobType: job.jobType, ruleId: job.ruleId, severity: job.severity, result: 'Failed',
        subscriptionId: job.subscriptionId, resourceGroup: job.resourceGroup,
      });
    }
  });

  it('reads lists page by page with no per-machine requests', () => {
    const paths = env.standIn.requests.map((r) => r.path.toLowerCase());
    const listOrAgentVersion = /^\/subscriptions(\/[^/]+(\/providers(\/microsoft\.hybridcompute\/(machines|licenses))?)?)?\/?$|^\/providers\/microsoft\.hybridcompute\/ostype\/windows\/agentversions\/latest$/;
    assert.ok(paths.every((p) => listOrAgentVersion.test(p)), `only list endpoints: ${paths.filter((p) => !listOrAgentVersion.test(p)).join(', ')}`);
    assert.equal(paths.filter((p) => p.includes('agentversions')).length, 1, 'the newest agent version is read once per run');
    const prodMachinePages = env.standIn.requests.filter((r) => r.path.toLowerCase() === `/subscriptions/${PROD}/providers/microsoft.hybridcompute/machines`).length;
    const prodMachines = (JSON.parse(readFileSync(join(env.estateDir, PROD, 'machines.json'), 'utf8')) as { value: unknown[] }).value.length;
    assert.equal(prodMachinePages, Math.ceil(prodMachines / 5));
  });

  it('re-scanning the same estate rewrites the same rows and the same job ids', async () => {
    const before = await storedFindings(deps);
    const collector = new ReportCollector();
    await runScan(deps, { observer: collector });
    const afterRows = await storedFindings(deps);
    assert.deepEqual(afterRows.map(keyOf).sort(), before.map(keyOf).sort());
    const firstJobIds = new Set(peer.received.map((m) => m.messageId));
    assert.ok(collector.jobs.every((job) => firstJobIds.has(job.jobId)), 'a re-sent job keeps its message id');
  });

  it('removes rows for machines that are gone, once the subscription was read completely', async () => {
    const file = join(env.estateDir, PROD, 'machines.json');
    const estate = JSON.parse(readFileSync(file, 'utf8')) as { value: { id: string }[] };
    const removed = estate.value.shift();
    writeFileSync(file, JSON.stringify(estate));
    await env.restartStandIn();
    const rescanDeps = await env.dependencies({ ESU_SERVICEBUS: peer.connectionString });
    await runScan(rescanDeps);
    const prod = await storedFindings(rescanDeps, PROD);
    assert.ok(removed && !prod.some((f) => f.resourceId === removed.id), 'the deleted machine has no findings left');
    assert.ok(prod.some((f) => f.ruleId === 'ESU.Machine.AgentVersion'), 'the other machines still do');
  });

  it('a malformed machines page becomes an Error finding for that list; the rest of the scan completes', async () => {
    const beforeBranch = await storedFindings(deps, BRANCH);
    writeFileSync(join(env.estateDir, BRANCH, 'machines.json'), '{"value": [ {"id": "truncated');
    await env.restartStandIn();
    const brokenDeps = await env.dependencies({ ESU_SERVICEBUS: peer.connectionString });
    const result = await runScan(brokenDeps);
    assert.deepEqual(result.failures, []);
    const branch = await storedFindings(brokenDeps, BRANCH);
    const malformed = branch.filter((f) => f.messageId === 'Access.Error.Malformed');
    assert.equal(malformed.length, 1);
    assert.match(malformed[0]?.resourceId ?? '', /\/providers\/Microsoft\.HybridCompute\/machines$/);
    assert.ok(branch.some((f) => f.ruleId === 'ESU.License.CoreMinimum' && f.scanId === result.run.scanId), 'licenses of that subscription were still scanned');
    const machineRows = beforeBranch.filter((f) => f.ruleId === 'ESU.Machine.AgentVersion').map(keyOf);
    assert.ok(machineRows.length > 0 && machineRows.every((key) => branch.some((f) => keyOf(f) === key)), 'an incomplete read removes no machine rows');
    assert.equal(result.subscriptions.find((s) => s.subscriptionId === BRANCH)?.complete, false);
  });

  it('keeps jobs in the jobs table when Service Bus is down, without failing the scan', async () => {
    await peer.stop();
    const downDeps = await env.dependencies({ ESU_SERVICEBUS: peer.connectionString });
    const collector = new ReportCollector();
    const result = await runScan(downDeps, { observer: collector });
    assert.deepEqual(result.failures, []);
    const kept = [];
    for await (const job of downDeps.jobStore.list()) if (job.scanId === result.run.scanId) kept.push(job);
    assert.equal(kept.length, collector.jobs.length);
    assert.ok(kept.every((job) => job.state === 'PublishFailed' && (job.lastError ?? '').length > 0));
    peer = await startAmqpPeer({ port: peer.port });
  });

  it('a storage outage fails each subscription scan with a clear error, and the run still ends', async () => {
    const outageDeps = await env.dependencies({ ESU_SERVICEBUS: peer.connectionString });
    await env.azurite.stop();
    const result = await runScan(outageDeps);
    assert.equal(result.subscriptions.length, 0);
    for (const id of [PROD, BRANCH, LAB]) assert.ok(result.failures.some((f) => f.subscriptionId === id), `${id} failed`);
    assert.ok(result.failures.some((f) => f.subscriptionId === '(run record)'), 'the run record failed too');
    assert.ok(result.failures.every((f) => /ECONNREFUSED|connect/i.test(f.error)), result.failures.map((f) => f.error).join('\n'));
  });
});
