import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { CLAIM_TIMEOUT_MS } from '../../shared/config/hostLimits.js';
import { ReportCollector } from '../../cli/report.js';
import type { RemediationMessage } from '../../shared/alerts/message.js';
import type { Dependencies } from '../../shared/runtime/dependencies.js';
import { runScan } from '../../shared/scan/runScan.js';
import { startAmqpPeer, type AmqpPeer, type ReceivedMessage } from '../../local/amqpPeer.js';
import { startTestEnvironment, type TestEnvironment, WS2012_ACTIVE_AS_OF } from '../support/testEnvironment.js';

const PROD = '1b2c3d4e-0001-4a5b-8c6d-000000000001';

/** A decision: which finding moved how. Each must reach the topic under exactly one message id. */
const decisionOf = (body: unknown): string => {
  const message = body as RemediationMessage;
  return `${message.finding.ruleId}|${message.finding.resourceId.toLowerCase()}|${message.transition}`;
};

/** Decision → the distinct message ids it was sent under. */
function idsByDecision(received: readonly ReceivedMessage[]): Map<string, Set<string>> {
  const ids = new Map<string, Set<string>>();
  for (const message of received) {
    const decision = decisionOf(message.body);
    ids.set(decision, (ids.get(decision) ?? new Set()).add(message.messageId ?? ''));
  }
  return ids;
}

function assertOneIdPerDecision(received: readonly ReceivedMessage[], decisions: readonly RemediationMessage[]): void {
  const byDecision = idsByDecision(received);
  const twice = [...byDecision].filter(([, ids]) => ids.size > 1).map(([decision]) => decision);
  assert.deepEqual(twice, [], 'no decision went out under two ids');
  assert.deepEqual([...byDecision.keys()].sort(), [...new Set(decisions.map((m) => decisionOf(m)))].sort(), 'every decision went out');
}

describe('message identity is the decision: repeats carry the same id, which the topic drops', () => {
  let env: TestEnvironment;
  let peer: AmqpPeer;
  const opened: Dependencies[] = [];
  const open = async (): Promise<Dependencies> => {
    const deps = await env.dependencies({ ESU_SERVICEBUS: peer.connectionString });
    opened.push(deps);
    return deps;
  };

  beforeEach(async () => {
    [env, peer] = await Promise.all([startTestEnvironment({ pageSize: 5 }), startAmqpPeer()]);
  });
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((deps) => deps.close()));
    await env.close();
    await peer.stop();
  });

  it('two overlapping runs of one estate send each decision under one id', async () => {
    const [first, second] = [new ReportCollector(), new ReportCollector()];
    const [a, b] = await Promise.all([open(), open()]);
    const results = await Promise.all([runScan(a, { asOf: WS2012_ACTIVE_AS_OF, observer: first }), runScan(b, { asOf: WS2012_ACTIVE_AS_OF, observer: second })]);
    assert.deepEqual(results.flatMap((r) => r.failures), []);
    assert.notEqual(results[0]?.run.scanId, results[1]?.run.scanId, 'two runs');
    const decided = [...first.messages, ...second.messages];
    await peer.waitForMessages(decided.length, 10_000);
    assert.ok(first.messages.length > 0);
    assertOneIdPerDecision(peer.received, decided);
    const distinct = new Set(peer.received.map((m) => m.messageId));
    assert.equal(distinct.size, new Set(decided.map((m) => decisionOf(m))).size, 'as many ids as decisions');
    // The subscription claim: the second scanner of a subscription waited and found it stored, so it decided nothing again.
    const perSubscription = peer.received.filter((m) => !String(m.applicationProperties['ruleId']).startsWith('ESU.License.'));
    assert.equal(perSubscription.length, new Set(perSubscription.map((m) => m.messageId)).size, 'no subscription decision was even sent twice');
  });

  it('a subscription claim is held by one scanner at a time and taken over when stale', async () => {
    const { claims } = await open();
    assert.ok(claims, 'production dependencies claim subscriptions');
    const first = await claims.tryAcquire(PROD, 'scanner A');
    assert.ok('etag' in first);
    const second = await claims.tryAcquire(PROD, 'scanner B');
    assert.deepEqual('heldBy' in second ? second.heldBy : undefined, 'scanner A');
    await assert.rejects(claims.acquire(PROD, 'scanner B', 50, 10), /is being scanned by scanner A/);
    const later = new Date(Date.now() + CLAIM_TIMEOUT_MS + 60_000);
    const takeover = await claims.tryAcquire(PROD, 'scanner C', later);
    assert.ok('etag' in takeover, 'a claim older than a function may run is taken over');
    await claims.release(first); // no longer A's: C keeps it
    assert.ok('heldBy' in (await claims.tryAcquire(PROD, 'scanner D')));
    await claims.release(takeover);
    assert.ok('etag' in (await claims.tryAcquire(PROD, 'scanner D')));
  });

  it('a run that dies between sending and storing, then a rerun: no decision is sent under a second id', async () => {
    const dying = await open();
    // The process "dies" at its first row write: the messages of the first page went out, no row was stored.
    Object.defineProperty(dying.findings, 'upsert', { value: async () => Promise.reject(new Error('killed between writes')) });
    const killed = new ReportCollector();
    const crashed = await runScan(dying, { asOf: WS2012_ACTIVE_AS_OF, observer: killed });
    assert.ok(crashed.failures.length > 0, 'the first run did not finish');
    assert.ok(killed.messages.length > 0, 'it had sent messages');
    const rerun = new ReportCollector();
    const result = await runScan(await open(), { asOf: WS2012_ACTIVE_AS_OF, observer: rerun });
    assert.deepEqual(result.failures, []);
    await peer.waitForMessages(killed.messages.length + rerun.messages.length, 10_000);
    assertOneIdPerDecision(peer.received, rerun.messages);
    const rerunIds = new Set(rerun.messages.map((m) => m.messageId));
    assert.ok(killed.messages.every((m) => rerunIds.has(m.messageId)), 'what the dead run sent, the rerun sends under the same ids');
    const third = new ReportCollector();
    await runScan(await open(), { asOf: WS2012_ACTIVE_AS_OF, observer: third });
    assert.equal(third.messages.length, 0, 'once stored, nothing is decided again');
  });

  it('a machine listed twice (in other casing too) is one decision', async () => {
    const file = join(env.estateDir, PROD, 'machines.json');
    const machines = JSON.parse(readFileSync(file, 'utf8')) as { value: { id: string }[] };
    const [firstMachine] = machines.value;
    assert.ok(firstMachine);
    machines.value.push({ ...firstMachine }, { ...firstMachine, id: firstMachine.id.toUpperCase() });
    writeFileSync(file, JSON.stringify(machines));
    await env.restartStandIn();
    const collector = new ReportCollector();
    const result = await runScan(await open(), { asOf: WS2012_ACTIVE_AS_OF, observer: collector });
    assert.deepEqual(result.failures, []);
    await peer.waitForMessages(collector.messages.length, 10_000);
    assertOneIdPerDecision(peer.received, collector.messages);
    assert.equal(peer.received.length, new Set(peer.received.map((m) => m.messageId)).size, 'each id sent once');
  });
});
